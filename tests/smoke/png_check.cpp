// Checks that a screenshot shows something: the expected size, many colours, and enough
// variation in brightness that it cannot be a blank or single-colour window.
// usage: wqlab_png_check FILE.png [--width W] [--height H]
#include <png.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

// Thresholds: a blank window has one colour and no deviation. The empty shell at 1280 x 800
// measured a luma stddev of 11.7, about 1000 colours (anti-aliased text) and 84% background.
constexpr double kMinLumaStddev = 6.0;
constexpr size_t kMinColours = 64;
constexpr double kMaxBackgroundShare = 0.95;

int fail(const std::string& message) {
  std::fprintf(stderr, "png_check: %s\n", message.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return fail("usage: wqlab_png_check FILE.png [--width W] [--height H]");
  const char* path = argv[1];
  long want_w = -1, want_h = -1;
  for (int i = 2; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--width") == 0)
      want_w = std::strtol(argv[i + 1], nullptr, 10);
    else if (std::strcmp(argv[i], "--height") == 0)
      want_h = std::strtol(argv[i + 1], nullptr, 10);
    else
      return fail(std::string("unknown option '") + argv[i] + "'");
  }

  png_image image;
  std::memset(&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_file(&image, path)) {
    return fail(std::string("cannot read ") + path + ": " + image.message);
  }
  image.format = PNG_FORMAT_RGB;
  std::vector<unsigned char> rgb(PNG_IMAGE_SIZE(image));
  if (!png_image_finish_read(&image, nullptr, rgb.data(), 0, nullptr)) {
    return fail(std::string("cannot decode ") + path + ": " + image.message);
  }
  const size_t pixels = static_cast<size_t>(image.width) * image.height;

  double sum = 0, sum_sq = 0;
  std::unordered_map<unsigned, size_t> colours;
  for (size_t i = 0; i < pixels; ++i) {
    const unsigned char* p = &rgb[i * 3];
    const double luma = 0.2126 * p[0] + 0.7152 * p[1] + 0.0722 * p[2];
    sum += luma;
    sum_sq += luma * luma;
    ++colours[(unsigned{p[0]} << 16) | (unsigned{p[1]} << 8) | p[2]];
  }
  const double mean = sum / static_cast<double>(pixels);
  const double stddev =
      std::sqrt(std::fmax(0.0, sum_sq / static_cast<double>(pixels) - mean * mean));
  size_t most = 0;
  for (const auto& [colour, count] : colours) most = std::max(most, count);
  const double background = static_cast<double>(most) / static_cast<double>(pixels);

  std::printf(
      "png_check: %s: %u x %u, luma mean %.1f stddev %.1f, %zu colours, %.0f%% background\n", path,
      image.width, image.height, mean, stddev, colours.size(), background * 100);
  if ((want_w >= 0 && image.width != want_w) || (want_h >= 0 && image.height != want_h)) {
    return fail("expected " + std::to_string(want_w) + " x " + std::to_string(want_h));
  }
  if (stddev < kMinLumaStddev) return fail("brightness barely varies: the image looks blank");
  if (colours.size() < kMinColours) return fail("too few colours: the image looks blank");
  if (background > kMaxBackgroundShare) return fail("one colour covers almost everything");
  return 0;
}

// Parses wqlab's command line: --help, --version, --width/--height, --screenshot FILE --frames N.
#include "cli.h"

#include <charconv>
#include <filesystem>
#include <optional>

namespace wqlab {
namespace {

constexpr int kDefaultScreenshotFrames = 30;

std::string problem(const std::string& what) {
  return "wqlab: " + what + " (try 'wqlab --help')";
}

std::optional<int> parse_int(const std::string& text, int lo, int hi) {
  int value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || value < lo || value > hi) return std::nullopt;
  return value;
}

}  // namespace

const char* usage_text() {
  return "usage: wqlab [--width N] [--height N] [--frames N] [--screenshot FILE.png]\n"
         "       wqlab --help | --version\n"
         "\n"
         "  --width N, --height N  window size before HiDPI scaling (default 1280 x 800)\n"
         "  --frames N             render N frames, then exit\n"
         "  --screenshot FILE.png  after the last frame (default: frame 30), save the window\n"
         "                         as a PNG and exit (desktop only)\n"
         "  --help                 this text\n"
         "  --version              print the version and exit\n";
}

ParseResult parse_args(const std::vector<std::string>& args) {
  ParseResult result;
  Options& opt = result.options;
  bool frames_given = false;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string flag = args[i];
    std::optional<std::string> inline_value;
    if (auto eq = flag.find('='); flag.rfind("--", 0) == 0 && eq != std::string::npos) {
      inline_value = flag.substr(eq + 1);
      flag.resize(eq);
    }
    auto value = [&]() -> std::optional<std::string> {
      if (inline_value) return inline_value;
      if (i + 1 < args.size()) return args[++i];
      return std::nullopt;
    };
    auto int_flag = [&](int* out, int lo, int hi) {
      std::optional<std::string> v = value();
      if (!v) {
        result.error = problem(flag + " needs a value");
      } else if (std::optional<int> n = parse_int(*v, lo, hi)) {
        *out = *n;
      } else {
        result.error = problem(flag + " expects a whole number from " + std::to_string(lo) +
                               " to " + std::to_string(hi) + ", got '" + *v + "'");
      }
    };

    if (flag == "--help" || flag == "-h") {
      opt.help = true;
    } else if (flag == "--version") {
      opt.version = true;
    } else if (flag == "--width") {
      int_flag(&opt.width, 200, 16384);
    } else if (flag == "--height") {
      int_flag(&opt.height, 150, 16384);
    } else if (flag == "--frames") {
      int_flag(&opt.frames, 1, 1000000);
      frames_given = true;
    } else if (flag == "--screenshot") {
      std::optional<std::string> v = value();
      if (!v || v->empty())
        result.error = problem("--screenshot needs a file name");
      else
        opt.screenshot = *v;
    } else if (flag.rfind("-", 0) == 0) {
      result.error = problem("unknown option '" + flag + "'");
    } else {
      result.error = problem("unexpected argument '" + flag + "'");
    }
    if (inline_value && (flag == "--help" || flag == "-h" || flag == "--version")) {
      result.error = problem(flag + " takes no value");
    }
    if (!result.error.empty()) return result;
  }

  if (opt.screenshot.empty()) return result;
  if (!frames_given) opt.frames = kDefaultScreenshotFrames;
#ifdef __EMSCRIPTEN__
  result.error = problem("--screenshot is only available in the desktop app");
#else
  std::filesystem::path dir = std::filesystem::path(opt.screenshot).parent_path();
  std::error_code ec;
  if (!dir.empty() && !std::filesystem::is_directory(dir, ec)) {
    result.error = problem("--screenshot: the folder '" + dir.string() + "' does not exist");
  }
#endif
  return result;
}

}  // namespace wqlab

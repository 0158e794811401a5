// --screenshot: glReadPixels on the back buffer, flipped to top-down rows, written with libpng.
#include "automation/screenshot.h"

#include <png.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include "platform/gl.h"

namespace wqlab {
namespace {

struct PngWriter {
  png_structp png = nullptr;
  png_infop info = nullptr;
  std::FILE* file = nullptr;
  ~PngWriter() {
    png_destroy_write_struct(&png, info ? &info : nullptr);
    if (file) std::fclose(file);
  }
};

}  // namespace

std::string save_back_buffer_png(const std::string& path, int width, int height) {
  if (width <= 0 || height <= 0) return "the window has no pixels to save";
  std::vector<unsigned char> pixels(static_cast<size_t>(width) * height * 3);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadBuffer(GL_BACK);
  glReadPixels(0, 0, width, height, GL_RGB, GL_UNSIGNED_BYTE, pixels.data());
  if (GLenum err = glGetError(); err != GL_NO_ERROR) {
    return "glReadPixels failed (GL error " + std::to_string(err) + ")";
  }

  PngWriter w;
  w.file = std::fopen(path.c_str(), "wb");
  if (!w.file) return "cannot write " + path + ": " + std::strerror(errno);
  w.png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  if (w.png) w.info = png_create_info_struct(w.png);
  if (!w.png || !w.info) return "libpng could not start";
  // libpng reports errors by longjmp; nothing with a destructor is created below this point.
  if (setjmp(png_jmpbuf(w.png))) return "libpng failed while writing " + path;
  png_init_io(w.png, w.file);
  png_set_IHDR(w.png, w.info, width, height, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(w.png, w.info);
  const size_t stride = static_cast<size_t>(width) * 3;
  for (int row = height - 1; row >= 0; --row) {  // GL's origin is the bottom-left corner
    png_write_row(w.png, pixels.data() + stride * static_cast<size_t>(row));
  }
  png_write_end(w.png, nullptr);
  return "";
}

}  // namespace wqlab

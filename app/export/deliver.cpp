// Desktop: files in a folder (the PNG through screenshot.h). Browser: downloads through EM_JS.
#include "export/deliver.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <vector>

#include "platform/gl.h"

#ifdef __EMSCRIPTEN__
#include <emscripten/emscripten.h>

// EM_JS bodies are JavaScript, which clang-format would mangle.
// clang-format off
// slice() copies out of the shared wasm heap: a Blob cannot be built on shared memory.
EM_JS(void, wqlab_js_download, (const char* name, const char* mime, const void* data, int size), {
  var blob = new Blob([HEAPU8.slice(data, data + size)], { type: UTF8ToString(mime) });
  var a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = UTF8ToString(name);
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(function() { URL.revokeObjectURL(a.href); }, 60000);
});

// RGBA rows, top row first, encoded by the browser's own PNG encoder through a 2D canvas.
EM_JS(void, wqlab_js_download_png, (const char* name, const void* rgba, int width, int height), {
  var canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  var pixels = new Uint8ClampedArray(HEAPU8.slice(rgba, rgba + width * height * 4).buffer);
  canvas.getContext('2d').putImageData(new ImageData(pixels, width, height), 0, 0);
  var file = UTF8ToString(name);
  canvas.toBlob(function(blob) {
    var a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = file;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function() { URL.revokeObjectURL(a.href); }, 60000);
  }, 'image/png');
});
// clang-format on
#else
#include "automation/screenshot.h"
#endif

namespace wqlab::exporting {

#ifdef __EMSCRIPTEN__

std::string default_export_dir() {
  return "";
}

Delivered deliver_file(const std::string&, const std::string& name, const char* mime,
                       std::string_view data) {
  wqlab_js_download(name.c_str(), mime, data.data(), static_cast<int>(data.size()));
  return {name, ""};
}

Delivered deliver_back_buffer_png(const std::string&, const std::string& name, int width,
                                  int height) {
  if (width <= 0 || height <= 0) return {"", "the window has no pixels to save"};
  std::vector<unsigned char> pixels(static_cast<size_t>(width) * height * 4);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());
  if (GLenum err = glGetError(); err != GL_NO_ERROR)
    return {"", "glReadPixels failed (GL error " + std::to_string(err) + ")"};
  // GL's rows start at the bottom; ImageData's at the top.
  const size_t stride = static_cast<size_t>(width) * 4;
  std::vector<unsigned char> row(stride);
  for (int top = 0, bottom = height - 1; top < bottom; ++top, --bottom) {
    unsigned char* a = pixels.data() + stride * static_cast<size_t>(top);
    unsigned char* b = pixels.data() + stride * static_cast<size_t>(bottom);
    std::copy(a, a + stride, row.data());
    std::copy(b, b + stride, a);
    std::copy(row.data(), row.data() + stride, b);
  }
  wqlab_js_download_png(name.c_str(), pixels.data(), width, height);
  return {name, ""};
}

#else

namespace fs = std::filesystem;

namespace {

// `dir`/`name`, or with "-2", "-3", ... before the extension if taken. The extension is
// everything from the first '.' ("x.perfetto.json" -> "x-2.perfetto.json").
std::string free_path(const std::string& dir, const std::string& name) {
  const size_t dot = name.find('.');
  const std::string stem = name.substr(0, dot);
  const std::string ext = dot == std::string::npos ? "" : name.substr(dot);
  std::error_code ec;
  for (int n = 1;; ++n) {
    fs::path p = fs::path(dir) / (n == 1 ? name : stem + "-" + std::to_string(n) + ext);
    if (!fs::exists(p, ec)) return p.string();
  }
}

std::string make_dir(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return "cannot create the folder " + dir + ": " + ec.message();
  return "";
}

}  // namespace

std::string default_export_dir() {
  const char* home = std::getenv("HOME");
  if (!home || !*home) return fs::current_path().string();
  std::error_code ec;
  const fs::path downloads = fs::path(home) / "Downloads";
  if (fs::is_directory(downloads, ec)) return (downloads / "wqlab").string();
  return (fs::path(home) / "wqlab-exports").string();
}

Delivered deliver_file(const std::string& dir, const std::string& name, const char*,
                       std::string_view data) {
  if (std::string error = make_dir(dir); !error.empty()) return {"", error};
  const std::string path = free_path(dir, name);
  std::ofstream out(path, std::ios::binary);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
  out.close();
  if (!out) return {"", "cannot write " + path};
  return {path, ""};
}

Delivered deliver_back_buffer_png(const std::string& dir, const std::string& name, int width,
                                  int height) {
  if (std::string error = make_dir(dir); !error.empty()) return {"", error};
  const std::string path = free_path(dir, name);
  std::string error = save_back_buffer_png(path, width, height);
  if (!error.empty()) return {"", error};
  return {path, ""};
}

#endif

}  // namespace wqlab::exporting

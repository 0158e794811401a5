// Dropped and picked files: GLFW's drop callback on the desktop, EM_JS listeners in the browser.
#include "platform/page_files.h"

#include <deque>
#include <fstream>
#include <sstream>

#include "platform/gl.h"

#ifdef __EMSCRIPTEN__
#include <emscripten/emscripten.h>

// EM_JS bodies are JavaScript, which clang-format would mangle.
// clang-format off
// Module.wqlabFiles queues {name, text} as files arrive from the picker or a drop on the canvas.
EM_JS(void, wqlab_js_files_install, (), {
  Module.wqlabFiles = Module.wqlabFiles || [];
  var read = function(file) {
    file.text().then(function(text) { Module.wqlabFiles.push({ name: file.name, text: text }); },
                     function(e) { Module.wqlabFiles.push({ name: file.name, error: String(e) }); });
  };
  Module.wqlabReadFile = read;
  var canvas = Module.canvas || document.getElementById('canvas');
  if (!canvas) return;
  canvas.addEventListener('dragover', function(e) { e.preventDefault(); });
  canvas.addEventListener('drop', function(e) {
    e.preventDefault();
    var files = e.dataTransfer ? e.dataTransfer.files : [];
    for (var i = 0; i < files.length; ++i) read(files[i]);
  });
});

EM_JS(void, wqlab_js_files_pick, (const char* accept), {
  var input = document.createElement('input');
  input.type = 'file';
  input.accept = UTF8ToString(accept);
  input.style.display = 'none';
  input.addEventListener('change', function() {
    for (var i = 0; i < input.files.length; ++i) Module.wqlabReadFile(input.files[i]);
    input.remove();
  });
  document.body.appendChild(input);
  input.click();
});

// field 0: name, 1: text, 2: error of the first queued file; -1 when none is queued. The same
// two-call pattern as page_link.cpp: ask the length, then copy.
EM_JS(int, wqlab_js_files_field, (int field, char* buffer, int size), {
  var q = Module.wqlabFiles;
  if (!q || q.length === 0) return -1;
  var f = q[0];
  var value = (field === 0 ? f.name : field === 1 ? f.text : f.error) || "";
  var length = lengthBytesUTF8(value);
  if (length < size) stringToUTF8(value, buffer, size);
  return length;
});

EM_JS(void, wqlab_js_files_pop, (), { Module.wqlabFiles.shift(); });
// clang-format on
#endif

namespace wqlab::page_files {
namespace {

#ifdef __EMSCRIPTEN__
std::optional<std::string> field(int which) {
  const int length = wqlab_js_files_field(which, nullptr, 0);
  if (length < 0) return std::nullopt;
  std::string text(static_cast<size_t>(length) + 1, '\0');
  if (wqlab_js_files_field(which, text.data(), static_cast<int>(text.size())) != length)
    return std::nullopt;
  text.resize(static_cast<size_t>(length));
  return text;
}
#else
std::deque<std::string>& dropped_paths() {
  static std::deque<std::string> paths;  // filled and read on the UI thread only
  return paths;
}

void on_drop(GLFWwindow*, int count, const char** paths) {
  for (int i = 0; i < count; ++i) dropped_paths().emplace_back(paths[i]);
}
#endif

}  // namespace

void install(GLFWwindow* window) {
#ifdef __EMSCRIPTEN__
  (void)window;
  wqlab_js_files_install();
#else
  glfwSetDropCallback(window, on_drop);
#endif
}

void pick(const char* accept) {
#ifdef __EMSCRIPTEN__
  wqlab_js_files_pick(accept);
#else
  (void)accept;
#endif
}

std::optional<IncomingFile> take() {
#ifdef __EMSCRIPTEN__
  std::optional<std::string> name = field(0);
  if (!name) return std::nullopt;
  IncomingFile f{*name, field(1).value_or(""), field(2).value_or("")};
  wqlab_js_files_pop();
  return f;
#else
  if (dropped_paths().empty()) return std::nullopt;
  IncomingFile f;
  f.name = dropped_paths().front();
  dropped_paths().pop_front();
  std::ifstream in(f.name, std::ios::binary);
  if (!in) {
    f.error = "cannot read the file";
    return f;
  }
  std::stringstream text;
  text << in.rdbuf();
  f.text = text.str();
  return f;
#endif
}

}  // namespace wqlab::page_files

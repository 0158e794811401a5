// Page address, fragment and clipboard: EM_JS in the browser, GLFW through ImGui on the desktop.
#include "share/page_link.h"

#include "imgui.h"

#ifdef __EMSCRIPTEN__
#include <emscripten/emscripten.h>

// EM_JS bodies are JavaScript, which clang-format would mangle.
// clang-format off
// Returns the length in bytes of the fragment not yet taken (copying it into `buffer` when it
// fits), or -1 if there is none. The first call also starts listening for hashchange.
EM_JS(int, wqlab_js_take_fragment, (char* buffer, int size), {
  if (!Module.wqlabHash) {
    Module.wqlabHash = { fresh: window.location.hash.length > 1, value: window.location.hash };
    window.addEventListener('hashchange', function() {
      Module.wqlabHash.value = window.location.hash;
      Module.wqlabHash.fresh = true;
    });
  }
  var h = Module.wqlabHash;
  if (!h.fresh) return -1;
  var length = lengthBytesUTF8(h.value);
  if (length < size) {
    stringToUTF8(h.value, buffer, size);
    h.fresh = false;
  }
  return length;
});

EM_JS(int, wqlab_js_base_url, (char* buffer, int size), {
  var url = window.location.href.split('#')[0];
  var length = lengthBytesUTF8(url);
  if (length < size) stringToUTF8(url, buffer, size);
  return length;
});

EM_JS(void, wqlab_js_copy, (const char* text), {
  var s = window.wqlabStatus || (window.wqlabStatus = {});
  s.clipboard = 'pending';
  var value = UTF8ToString(text);
  if (!navigator.clipboard) {
    s.clipboard = 'failed: this page has no clipboard access (it needs https or localhost)';
    return;
  }
  navigator.clipboard.writeText(value).then(
    function() { s.clipboard = 'copied'; },
    function(e) { s.clipboard = 'failed: ' + e; });
});
// clang-format on

namespace wqlab::page_link {
namespace {

// The two-call pattern of the EM_JS helpers above: ask the length, then copy.
template <typename Fn>
std::optional<std::string> read_js_string(Fn fn) {
  const int length = fn(nullptr, 0);
  if (length < 0) return std::nullopt;
  std::string text(static_cast<size_t>(length) + 1, '\0');
  if (fn(text.data(), static_cast<int>(text.size())) != length) return std::nullopt;
  text.resize(static_cast<size_t>(length));
  return text;
}

}  // namespace

std::optional<std::string> take_new_fragment() {
  return read_js_string(wqlab_js_take_fragment);
}

std::string base_url() {
  return read_js_string(wqlab_js_base_url).value_or("");
}

void copy_to_clipboard(const std::string& text) {
  wqlab_js_copy(text.c_str());
}

}  // namespace wqlab::page_link

#else

namespace wqlab::page_link {

std::optional<std::string> take_new_fragment() {
  return std::nullopt;
}

std::string base_url() {
  return "http://127.0.0.1:8080/";
}

void copy_to_clipboard(const std::string& text) {
  ImGui::SetClipboardText(text.c_str());
}

}  // namespace wqlab::page_link

#endif

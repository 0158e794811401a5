// Settings persistence: an XDG ini file on the desktop, localStorage in the browser.
#include "platform/settings_store.h"

#include <cstdlib>
#include <filesystem>

#include "imgui.h"

#ifdef __EMSCRIPTEN__
#include <emscripten/emscripten.h>

// EM_JS bodies are JavaScript, which clang-format would mangle.
// clang-format off
// Copies the stored ini text into `buffer` (when `size` is big enough) and returns its length in
// bytes, or -1 if there is none; storage may be disabled, in which case access throws.
EM_JS(int, wqlab_js_settings_load, (char* buffer, int size), {
  try {
    var text = window.localStorage.getItem("wqlab.imgui.ini");
    if (text === null) return -1;
    var length = lengthBytesUTF8(text);
    if (length < size) stringToUTF8(text, buffer, size);
    return length;
  } catch (e) {
    return -1;
  }
});

EM_JS(void, wqlab_js_settings_save, (const char* text), {
  try {
    window.localStorage.setItem("wqlab.imgui.ini", UTF8ToString(text));
  } catch (e) {
    console.warn("wqlab: cannot save settings to localStorage:", e);
  }
});
// clang-format on
#endif

namespace wqlab {

#ifdef __EMSCRIPTEN__

void SettingsStore::attach() {
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  io.IniSavingRate = 1.0f;  // a reload soon after a change should still find it
  location_ = "this browser's localStorage (wqlab.imgui.ini)";
  int length = wqlab_js_settings_load(nullptr, 0);
  if (length < 0) return;
  std::string text(static_cast<size_t>(length) + 1, '\0');
  if (wqlab_js_settings_load(text.data(), static_cast<int>(text.size())) == length) {
    ImGui::LoadIniSettingsFromMemory(text.c_str(), static_cast<size_t>(length));
  }
}

void SettingsStore::save_if_needed() {
  ImGuiIO& io = ImGui::GetIO();
  if (!io.WantSaveIniSettings) return;
  wqlab_js_settings_save(ImGui::SaveIniSettingsToMemory());
  io.WantSaveIniSettings = false;
}

#else

void SettingsStore::attach() {
  namespace fs = std::filesystem;
  fs::path dir;
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg) {
    dir = fs::path(xdg) / "wqlab";
  } else if (const char* home = std::getenv("HOME"); home && *home) {
    dir = fs::path(home) / ".config" / "wqlab";
  }
  std::error_code ec;
  if (dir.empty() || (fs::create_directories(dir, ec), ec)) {
    ImGui::GetIO().IniFilename = nullptr;  // settings last for this run only
    return;
  }
  ini_path_ = (dir / "imgui.ini").string();
  location_ = ini_path_;
  ImGui::GetIO().IniFilename = ini_path_.c_str();
  // Load now rather than in the first NewFrame, so the first frame already has the saved scale.
  if (fs::exists(ini_path_, ec)) ImGui::LoadIniSettingsFromDisk(ini_path_.c_str());
}

void SettingsStore::save_if_needed() {}  // ImGui writes io.IniFilename itself

#endif

}  // namespace wqlab

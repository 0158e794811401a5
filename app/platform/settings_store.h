// Where ImGui's .ini settings (the shell's layout, UI scale, ...) live between runs.
// Desktop: $XDG_CONFIG_HOME/wqlab/imgui.ini, else ~/.config/wqlab/imgui.ini, written by ImGui.
// Browser: localStorage["wqlab.imgui.ini"], loaded at start and written when ImGui asks.
#pragma once

#include <string>

namespace wqlab {

class SettingsStore {
 public:
  // Points ImGui at the store. Call after every settings handler is registered and before the
  // first frame.
  void attach();
  // Once per frame, after ImGui::Render(): writes the settings if ImGui marked them dirty.
  void save_if_needed();
  // Where the settings go, for Help > About; empty if nowhere (no HOME and no XDG_CONFIG_HOME).
  const std::string& location() const { return location_; }

 private:
  std::string location_;
  std::string ini_path_;  // must outlive ImGui's use of io.IniFilename
};

}  // namespace wqlab

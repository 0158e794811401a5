// The [wqlab][Shell] section of the settings file: UI scale, shown panels, layout weights.
#include <cmath>
#include <cstdio>
#include <cstring>

#include "imgui.h"
#include "imgui_internal.h"  // ImGuiSettingsHandler: 1.90.1 has no public API for custom sections
#include "shell/shell.h"

namespace wqlab {
namespace {

constexpr float kMinUiScale = 0.5f, kMaxUiScale = 3.0f;

bool sane_weight(float w) {
  return std::isfinite(w) && w > 0.01f && w < 100.0f;
}

void* open_section(ImGuiContext*, ImGuiSettingsHandler* handler, const char* name) {
  return std::strcmp(name, "Shell") == 0 ? handler->UserData : nullptr;
}

// One "Key=value" line; unknown keys and bad values keep the defaults.
void read_line(ImGuiContext*, ImGuiSettingsHandler*, void* entry, const char* line) {
  ShellSettings& s = *static_cast<ShellSettings*>(entry);
  float f = 0, g = 0, h = 0;
  int i = 0;
  char key[64];
  if (std::sscanf(line, "UiScale=%f", &f) == 1) {
    if (std::isfinite(f)) s.ui_scale = std::fmin(std::fmax(f, kMinUiScale), kMaxUiScale);
  } else if (std::sscanf(line, "Columns=%f,%f,%f", &f, &g, &h) == 3) {
    if (sane_weight(f) && sane_weight(g) && sane_weight(h)) {
      s.weights.column[0] = f;
      s.weights.column[1] = g;
      s.weights.column[2] = h;
    }
  } else if (std::sscanf(line, "Panel.%63[^=]=%d,%f", key, &i, &f) == 3) {
    for (int p = 0; p < kPanelCount; ++p) {
      if (std::strcmp(key, panel_info(p).ini_key) != 0) continue;
      s.show[p] = i != 0;
      if (sane_weight(f)) s.weights.panel[p] = f;
    }
  }
}

void write_all(ImGuiContext*, ImGuiSettingsHandler* handler, ImGuiTextBuffer* out) {
  const ShellSettings& s = *static_cast<const ShellSettings*>(handler->UserData);
  out->appendf("[%s][Shell]\n", handler->TypeName);
  out->appendf("UiScale=%.2f\n", s.ui_scale);
  out->appendf("Columns=%.4f,%.4f,%.4f\n", s.weights.column[0], s.weights.column[1],
               s.weights.column[2]);
  for (int p = 0; p < kPanelCount; ++p) {
    out->appendf("Panel.%s=%d,%.4f\n", panel_info(p).ini_key, s.show[p] ? 1 : 0,
                 s.weights.panel[p]);
  }
  out->append("\n");
}

}  // namespace

void register_shell_settings(ShellSettings* settings) {
  ImGuiSettingsHandler handler;
  handler.TypeName = "wqlab";
  handler.TypeHash = ImHashStr("wqlab");
  handler.ReadOpenFn = open_section;
  handler.ReadLineFn = read_line;
  handler.WriteAllFn = write_all;
  handler.UserData = settings;
  ImGui::AddSettingsHandler(&handler);
}

void Shell::settings_changed() {
  ImGui::MarkIniSettingsDirty();
}

}  // namespace wqlab

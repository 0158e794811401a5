// The [wqlab-export][Export] section of the settings file: the export folder (desktop).
#include <cstring>

#include "export/export_ui.h"
#include "imgui.h"
#include "imgui_internal.h"  // ImGuiSettingsHandler: 1.90.1 has no public API for custom sections

namespace wqlab {
namespace {

void* open_section(ImGuiContext*, ImGuiSettingsHandler* handler, const char* name) {
  return std::strcmp(name, "Export") == 0 ? handler->UserData : nullptr;
}

void read_line(ImGuiContext*, ImGuiSettingsHandler*, void* entry, const char* line) {
  ExportUi& ui = *static_cast<ExportUi*>(entry);
  constexpr const char kDir[] = "Dir=";
  if (std::strncmp(line, kDir, sizeof kDir - 1) == 0) ui.saved_dir = line + sizeof kDir - 1;
}

void write_all(ImGuiContext*, ImGuiSettingsHandler* handler, ImGuiTextBuffer* out) {
  const ExportUi& ui = *static_cast<const ExportUi*>(handler->UserData);
  if (ui.saved_dir.empty()) return;  // the default needs no line
  out->appendf("[%s][Export]\n", handler->TypeName);
  out->appendf("Dir=%s\n\n", ui.saved_dir.c_str());
}

}  // namespace

void register_export_settings(ExportUi* ui) {
  ImGuiSettingsHandler handler;
  handler.TypeName = "wqlab-export";
  handler.TypeHash = ImHashStr("wqlab-export");
  handler.ReadOpenFn = open_section;
  handler.ReadLineFn = read_line;
  handler.WriteAllFn = write_all;
  handler.UserData = ui;
  ImGui::AddSettingsHandler(&handler);
}

}  // namespace wqlab

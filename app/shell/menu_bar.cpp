// The main menu bar: File (exports, share link; desktop: export folder, Quit), View (panels, UI
// scale, reset layout), Help (keyboard shortcuts, About).
#include <cstdio>
#include <string>

#include "imgui.h"
#include "platform/web_bridge.h"
#include "shell/shell.h"

namespace wqlab {
namespace {

constexpr float kUiScales[] = {0.75f, 1.0f, 1.25f, 1.5f, 1.75f, 2.0f};

void draw_view_menu(Shell* shell) {
  ShellSettings& s = shell->settings;
  for (int p = 0; p < kPanelCount; ++p) {
    const char* title = panel_info(p).title;
    if (ImGui::MenuItem(title, nullptr, &s.show[p])) shell->settings_changed();
    web_bridge::note_item((std::string("menu:View/") + title).c_str());
  }
  ImGui::Separator();
  const bool scale_open = ImGui::BeginMenu("UI scale");
  web_bridge::note_item("menu:View/UI scale");
  if (scale_open) {
    for (float scale : kUiScales) {
      char label[16];
      std::snprintf(label, sizeof label, "%.0f%%", scale * 100.0f);
      if (ImGui::MenuItem(label, nullptr, s.ui_scale == scale)) {
        s.ui_scale = scale;
        shell->settings_changed();
      }
      web_bridge::note_item((std::string("menu:View/UI scale/") + label).c_str());
    }
    ImGui::EndMenu();
  }
  if (ImGui::MenuItem("Reset layout")) {
    const float ui_scale = s.ui_scale;
    s = ShellSettings{};
    s.ui_scale = ui_scale;
    shell->settings_changed();
  }
}

}  // namespace

float draw_menu_bar(Shell* shell, const ShellFacts& facts) {
  if (!ImGui::BeginMainMenuBar()) return 0.0f;
  const float height = ImGui::GetWindowHeight();
  const bool file_open = ImGui::BeginMenu("File");
  web_bridge::note_item("menu:File");
  if (file_open) {
    command_menu_item(shell, Command::kOpenTrace, "Open trace...");
    ImGui::Separator();
    command_menu_item(shell, Command::kExportPerfetto, "Export Perfetto trace");
    command_menu_item(shell, Command::kExportFtrace, "Export ftrace text");
    command_menu_item(shell, Command::kScreenshot, "Screenshot");
    if (facts.can_quit) command_menu_item(shell, Command::kExportFolder, "Export folder...");
    ImGui::Separator();
    command_menu_item(shell, Command::kShareLink, "Share scenario link...");
    if (facts.can_quit) {
      ImGui::Separator();
      command_menu_item(shell, Command::kQuit, "Quit");
    }
    ImGui::EndMenu();
  }
  const bool view_open = ImGui::BeginMenu("View");
  web_bridge::note_item("menu:View");
  if (view_open) {
    draw_view_menu(shell);
    ImGui::EndMenu();
  }
  if (shell->content) shell->content->draw_menus();
  const bool help_open = ImGui::BeginMenu("Help");
  web_bridge::note_item("menu:Help");
  if (help_open) {
    command_menu_item(shell, Command::kShowKeys, "Keyboard shortcuts");
    if (ImGui::MenuItem("About wqlab")) shell->about_requested = true;
    web_bridge::note_item("menu:Help/About wqlab");
    ImGui::EndMenu();
  }
  ImGui::EndMainMenuBar();
  return height;
}

}  // namespace wqlab

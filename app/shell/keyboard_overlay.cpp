// The keyboard overlay (? or Help > Keyboard shortcuts): every binding of the keymap grouped by
// what it is for, then how ImGui's own keyboard navigation reaches everything else. A plain
// window, not a modal, so the same ? key that opened it closes it.
#include <string>
#include <string_view>

#include "imgui.h"
#include "platform/web_bridge.h"
#include "shell/keyboard_map.h"
#include "shell/shell.h"

namespace wqlab {
namespace {

// "Left or ," for a command bound twice; "" for one with no key (menu only).
std::string keys_of(Command c, bool desktop) {
  std::string out;
  for (const KeyBinding& b : keymap()) {
    if (b.command != c || (b.desktop_only && !desktop)) continue;
    out += (out.empty() ? "" : " or ") + chord_label(b.chord);
  }
  return out;
}

void row(const char* keys, std::string_view what) {
  ImGui::TableNextRow();
  ImGui::TableNextColumn();
  ImGui::TextUnformatted(keys);
  ImGui::TableNextColumn();
  ImGui::TextUnformatted(what.data(), what.data() + what.size());
}

}  // namespace

void draw_keyboard_overlay(Shell* shell, const ShellFacts& facts) {
  static bool was_open = false;  // focus the list when it opens, so Esc closes it
  const bool opening = shell->keys_open && !was_open;
  was_open = shell->keys_open;
  if (!shell->keys_open) return;
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(viewport->GetCenter(), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
  if (opening) ImGui::SetNextWindowFocus();
  constexpr ImGuiWindowFlags kFlags = ImGuiWindowFlags_NoSavedSettings |
                                      ImGuiWindowFlags_AlwaysAutoResize |
                                      ImGuiWindowFlags_NoCollapse;
  bool open = true;
  if (ImGui::Begin("Keyboard shortcuts", &open, kFlags)) {
    web_bridge::note_rect("window:Keyboard shortcuts", ImGui::GetWindowPos().x,
                          ImGui::GetWindowPos().y,
                          ImGui::GetWindowPos().x + ImGui::GetWindowSize().x,
                          ImGui::GetWindowPos().y + ImGui::GetWindowSize().y);
    if (ImGui::BeginTable("keys", 2, ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_RowBg)) {
      ImGui::TableSetupColumn("key", ImGuiTableColumnFlags_WidthFixed);
      ImGui::TableSetupColumn("does", ImGuiTableColumnFlags_WidthFixed);
      std::string_view group;
      for (const CommandInfo& info : command_table()) {
        const std::string keys = keys_of(info.command, facts.can_quit);
        if (keys.empty()) continue;
        if (info.group != group) {
          group = info.group;
          ImGui::TableNextRow();
          ImGui::TableNextColumn();
          ImGui::Spacing();
          ImGui::TextDisabled("%.*s", static_cast<int>(group.size()), group.data());
        }
        row(keys.c_str(), info.description);
      }
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::Spacing();
      ImGui::TextDisabled("Everything else");
      row("Tab, Shift+Tab", "Move between buttons, boxes and lists (arrows, Space, Enter act)");
      row("Esc", "Leave that, close this list or a menu");
      row("Alt", "Reach the menu bar with the arrows");
      row("Ctrl+Tab", "Switch between panels");
      ImGui::EndTable();
    }
    ImGui::TextDisabled("No shortcut fires while you type in a text box.");
    if (ImGui::IsWindowFocused() && ImGui::IsKeyPressed(ImGuiKey_Escape, false)) open = false;
  }
  ImGui::End();
  if (!open) shell->keys_open = false;
}

}  // namespace wqlab

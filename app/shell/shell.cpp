// Shell::draw: menu bar, status bar, then the panels in the space between, with splitters.
#include "shell/shell.h"

#include <cmath>

#include <string>

#include "imgui.h"
#include "platform/web_bridge.h"

namespace wqlab {
namespace {

constexpr ImGuiWindowFlags kHostFlags =
    ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
    ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoFocusOnAppearing |
    ImGuiWindowFlags_NoNav | ImGuiWindowFlags_NoScrollWithMouse;
// Placed by the layout every frame; none takes focus by appearing, so no title bar is lit at start.
constexpr ImGuiWindowFlags kPanelFlags =
    ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
    ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoFocusOnAppearing;

// The window behind the panels: its background shows in the gaps, which hold the splitters.
void draw_panel_host(Shell* shell, const LayoutRect& host, const PanelLayout& layout) {
  ImGui::SetNextWindowPos(host.min);
  ImGui::SetNextWindowSize(ImVec2(host.max.x - host.min.x, host.max.y - host.min.y));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 0.0f);
  ImGui::PushStyleColor(ImGuiCol_WindowBg, ImVec4(0.06f, 0.065f, 0.08f, 1.0f));
  if (ImGui::Begin("##panel_host", nullptr, kHostFlags)) {
    bool any_visible = false;
    for (bool visible : layout.visible) any_visible = any_visible || visible;
    if (!any_visible) {
      const char* hint = "All panels are hidden. Show them again from the View menu.";
      const ImVec2 size = ImGui::CalcTextSize(hint);
      ImGui::SetCursorPos(ImVec2((host.max.x - host.min.x - size.x) * 0.5f,
                                 (host.max.y - host.min.y - size.y) * 0.5f));
      ImGui::TextDisabled("%s", hint);
    }
    const float min_size = ImGui::GetFrameHeight() * 3.0f;
    if (handle_splitters(layout, min_size, &shell->drag, &shell->settings.weights)) {
      shell->settings_changed();
    }
  }
  ImGui::End();
  ImGui::PopStyleColor();
  ImGui::PopStyleVar(2);
}

void draw_panels(Shell* shell, const PanelLayout& layout) {
  for (int p = 0; p < kPanelCount; ++p) {
    if (!layout.visible[p]) continue;
    const LayoutRect& r = layout.panel[p];
    ImGui::SetNextWindowPos(r.min);
    ImGui::SetNextWindowSize(ImVec2(r.max.x - r.min.x, r.max.y - r.min.y));
    bool open = true;
    web_bridge::note_rect((std::string("panel:") + panel_info(p).title).c_str(), r.min.x, r.min.y,
                          r.max.x, r.max.y);
    if (ImGui::Begin(panel_info(p).title, &open, kPanelFlags)) {
      const auto id = static_cast<PanelId>(p);
      if (!shell->content || !shell->content->draw_panel(id)) draw_panel_body(id);
    }
    ImGui::End();
    if (!open) {  // the panel's close button
      shell->settings.show[p] = false;
      shell->settings_changed();
    }
  }
}

}  // namespace

void Shell::draw(const ShellFacts& facts) {
  const float menu_height = draw_menu_bar(this, facts);
  const float status_height = draw_status_bar(this, facts);

  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  const LayoutRect host{ImVec2(viewport->Pos.x, viewport->Pos.y + menu_height),
                        ImVec2(viewport->Pos.x + viewport->Size.x,
                               viewport->Pos.y + viewport->Size.y - status_height)};
  const float gap = std::fmax(3.0f, std::round(ImGui::GetStyle().ItemSpacing.x * 0.75f));
  const LayoutRect area{ImVec2(host.min.x + gap, host.min.y + gap),
                        ImVec2(host.max.x - gap, host.max.y - gap)};
  const PanelLayout layout = compute_panel_layout(area, settings.show, settings.weights, gap);
  last_layout = layout;

  draw_panel_host(this, host, layout);
  draw_panels(this, layout);
  draw_about_window(this, facts);

  draw_keyboard_overlay(this, facts);

  for (const Keyboard::Fired& f : keyboard.poll(facts.can_quit)) run(f.command, f.held_seconds);
}

bool Shell::run(Command c, float held_seconds) {
  if (c == Command::kShowKeys) {
    keys_open = !keys_open;
    return true;
  }
  if (c == Command::kQuit) {
    quit_requested = true;
    return true;
  }
  for (CommandSink* sink : sinks)
    if (sink->run_command(c, held_seconds)) return true;
  return false;
}

void Shell::notify(std::string text, bool error) {
  notice.text = std::move(text);
  notice.error = error;
  notice.shown_at = ImGui::GetTime();
  ++notice.count;
}

void command_menu_item(Shell* shell, Command c, const char* label, bool enabled) {
  const std::string key = shortcut_label(c);
  if (ImGui::MenuItem(label, key.empty() ? nullptr : key.c_str(), false, enabled)) shell->run(c);
  if (web_bridge::kEnabled)
    web_bridge::note_item(("command:" + std::string(command_info(c).name)).c_str());
}

}  // namespace wqlab

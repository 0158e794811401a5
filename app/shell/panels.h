// The panels of the main window, which later host the views (DESIGN.md: app/ views), and what
// each says while it has nothing to show.
#pragma once

namespace wqlab {

enum class PanelId : int { kLesson, kMachineRoom, kTimeline, kCounters, kEventLog };
inline constexpr int kPanelCount = 5;

struct PanelInfo {
  const char* title;          // window title and View menu label
  const char* ini_key;        // name in the settings file; never change once released
  const char* empty_message;  // shown while the panel has nothing to show
};

const PanelInfo& panel_info(PanelId id);
inline const PanelInfo& panel_info(int index) {
  return panel_info(static_cast<PanelId>(index));
}

// Draws the inside of a panel window (the caller has already called ImGui::Begin).
void draw_panel_body(PanelId id);

}  // namespace wqlab

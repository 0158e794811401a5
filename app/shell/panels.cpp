// Panel titles, and what each panel says while it has nothing to show.
#include "shell/panels.h"

#include "imgui.h"

namespace wqlab {
namespace {

constexpr PanelInfo kPanels[kPanelCount] = {
    {"Lesson", "Lesson", "No lesson is open. Pick one in the Lessons menu."},
    {"Machine room", "MachineRoom",
     "No machine is running. Open a lesson (Lessons menu) or a demo (Machine > Demo)."},
    {"Timeline", "Timeline",
     "Nothing has happened yet. The timeline fills in while a machine runs."},
    {"Counters", "Counters",
     "No counters yet. nr_running, nr_active and the other counters appear while a machine "
     "runs."},
    {"Event log", "EventLog", "The event log is empty: no machine has run yet."},
};

}  // namespace

const PanelInfo& panel_info(PanelId id) {
  return kPanels[static_cast<int>(id)];
}

void draw_panel_body(PanelId id) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::TextWrapped("%s", panel_info(id).empty_message);
  ImGui::PopStyleColor();
}

}  // namespace wqlab

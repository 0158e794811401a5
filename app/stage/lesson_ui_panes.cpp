// LessonUi: the panels while a lesson is open. The Lesson panel holds the player; the Machine
// room and the Timeline show the shown step's machines side by side (or one machine, with tabs
// for the others); the Counters and the Event log show one machine, with tabs.
#include <algorithm>
#include <string>

#include <cfloat>

#include "imgui.h"
#include "platform/web_bridge.h"
#include "shell/number_format.h"
#include "stage/lesson_ui.h"
#include "stage/machine_ui.h"
#include "views/palette.h"
#include "views/wrapped_text.h"

namespace wqlab {

std::vector<size_t> LessonUi::shown_machines() const {
  std::vector<size_t> step = player_->step_machines(player_->shown_step());
  if (step.size() >= 2) return step;
  return {focus_};
}

ViewContext LessonUi::pane_context(size_t i) {
  player::PlayerMachine& m = *player_->machines()[i];
  MachinePane& pane = *panes_[i];
  pane.status = player_->status();
  pane.status.now = m.model.head().now;
  pane.status.events = m.model.events();
  pane.status.scenario = m.info.recording->scenario.name;
  pane.selection.live = player_->live() && m.shown == m.model.events();
  pane.selection.moment = m.shown;
  return ViewContext{m.model,
                     m.state(),
                     pane.selection,
                     pane.status,
                     *session_,
                     &m.info.recording->scenario,
                     m.model.time_of(m.shown),
                     dt_};
}

// The machine's name and what matters most in a lesson about threads: threads and PIDs, with
// a thin bar filling up to pid_max.
static void draw_pane_header(const player::PlayerMachine& m, bool zh) {
  const model::MachineState& s = m.state();
  ImGui::PushStyleColor(ImGuiCol_Text, palette::kYellow);
  ImGui::TextUnformatted(m.info.id.c_str());
  ImGui::PopStyleColor();
  const std::string& label = m.info.label.in(zh);
  if (!label.empty()) {
    ImGui::SameLine();
    ImGui::PushStyleColor(ImGuiCol_Text, palette::kTextDim);
    ImGui::BeginGroup();
    wrapped_text(label);
    ImGui::EndGroup();
    ImGui::PopStyleColor();
  }
  const int pid_max = m.model.config().pid_max;
  ImGui::Text("%s %s   PIDs %s / %s", with_thousands(static_cast<uint64_t>(s.threads)).c_str(),
              tr(zh, "threads", "个线程"),
              with_thousands(static_cast<uint64_t>(s.pids_in_use)).c_str(),
              with_thousands(static_cast<uint64_t>(pid_max)).c_str());
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("%s",
                      tr(zh,
                         "Kernel threads alive and PIDs in use, against pid_max: every "
                         "kernel thread takes a PID",
                         "存活的内核线程和已占用的 PID（上限 pid_max）：每个内核线程都占一个 PID"));
  const float fraction = pid_max > 0 ? static_cast<float>(s.pids_in_use) / pid_max : 0.0f;
  ImGui::PushStyleColor(ImGuiCol_PlotHistogram,
                        fraction > 0.95f ? palette::kVermillion : palette::kBlue);
  ImGui::ProgressBar(fraction, ImVec2(-FLT_MIN, std::max(3.0f, ImGui::GetFontSize() * 0.25f)), "");
  ImGui::PopStyleColor();
}

void LessonUi::draw_pane(size_t i, PanelId id) {
  MachinePane& pane = *panes_[i];
  MachineRoomView& room = host_.machine_room();
  TimelineView& timeline = host_.timeline();
  CountersView& counters = host_.counters();
  // The views' options are the app's (persisted); each pane only keeps its own state.
  pane.room.animate = room.animate;
  pane.room.show_idle_workqueues = room.show_idle_workqueues;
  pane.timeline.show_arrows = timeline.show_arrows;
  pane.timeline.show_states = timeline.show_states;
  pane.counters.only_busy = counters.only_busy;
  ViewContext ctx = pane_context(i);
  const bool was_live = pane.selection.live;
  const uint64_t was_moment = pane.selection.moment;
  switch (id) {
    case PanelId::kMachineRoom:
      draw_pane_header(*player_->machines()[i], chinese);
      pane.room.draw(ctx);
      break;
    case PanelId::kTimeline:
      pane.timeline.draw(ctx);
      break;
    case PanelId::kCounters:
      pane.counters.draw(ctx);
      break;
    case PanelId::kEventLog:
      pane.log.draw(ctx);
      break;
    case PanelId::kLesson:
      break;
  }
  room.animate = pane.room.animate;
  room.show_idle_workqueues = pane.room.show_idle_workqueues;
  timeline.show_arrows = pane.timeline.show_arrows;
  timeline.show_states = pane.timeline.show_states;
  counters.only_busy = pane.counters.only_busy;
  // A view that picked a moment (a click in the timeline or the log) moves the whole lesson.
  if (pane.selection.live && !was_live) {
    player_->go_live();
  } else if (!pane.selection.live && pane.selection.moment != was_moment) {
    player_->seek_machine(i, pane.selection.moment);
  }
}

// Tabs naming the lesson's machines; returns the one picked (or `current`).
static size_t machine_tabs(const player::LessonPlayer& p, size_t current, const char* id) {
  if (p.machines().size() < 2) return current;
  size_t picked = current;
  if (ImGui::BeginTabBar(id)) {
    for (size_t i = 0; i < p.machines().size(); ++i) {
      const std::string& name = p.machines()[i]->info.id;
      const ImGuiTabItemFlags flags = i == current ? ImGuiTabItemFlags_SetSelected : 0;
      if (ImGui::BeginTabItem(name.c_str(), nullptr, flags)) ImGui::EndTabItem();
      if (ImGui::IsItemClicked()) picked = i;
      web_bridge::note_item((std::string(id) + ":" + name).c_str());
    }
    ImGui::EndTabBar();
  }
  return picked;
}

void LessonUi::draw_machines(PanelId id) {
  const std::vector<size_t> shown = shown_machines();
  panes_drawn_[static_cast<int>(id)] = static_cast<int>(shown.size());
  if (shown.size() == 1) {
    focus_ = machine_tabs(*player_, focus_, id == PanelId::kMachineRoom ? "room" : "timeline");
    draw_pane(shown[0], id);
    return;
  }
  // Side by side in the machine room, one above the other in the timeline.
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float gap = ImGui::GetStyle().ItemSpacing.x;
  const float n = static_cast<float>(shown.size());
  for (size_t k = 0; k < shown.size(); ++k) {
    const size_t i = shown[k];
    ImGui::PushID(static_cast<int>(i));
    ImVec2 size = id == PanelId::kMachineRoom ? ImVec2((avail.x - gap * (n - 1)) / n, avail.y)
                                              : ImVec2(avail.x, (avail.y - gap * (n - 1)) / n);
    ImGui::BeginChild("##machine", size, ImGuiChildFlags_Border);
    if (id == PanelId::kTimeline) {
      ImGui::PushStyleColor(ImGuiCol_Text, palette::kYellow);
      ImGui::TextUnformatted(player_->machines()[i]->info.id.c_str());
      ImGui::PopStyleColor();
      ImGui::SameLine();
    }
    draw_pane(i, id);
    ImGui::EndChild();
    web_bridge::note_item((std::string(id == PanelId::kMachineRoom ? "room:" : "timeline:") +
                           player_->machines()[i]->info.id)
                              .c_str());
    if (id == PanelId::kMachineRoom && k + 1 < shown.size()) ImGui::SameLine();
    ImGui::PopID();
  }
}

void LessonUi::draw_focused(PanelId id) {
  panes_drawn_[static_cast<int>(id)] = 1;
  focus_ = machine_tabs(*player_, focus_, id == PanelId::kCounters ? "counters" : "log");
  draw_pane(focus_, id);
}

bool LessonUi::draw_panel(PanelId id) {
  panes_drawn_[static_cast<int>(id)] = 0;
  if (id == PanelId::kLesson) {
    LessonPanelInput in{player_.get(), &catalog_, &chinese, &error_};
    const LessonPanelOutput out = view_.draw(in);
    if (!out.open.empty()) open(out.open);
    if (out.restart) restart();
    if (active() && !panes_.empty() && panes_.size() == player_->machines().size() &&
        focus_ < panes_.size() && panes_[focus_]->selection.object) {
      ImGui::Separator();
      ViewContext ctx = pane_context(focus_);
      host_.lesson().draw_inspector(ctx);
    }
    return true;
  }
  if (!active() || player_->booting() || panes_.size() != player_->machines().size() ||
      panes_.empty())
    return false;
  // The step's first machine is the one in focus when the step changes.
  if (focus_step_ != player_->shown_step()) {
    focus_step_ = player_->shown_step();
    const std::vector<size_t> step = player_->step_machines(focus_step_);
    if (!step.empty()) focus_ = step.front();
  }
  if (id == PanelId::kMachineRoom || id == PanelId::kTimeline) {
    draw_machines(id);
  } else {
    draw_focused(id);
  }
  return true;
}

}  // namespace wqlab

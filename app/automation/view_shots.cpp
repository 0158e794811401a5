// ViewShots: the per-view screenshot sequence behind --shots.
#include "automation/view_shots.h"

#include <cstdio>

#include "automation/screenshot.h"
#include "imgui.h"

namespace wqlab {
namespace {
constexpr int kFramesPerShot = 6;     // layout, fonts and tables settle in a couple of frames
constexpr int kMaxWaitFrames = 3000;  // the demo must settle within this many frames
}  // namespace

ViewShots::ViewShots(std::string dir, Shell* shell, MachineUi* ui, bool keep_view)
    : dir_(std::move(dir)), shell_(shell), ui_(ui), keep_view_(keep_view) {
  ImGui::GetIO().IniFilename = nullptr;  // the default layout, and nothing saved
  ui_->machine_room().animate = false;   // tokens drawn where they are, not on their way
  using P = PanelId;
  using T = CountersView::Tab;
  shots_ = {{"full.png", -1, T::Monitor, -1},
            {"lesson.png", static_cast<int>(P::kLesson), T::Monitor, -1},
            {"machine-room.png", static_cast<int>(P::kMachineRoom), T::Monitor, -1},
            {"timeline.png", static_cast<int>(P::kTimeline), T::Monitor, -1},
            {"counters.png", static_cast<int>(P::kCounters), T::Monitor, -1},
            {"counters-plots.png", static_cast<int>(P::kCounters), T::Plots, -1},
            {"counters-pools.png", static_cast<int>(P::kCounters), T::Pools, -1},
            {"event-log.png", static_cast<int>(P::kEventLog), T::Monitor, -1}};
}

void ViewShots::before_frame() {
  if (current_ >= shots_.size()) return;
  const Shot& s = shots_[current_];
  if (frames_ == 0) {
    for (int p = 0; p < kPanelCount; ++p) shell_->settings.show[p] = s.solo < 0 || s.solo == p;
    ui_->counters().show_tab(s.tab);
    if (s.highlight >= 0) {
      const auto* rec = ui_->session().recording().get();
      if (rec && static_cast<size_t>(s.highlight) < rec->scenario.highlights.size())
        ui_->selection().show_moment(ui_->model().events_at_time(
            rec->scenario.highlights[static_cast<size_t>(s.highlight)]));
    }
  }
}

bool ViewShots::after_frame(int width, int height, std::string* error) {
  if (!ui_->settled()) {
    if (++waited_ > kMaxWaitFrames) {
      *error = "the demo did not settle";
      return true;
    }
    return false;
  }
  if (current_ == 0 && frames_ == 0 && keep_view_) {
    shots_.push_back({"", -1, CountersView::Tab::Monitor, -1});  // closing layout, same moment
  } else if (current_ == 0 && frames_ == 0) {
    // Select a work item, so the shots show the selection in every view: one held back on an
    // inactive list if there is one, else one that runs.
    const model::MachineState s = ui_->model().state_at(ui_->selection().moment);
    const model::Instance* pick = nullptr;
    for (const auto& [id, inst] : s.instances) {
      const bool better =
          !pick ||
          (inst.where == model::WorkWhere::Inactive && pick->where != model::WorkWhere::Inactive) ||
          (inst.where == pick->where && inst.id < pick->id);
      if (better) pick = &inst;
    }
    if (pick) ui_->selection().select(ObjectRef::work(pick->work));
    // Add the demo's other highlight moments, shown in the machine room.
    const auto rec = ui_->session().recording();
    for (size_t i = 1; rec && i < rec->scenario.highlights.size(); ++i)
      shots_.push_back({"machine-room-" + std::to_string(i + 1) + ".png",
                        static_cast<int>(PanelId::kMachineRoom), CountersView::Tab::Monitor,
                        static_cast<int>(i)});
    // Last, every panel again at the first moment, unsaved: what --state-json reports.
    shots_.push_back({"", -1, CountersView::Tab::Monitor, 0});
  }
  if (++frames_ < kFramesPerShot) return false;
  if (shots_[current_].file.empty()) return true;  // the closing full layout: --state-json's view
  const std::string path = dir_ + "/" + shots_[current_].file;
  *error = save_back_buffer_png(path, width, height);
  if (!error->empty()) return true;
  std::printf("wqlab: saved %s (%d x %d)\n", path.c_str(), width, height);
  ++current_;
  frames_ = 0;
  return false;
}

}  // namespace wqlab

// MachineUi as a CommandSink: the keymap's playback commands, the checkpoints (for the demos,
// their highlighted moments), the timeline's zoom and pan, Why? and the machine room's zoom.
#include <cmath>

#include "machine_ui.h"
#include "views/why_bar.h"

namespace wqlab {
namespace {

// Held W/S: the span shrinks (grows) 5x per second; held A/D: 1.5 spans per second.
constexpr double kZoomPerSecond = 5.0;
constexpr double kPanPerSecond = 1.5;

}  // namespace

bool MachineUi::run_command(Command c, float held_seconds) {
  switch (c) {
    case Command::kPlayPause:
      toggle_play();
      return true;
    case Command::kStepBack:
      step_back();
      return true;
    case Command::kStepForward:
      step_forward();
      return true;
    case Command::kNextCheckpoint:
      next_checkpoint();
      return true;
    case Command::kPrevCheckpoint:
      prev_checkpoint();
      return true;
    case Command::kFirstEvent:
      show_first_event();
      return true;
    case Command::kLive:
      go_live();
      return true;
    case Command::kZoomIn:
      timeline_.zoom_by(std::pow(kZoomPerSecond, -held_seconds));
      return true;
    case Command::kZoomOut:
      timeline_.zoom_by(std::pow(kZoomPerSecond, held_seconds));
      return true;
    case Command::kPanLeft:
      timeline_.pan_by(-kPanPerSecond * held_seconds);
      return true;
    case Command::kPanRight:
      timeline_.pan_by(kPanPerSecond * held_seconds);
      return true;
    case Command::kFitAll:
      timeline_.fit_all();
      return true;
    case Command::kWhy: {
      ViewContext ctx = context();
      why_step(ctx);
      return true;
    }
    case Command::kWhyBack: {
      ViewContext ctx = context();
      why_back(ctx);
      return true;
    }
    case Command::kRoomPrev:
    case Command::kRoomNext:
      room_.step_zoom(context(), c == Command::kRoomNext ? 1 : -1);
      return true;
    default:
      return false;
  }
}

void MachineUi::show_first_event() {
  if (lessons_->active()) {
    if (lessons_->player()) lessons_->player()->seek(0);
    return;
  }
  control_->pause();
  selection_.show_moment(0);
}

// A lesson's checkpoints are its steps' ends; a demo's are its highlighted moments.
bool MachineUi::next_checkpoint() {
  if (lessons_->active()) return lessons_->player() && lessons_->player()->to_next_checkpoint();
  if (!recording_) return false;
  const uint64_t now = selection_.live ? model_.events() : selection_.moment;
  for (model::Nanos t : recording_->scenario.highlights) {
    const uint64_t m = model_.events_at_time(t);
    if (m > now) {
      control_->pause();
      selection_.show_moment(m);
      return true;
    }
  }
  return false;
}

bool MachineUi::prev_checkpoint() {
  if (lessons_->active()) {
    if (lessons_->player()) lessons_->player()->to_previous_checkpoint();
    return lessons_->player() != nullptr;
  }
  if (!recording_) return false;
  const uint64_t now = selection_.live ? model_.events() : selection_.moment;
  const auto& h = recording_->scenario.highlights;
  for (auto it = h.rbegin(); it != h.rend(); ++it) {
    const uint64_t m = model_.events_at_time(*it);
    if (m < now) {
      control_->pause();
      selection_.show_moment(m);
      return true;
    }
  }
  return false;
}

}  // namespace wqlab

// MachineUi as the demo's Stage: the keymap's playback commands, the checkpoints (the demos'
// highlighted moments), and the view commands (stage/view_commands.h) on the demo's views.
#include "stage/machine_ui.h"
#include "stage/playback.h"
#include "stage/view_commands.h"

namespace wqlab {

bool MachineUi::run_command(Command c, float held_seconds) {
  if (run_playback_command(c, *this)) return true;
  if (is_timeline_command(c)) {
    run_timeline_command(c, held_seconds, timeline_);
    return true;
  }
  ViewContext ctx = context();
  return run_machine_command(c, ctx, room_);
}

void MachineUi::show_first_event() {
  control_->pause();
  selection_.show_moment(0);
}

// A demo's checkpoints are its highlighted moments (a lesson's are its steps' ends).
bool MachineUi::next_checkpoint() {
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

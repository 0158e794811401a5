// LessonUi as the lesson's Stage: the keys act on the lesson (never on the hidden demo), File >
// Export writes the lesson's machines under the lesson's id, and a share link carries the
// lesson's file.
#include <fstream>
#include <sstream>

#include "engine/scenario/writer.h"
#include "stage/lesson_ui.h"
#include "stage/playback.h"
#include "stage/view_commands.h"

namespace wqlab {

bool LessonUi::run_command(Command c, float held_seconds) {
  if (!active()) return false;
  if (run_playback_command(c, *this)) return true;
  if (panes_.size() != player_->machines().size() || panes_.empty()) return false;
  if (is_timeline_command(c)) {
    for (size_t i : shown_machines())
      if (i < panes_.size()) run_timeline_command(c, held_seconds, panes_[i]->timeline);
    return true;
  }
  const size_t i = focus_ < panes_.size() ? focus_ : 0;
  MachinePane& pane = *panes_[i];
  ViewContext ctx = pane_context(i);
  const bool was_live = pane.selection.live;
  const uint64_t was_moment = pane.selection.moment;
  if (!run_machine_command(c, ctx, pane.room)) return false;
  // Why? shows the cause's moment: the whole lesson moves there, as after a click in a view.
  if (pane.selection.live && !was_live) {
    player_->go_live();
  } else if (!pane.selection.live && pane.selection.moment != was_moment) {
    player_->seek_machine(i, pane.selection.moment);
  }
  return true;
}

void LessonUi::show_first_event() {
  if (active()) player_->seek(0);
}

bool LessonUi::next_checkpoint() {
  return active() && player_->to_next_checkpoint();
}

bool LessonUi::prev_checkpoint() {
  if (!active()) return false;
  player_->to_previous_checkpoint();
  return true;
}

bool LessonUi::next_step() {
  return active() && player_->on_to_next_step();
}

bool LessonUi::prev_step() {
  return active() && player_->back_to_previous_step();
}

std::string LessonUi::name() const {
  return active() ? player_->scenario()->id : "";
}

std::vector<exporting::MachineRecording> LessonUi::machines() const {
  const session::LessonInfo* info = player_ ? player_->info() : nullptr;
  if (!active() || !info) return {};
  std::vector<exporting::MachineRecording> out;
  for (const session::LessonMachine& m : info->machines)
    out.push_back({m.id, m.legacy, m.recording});
  return out;
}

// The lesson's own file as it is on disk; a lesson opened from a share link has none and is
// written out from what was parsed.
std::string LessonUi::scenario_text() const {
  if (!active()) return "";
  const scenario::Scenario& s = *player_->scenario();
  if (!s.file.empty()) {
    std::ifstream in(s.file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (in) return text.str();
  }
  return scenario::write_scenario(s);
}

}  // namespace wqlab

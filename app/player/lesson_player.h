// LessonPlayer: the lesson player's state and rules, without any drawing. It opens a lesson in
// a LessonSession, folds each machine's recording into a MachineModel of its own, keeps one
// position for the whole lesson (LessonTimeline) and the step whose text is shown, and turns
// the student's commands into moves of that position (the past is shown from the models'
// snapshots, never run again) or, at the live edge, into session commands. A step whose
// questions are not all answered or skipped does not start: predict first, then watch.
// One thread (the UI's) calls everything; nothing here waits for the machines.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "model/machine_model.h"
#include "player/lesson_answers.h"
#include "player/lesson_timeline.h"
#include "session/lesson_session.h"

namespace wqlab::player {

// One machine of the lesson as the player shows it.
struct PlayerMachine {
  session::LessonMachine info;
  model::MachineModel model;
  uint64_t shown = 0;  // events shown at the lesson's position
  // The machine after `shown` events (the head while it is the newest).
  const model::MachineState& state() const;

 private:
  mutable model::MachineState past_;
  mutable uint64_t past_events_ = UINT64_MAX;
};

enum class StepPhase { NotStarted, Running, Done };

class LessonPlayer {
 public:
  explicit LessonPlayer(session::LessonSession& session) : session_(session) {}

  // Opens `scenario` (already parsed): new machines, no answers, the first step shown.
  void open(std::shared_ptr<const scenario::Scenario> scenario);
  void restart() { open(scenario_); }
  void close();
  bool is_open() const { return scenario_ != nullptr; }
  // Once per frame: picks up the session's news, folds events, moves a replay on.
  void update(float dt_seconds);

  // Commands. Those that would start a step return false while its questions are open.
  bool play();
  void pause();
  bool step_forward();  // one event (at the live edge: one task dispatch of the machines)
  void step_back();     // one event
  bool to_next_checkpoint();
  void to_previous_checkpoint();
  bool show_checkpoint(size_t step);  // the end of a step that has run
  bool next_step();                   // at a checkpoint: show the next step, not yet run
  // N: what the panel's main button does (run the shown step, show its checkpoint, or show the
  // next step); false while the step's questions are open or at the lesson's end.
  bool on_to_next_step();
  // P: the previous step at its checkpoint (before step 1: the booted machines).
  bool back_to_previous_step();
  void seek(uint64_t position);
  void seek_machine(size_t machine, uint64_t events);  // a view picked one machine's moment
  void go_live();
  void set_speed(double speed);

  // The shown step's questions.
  bool answer(size_t question, double value, std::string* why = nullptr);
  void skip(size_t question);
  const LessonAnswers& answers() const { return answers_; }

  // What is shown.
  const scenario::Scenario* scenario() const { return scenario_.get(); }
  const session::LessonInfo* info() const { return info_.get(); }
  const LessonTimeline& timeline() const { return timeline_; }
  std::vector<std::unique_ptr<PlayerMachine>>& machines() { return machines_; }
  const std::vector<std::unique_ptr<PlayerMachine>>& machines() const { return machines_; }
  uint64_t position() const { return position_; }
  bool live() const { return live_; }
  size_t shown_step() const { return shown_; }
  StepPhase phase(size_t step) const;
  const session::StepRecord* record(size_t step) const;
  // The shown step has run and the position is at its end: its results are shown.
  bool at_checkpoint() const;
  // The last command that would start a step was refused: its questions are open.
  bool blocked() const { return blocked_; }
  bool playing() const { return replaying_ || status_.playing; }
  bool replaying() const { return replaying_; }
  bool booting() const { return awaiting_open_; }
  // Nothing runs, is pending or waits to be folded: what screenshots and tests wait for.
  bool settled() const;
  const session::SessionStatus& status() const { return status_; }
  // The machines (indices) the step runs on, in file order.
  std::vector<size_t> step_machines(size_t step) const;

 private:
  enum class LiveRun { Play, Step, ToCheckpoint };
  bool run_live(LiveRun how);
  void attach(std::shared_ptr<const session::LessonInfo> info);
  void sync_shown();
  void advance_replay(float dt);

  session::LessonSession& session_;
  std::shared_ptr<const scenario::Scenario> scenario_;
  std::shared_ptr<const session::LessonInfo> info_;
  bool awaiting_open_ = false;     // open() asked for machines that have not booted yet
  uint64_t stale_generation_ = 0;  // the generation shown when open() was called
  std::vector<std::unique_ptr<PlayerMachine>> machines_;
  LessonTimeline timeline_;
  LessonAnswers answers_;
  session::SessionStatus status_;
  uint64_t position_ = 0;
  bool live_ = true;
  size_t shown_ = 0;
  bool armed_ = true;  // the shown step is armed_step_, the next to run, not started yet
  size_t armed_step_ = 0;
  bool blocked_ = false;
  bool replaying_ = false;
  int64_t replay_offset_ = 0;  // virtual time since the replayed step began
  float replay_quiet_ = 0;     // wall seconds without a replayed event
  bool pending_step_ = false;  // an engine step was asked for: show its first event
  uint64_t pending_base_ = 0;
  double speed_ = session::SessionControl::kDefaultSpeed;
};

// Parses the lesson file at `path` and opens it in `player`. A file that does not parse is not
// opened: the player keeps its lesson, and `error` gets the parser's "file:line:col: message"
// lines. Returns whether the lesson was opened.
bool open_lesson_file(LessonPlayer& player, const std::string& path, std::string* error);

}  // namespace wqlab::player

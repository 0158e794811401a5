// LessonPlayer's commands: moving the position through what has been recorded (instant, from
// the snapshots), replaying it at the chosen speed, and at the live edge asking the session to
// run the machines on, once the step's questions have been answered.
#include <algorithm>
#include <limits>

#include "player/lesson_player.h"

namespace wqlab::player {
namespace {
constexpr float kReplayQuietSeconds = 1.0f;  // then a replay jumps to the next event
}  // namespace

bool LessonPlayer::run_live(LiveRun how) {
  if (!info_ || booting()) return false;
  const size_t n = scenario_->steps.size();
  if (!info_->step_running()) {
    const size_t next = info_->next_step();
    if (next >= n) return false;  // every step has run
    armed_ = true;
    armed_step_ = next;
    shown_ = next;
    position_ = timeline_.end();
    if (!answers_.settled(next)) {
      blocked_ = true;  // predict first
      live_ = true;
      return false;
    }
  }
  blocked_ = false;
  replaying_ = false;
  live_ = true;
  switch (how) {
    case LiveRun::Play:
      session_.play();
      break;
    case LiveRun::Step:
      pending_step_ = true;
      pending_base_ = timeline_.end();
      live_ = false;
      session_.step();
      break;
    case LiveRun::ToCheckpoint:
      session_.run_until_idle();
      break;
  }
  return true;
}

bool LessonPlayer::play() {
  if (!info_) return false;
  if (position_ < timeline_.end() && !live_) {
    // The past plays back from the recording, from the step's start or where it stands.
    const size_t k = timeline_.segment_of(position_);
    const bool at_end = position_ == timeline_.segment_end(k) && k + 1 < timeline_.segments();
    replay_offset_ = at_end ? 0 : timeline_.offset_at(position_);
    replay_quiet_ = 0;
    replaying_ = true;
    blocked_ = false;
    return true;
  }
  return run_live(LiveRun::Play);
}

void LessonPlayer::pause() {
  replaying_ = false;
  session_.pause();
}

void LessonPlayer::advance_replay(float dt) {
  if (position_ >= timeline_.end()) {
    replaying_ = false;
    if (info_->step_running()) run_live(LiveRun::Play);  // caught up with a step still running
    return;
  }
  size_t k = timeline_.segment_of(position_);
  if (position_ == timeline_.segment_end(k)) ++k;  // from a checkpoint into the next step
  const uint64_t end = timeline_.segment_end(k);
  replay_offset_ += static_cast<int64_t>(static_cast<double>(dt) * speed_ * 1e9);
  uint64_t p = timeline_.position_at_offset(k, replay_offset_);
  if (p > position_) {
    replay_quiet_ = 0;
  } else if ((replay_quiet_ += dt) > kReplayQuietSeconds) {
    // Nothing for a while: on to the next event (and everything at its time).
    replay_offset_ = timeline_.offset_at(position_ + 1);
    p = timeline_.position_at_offset(k, replay_offset_);
    replay_quiet_ = 0;
  }
  position_ = std::min(std::max(p, position_), end);
  if (position_ < end) return;
  replaying_ = false;  // a checkpoint (or the live edge of the running step)
  if (position_ == timeline_.end() && info_->step_running()) run_live(LiveRun::Play);
}

bool LessonPlayer::step_forward() {
  if (!info_) return false;
  replaying_ = false;
  if (position_ < timeline_.end()) {
    live_ = false;
    armed_ = false;
    ++position_;
    return true;
  }
  return run_live(LiveRun::Step);
}

void LessonPlayer::step_back() {
  if (!info_) return;
  pause();
  // From a step not yet run, the first step back shows the checkpoint before it again.
  if (armed_ && phase(shown_) == StepPhase::NotStarted && shown_ > 0 &&
      phase(shown_ - 1) == StepPhase::Done) {
    armed_ = false;
    blocked_ = false;
    live_ = false;
    return;
  }
  live_ = false;
  armed_ = false;
  if (position_ > 0) --position_;
}

bool LessonPlayer::to_next_checkpoint() {
  if (!info_) return false;
  replaying_ = false;
  const size_t n = scenario_->steps.size();
  if (phase(shown_) == StepPhase::Done && !armed_) {
    const uint64_t end = timeline_.segment_end(shown_ + 1);
    if (position_ < end) return show_checkpoint(shown_);
    if (shown_ + 1 < n && phase(shown_ + 1) == StepPhase::Done) return show_checkpoint(shown_ + 1);
  }
  return run_live(LiveRun::ToCheckpoint);
}

void LessonPlayer::to_previous_checkpoint() {
  if (!info_) return;
  pause();
  blocked_ = false;
  if (armed_ && phase(shown_) == StepPhase::NotStarted && shown_ > 0) {
    step_back();  // shows the checkpoint just before this step
    return;
  }
  live_ = false;
  armed_ = false;
  uint64_t best = timeline_.segment_end(0);  // the machines booted: before step 1
  if (best >= position_) best = 0;
  for (const session::StepRecord& r : info_->steps) {
    if (!r.finished) continue;
    const uint64_t end = timeline_.segment_end(r.index + 1);
    if (end < position_) best = std::max(best, end);
  }
  position_ = best;
}

bool LessonPlayer::show_checkpoint(size_t step) {
  if (!info_ || phase(step) != StepPhase::Done) return false;
  replaying_ = false;
  blocked_ = false;
  live_ = false;
  armed_ = false;
  position_ = timeline_.segment_end(step + 1);
  if (position_ == timeline_.end() && !info_->step_running()) live_ = true;
  return true;
}

bool LessonPlayer::next_step() {
  if (!info_ || info_->step_running() || !at_checkpoint() || position_ != timeline_.end() ||
      info_->next_step() >= scenario_->steps.size())
    return false;
  armed_ = true;
  armed_step_ = info_->next_step();
  live_ = true;
  shown_ = armed_step_;
  return true;
}

bool LessonPlayer::on_to_next_step() {
  if (!info_) return false;
  if (phase(shown_) != StepPhase::Done) return to_next_checkpoint();
  if (!at_checkpoint()) return show_checkpoint(shown_);
  if (shown_ + 1 >= scenario_->steps.size()) return false;
  if (phase(shown_ + 1) == StepPhase::NotStarted) return next_step();
  return show_checkpoint(shown_ + 1);
}

bool LessonPlayer::back_to_previous_step() {
  if (!info_) return false;
  pause();
  if (shown_ > 0 && phase(shown_ - 1) == StepPhase::Done) return show_checkpoint(shown_ - 1);
  seek(0);
  return true;
}

void LessonPlayer::seek(uint64_t position) {
  replaying_ = false;
  armed_ = false;
  blocked_ = false;
  live_ = false;
  position_ = std::min(position, timeline_.end());
}

void LessonPlayer::seek_machine(size_t machine, uint64_t events) {
  if (machine < machines_.size()) seek(timeline_.position_of(machine, events));
}

void LessonPlayer::go_live() {
  replaying_ = false;
  live_ = true;
}

void LessonPlayer::set_speed(double speed) {
  speed_ =
      std::clamp(speed, session::SessionControl::kMinSpeed, session::SessionControl::kMaxSpeed);
  session_.set_speed(speed_);
}

bool LessonPlayer::answer(size_t question, double value, std::string* why) {
  const bool ok = answers_.answer(shown_, question, value, why);
  if (ok && answers_.settled(shown_)) blocked_ = false;
  return ok;
}

void LessonPlayer::skip(size_t question) {
  answers_.skip(shown_, question);
  if (answers_.settled(shown_)) blocked_ = false;
}

}  // namespace wqlab::player

// LessonPlayer: opening, the per-frame update (news from the session, folding, the position),
// and what the position shows. The commands are in lesson_player_commands.cpp.
#include "player/lesson_player.h"

#include <algorithm>

#include "engine/scenario/parser.h"

namespace wqlab::player {
namespace {
// Events folded per machine and frame at most, so a fast machine never stalls the UI.
constexpr size_t kFoldPerFrame = 400'000;
}  // namespace

const model::MachineState& PlayerMachine::state() const {
  if (shown >= model.events()) return model.head();
  if (past_events_ != shown) {
    past_ = model.state_at(shown);
    past_events_ = shown;
  }
  return past_;
}

void LessonPlayer::open(std::shared_ptr<const scenario::Scenario> scenario) {
  if (!scenario) return;
  scenario_ = std::move(scenario);
  awaiting_open_ = true;
  stale_generation_ = info_ ? info_->generation : 0;
  answers_.reset(scenario_.get());
  replaying_ = false;
  pending_step_ = false;
  blocked_ = false;
  session_.set_speed(speed_);
  session_.open(scenario_);
}

void LessonPlayer::close() {
  scenario_.reset();
  awaiting_open_ = false;
  info_.reset();
  machines_.clear();
  answers_.reset(nullptr);
  replaying_ = false;
  pending_step_ = false;
  session_.close();
}

void LessonPlayer::attach(std::shared_ptr<const session::LessonInfo> info) {
  info_ = std::move(info);
  awaiting_open_ = false;
  machines_.clear();
  for (const session::LessonMachine& lm : info_->machines) {
    auto m = std::make_unique<PlayerMachine>();
    m->info = lm;
    m->model.attach(lm.recording->recorder.get(), lm.recording->config);
    machines_.push_back(std::move(m));
  }
  position_ = 0;
  live_ = true;
  shown_ = 0;
  armed_ = true;
  armed_step_ = 0;
  blocked_ = false;
  replaying_ = false;
  pending_step_ = false;
}

void LessonPlayer::update(float dt) {
  status_ = session_.status();
  if (!scenario_) return;
  std::shared_ptr<const session::LessonInfo> info = session_.info();
  if (info && awaiting_open_ && info->scenario == scenario_ &&
      info->generation > stale_generation_) {
    attach(std::move(info));
  } else if (info && info_ && info->generation == info_->generation) {
    info_ = std::move(info);  // the same lesson, further on
  }
  if (!info_) return;
  std::vector<const model::MachineModel*> models;
  for (auto& m : machines_) {
    m->model.update(kFoldPerFrame);
    models.push_back(&m->model);
  }
  timeline_.update(*info_, models);
  if (pending_step_) {
    if (timeline_.end() > pending_base_) {
      position_ = pending_base_ + 1;  // the first event of the dispatch
      pending_step_ = false;
    } else if (!status_.busy && !status_.playing &&
               std::all_of(machines_.begin(), machines_.end(),
                           [](const auto& m) { return m->model.caught_up(); })) {
      pending_step_ = false;  // the dispatch ended the step without a new event
      live_ = true;
    }
  }
  if (replaying_) advance_replay(dt);
  if (live_) position_ = timeline_.end();
  position_ = std::min(position_, timeline_.end());
  sync_shown();
  const std::vector<uint64_t> counts = timeline_.counts_at(position_);
  for (size_t i = 0; i < machines_.size(); ++i) machines_[i]->shown = counts[i];
}

void LessonPlayer::sync_shown() {
  const size_t n = scenario_->steps.size();
  if (n == 0) return;
  // Inside the running step (or waiting for its first event): that step.
  if (info_->step_running() &&
      (live_ || pending_step_ || position_ > timeline_.segment_begin(timeline_.segments() - 1))) {
    shown_ = info_->steps.back().index;
    armed_ = false;
    return;
  }
  const size_t k = timeline_.segment_of(position_);
  size_t step = k == 0 ? 0 : k - 1;
  if (armed_ && armed_step_ == info_->next_step() && position_ == timeline_.end() &&
      !info_->step_running() && armed_step_ < n)
    step = armed_step_;
  else
    armed_ = false;
  shown_ = std::min(step, n - 1);
}

StepPhase LessonPlayer::phase(size_t step) const {
  const session::StepRecord* r = record(step);
  if (r == nullptr) return StepPhase::NotStarted;
  return r->finished ? StepPhase::Done : StepPhase::Running;
}

const session::StepRecord* LessonPlayer::record(size_t step) const {
  if (!info_) return nullptr;
  for (const session::StepRecord& r : info_->steps)
    if (r.index == step) return &r;
  return nullptr;
}

bool LessonPlayer::at_checkpoint() const {
  return info_ && phase(shown_) == StepPhase::Done && shown_ + 1 < timeline_.segments() &&
         position_ == timeline_.segment_end(shown_ + 1);
}

bool LessonPlayer::settled() const {
  if (!scenario_ || booting() || status_.busy || status_.playing || replaying_ || pending_step_)
    return false;
  for (const auto& m : machines_)
    if (!m->model.caught_up()) return false;
  return true;
}

std::vector<size_t> LessonPlayer::step_machines(size_t step) const {
  std::vector<size_t> out;
  if (!scenario_ || !info_ || step >= scenario_->steps.size()) return out;
  const scenario::Step& s = scenario_->steps[step];
  for (size_t i = 0; i < info_->machines.size(); ++i) {
    const bool in = s.machines.empty() || std::find(s.machines.begin(), s.machines.end(),
                                                    info_->machines[i].id) != s.machines.end();
    if (in) out.push_back(i);
  }
  return out;
}

bool open_lesson_file(LessonPlayer& player, const std::string& path, std::string* error) {
  scenario::ParseResult parsed = scenario::parse_scenario_file(path);
  if (!parsed.ok()) {
    *error = parsed.error_text();
    if (!error->empty() && error->back() == '\n') error->pop_back();
    return false;
  }
  error->clear();
  player.open(std::make_shared<const scenario::Scenario>(std::move(*parsed.scenario)));
  return true;
}

}  // namespace wqlab::player

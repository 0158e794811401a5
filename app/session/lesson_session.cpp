// LessonSession on the SessionDriver: opening and closing lessons and the sandbox's requests are
// jobs; the hooks run the steps (paced, one dispatch at a time, or to the checkpoint) and
// publish LessonInfo and a status.
#include "session/lesson_session.h"

#include <algorithm>

#include "session/lesson_run.h"

namespace wqlab::session {

using Clock = std::chrono::steady_clock;

namespace {
// A dispatch limit per run, so the driver notices pause, close and new requests quickly.
constexpr uint64_t kSwitchesPerSlice = 4096;
}  // namespace

LessonSession::LessonSession(size_t carrier_budget) : carrier_budget_(carrier_budget) {
  start();
}

LessonSession::~LessonSession() {
  stop();
}

void LessonSession::on_driver_exit() {
  run_.reset();  // shuts the machines down on this thread
}

void LessonSession::shut_down() {
  run_.reset();  // the old machines shut down before new ones boot
  pacer_.reset();
  {
    std::lock_guard lk(info_mu_);
    info_.reset();
    runnable_.clear();
  }
  with_status([&](SessionStatus& s) {
    s = SessionStatus{};
    s.busy = true;
    s.generation = ++generation_;
  });
}

void LessonSession::open(std::shared_ptr<const scenario::Scenario> scenario) {
  post_job(
      [this, scenario = std::move(scenario)] {
        shut_down();
        run_ = std::make_unique<LessonRun>(scenario, carrier_budget_, generation_);
        with_status([&](SessionStatus& s) { s.scenario = scenario->id; });
      },
      true);
}

void LessonSession::close() {
  post_job([this] { shut_down(); }, true);
}

void LessonSession::machine_op(const std::function<void(LessonRun&)>& op) {
  post_job([this, op] {
    if (!run_) return;
    op(*run_);
    with_status([](SessionStatus& s) { ++s.commands_done; });
  });
}

void LessonSession::perform(const std::string& machine, scenario::Action action) {
  machine_op([machine, action = std::move(action)](LessonRun& r) { r.perform(machine, action); });
}

void LessonSession::run_machine(const std::string& machine, kernel::RunLimit limit) {
  machine_op([machine, limit](LessonRun& r) { r.run_machine(machine, limit); });
}

void LessonSession::settle_machine(const std::string& machine) {
  machine_op([machine](LessonRun& r) { r.settle_machine(machine); });
}

void LessonSession::pick(const std::string& machine, int pid) {
  machine_op([machine, pid](LessonRun& r) { r.pick(machine, pid); });
}

std::vector<RunnableTask> LessonSession::runnable() const {
  std::lock_guard lk(info_mu_);
  return runnable_;
}

void LessonSession::watch_runnable(const std::string& machine) {
  std::lock_guard lk(info_mu_);
  watched_ = machine;
}

std::shared_ptr<const LessonInfo> LessonSession::info() const {
  std::lock_guard lk(info_mu_);
  return info_;
}

void LessonSession::run_steps(int n) {
  if (!run_) return;
  for (int i = 0; i < n; ++i) {
    if (!run_->step_running() && !run_->start_next_step()) break;
    run_->step_one();
  }
}

bool LessonSession::run_to_idle() {
  if (!run_) return true;
  bool reached = !run_->step_running() && !run_->start_next_step();  // nothing left to run
  while (!reached && !interrupted()) {
    reached = run_->advance(kernel::kForever, kSwitchesPerSlice).finished;
    publish();
  }
  return reached;
}

bool LessonSession::play_slice(double speed) {
  if (!run_) return true;
  if (!run_->step_running() && !run_->start_next_step()) return false;  // every step has run
  const auto wall = Clock::now();
  const kernel::Nanos target = pacer_.target(wall, run_->offset(), speed);
  const uint64_t events_before = run_->events();
  LessonRun::Progress p = run_->advance(target, kSwitchesPerSlice);
  if (!p.finished && pacer_.after_slice(wall, target, run_->offset(), p.behind,
                                        run_->events() > events_before, skip_quiet(), speed)) {
    p = run_->jump();  // nothing is happening: on to the next timer or compute end
  }
  // At a checkpoint playing stops: the student reads its results before going on.
  return !p.finished;
}

void LessonSession::publish() {
  if (!run_) return;
  std::shared_ptr<const LessonInfo> info = run_->info();
  const kernel::Nanos now = run_->now();
  const uint64_t events = run_->events();
  const size_t peak = run_->carriers_peak();
  std::string error = run_->error();
  const bool idle = !run_->step_running();
  std::string watched;
  {
    std::lock_guard lk(info_mu_);
    watched = watched_;
  }
  std::vector<RunnableTask> runnable = run_->runnable(watched);
  {
    std::lock_guard lk(info_mu_);
    runnable_ = std::move(runnable);
    info_ = std::move(info);
  }
  with_status([&](SessionStatus& s) {
    s.now = now;
    s.events = events;
    s.carriers_peak = peak;
    s.error = std::move(error);
    s.idle = idle;
  });
}

}  // namespace wqlab::session

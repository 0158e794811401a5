// LessonSession's driver thread: takes requests from the UI, opens lessons, runs their steps
// (paced, one dispatch at a time, or to the checkpoint) and publishes LessonInfo and a status.
// In the browser it is a pthread (a Web Worker), so the page's main thread never waits.
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
  driver_ = std::thread([this] { driver_main(); });
}

LessonSession::~LessonSession() {
  {
    std::lock_guard lk(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (driver_.joinable()) driver_.join();
}

void LessonSession::open(std::shared_ptr<const scenario::Scenario> scenario) {
  {
    std::lock_guard lk(mu_);
    requests_ = Requests{};
    requests_.open = std::move(scenario);
    playing_ = false;
    status_.busy = true;
  }
  cv_.notify_all();
}

void LessonSession::close() {
  {
    std::lock_guard lk(mu_);
    requests_ = Requests{};
    requests_.close = true;
    playing_ = false;
    status_.busy = true;
  }
  cv_.notify_all();
}

void LessonSession::push(MachineOp op) {
  {
    std::lock_guard lk(mu_);
    requests_.ops.push_back(std::move(op));
    status_.busy = true;
  }
  cv_.notify_all();
}

void LessonSession::perform(const std::string& machine, scenario::Action action) {
  MachineOp op;
  op.machine = machine;
  op.action = std::move(action);
  push(std::move(op));
}

void LessonSession::run_machine(const std::string& machine, kernel::RunLimit limit) {
  MachineOp op;
  op.kind = MachineOp::Kind::Run;
  op.machine = machine;
  op.limit = limit;
  push(std::move(op));
}

void LessonSession::settle_machine(const std::string& machine) {
  MachineOp op;
  op.kind = MachineOp::Kind::Settle;
  op.machine = machine;
  push(std::move(op));
}

void LessonSession::pick(const std::string& machine, int pid) {
  MachineOp op;
  op.kind = MachineOp::Kind::Pick;
  op.machine = machine;
  op.pid = pid;
  push(std::move(op));
}

std::vector<RunnableTask> LessonSession::runnable() const {
  std::lock_guard lk(mu_);
  return runnable_;
}

void LessonSession::watch_runnable(const std::string& machine) {
  std::lock_guard lk(mu_);
  watched_ = machine;
}

void LessonSession::play() {
  {
    std::lock_guard lk(mu_);
    playing_ = true;
  }
  cv_.notify_all();
}

void LessonSession::pause() {
  {
    std::lock_guard lk(mu_);
    playing_ = false;
    requests_.to_checkpoint = false;
  }
  cv_.notify_all();
}

void LessonSession::set_speed(double speed) {
  {
    std::lock_guard lk(mu_);
    speed_ = std::clamp(speed, kMinSpeed, kMaxSpeed);
  }
  cv_.notify_all();
}

void LessonSession::step() {
  {
    std::lock_guard lk(mu_);
    playing_ = false;
    ++requests_.steps;
    status_.busy = true;
  }
  cv_.notify_all();
}

void LessonSession::run_until_idle() {
  {
    std::lock_guard lk(mu_);
    playing_ = false;
    requests_.to_checkpoint = true;
    status_.busy = true;
  }
  cv_.notify_all();
}

void LessonSession::set_skip_quiet(bool on) {
  std::lock_guard lk(mu_);
  skip_quiet_ = on;
}

SessionStatus LessonSession::status() const {
  std::lock_guard lk(mu_);
  SessionStatus s = status_;
  s.playing = playing_;
  s.speed = speed_;
  return s;
}

std::shared_ptr<const LessonInfo> LessonSession::info() const {
  std::lock_guard lk(mu_);
  return info_;
}

bool LessonSession::wait_until_quiet(std::chrono::milliseconds timeout) {
  std::unique_lock lk(mu_);
  return quiet_cv_.wait_for(lk, timeout, [&] {
    return !working_ && !playing_ && !requests_.open && !requests_.close && requests_.ops.empty() &&
           requests_.steps == 0 && !requests_.to_checkpoint;
  });
}

bool LessonSession::interrupted() const {
  std::lock_guard lk(mu_);
  return stop_ || requests_.open || requests_.close || !requests_.ops.empty();
}

void LessonSession::driver_main() {
  std::unique_lock lk(mu_);
  for (;;) {
    auto has_work = [&] {
      return stop_ || playing_ || requests_.open || requests_.close || !requests_.ops.empty() ||
             requests_.steps > 0 || requests_.to_checkpoint;
    };
    if (!has_work()) {
      status_.busy = false;
      quiet_cv_.notify_all();
      cv_.wait(lk, has_work);
    }
    if (stop_) break;
    Requests req = std::move(requests_);
    requests_ = Requests{};
    requests_.to_checkpoint = req.to_checkpoint;  // run_to_checkpoint() clears it when there
    const bool playing = playing_;
    const double speed = speed_;
    working_ = true;
    lk.unlock();

    handle(req);
    if (playing && run_) play_slice(speed);
    publish();

    lk.lock();
    working_ = false;
    if (playing_ && !stop_) {
      // Pace: give the wall clock a few milliseconds before the next slice.
      cv_.wait_for(lk, std::chrono::milliseconds(4), [&] {
        return stop_ || !playing_ || requests_.open || requests_.close || !requests_.ops.empty() ||
               requests_.steps > 0 || requests_.to_checkpoint;
      });
    }
  }
  lk.unlock();
  run_.reset();  // shuts the machines down on this thread
}

void LessonSession::handle(Requests& req) {
  if (req.close || req.open) {
    run_.reset();  // the old machines shut down before new ones boot
    pacer_.reset();
    std::lock_guard lk(mu_);
    info_.reset();
    runnable_.clear();
    status_ = SessionStatus{};
    status_.busy = true;
    status_.generation = ++generation_;
  }
  if (req.open) {
    run_ = std::make_unique<LessonRun>(req.open, carrier_budget_, generation_);
    std::lock_guard lk(mu_);
    status_.scenario = req.open->id;
  }
  if (!run_) return;
  for (MachineOp& op : req.ops) {
    switch (op.kind) {
      case MachineOp::Kind::Perform:
        run_->perform(op.machine, op.action);
        break;
      case MachineOp::Kind::Run:
        run_->run_machine(op.machine, op.limit);
        break;
      case MachineOp::Kind::Settle:
        run_->settle_machine(op.machine);
        break;
      case MachineOp::Kind::Pick:
        run_->pick(op.machine, op.pid);
        break;
    }
    std::lock_guard lk(mu_);
    ++status_.commands_done;
  }
  for (int i = 0; i < req.steps; ++i) {
    pacer_.reset();
    if (!run_->step_running() && !run_->start_next_step()) break;
    run_->step_one();
  }
  if (req.to_checkpoint) run_to_checkpoint();
}

void LessonSession::run_to_checkpoint() {
  pacer_.reset();
  bool reached = !run_->step_running() && !run_->start_next_step();  // nothing left to run
  while (!reached && !interrupted()) {
    reached = run_->advance(kernel::kForever, kSwitchesPerSlice).finished;
    publish();
  }
  if (!reached) return;
  std::lock_guard lk(mu_);
  requests_.to_checkpoint = false;
}

void LessonSession::play_slice(double speed) {
  if (!run_->step_running() && !run_->start_next_step()) {
    std::lock_guard lk(mu_);
    playing_ = false;  // every step has run
    return;
  }
  const auto wall = Clock::now();
  const kernel::Nanos target = pacer_.target(wall, run_->offset(), speed);
  const uint64_t events_before = run_->events();
  LessonRun::Progress p = run_->advance(target, kSwitchesPerSlice);
  bool skip = false;
  {
    std::lock_guard lk(mu_);
    skip = skip_quiet_;
  }
  if (!p.finished && pacer_.after_slice(wall, target, run_->offset(), p.behind,
                                        run_->events() > events_before, skip, speed)) {
    p = run_->jump();  // nothing is happening: on to the next timer or compute end
  }
  if (p.finished) {
    pacer_.reset();
    std::lock_guard lk(mu_);
    playing_ = false;  // a checkpoint: the student reads its results before going on
  }
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
    std::lock_guard lk(mu_);
    watched = watched_;
  }
  std::vector<RunnableTask> runnable = run_->runnable(watched);
  std::lock_guard lk(mu_);
  runnable_ = std::move(runnable);
  info_ = std::move(info);
  status_.now = now;
  status_.events = events;
  status_.carriers_peak = peak;
  status_.error = std::move(error);
  status_.idle = idle;
}

}  // namespace wqlab::session

// The driver thread: takes requests from the UI, runs commands, advances the machine, drains
// the recorder and publishes a status. In the browser it is a pthread (a Web Worker), so the
// page's main thread never waits for the machine.
#include "session/machine_session.h"

#include <algorithm>
#include <cmath>

#include "session/platform_limits.h"

namespace wqlab::session {

using Clock = std::chrono::steady_clock;

// One machine, built and destroyed on the driver thread. Members are destroyed in reverse
// order: cmwq (which shuts the kernel down, unwinding every task) before the work items the
// tasks used, then the kernel; the recorder lives on in the Recording.
struct MachineSession::Machine {
  std::shared_ptr<trace::Recorder> recorder;
  std::unique_ptr<kernel::Kernel> kernel;
  std::unique_ptr<wq::Cmwq> cmwq;
  std::unique_ptr<ScenarioContext> context;

  ~Machine() {
    cmwq.reset();
    context.reset();
    kernel.reset();
  }
};

namespace {
// A dispatch limit per kernel run, so the driver notices pause and new commands quickly.
constexpr uint64_t kSwitchesPerSlice = 4096;
}  // namespace

MachineSession::MachineSession(const ScenarioSource& source) : source_(source) {
  driver_ = std::thread([this] { driver_main(); });
}

MachineSession::~MachineSession() {
  {
    std::lock_guard lk(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (driver_.joinable()) driver_.join();
}

bool MachineSession::load(const std::string& name) {
  if (source_.find(name) == nullptr) return false;
  {
    std::lock_guard lk(mu_);
    requests_ = Requests{};
    requests_.load = name;
    playing_ = false;
    status_.busy = true;
  }
  cv_.notify_all();
  return true;
}

void MachineSession::unload() {
  {
    std::lock_guard lk(mu_);
    requests_ = Requests{};
    requests_.unload = true;
    playing_ = false;
    status_.busy = true;
  }
  cv_.notify_all();
}

void MachineSession::play() {
  {
    std::lock_guard lk(mu_);
    playing_ = true;
  }
  cv_.notify_all();
}

void MachineSession::pause() {
  {
    std::lock_guard lk(mu_);
    playing_ = false;
    requests_.run_until_idle = false;
  }
  cv_.notify_all();
}

void MachineSession::set_speed(double speed) {
  {
    std::lock_guard lk(mu_);
    speed_ = std::clamp(speed, kMinSpeed, kMaxSpeed);
  }
  cv_.notify_all();
}

void MachineSession::step() {
  {
    std::lock_guard lk(mu_);
    playing_ = false;
    ++requests_.steps;
    status_.busy = true;
  }
  cv_.notify_all();
}

void MachineSession::run_until_idle() {
  {
    std::lock_guard lk(mu_);
    playing_ = false;
    requests_.run_until_idle = true;
    status_.busy = true;
  }
  cv_.notify_all();
}

void MachineSession::set_skip_quiet(bool on) {
  std::lock_guard lk(mu_);
  skip_quiet_ = on;
}

void MachineSession::post(Command command) {
  {
    std::lock_guard lk(mu_);
    requests_.commands.push_back(std::move(command));
    status_.busy = true;
  }
  cv_.notify_all();
}

std::shared_ptr<const Recording> MachineSession::recording() const {
  std::lock_guard lk(mu_);
  return recording_;
}

SessionStatus MachineSession::status() const {
  std::lock_guard lk(mu_);
  SessionStatus s = status_;
  s.playing = playing_;
  s.speed = speed_;
  return s;
}

bool MachineSession::wait_until_quiet(std::chrono::milliseconds timeout) {
  std::unique_lock lk(mu_);
  return quiet_cv_.wait_for(lk, timeout, [&] {
    return !working_ && requests_.commands.empty() && requests_.load.empty() && !requests_.unload &&
           requests_.steps == 0 && !requests_.run_until_idle;
  });
}

bool MachineSession::interrupted() const {
  std::lock_guard lk(mu_);
  return stop_ || !requests_.load.empty() || requests_.unload || !requests_.commands.empty();
}

void MachineSession::driver_main() {
  std::unique_lock lk(mu_);
  for (;;) {
    auto has_work = [&] {
      return stop_ || playing_ || !requests_.commands.empty() || !requests_.load.empty() ||
             requests_.unload || requests_.steps > 0 || requests_.run_until_idle;
    };
    if (!has_work()) {
      status_.busy = false;
      quiet_cv_.notify_all();
      cv_.wait(lk, has_work);
    }
    if (stop_) break;
    Requests req = std::move(requests_);
    requests_ = Requests{};
    requests_.run_until_idle = req.run_until_idle;  // advance() clears it once idle
    const bool playing = playing_;
    const double speed = speed_;
    working_ = true;
    lk.unlock();

    if (req.unload) unload_machine();
    if (!req.load.empty()) load_machine(req.load);
    for (Command& c : req.commands) execute(c);
    advance(req, playing, speed);
    publish_status();

    lk.lock();
    working_ = false;
    if (playing_ && !stop_) {
      // Pace: give the wall clock a few milliseconds before the next slice.
      cv_.wait_for(lk, std::chrono::milliseconds(4), [&] {
        return stop_ || !playing_ || !requests_.commands.empty() || !requests_.load.empty();
      });
    }
  }
  lk.unlock();
  machine_.reset();
}

void MachineSession::unload_machine() {
  machine_.reset();
  pacer_.reset();
  std::lock_guard lk(mu_);
  recording_.reset();
  status_ = SessionStatus{};
  status_.busy = true;  // the batch that unloads it is still running
  status_.generation = ++generation_;
}

void MachineSession::load_machine(const std::string& name) {
  machine_.reset();  // shuts the old machine down before the new one boots
  pacer_.reset();
  const ScenarioDef* def = source_.find(name);
  if (def == nullptr) return;
  auto m = std::make_unique<Machine>();
  m->recorder = std::make_shared<trace::Recorder>(size_t{1} << 16);
  kernel::KernelConfig kcfg = def->kernel;
  kcfg.mode = kernel::Mode::Deterministic;
  if (kCarrierCap != 0) kcfg.carrier_cap = kCarrierCap;
  m->kernel = std::make_unique<kernel::Kernel>(kcfg, m->recorder.get());
  m->cmwq = std::make_unique<wq::Cmwq>(*m->kernel, def->cmwq);
  m->context = std::make_unique<ScenarioContext>(*m->kernel, *m->cmwq);
  if (def->start) def->start(*m->context);
  m->recorder->drain();

  auto rec = std::make_shared<Recording>();
  rec->recorder = m->recorder;
  rec->config.nr_cpus = m->kernel->nr_cpus();
  rec->config.hz = m->kernel->hz();
  rec->config.pid_max = m->kernel->pid_max();
  rec->scenario = def->info;
  rec->generation = ++generation_;
  machine_ = std::move(m);
  std::lock_guard lk(mu_);
  recording_ = std::move(rec);
  status_ = SessionStatus{};
  status_.busy = true;  // the batch that loads it is still running
  status_.generation = generation_;
  status_.scenario = name;
}

void MachineSession::execute(Command& c) {
  if (!machine_ || !c.run) return;
  ScenarioContext& ctx = *machine_->context;
  if (c.task_context) {
    ctx.spawn("sandbox", [&ctx, fn = std::move(c.run)] { fn(ctx); });
  } else {
    c.run(ctx);
  }
  machine_->recorder->drain();
  std::lock_guard lk(mu_);
  ++status_.commands_done;
}

void MachineSession::advance(Requests& req, bool playing, double speed) {
  if (!machine_) return;
  kernel::Kernel& k = *machine_->kernel;
  kernel::RunResult r;
  bool ran = false;
  if (req.run_until_idle) {
    pacer_.reset();
    do {
      r = k.run({kernel::kForever, kSwitchesPerSlice});
      machine_->recorder->drain();
      publish_status();
    } while (r.stop == kernel::RunStop::SwitchLimit && !interrupted());
    ran = true;
    if (r.stop != kernel::RunStop::SwitchLimit) {
      std::lock_guard lk(mu_);
      requests_.run_until_idle = false;
    }
  }
  for (int i = 0; i < req.steps; ++i) {
    pacer_.reset();
    r = k.run({kernel::kForever, 1});
    ran = true;
  }
  if (playing && !req.run_until_idle) {
    play_slice(speed);
    return;
  }
  machine_->recorder->drain();
  if (!ran) return;
  std::lock_guard lk(mu_);
  status_.idle = r.stop == kernel::RunStop::Idle;
  if (r.stop == kernel::RunStop::Error) {
    status_.error = r.error;
    playing_ = false;
  }
}

void MachineSession::play_slice(double speed) {
  kernel::Kernel& k = *machine_->kernel;
  const auto wall = Clock::now();
  const kernel::Nanos target = pacer_.target(wall, k.now(), speed);
  const uint64_t events_before = machine_->recorder->log().size();
  kernel::RunResult r = k.run({target, kSwitchesPerSlice});
  machine_->recorder->drain();
  const bool active = machine_->recorder->log().size() > events_before;
  bool skip = false;
  {
    std::lock_guard lk(mu_);
    skip = skip_quiet_;
    status_.idle = false;
    if (r.stop == kernel::RunStop::Error) {
      status_.error = r.error;
      playing_ = false;
    }
  }
  if (pacer_.after_slice(wall, target, r.now, r.stop == kernel::RunStop::SwitchLimit, active, skip,
                         speed)) {
    // Nothing is happening: jump to the next thing that will (a timer or a compute end).
    kernel::RunResult jump = k.run({kernel::kForever, 1});
    machine_->recorder->drain();
    std::lock_guard lk(mu_);
    status_.idle = jump.stop == kernel::RunStop::Idle && jump.switches == 0;
  }
}

void MachineSession::publish_status() {
  if (!machine_) return;
  const kernel::Nanos now = machine_->kernel->now();
  const uint64_t events = machine_->recorder->log().size();
  const size_t peak = machine_->kernel->carriers_peak_busy();
  std::lock_guard lk(mu_);
  status_.now = now;
  status_.events = events;
  status_.carriers_peak = peak;
}

}  // namespace wqlab::session

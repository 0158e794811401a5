// The demo's machine on the SessionDriver: loading and unloading it and the commands are jobs;
// the hooks step it, run it until idle, play it paced, drain the recorder and publish a status.
#include "session/machine_session.h"

#include <algorithm>
#include <cmath>

#include "session/legacy_scenario.h"
#include "session/platform_limits.h"

namespace wqlab::session {

using Clock = std::chrono::steady_clock;

// One machine, built and destroyed on the driver thread: cmwq, or the legacy model. The
// workqueue model goes first (it shuts the kernel down, unwinding every task), then the work
// items the tasks used, then the kernel; the recorder lives on in the Recording.
struct MachineSession::Machine {
  std::shared_ptr<trace::Recorder> recorder;
  std::unique_ptr<kernel::Kernel> kernel;
  std::unique_ptr<wq::Cmwq> cmwq;
  std::unique_ptr<ScenarioContext> context;
  std::unique_ptr<legacy::LegacyWq> legacy;
  std::unique_ptr<LegacyContext> legacy_context;

  ~Machine() {
    cmwq.reset();
    legacy.reset();
    context.reset();
    legacy_context.reset();
    kernel.reset();
  }
};

namespace {
// A dispatch limit per kernel run, so the driver notices pause and new commands quickly.
constexpr uint64_t kSwitchesPerSlice = 4096;
}  // namespace

MachineSession::MachineSession(const ScenarioSource& source) : source_(source) {
  start();
}

MachineSession::~MachineSession() {
  stop();
}

bool MachineSession::load(const std::string& name) {
  if (source_.find(name) == nullptr) return false;
  post_job([this, name] { load_machine(name); }, true);
  return true;
}

void MachineSession::unload() {
  post_job([this] { unload_machine(); }, true);
}

void MachineSession::post(Command command) {
  post_job([this, c = std::move(command)]() mutable { execute(c); });
}

std::shared_ptr<const Recording> MachineSession::recording() const {
  std::lock_guard lk(recording_mu_);
  return recording_;
}

void MachineSession::on_driver_exit() {
  machine_.reset();
}

void MachineSession::unload_machine() {
  machine_.reset();
  pacer_.reset();
  {
    std::lock_guard lk(recording_mu_);
    recording_.reset();
  }
  with_status([&](SessionStatus& s) {
    s = SessionStatus{};
    s.busy = true;  // the batch that unloads it is still running
    s.generation = ++generation_;
  });
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
  if (def->start_legacy) kcfg = legacy::kernel_config(kcfg);
  m->kernel = std::make_unique<kernel::Kernel>(kcfg, m->recorder.get());
  if (def->start_legacy) {
    m->legacy = std::make_unique<legacy::LegacyWq>(*m->kernel);
    m->legacy_context = std::make_unique<LegacyContext>(*m->kernel, *m->legacy);
    def->start_legacy(*m->legacy_context);
  } else {
    m->cmwq = std::make_unique<wq::Cmwq>(*m->kernel, def->cmwq);
    m->context = std::make_unique<ScenarioContext>(*m->kernel, *m->cmwq);
    if (def->start) def->start(*m->context);
  }
  m->recorder->drain();

  auto rec = std::make_shared<Recording>();
  rec->recorder = m->recorder;
  rec->config.nr_cpus = m->kernel->nr_cpus();
  rec->config.hz = m->kernel->hz();
  rec->config.pid_max = m->kernel->pid_max();
  rec->scenario = def->info;
  rec->generation = ++generation_;
  machine_ = std::move(m);
  {
    std::lock_guard lk(recording_mu_);
    recording_ = std::move(rec);
  }
  with_status([&](SessionStatus& s) {
    s = SessionStatus{};
    s.busy = true;  // the batch that loads it is still running
    s.generation = generation_;
    s.scenario = name;
  });
}

void MachineSession::execute(Command& c) {
  if (!machine_ || !machine_->context || !c.run) return;  // commands drive cmwq machines
  ScenarioContext& ctx = *machine_->context;
  if (c.task_context) {
    ctx.spawn("sandbox", [&ctx, fn = std::move(c.run)] { fn(ctx); });
  } else {
    c.run(ctx);
  }
  machine_->recorder->drain();
  with_status([](SessionStatus& s) { ++s.commands_done; });
}

void MachineSession::ran(const kernel::RunResult& r) {
  with_status([&](SessionStatus& s) {
    s.idle = r.stop == kernel::RunStop::Idle;
    if (r.stop == kernel::RunStop::Error) s.error = r.error;
  });
  if (r.stop == kernel::RunStop::Error) stop_playing();
}

void MachineSession::run_steps(int n) {
  if (!machine_) return;
  kernel::RunResult r;
  for (int i = 0; i < n; ++i) r = machine_->kernel->run({kernel::kForever, 1});
  machine_->recorder->drain();
  ran(r);
}

bool MachineSession::run_to_idle() {
  if (!machine_) return true;
  kernel::RunResult r;
  do {
    r = machine_->kernel->run({kernel::kForever, kSwitchesPerSlice});
    machine_->recorder->drain();
    publish();
  } while (r.stop == kernel::RunStop::SwitchLimit && !interrupted());
  ran(r);
  return r.stop != kernel::RunStop::SwitchLimit;
}

bool MachineSession::play_slice(double speed) {
  if (!machine_) return true;
  kernel::Kernel& k = *machine_->kernel;
  const auto wall = Clock::now();
  const kernel::Nanos target = pacer_.target(wall, k.now(), speed);
  const uint64_t events_before = machine_->recorder->log().size();
  kernel::RunResult r = k.run({target, kSwitchesPerSlice});
  machine_->recorder->drain();
  const bool active = machine_->recorder->log().size() > events_before;
  with_status([&](SessionStatus& s) {
    s.idle = false;
    if (r.stop == kernel::RunStop::Error) s.error = r.error;
  });
  if (r.stop == kernel::RunStop::Error) return false;
  if (pacer_.after_slice(wall, target, r.now, r.stop == kernel::RunStop::SwitchLimit, active,
                         skip_quiet(), speed)) {
    // Nothing is happening: jump to the next thing that will (a timer or a compute end).
    kernel::RunResult jump = k.run({kernel::kForever, 1});
    machine_->recorder->drain();
    with_status([&](SessionStatus& s) {
      s.idle = jump.stop == kernel::RunStop::Idle && jump.switches == 0;
    });
  }
  return true;
}

void MachineSession::publish() {
  if (!machine_) return;
  const kernel::Nanos now = machine_->kernel->now();
  const uint64_t events = machine_->recorder->log().size();
  const size_t peak = machine_->kernel->carriers_peak_busy();
  with_status([&](SessionStatus& s) {
    s.now = now;
    s.events = events;
    s.carriers_peak = peak;
  });
}

}  // namespace wqlab::session

// MachineSession: owns the simulated machine (trace::Recorder, kernel::Kernel, wq::Cmwq), run on
// the SessionDriver's thread, the only one that touches it. Everything the UI wants from the
// machine goes down as a command (DESIGN.md: commands are the only way down); what the machine did
// comes back only as events in the recording. The driver (a) runs queued commands between runs and
// (b) advances the machine: play at a speed, step one dispatch, or run until idle. All public
// methods are thread-safe and never wait for the machine; only the destructor and
// wait_until_quiet() block (never call them on the browser's main thread).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "session/recording.h"
#include "session/scenario.h"
#include "session/session_driver.h"

namespace wqlab::session {

// A change to the machine, run by the driver. With `task_context` it runs inside a new kernel
// thread named "sandbox" (for calls that may sleep: flush, cancel_*_sync, destroy); otherwise
// directly on the driver between runs (queue_work and other non-blocking calls).
struct Command {
  std::string label;
  bool task_context = false;
  std::function<void(ScenarioContext&)> run;
};

class MachineSession : public SessionDriver {
 public:
  explicit MachineSession(const ScenarioSource& source);
  ~MachineSession() override;

  // Replaces the machine with a fresh one running scenario `name` (paused). False if unknown.
  bool load(const std::string& name);
  // Shuts the machine down (on the driver) and keeps none, e.g. while a lesson runs instead.
  void unload();
  void post(Command command);

  std::shared_ptr<const Recording> recording() const;
  const ScenarioSource& source() const { return source_; }

 private:
  struct Machine;

  void load_machine(const std::string& name);
  void unload_machine();
  void execute(Command& c);
  // SessionDriver. run_to_idle(): pending deferrable timers do not count.
  void run_steps(int n) override;
  bool run_to_idle() override;
  bool play_slice(double speed) override;
  void publish() override;
  void on_driver_exit() override;
  void ran(const kernel::RunResult& r);  // idle and error into the status

  const ScenarioSource& source_;
  std::unique_ptr<Machine> machine_;  // driver thread only
  uint64_t generation_ = 0;           // driver thread only
  mutable std::mutex recording_mu_;
  std::shared_ptr<const Recording> recording_;  // guarded by recording_mu_
};

}  // namespace wqlab::session

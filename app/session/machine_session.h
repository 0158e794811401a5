// MachineSession: owns the simulated machine (trace::Recorder, kernel::Kernel, wq::Cmwq) and the
// one driver thread that touches it. Everything the UI wants from the machine goes down as a
// command (DESIGN.md: commands are the only way down); what the machine did comes back only as
// events in the recording. The driver (a) runs queued commands between runs and (b) advances
// the machine: play at a speed, step one dispatch, or run until idle.
// All public methods are thread-safe and never wait for the machine; only the destructor and
// wait_until_quiet() block (never call them on the browser's main thread).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "session/pacer.h"
#include "session/recording.h"
#include "session/scenario.h"
#include "session/session_control.h"

namespace wqlab::session {

// A change to the machine, run by the driver. With `task_context` it runs inside a new kernel
// thread named "sandbox" (for calls that may sleep: flush, cancel_*_sync, destroy); otherwise
// directly on the driver between runs (queue_work and other non-blocking calls).
struct Command {
  std::string label;
  bool task_context = false;
  std::function<void(ScenarioContext&)> run;
};

class MachineSession : public SessionControl {
 public:
  explicit MachineSession(const ScenarioSource& source);
  ~MachineSession() override;
  MachineSession(const MachineSession&) = delete;
  MachineSession& operator=(const MachineSession&) = delete;

  // Replaces the machine with a fresh one running scenario `name` (paused). False if unknown.
  bool load(const std::string& name);
  // Shuts the machine down (on the driver) and keeps none, e.g. while a lesson runs instead.
  void unload();
  void post(Command command);

  // SessionControl. run_until_idle(): pending deferrable timers do not count.
  void play() override;
  void pause() override;
  void set_speed(double virtual_seconds_per_wall_second) override;
  void step() override;
  void run_until_idle() override;
  void set_skip_quiet(bool on) override;
  SessionStatus status() const override;
  bool wait_until_quiet(std::chrono::milliseconds timeout) override;

  std::shared_ptr<const Recording> recording() const;
  const ScenarioSource& source() const { return source_; }

 private:
  struct Machine;
  struct Requests {
    std::vector<Command> commands;
    std::string load;  // scenario to load, "" for none
    bool unload = false;
    int steps = 0;
    bool run_until_idle = false;
  };

  void driver_main();
  void load_machine(const std::string& name);
  void unload_machine();
  void execute(Command& c);
  void advance(Requests& req, bool playing, double speed);
  void play_slice(double speed);
  void publish_status();
  bool interrupted() const;

  const ScenarioSource& source_;
  std::unique_ptr<Machine> machine_;            // driver thread only
  std::shared_ptr<const Recording> recording_;  // guarded by mu_

  mutable std::mutex mu_;
  std::condition_variable cv_;        // wakes the driver
  std::condition_variable quiet_cv_;  // wakes wait_until_quiet()
  Requests requests_;                 // guarded by mu_
  bool playing_ = false;              // guarded by mu_
  double speed_ = kDefaultSpeed;      // guarded by mu_
  bool skip_quiet_ = true;            // guarded by mu_
  bool stop_ = false;                 // guarded by mu_
  bool working_ = false;              // guarded by mu_: the driver is handling a batch
  SessionStatus status_;              // guarded by mu_
  uint64_t generation_ = 0;           // driver thread only

  Pacer pacer_;  // driver thread only

  std::thread driver_;
};

}  // namespace wqlab::session

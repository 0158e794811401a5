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

#include "session/recording.h"
#include "session/scenario.h"

namespace wqlab::session {

// A change to the machine, run by the driver. With `task_context` it runs inside a new kernel
// thread named "sandbox" (for calls that may sleep: flush, cancel_*_sync, destroy); otherwise
// directly on the driver between runs (queue_work and other non-blocking calls).
struct Command {
  std::string label;
  bool task_context = false;
  std::function<void(ScenarioContext&)> run;
};

struct SessionStatus {
  uint64_t generation = 0;  // of the current recording
  std::string scenario;
  bool playing = false;
  double speed = 0.0;     // virtual seconds per wall second while playing
  kernel::Nanos now = 0;  // the machine's virtual time
  uint64_t events = 0;    // events recorded
  bool idle = false;      // the last run found nothing left to do
  bool busy = false;      // commands or runs are pending
  uint64_t commands_done = 0;
  size_t carriers_peak = 0;  // OS threads that carried tasks mid-body at once
  std::string error;         // why the machine stopped, if it did
};

class MachineSession {
 public:
  // Speeds offered in the UI, virtual seconds per wall second.
  static constexpr double kMinSpeed = 1e-3, kMaxSpeed = 10.0, kDefaultSpeed = 0.02;

  explicit MachineSession(const ScenarioSource& source);
  ~MachineSession();
  MachineSession(const MachineSession&) = delete;
  MachineSession& operator=(const MachineSession&) = delete;

  // Replaces the machine with a fresh one running scenario `name` (paused). False if unknown.
  bool load(const std::string& name);
  void play();
  void pause();
  void set_speed(double virtual_seconds_per_wall_second);
  // Runs one task dispatch (everything one kernel thread does until it blocks or yields).
  void step();
  // Runs without pacing until nothing is runnable (pending deferrable timers do not count).
  void run_until_idle();
  // When playing and nothing has happened for a second of wall time, jump to the next event.
  void set_skip_quiet(bool on);
  void post(Command command);

  std::shared_ptr<const Recording> recording() const;
  SessionStatus status() const;
  const ScenarioSource& source() const { return source_; }

  // Blocks until no command or run is pending (or `timeout`); for tests and headless tools.
  bool wait_until_quiet(std::chrono::milliseconds timeout);

 private:
  struct Machine;
  struct Requests {
    std::vector<Command> commands;
    std::string load;  // scenario to load, "" for none
    int steps = 0;
    bool run_until_idle = false;
  };

  void driver_main();
  void load_machine(const std::string& name);
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

  // Pacing (driver thread only).
  bool anchored_ = false;
  std::chrono::steady_clock::time_point anchor_wall_;
  kernel::Nanos anchor_virtual_ = 0;
  std::chrono::steady_clock::time_point last_activity_;

  std::thread driver_;
};

}  // namespace wqlab::session

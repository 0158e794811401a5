// SessionDriver: the one driver thread every session runs its machines on (the demo's
// MachineSession, a lesson's or the sandbox's LessonSession), deterministic or realtime alike.
// It owns the thread, the lock, the transport (play/pause/speed/step/run until idle), the
// pacing and the status; a session adds its own requests as jobs and fills in the hooks below.
// Every public method is thread-safe and never waits for the machines; only stop() and
// wait_until_quiet() block (never call them on the browser's main thread).
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "session/pacer.h"
#include "session/session_control.h"

namespace wqlab::session {

class SessionDriver : public SessionControl {
 public:
  SessionDriver(const SessionDriver&) = delete;
  SessionDriver& operator=(const SessionDriver&) = delete;

  // SessionControl. run_until_idle(): until nothing is runnable (a lesson: its checkpoint).
  void play() override;
  void pause() override;
  void set_speed(double virtual_seconds_per_wall_second) override;
  void step() override;
  void run_until_idle() override;
  void set_skip_quiet(bool on) override;
  SessionStatus status() const override;
  // Blocks until nothing is pending and the session is not playing (or `timeout`).
  bool wait_until_quiet(std::chrono::milliseconds timeout) override;

 protected:
  SessionDriver() = default;
  ~SessionDriver() override;
  // The subclass starts the thread once it is built, and stops it (joining) before its own
  // members go, since the hooks use them.
  void start();
  void stop();

  // Runs `job` on the driver, in order with the other jobs, before the batch's runs. `replace`:
  // drops what is pending (jobs, steps, run until idle) and pauses, as loading a new machine does.
  void post_job(std::function<void()> job, bool replace = false);

  // Hooks, on the driver thread without the lock. The jobs of a batch run first, then:
  virtual void run_steps(int n) = 0;  // n dispatches
  // Runs without pacing (in slices, stopping early when interrupted()); true once idle.
  virtual bool run_to_idle() = 0;
  // One paced slice while playing; returns false when playing should stop (nothing left).
  virtual bool play_slice(double speed) = 0;
  virtual void publish() = 0;  // the status (and whatever else the session publishes)
  // Called when the thread ends: shut the machines down on it.
  virtual void on_driver_exit() = 0;

  // True when the UI has asked for something that should cut a long run short.
  bool interrupted() const;
  bool skip_quiet() const;
  // Updates the status under the lock.
  void with_status(const std::function<void(SessionStatus&)>& f);
  void stop_playing();

  Pacer pacer_;  // driver thread only

 private:
  struct Requests {
    std::vector<std::function<void()>> jobs;
    int steps = 0;
    bool run_until_idle = false;
  };
  void driver_main();
  bool has_requests() const;  // with mu_ held

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
  std::thread driver_;
};

}  // namespace wqlab::session

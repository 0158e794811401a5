// SessionControl: what the UI and the views may ask of whichever session runs the machines (the
// demo's MachineSession or a lesson's LessonSession): the commands that go down and the status
// that comes up. Every call is thread-safe and never waits for the machines, except
// wait_until_quiet() (tests and headless tools only; never on the browser's main thread).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "engine/kernel/types.h"

namespace wqlab::session {

struct SessionStatus {
  uint64_t generation = 0;  // of the current recording(s)
  std::string scenario;
  bool playing = false;
  double speed = 0.0;     // virtual seconds per wall second while playing
  kernel::Nanos now = 0;  // the machine's virtual time (a lesson: its current step's first)
  uint64_t events = 0;    // events recorded (a lesson: on all its machines)
  bool idle = false;      // the last run found nothing left to do
  bool busy = false;      // commands or runs are pending
  bool waiting = false;   // playing, but waiting for input that may not come (a live trace
                          // caught up with its source): as settled as a paused machine
  uint64_t commands_done = 0;
  size_t carriers_peak = 0;  // OS threads that carried tasks mid-body at once
  std::string error;         // why the machine stopped, if it did
};

class SessionControl {
 public:
  // Speeds offered in the UI, virtual seconds per wall second.
  static constexpr double kMinSpeed = 1e-3, kMaxSpeed = 10.0, kDefaultSpeed = 0.02;

  virtual ~SessionControl() = default;
  virtual void play() = 0;
  virtual void pause() = 0;
  virtual void set_speed(double virtual_seconds_per_wall_second) = 0;
  // Runs one task dispatch (everything one kernel thread does until it blocks or yields).
  virtual void step() = 0;
  // Runs without pacing until nothing is runnable (a lesson: until its step's checkpoint).
  virtual void run_until_idle() = 0;
  // When playing and nothing has happened for a second of wall time, jump to the next event.
  virtual void set_skip_quiet(bool on) = 0;
  virtual SessionStatus status() const = 0;
  // Blocks until no command or run is pending (or `timeout`); for tests and headless tools.
  virtual bool wait_until_quiet(std::chrono::milliseconds timeout) = 0;
};

}  // namespace wqlab::session

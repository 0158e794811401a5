// LessonSession: runs a parsed lesson (scenario::Scenario) through scenario::Runner on its own
// driver thread, the way MachineSession runs a demo: the UI never waits for the machines;
// commands go down as requests, what the machines did comes up as events in one Recording per
// machine, and where the lesson stands comes up as LessonInfo. Playing runs the next step's
// machines at a speed (virtual time since the step started, the same on each of its machines)
// and pauses at its checkpoint; run_until_idle() runs to the checkpoint at once; step() runs one
// task dispatch. perform() is the sandbox's way in: an action performed now on one machine.
// All public methods are thread-safe and never wait for the machines; only the destructor and
// wait_until_quiet() block (never call them on the browser's main thread).
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "session/lesson_info.h"
#include "session/pacer.h"
#include "session/platform_limits.h"
#include "session/session_control.h"

namespace wqlab::session {

class LessonRun;

class LessonSession : public SessionControl {
 public:
  // carrier_budget: OS threads one lesson's machines may hold in total (0: no limit).
  explicit LessonSession(size_t carrier_budget = kCarrierCap);
  ~LessonSession() override;
  LessonSession(const LessonSession&) = delete;
  LessonSession& operator=(const LessonSession&) = delete;

  // Boots `scenario`'s machines in place of the open lesson's (paused, before its first step).
  void open(std::shared_ptr<const scenario::Scenario> scenario);
  // Shuts the lesson's machines down; info() becomes null.
  void close();
  // Performs `action` now on machine `machine` (the sandbox's entry point; `at` and `after` are
  // ignored). The effects are recorded at the machine's current virtual time.
  void perform(const std::string& machine, scenario::Action action);
  // The sandbox's runs, in order with its actions, outside any step: run machine `machine`
  // within `limit`; settle it (run what is runnable at its current time, no further); one
  // dispatch of task `pid` ("you are the scheduler"; another task if `pid` is not runnable).
  void run_machine(const std::string& machine, kernel::RunLimit limit);
  void settle_machine(const std::string& machine);
  void pick(const std::string& machine, int pid);
  // Machine `machine`'s run queue as the last request left it (deterministic mode; published
  // after every batch of requests for the machine watch_runnable() named).
  std::vector<RunnableTask> runnable() const;
  void watch_runnable(const std::string& machine);

  // SessionControl. play(): starts the next step if none is running and plays it up to its
  // checkpoint; step(): the same, one dispatch; run_until_idle(): to the checkpoint at once.
  void play() override;
  void pause() override;
  void set_speed(double virtual_seconds_per_wall_second) override;
  void step() override;
  void run_until_idle() override;
  void set_skip_quiet(bool on) override;
  SessionStatus status() const override;
  bool wait_until_quiet(std::chrono::milliseconds timeout) override;

  // The open lesson as it stands (null while none is open or before the first one has booted).
  std::shared_ptr<const LessonInfo> info() const;

 private:
  // A sandbox request on one machine, done in the order asked.
  struct MachineOp {
    enum class Kind { Perform, Run, Settle, Pick } kind = Kind::Perform;
    std::string machine;
    scenario::Action action;  // Perform
    kernel::RunLimit limit;   // Run
    int pid = 0;              // Pick
  };
  struct Requests {
    std::shared_ptr<const scenario::Scenario> open;
    bool close = false;
    std::vector<MachineOp> ops;
    int steps = 0;
    bool to_checkpoint = false;
  };

  void driver_main();
  void handle(Requests& req);
  void run_to_checkpoint();
  void play_slice(double speed);
  void publish();
  void push(MachineOp op);
  bool interrupted() const;

  const size_t carrier_budget_;
  std::unique_ptr<LessonRun> run_;  // driver thread only
  uint64_t generation_ = 0;         // driver thread only
  Pacer pacer_;                     // driver thread only

  mutable std::mutex mu_;
  std::condition_variable cv_;              // wakes the driver
  std::condition_variable quiet_cv_;        // wakes wait_until_quiet()
  Requests requests_;                       // guarded by mu_
  bool playing_ = false;                    // guarded by mu_
  double speed_ = kDefaultSpeed;            // guarded by mu_
  bool skip_quiet_ = true;                  // guarded by mu_
  bool stop_ = false;                       // guarded by mu_
  bool working_ = false;                    // guarded by mu_: the driver is handling a batch
  SessionStatus status_;                    // guarded by mu_
  std::shared_ptr<const LessonInfo> info_;  // guarded by mu_
  std::string watched_;                     // guarded by mu_: whose run queue runnable() shows
  std::vector<RunnableTask> runnable_;      // guarded by mu_

  std::thread driver_;
};

}  // namespace wqlab::session

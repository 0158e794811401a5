// LessonSession: runs a parsed lesson (scenario::Scenario) through scenario::Runner on the
// SessionDriver's thread, as MachineSession runs a demo: the UI never waits for the machines;
// commands go down as requests, what the machines did comes up as events in one Recording per
// machine, and where the lesson stands comes up as LessonInfo. Playing runs the next step's
// machines at a speed (virtual time since the step started, the same on each of its machines)
// and pauses at its checkpoint; run_until_idle() runs to the checkpoint at once; step() runs one
// task dispatch. perform() is the sandbox's way in: an action performed now on one machine.
// All public methods are thread-safe and never wait for the machines; only the destructor and
// wait_until_quiet() block (never call them on the browser's main thread).
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "session/lesson_info.h"
#include "session/platform_limits.h"
#include "session/session_driver.h"

namespace wqlab::session {

class LessonRun;

class LessonSession : public SessionDriver {
 public:
  // carrier_budget: OS threads one lesson's machines may hold in total (0: no limit).
  explicit LessonSession(size_t carrier_budget = kCarrierCap);
  ~LessonSession() override;

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

  // The open lesson as it stands (null while none is open or before the first one has booted).
  std::shared_ptr<const LessonInfo> info() const;

 private:
  void shut_down();  // the open lesson's machines, before others boot
  void machine_op(const std::function<void(LessonRun&)>& op);
  // SessionDriver. play_slice(): starts the next step if none is running and plays it up to
  // its checkpoint; run_steps(): the same, a dispatch each; run_to_idle(): to the checkpoint.
  void run_steps(int n) override;
  bool run_to_idle() override;
  bool play_slice(double speed) override;
  void publish() override;
  void on_driver_exit() override;

  const size_t carrier_budget_;
  std::unique_ptr<LessonRun> run_;  // driver thread only
  uint64_t generation_ = 0;         // driver thread only

  mutable std::mutex info_mu_;
  std::shared_ptr<const LessonInfo> info_;  // guarded by info_mu_
  std::string watched_;                     // guarded by info_mu_: whose run queue runnable() shows
  std::vector<RunnableTask> runnable_;      // guarded by info_mu_
};

}  // namespace wqlab::session

// LessonRun: an open lesson on the session's driver thread. It owns the scenario::Runner (and
// with it the machines, which boot in the constructor), runs the current step's machines a
// slice at a time towards the Runner's own limits, so that a step run in slices ends exactly
// where `wqlab run` ends it, and keeps the LessonInfo the UI reads. Not thread-safe: one thread
// (LessonSession's driver, or a test) calls everything.
#pragma once

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "engine/scenario/runner.h"
#include "session/lesson_info.h"

namespace wqlab::session {

class LessonRun {
 public:
  // Boots the scenario's machines. carrier_budget: OS threads all machines may hold (0: any).
  LessonRun(std::shared_ptr<const scenario::Scenario> scenario, size_t carrier_budget,
            uint64_t generation);
  ~LessonRun();
  LessonRun(const LessonRun&) = delete;
  LessonRun& operator=(const LessonRun&) = delete;

  // The current picture (shared, immutable; a new object after each change of steps).
  std::shared_ptr<const LessonInfo> info() const { return info_; }
  bool step_running() const { return info_->step_running(); }
  bool complete() const { return info_->complete(); }

  // Starts the next step when none is running; false if every step has run.
  bool start_next_step();

  struct Progress {
    bool dispatched = false;  // some task ran
    bool behind = false;      // a machine stopped at its dispatch budget, short of the target
    bool finished = false;    // the step reached its checkpoint (its results are in info())
  };
  // Runs each unfinished machine of the running step until `offset` after the step started on
  // it (kernel::kForever: to the step's end) or `max_switches` dispatches; finishes the step
  // when every machine has reached its end.
  Progress advance(kernel::Nanos offset, uint64_t max_switches);
  // One task dispatch on the machine furthest behind (or finishes the step, if all are done).
  Progress step_one();
  // Playing through a quiet spell: one dispatch on each unfinished machine, however far ahead.
  Progress jump();
  // How far the running step has got: the least (now - step start) of its unfinished machines.
  kernel::Nanos offset() const;

  // Performs `action` now on machine `id` in a kernel thread of its own, and runs what it made
  // runnable without letting virtual time pass. False if there is no such machine.
  bool perform(const std::string& id, const scenario::Action& action);

  // The sandbox's own runs, outside any step (false if there is no such machine). run_machine:
  // runs machine `id` within `limit`; until_now: everything runnable at its current time, no
  // further (what happens before a sandbox action, so that a saved file replays it the same way).
  bool run_machine(const std::string& id, const kernel::RunLimit& limit);
  bool settle_machine(const std::string& id);
  // "You are the scheduler": one dispatch on machine `id`, of task `pid` if it is runnable.
  bool pick(const std::string& id, int pid);
  // The tasks waiting on machine `id`'s run queue, in the scheduler's default order.
  std::vector<RunnableTask> runnable(const std::string& id) const;

  uint64_t events() const;       // recorded on all machines
  kernel::Nanos now() const;     // the running (or last) step's first machine's virtual time
  size_t carriers_peak() const;  // the most OS threads that carried tasks mid-body at once
  std::string error() const;     // a machine that stopped says why

 private:
  struct Part;  // one machine's share of the running step
  void drain_all();
  void finish_step();
  Progress after_run(Progress p);
  kernel::RunResult run_part(Part& p, const kernel::RunLimit& limit);

  std::shared_ptr<const scenario::Scenario> scenario_;
  std::unique_ptr<scenario::Runner> runner_;
  std::vector<scenario::Machine*> machines_;  // in scenario order
  std::shared_ptr<const LessonInfo> info_;
  std::vector<Part> parts_;                 // of the running step
  std::deque<scenario::Action> performed_;  // sandbox actions; tasks refer to them
  std::string error_;
};

}  // namespace wqlab::session

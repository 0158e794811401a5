// "Why?": the rarer rules, each on the smallest run that shows it: concurrency management
// waking a worker, the rescuer that comes with WQ_MEM_RECLAIM, flushes with and without
// anything to wait for, queueing on a draining workqueue, a warning raised inside an item, and
// the mayday sent while the manager is still creating (from a hand-written log: the engine
// creates a worker in no virtual time, so only a failed creation lets the mayday timer fire).
#include <gtest/gtest.h>

#include "why_test_util.h"

namespace wqlab::test {
namespace {

using kernel::msecs;
using model::MachineModel;
using session::Step;
using trace::EventKind;

using Chain = std::vector<std::string>;

// A two-CPU machine that runs `body` in a task on CPU 0.
session::ScenarioDef task_scenario(std::function<void(session::ScenarioContext&)> body) {
  session::ScenarioDef def;
  def.kernel.nr_cpus = 2;
  def.start = [body](session::ScenarioContext& c) {
    c.spawn(
        "scenario", [&c, body] { body(c); }, 0);
  };
  return def;
}

// When w0 sleeps, wq_worker_sleeping() finds the pool's worklist non-empty and no one running:
// concurrency management wakes an idle worker.
TEST(WhyRules, ConcurrencyManagementWakesAWorkerWhenTheRunningOneSleeps) {
  RecordedMachine rm(demo("doc"));
  MachineModel m;
  folded(rm, m);
  const uint64_t wakeup = find(m, EventKind::WqCmWakeup, "doc");
  EXPECT_EQ(chain(m, wakeup),
            (Chain{"wq_cm_wakeup doc", "<- cm-wakeup", "wq_worker_sleeping", "<- slept-in-work",
                   "workqueue_execute_start w0", "<- queued", "workqueue_queue_work w0"}));
  EXPECT_EQ((*m.log())[wakeup].time_ns, msecs(5));
}

// alloc_workqueue(WQ_MEM_RECLAIM) creates the rescuer with the workqueue.
TEST(WhyRules, ARescuerIsCreatedByItsWorkqueuesAllocation) {
  RecordedMachine rm(demo("mayday"));
  MachineModel m;
  folded(rm, m);
  EXPECT_EQ(chain(m, find(m, EventKind::WqRescuerCreate, "writeback")),
            (Chain{"wq_rescuer_create writeback", "<- rescuer-of-wq", "wq_alloc writeback"}));
}

// flush_workqueue() on a workqueue with nothing queued returns at once.
TEST(WhyRules, AFlushWithNothingToWaitForCompletesFromItsStart) {
  RecordedMachine rm(task_scenario([](session::ScenarioContext& c) {
    wq::Workqueue* idle = c.cmwq.alloc_workqueue("idle_wq", 0, 0);
    c.cmwq.flush_workqueue(idle);
  }));
  MachineModel m;
  folded(rm, m);
  const uint64_t done = find(m, EventKind::WqFlushDone, "idle_wq");
  EXPECT_EQ(chain(m, done),
            (Chain{"wq_flush_done idle_wq", "<- flush-immediate", "wq_flush_start idle_wq"}));
  EXPECT_NE(model::explain_why(m, done).find("nothing it had to wait for"), std::string::npos)
      << model::explain_why(m, done);
}

// An item of a WQ_MEM_RECLAIM workqueue flushes an item of a plain one: flush_work() waits for
// the target's end, and check_flush_dependency() warns from inside the flushing item.
TEST(WhyRules, FlushWorkEndsWithItsTargetAndWarnsFromInsideTheFlushingItem) {
  RecordedMachine rm(task_scenario([](session::ScenarioContext& c) {
    wq::Workqueue* plain = c.cmwq.alloc_workqueue("plain_wq", 0, 0);
    wq::Workqueue* reclaim = c.cmwq.alloc_workqueue("reclaim_wq", wq::WQ_MEM_RECLAIM, 0);
    wq::Work* slow = c.work("slow_fn", {Step::compute(msecs(5))});
    wq::Work* flusher = c.work("flusher_fn", [&c, slow](wq::Work*) { c.cmwq.flush_work(slow); });
    c.cmwq.queue_work_on(1, plain, slow);
    c.cmwq.queue_work_on(0, reclaim, flusher);
  }));
  MachineModel m;
  folded(rm, m);
  EXPECT_EQ(chain(m, find(m, EventKind::WqFlushWorkDone, "slow_fn")),
            (Chain{"wq_flush_work_done slow_fn", "<- flush-work-waited",
                   "workqueue_execute_end slow_fn", "<- ran", "workqueue_execute_start slow_fn",
                   "<- queued", "workqueue_queue_work slow_fn"}));
  EXPECT_EQ(chain(m, find(m, EventKind::WqWarn, "")),
            (Chain{"wq_warn plain_wq", "<- warn-in-work", "workqueue_execute_start flusher_fn",
                   "<- queued", "workqueue_queue_work flusher_fn"}));
}

// While drain_workqueue() runs, only chained work is accepted: another task's queue_work() is
// rejected (with a warning), because of the drain.
TEST(WhyRules, QueueingOnADrainingWorkqueueIsRejectedBecauseOfTheDrain) {
  session::ScenarioDef def = task_scenario([](session::ScenarioContext& c) {
    wq::Workqueue* wq = c.cmwq.alloc_workqueue("drain_wq", 0, 0);
    c.cmwq.queue_work_on(0, wq, c.work("long_fn", {Step::sleep(msecs(10))}));
    wq::Work* late = c.work("late_fn", {Step::compute(msecs(1))});
    c.spawn(
        "late",
        [&c, wq, late] {
          c.k.sleep_for(msecs(2));
          c.cmwq.queue_work_on(1, wq, late);
        },
        1);
    c.k.sleep_for(msecs(1));
    c.cmwq.drain_workqueue(wq);
  });
  RecordedMachine rm(def);
  MachineModel m;
  folded(rm, m);
  const Chain drain{"<- while-draining", "wq_drain_start drain_wq"};
  Chain rejected{"wq_queue_rejected late_fn"};
  rejected.insert(rejected.end(), drain.begin(), drain.end());
  EXPECT_EQ(chain(m, find(m, EventKind::WqQueueRejected, "late_fn")), rejected);
  Chain warned{"wq_warn drain_wq"};
  warned.insert(warned.end(), drain.begin(), drain.end());
  EXPECT_EQ(chain(m, find(m, EventKind::WqWarn, "")), warned);
}

// The mayday timer fires while the manager is still creating and nothing has failed yet.
TEST(WhyRules, AMaydayWhileTheManagerIsStillCreatingPointsAtTheManager) {
  trace::Recorder rec;
  auto emit = [&rec](int64_t ms, int32_t pid, EventKind kind, int64_t a0, int64_t a1 = 0) {
    trace::Event ev;
    ev.time_ns = msecs(ms);
    ev.pid = pid;
    ev.cpu = 0;
    ev.kind = kind;
    ev.args[0] = a0;
    ev.args[1] = a1;
    rec.emit(ev);
  };
  emit(0, 0, EventKind::WqPoolCreate, 0);
  emit(1, 5, EventKind::WqManagerStart, 0);
  emit(11, 0, EventKind::WqMaydayTimer, 0, 1);
  emit(12, 5, EventKind::WqManagerEnd, 0);
  emit(31, 0, EventKind::WqMaydayTimer, 0, 0);
  rec.drain();
  model::MachineConfig cfg;
  cfg.nr_cpus = 1;
  MachineModel m;
  m.attach(&rec, cfg);
  m.update();
  EXPECT_EQ(chain(m, 2), (Chain{"wq_mayday_timer", "<- mayday-slow", "wq_manager_start"}));
  EXPECT_FALSE(model::cause_of(m, 4));  // no manager at work any more: nothing to blame
}

}  // namespace
}  // namespace wqlab::test

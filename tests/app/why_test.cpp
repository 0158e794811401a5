// "Why?": the cause chains the model finds on deterministic runs, step by step. Each test names
// an event and expects its exact chain back to where it starts: the events' kinds (with the
// function they concern) and the rule linking each pair.
#include <gtest/gtest.h>

#include "why_test_util.h"

namespace wqlab::test {
namespace {

using kernel::msecs;
using model::MachineModel;
using trace::EventKind;

// The doc demo: w0, w1, w2 on CPU 0. The pool starts with one idle worker; w0's queueing wakes
// it, it finds no idle worker behind it and creates one before it runs w0; when w0 sleeps,
// concurrency management wakes that spare, which again creates one before it runs w1.
TEST(Why, AWorkerIsCreatedBecauseTheQueueOrTheSleepOfTheLastRunningWorkerWokeTheManager) {
  RecordedMachine rm(demo("doc"));
  MachineModel m;
  folded(rm, m);
  std::vector<uint64_t> created;  // pool 2 is CPU 0's normal pool
  for (uint64_t i = 0; i < m.events(); ++i)
    if ((*m.log())[i].kind == EventKind::WqWorkerCreate && (*m.log())[i].args[0] == 2)
      created.push_back(i);
  ASSERT_EQ(created.size(), 4u);  // at boot, for w0, for w1, for w2
  const uint64_t first = created[1], second = created[2];
  EXPECT_EQ(chain(m, first),
            (Chain{"wq_worker_create", "<- created-by-manager", "wq_manager_start",
                   "<- manager-woke", "task_wake", "<- woken-by", "workqueue_queue_work w0"}));
  EXPECT_EQ(
      chain(m, second),
      (Chain{"wq_worker_create", "<- created-by-manager", "wq_manager_start", "<- manager-woke",
             "task_wake", "<- woken-by", "wq_worker_sleeping", "<- slept-in-work",
             "workqueue_execute_start w0", "<- queued", "workqueue_queue_work w0"}));
  // The woken one became the manager; the sleeper is w0's worker, at 5 ms.
  const std::vector<uint64_t> e = model::why_chain(m, second);
  EXPECT_EQ((*m.log())[e[2]].args[0], (*m.log())[e[1]].pid);
  EXPECT_EQ((*m.log())[e[3]].time_ns, msecs(5));
  EXPECT_EQ((*m.log())[e[3]].pid, (*m.log())[e[4]].pid);
  EXPECT_NE(model::explain_why(m, e[2]).find("concurrency management"), std::string::npos)
      << model::explain_why(m, e[2]);
  EXPECT_EQ(chain(m, created[3])[8], "workqueue_execute_start w1");
  // Bootstrap: the other pools' first workers came with their pools.
  EXPECT_EQ(chain(m, find(m, EventKind::WqWorkerCreate, "")),
            (Chain{"wq_worker_create", "<- created-with-pool", "wq_pool_create"}));
}

TEST(Why, AFlushCompletesWhenTheLastItemItWaitedForEnds) {
  RecordedMachine rm(demo("doc"));
  MachineModel m;
  folded(rm, m);
  const uint64_t done = find(m, EventKind::WqFlushDone, "doc");
  EXPECT_EQ(chain(m, done),
            (Chain{"wq_flush_done doc", "<- flush-waited", "workqueue_execute_end w2", "<- ran",
                   "workqueue_execute_start w2", "<- queued", "workqueue_queue_work w2"}));
  // The flusher was woken by that very completion.
  const trace::Event& flusher = (*m.log())[done];
  uint64_t wake = 0;
  for (uint64_t i = 0; i < done; ++i)
    if ((*m.log())[i].kind == EventKind::TaskWake && (*m.log())[i].args[0] == flusher.pid) wake = i;
  EXPECT_EQ(chain(m, wake),
            (Chain{"task_wake", "<- woken-by", "workqueue_execute_end w2", "<- ran",
                   "workqueue_execute_start w2", "<- queued", "workqueue_queue_work w2"}));
}

TEST(Why, ASleepingWorkItemIsWokenByTheTimerItSleptOn) {
  RecordedMachine rm(demo("doc"));
  MachineModel m;
  folded(rm, m);
  const uint64_t start = find(m, EventKind::WqExecuteStart, "w0");
  const int32_t worker = (*m.log())[start].pid;
  uint64_t wake = 0;
  for (uint64_t i = start; i < m.events() && !wake; ++i)
    if ((*m.log())[i].kind == EventKind::TaskWake && (*m.log())[i].args[0] == worker) wake = i;
  ASSERT_NE(wake, 0u);
  EXPECT_EQ((*m.log())[wake].time_ns, msecs(15));  // 5 ms of compute, then 10 ms asleep
  EXPECT_EQ(chain(m, wake), (Chain{"task_wake", "<- woken-by-timer", "timer_expire process_timeout",
                                   "<- timer-armed", "timer_arm process_timeout"}));
  EXPECT_EQ((*m.log())[model::why_chain(m, wake).back()].pid, worker);  // it armed it itself
}

TEST(Why, AnItemHeldBackByMaxActiveWasActivatedWhenTheOneBeforeItCompleted) {
  RecordedMachine rm(demo("tour"));
  MachineModel m;
  folded(rm, m);
  const uint64_t start = find(m, EventKind::WqExecuteStart, "s2");
  EXPECT_EQ(chain(m, start),
            (Chain{"workqueue_execute_start s2", "<- activated", "workqueue_activate_work s2",
                   "<- activated-later", "workqueue_queue_work s2"}));
  const uint64_t activation = model::why_chain(m, start)[1];
  EXPECT_NE(model::explain_why(m, activation).find("when s1 completed"), std::string::npos)
      << model::explain_why(m, activation);
  // s0 found a free slot: activated at once, inside queue_work().
  EXPECT_EQ(
      chain(m, find(m, EventKind::WqActivateWork, "s0")),
      (Chain{"workqueue_activate_work s0", "<- activated-at-queue", "workqueue_queue_work s0"}));
}

TEST(Why, ADelayedItemIsQueuedByItsTimer) {
  RecordedMachine rm(demo("tour"));
  MachineModel m;
  folded(rm, m);
  EXPECT_EQ(chain(m, find(m, EventKind::WqExecuteStart, "poll_fn")),
            (Chain{"workqueue_execute_start poll_fn", "<- queued", "workqueue_queue_work poll_fn",
                   "<- timer-queued", "timer_expire delayed_work_timer_fn", "<- timer-armed",
                   "wq_delayed_arm poll_fn"}));
}

TEST(Why, TheRescuerRunsAnItemBecauseWorkerCreationFailedUnderMemoryPressure) {
  RecordedMachine rm(demo("mayday"));
  MachineModel m;
  folded(rm, m);
  const Chain tail{
      "wq_mayday writeback",   "<- mayday",    "wq_mayday_timer", "<- mayday-after-fail",
      "wq_worker_create_fail", "<- no-memory", "alloc_fail",      "<- under-pressure",
      "mem_pressure"};
  Chain expected{"workqueue_execute_start writeback_fn", "<- rescued", "wq_rescue writeback_fn",
                 "<- rescue"};
  expected.insert(expected.end(), tail.begin(), tail.end());
  EXPECT_EQ(chain(m, find(m, EventKind::WqExecuteStart, "writeback_fn")), expected);
  Chain run{"wq_rescuer_run writeback", "<- rescue"};
  run.insert(run.end(), tail.begin(), tail.end());
  EXPECT_EQ(chain(m, find(m, EventKind::WqRescuerRun, "writeback")), run);
  // The item without a rescuer waited for the manager's creation that finally worked.
  EXPECT_EQ(
      chain(m, find(m, EventKind::WqExecuteStart, "stuck_fn")),
      (Chain{"workqueue_execute_start stuck_fn", "<- queued", "workqueue_queue_work stuck_fn"}));
}

TEST(Why, ACpuHogIsFlaggedBecauseOfHowLongItsItemRan) {
  RecordedMachine rm(demo("tour"));
  MachineModel m;
  folded(rm, m);
  const uint64_t hog = find(m, EventKind::WqCpuIntensive, "hog_fn");
  EXPECT_EQ(chain(m, hog),
            (Chain{"wq_cpu_intensive hog_fn", "<- cpu-hog", "workqueue_execute_start hog_fn",
                   "<- queued", "workqueue_queue_work hog_fn"}));
  const std::vector<uint64_t> e = model::why_chain(m, hog);
  EXPECT_EQ((*m.log())[e[0]].args[3], msecs(10));  // 10 ms of CPU without sleeping...
  EXPECT_GE((*m.log())[e[0]].time_ns - (*m.log())[e[1]].time_ns, msecs(10));  // shared with others
}

// Under memory pressure the pool's only worker becomes the manager and cannot create a spare,
// so the item on the worklist never starts: the watchdog measures from when it was queued.
TEST(Why, AWatchdogLockupPointsAtThePoolsLastProgress) {
  kernel::KernelConfig kcfg;
  kcfg.nr_cpus = 2;
  session::ScenarioDef def;
  def.kernel = kcfg;
  def.cmwq.watchdog_thresh_secs = 1;
  def.start = [](session::ScenarioContext& c) {
    c.spawn(
        "scenario",
        [&c] {
          c.k.sleep_for(msecs(3));
          c.k.set_memory_pressure(true);
          c.cmwq.queue_work_on(1, c.cmwq.system_wq,
                               c.work("blocked_fn", {session::Step::compute(msecs(1))}));
          c.k.sleep_for(msecs(2500));
          c.k.set_memory_pressure(false);
        },
        0);
  };
  RecordedMachine rm(def);
  MachineModel m;
  folded(rm, m);
  const uint64_t lockup = find(m, EventKind::WqLockup, "");
  EXPECT_EQ(chain(m, lockup), (Chain{"wq_lockup", "<- lockup", "workqueue_activate_work blocked_fn",
                                     "<- activated-at-queue", "workqueue_queue_work blocked_fn"}));
  EXPECT_EQ((*m.log())[model::why_chain(m, lockup)[1]].time_ns, msecs(3));
}

TEST(Why, LegacyThreadCreationFailsWhenTheCallHasUsedUpThePidSpace) {
  RecordedMachine rm(demo("legacy"));
  MachineModel m;
  folded(rm, m);
  const uint64_t fail = find(m, EventKind::LegacyCreateFail, "drv10");
  EXPECT_EQ(chain(m, fail), (Chain{"workqueue_creation_fail drv10", "<- kthread-failed",
                                   "task_create_fail", "<- no-pid", "pid_exhausted",
                                   "<- pid-space-filled", "workqueue_creation drv10"}));
  // The chain starts at the call's first thread, drv10/0.
  const trace::Event& first = (*m.log())[model::why_chain(m, fail).back()];
  EXPECT_EQ(first.args[2], 0);
  EXPECT_NE(model::explain_why(m, fail).find("-EAGAIN"), std::string::npos);
}

TEST(Why, LegacyItemsRunWhenTheirOwnThreadReachesThem) {
  RecordedMachine rm(demo("legacy"));
  MachineModel m;
  folded(rm, m);
  const uint64_t run = find(m, EventKind::LegacyExecution, "quick_a");
  EXPECT_EQ(chain(m, run), (Chain{"workqueue_execution quick_a", "<- legacy-queued",
                                  "workqueue_insertion quick_a"}));
  // quick_a waited behind slow_fn, which slept for 20 ms on the same thread.
  EXPECT_GT((*m.log())[run].time_ns, msecs(20));
  uint64_t end = 0;
  for (uint64_t i = run; i < m.events() && !end; ++i)
    if ((*m.log())[i].kind == EventKind::LegacyExecutionEnd &&
        (*m.log())[i].pid == (*m.log())[run].pid)
      end = i;
  EXPECT_EQ(chain(m, end), (Chain{"workqueue_execution_end quick_a", "<- legacy-ran",
                                  "workqueue_execution quick_a", "<- legacy-queued",
                                  "workqueue_insertion quick_a"}));
}

// Nothing explains a call a task makes on its own: the chain ends there, and says so.
TEST(Why, AChainEndsAtACallNothingEarlierCaused) {
  RecordedMachine rm(demo("doc"));
  MachineModel m;
  folded(rm, m);
  const uint64_t q = find(m, EventKind::WqQueueWork, "w0");
  EXPECT_FALSE(model::cause_of(m, q));
  EXPECT_EQ(model::why_chain(m, q), std::vector<uint64_t>{q});
  EXPECT_NE(model::explain_why(m, q).find("called by scenario"), std::string::npos)
      << model::explain_why(m, q);
}

// The per-execution links are derived, not stored: a run's stored links stay few.
TEST(Why, StoredLinksStayFewerThanExecutions) {
  RecordedMachine rm(demo("tour"));
  MachineModel m;
  folded(rm, m);
  EXPECT_LT(m.history().causes.size(), m.history().executions.size() * 2 + 200);
}

}  // namespace
}  // namespace wqlab::test

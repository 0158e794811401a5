// The legacy model's fold, checked against engine/legacy itself: the workqueues x CPUs of
// threads, what each thread has queued and runs, creation failures, and the counters (threads,
// PIDs) the plots draw.
#include <gtest/gtest.h>

#include "app_test_util.h"

namespace wqlab::test {
namespace {

using kernel::msecs;
using model::MachineModel;

// Every live engine workqueue is in the model with the same thread on each CPU.
void expect_legacy_matches_engine(RecordedMachine& rm, const char* when) {
  SCOPED_TRACE(when);
  MachineModel m;
  rm.fold(m);
  const model::MachineState& s = m.head();
  ASSERT_TRUE(s.legacy.active());
  EXPECT_EQ(s.pids_in_use, rm.k->nr_pids_in_use());
  EXPECT_EQ(static_cast<size_t>(s.threads), rm.k->nr_tasks());
  EXPECT_EQ(s.legacy.wq_threads, rm.legacy->nr_threads());
  size_t live = 0;
  for (const model::LegacyWqInfo& wq : s.legacy.workqueues) live += (!wq.destroyed && !wq.failed);
  EXPECT_EQ(live, rm.legacy->workqueues().size());
  for (legacy::LegacyWorkqueue* wq : rm.legacy->workqueues()) {
    SCOPED_TRACE(wq->name);
    auto it = s.legacy.by_name.find(m.strings().find(wq->name));
    ASSERT_NE(it, s.legacy.by_name.end());
    const model::LegacyWqInfo& mw = s.legacy.workqueues[static_cast<size_t>(it->second)];
    EXPECT_EQ(mw.singlethread, wq->singlethread);
    for (int cpu = 0; cpu < rm.k->nr_cpus(); ++cpu) {
      const legacy::CpuWorkqueue* cwq = rm.legacy->cpu_workqueue(wq, cpu);
      const kernel::Task* t = cwq ? cwq->thread.load() : nullptr;
      const size_t slot = wq->singlethread ? 0 : static_cast<size_t>(cpu);
      if (wq->singlethread && cpu != rm.legacy->singlethread_cpu()) continue;
      EXPECT_EQ(mw.threads[slot], t ? t->pid : 0) << "cpu " << cpu;
      if (!t) continue;
      EXPECT_EQ(s.legacy.wq_of(t->pid), mw.index);
      // Items on its list, and the one it runs.
      const model::LegacyThreadWork* w = s.legacy.work_of(t->pid);
      EXPECT_EQ(w ? w->queued : 0, static_cast<int32_t>(wq::list_count(&cwq->worklist)));
      EXPECT_EQ(w && w->current_func ? m.strings().get(w->current_func) : "",
                cwq->current_work ? cwq->current_work->name() : "");
    }
  }
}

TEST(FoldLegacy, ThreadsQueuesAndFailuresMatchTheEngine) {
  RecordedMachine rm(demo("legacy"));
  rm.k->run({msecs(6)});  // slow_fn sleeps on events/0 with quick_a and quick_b behind it
  expect_legacy_matches_engine(rm, "at 6 ms");
  MachineModel mid;
  rm.fold(mid);
  const model::LegacyState& l = mid.head().legacy;
  const model::LegacyWqInfo& events =
      l.workqueues[static_cast<size_t>(l.by_name.at(mid.strings().find("events")))];
  const model::LegacyThreadWork* w0 = l.work_of(events.threads[0]);
  ASSERT_NE(w0, nullptr);
  EXPECT_EQ(w0->queued, 2);
  EXPECT_EQ(mid.strings().get(w0->current_func), "slow_fn");
  rm.run_until_idle();
  expect_legacy_matches_engine(rm, "at the end");
}

TEST(FoldLegacy, TheFailedWorkqueueKeepsItsFailureAndLosesItsThreads) {
  RecordedMachine rm(demo("legacy"));
  rm.run_until_idle();
  MachineModel m;
  rm.fold(m);
  const model::LegacyState& l = m.head().legacy;
  ASSERT_EQ(l.failures.size(), 1u);
  const model::LegacyWqInfo& failed = l.workqueues[static_cast<size_t>(l.failures[0].wq)];
  EXPECT_EQ(m.strings().get(failed.name), "drv10");
  EXPECT_TRUE(failed.failed);
  EXPECT_EQ(failed.fail_err, -kernel::kEAGAIN);
  EXPECT_EQ(failed.live, 0);
  EXPECT_EQ(failed.created, failed.fail_cpu);  // every CPU before the failing one got a thread
  EXPECT_EQ(l.failures[0].pids_in_use, m.config().pid_max - 1);
  // The boot threads and ten drivers: 16 CPUs each.
  int drivers = 0;
  for (const model::LegacyWqInfo& wq : l.workqueues)
    drivers += m.strings().get(wq.name).rfind("drv", 0) == 0 && !wq.failed;
  EXPECT_EQ(drivers, 10);
  // The plots follow the threads: the PIDs in use reached pid_max - 1, then fell back.
  EXPECT_EQ(m.history().plots.pids.max_value(), m.config().pid_max - 1);
  EXPECT_EQ(m.history().plots.threads.max_value(), m.config().pid_max - 1);
  EXPECT_LT(m.head().pids_in_use, m.config().pid_max - 1);
  // Legacy executions are in the history, so the timeline draws them.
  size_t legacy_execs = 0;
  for (const model::ExecutionRecord& e : m.history().executions)
    legacy_execs += (e.flags & model::kExecLegacy) ? 1 : 0;
  EXPECT_EQ(legacy_execs, 8u);  // slow_fn, quick_a/b/c and four drv_io_fn
  EXPECT_EQ(m.head().executions_done, 8u);
}

// A stolen item (cancel_work_sync() of a queued item) leaves its thread's list in the model too.
TEST(FoldLegacy, ACancelledItemLeavesItsThreadsList) {
  kernel::KernelConfig cfg;
  cfg.nr_cpus = 2;
  session::ScenarioDef def;
  def.kernel = cfg;
  def.start_legacy = [](session::LegacyContext& c) {
    c.spawn(
        "scenario",
        [&c] {
          wq::Work* blocker = c.work("blocker", {session::Step::sleep(msecs(5))});
          wq::Work* victim = c.work("victim", {session::Step::compute(msecs(1))});
          c.legacy.queue_work_on(0, c.legacy.keventd_wq, blocker);
          c.legacy.queue_work_on(0, c.legacy.keventd_wq, victim);
          c.k.sleep_for(msecs(1));
          c.legacy.cancel_work_sync(victim);
        },
        1);
  };
  RecordedMachine rm(def);
  rm.k->run({msecs(2)});
  expect_legacy_matches_engine(rm, "after the cancel");
}

}  // namespace
}  // namespace wqlab::test

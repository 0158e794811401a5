// Forward progress (KERNEL_SPEC §3 reaping, §5 rescuer, §11 scenarios 17-20): idle workers
// decay, the mayday timer calls the rescuer when workers cannot be created, and without
// WQ_MEM_RECLAIM the pool stalls until the watchdog reports it.
#include <gtest/gtest.h>

#include "wq_test_util.h"

namespace wqlab::test {
namespace {

using trace::EventKind;
using wq::Work;

// w1 waits for w2; w2 is queued after memory pressure stops the pool from making workers.
struct Dependency {
  Dependency(CmwqMachine& m, unsigned flags) : m(m) {
    wq = m.cmwq->alloc_workqueue("writeback", flags, 2);
    w1 = make_work("w1_waits", [this](Work*) { done.wait_for_completion(); });
    w2 = make_work("w2_frees", [this](Work*) { done.complete(); });
  }
  // Returns when w1 is blocked and w2 has been queued under pressure.
  void start() {
    m.rk.k->spawn("scenario", [this] {
      m.cmwq->queue_work(wq, w1.get());
      m.k().sleep_for(msecs(1));
      m.k().set_memory_pressure(true);
      m.cmwq->queue_work(wq, w2.get());
    });
  }
  CmwqMachine& m;
  wq::Workqueue* wq;
  kernel::Completion done;
  std::unique_ptr<Work> w1, w2;
};

TEST(WqReclaim, RescuerRunsTheItemWhenWorkersCannotBeCreated) {
  CmwqMachine m;
  Dependency d(m, wq::WQ_MEM_RECLAIM);
  d.start();
  m.k().run_for(kernel::secs(2));
  auto w2 = m.run("w2_frees");
  // MAYDAY_INITIAL_TIMEOUT (10 jiffies) after the failed create, plus the wheel's one jiffy.
  EXPECT_EQ(w2.start, msecs(1) + msecs(11));
  EXPECT_EQ(m.comm_of(w2.pid), "kworker/R-write");
  EXPECT_EQ(m.run("w1_waits").end, w2.end);
  auto st = m.cmwq->wq_stats(d.wq);
  EXPECT_GE(st.stat[wq::PWQ_STAT_MAYDAY], 1u);
  EXPECT_GE(st.stat[wq::PWQ_STAT_RESCUED], 1u);
  // The rescue emptied the worklist before the manager's next try (CREATE_COOLDOWN later).
  EXPECT_EQ(m.events(EventKind::WqWorkerCreateFail).size(), 1u);
  EXPECT_TRUE(m.printed("workqueue: Failed to create a worker thread: -ENOMEM"));
}

TEST(WqReclaim, WithoutRescuerThePoolStallsAndTheWatchdogSaysSo) {
  CmwqMachine m;
  Dependency d(m, 0);
  d.start();
  m.k().run_for(kernel::secs(40));
  EXPECT_TRUE(m.runs("w2_frees").empty());
  EXPECT_TRUE(m.printed("BUG: workqueue lockup - pool cpus=0"));
  EXPECT_GE(m.events(EventKind::WqLockup).size(), 1u);
  EXPECT_TRUE(m.events(EventKind::WqMayday).empty());
  EXPECT_GE(m.events(EventKind::WqWorkerCreateFail).size(), 30u);
  // Pressure lifts: the manager's next try succeeds and everything completes.
  m.k().set_memory_pressure(false);
  m.k().run_for(kernel::secs(2));
  EXPECT_GE(m.run("w2_frees").start, kernel::secs(40));
  EXPECT_GE(m.run("w1_waits").end, kernel::secs(40));
}

TEST(WqReclaim, RescuerTakesOnlyItsOwnWorkqueuesItems) {
  CmwqMachine m;
  Dependency d(m, wq::WQ_MEM_RECLAIM);
  auto x = make_work("x_other", [](Work*) {});
  d.start();
  m.rk.k->spawn("other", [&] {
    m.k().sleep_for(msecs(2));
    m.cmwq->schedule_work(x.get());  // system_wq: no rescuer
  });
  m.k().run_for(msecs(500));
  EXPECT_EQ(m.comm_of(m.run("w2_frees").pid), "kworker/R-write");
  // x waited for a regular worker: the one w1 freed once the rescuer had run w2.
  auto x_run = m.run("x_other");
  EXPECT_EQ(x_run.start, m.run("w1_waits").end);
  EXPECT_EQ(x_run.pid, m.run("w1_waits").pid);
  for (auto& e : m.events(EventKind::WqRescue)) EXPECT_NE(m.rk.str(e.args[1]), "x_other");
}

// Something that wakes a CPU every second: the idle timer is deferrable, so on a machine with
// nothing else going on it would never run (see KernelTime.DeferrableTimersWait...).
void heartbeat(CmwqMachine& m, int seconds) {
  m.rk.k->spawn("heartbeat", [&m, seconds] {
    for (int i = 0; i < seconds; ++i) m.k().sleep_for(kernel::secs(1));
  });
}

// IDLE_WORKER_TIMEOUT is 300 000 jiffies, on the timer wheel's level 5 (granularity 32 768): the
// idle timer fires at jiffy 327 680 at the earliest, here at the heartbeat of 328 s.
TEST(WqReclaim, IdleWorkersAreReapedAfterFiveMinutesDownToTwo) {
  CmwqMachine m;
  std::vector<std::unique_ptr<Work>> burst;
  for (int i = 0; i < 10; ++i)
    burst.push_back(make_work("s" + std::to_string(i), [&](Work*) { m.k().sleep_for(msecs(10)); }));
  m.scenario([&] {
    for (auto& w : burst) m.cmwq->schedule_work(w.get());
  });
  auto* pool = m.cmwq->cpu_pool(0, false);
  int burst_workers = pool->nr_workers;
  EXPECT_GE(burst_workers, 10);
  EXPECT_EQ(pool->nr_idle, burst_workers);
  heartbeat(m, 400);
  m.k().run_for(kernel::secs(327));
  EXPECT_EQ(pool->nr_workers, burst_workers);  // not yet
  m.k().run_for(kernel::secs(2));
  EXPECT_EQ(pool->nr_workers, 2);
  EXPECT_EQ(pool->nr_idle, 2);
  EXPECT_EQ(static_cast<int>(m.events(EventKind::WqWorkerDie).size()), burst_workers - 2);
}

TEST(WqReclaim, ReapingKeepsAQuarterOfTheBusyCountIdle) {
  CmwqMachine m;
  kernel::Completion release;
  std::vector<std::unique_ptr<Work>> busy, brief;
  for (int i = 0; i < 8; ++i)
    busy.push_back(
        make_work("busy" + std::to_string(i), [&](Work*) { release.wait_for_completion(); }));
  for (int i = 0; i < 3; ++i)
    brief.push_back(
        make_work("brief" + std::to_string(i), [&](Work*) { m.k().sleep_for(msecs(5)); }));
  m.rk.k->spawn("scenario", [&] {
    for (auto& w : busy) m.cmwq->schedule_work(w.get());
    for (auto& w : brief) m.cmwq->schedule_work(w.get());
  });
  m.k().run_for(kernel::secs(1));
  auto* pool = m.cmwq->cpu_pool(0, false);
  ASSERT_EQ(pool->nr_workers - pool->nr_idle, 8);
  int idle_before = pool->nr_idle;
  ASSERT_GE(idle_before, 4);
  heartbeat(m, 400);
  m.k().run_for(kernel::secs(340));
  // With 8 busy, idle workers are reaped while (nr_idle - 2) * 4 >= 8: down to 3.
  EXPECT_EQ(pool->nr_idle, 3);
  m.rk.k->spawn("release", [&] { release.complete_all(); });
  m.k().run_for(msecs(10));
}

}  // namespace
}  // namespace wqlab::test

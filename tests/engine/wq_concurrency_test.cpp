// Concurrency management (KERNEL_SPEC §4, §11 scenarios 8-16): the example timelines of
// Documentation/core-api/workqueue.rst, CPU-intensive items, hog detection, highpri and unbound
// pools, and the manager's spare-worker rule.
#include <gtest/gtest.h>

#include "wq_test_util.h"

namespace wqlab::test {
namespace {

using trace::EventKind;
using wq::Work;

// w0 burns 5 ms, sleeps 10 ms, burns 5 ms; w1 and w2 burn 5 ms then sleep 10 ms (DOC).
struct DocItems {
  explicit DocItems(kernel::Kernel& k) {
    w0 = make_work("w0", [&k](Work*) {
      k.compute_for(msecs(5));
      k.sleep_for(msecs(10));
      k.compute_for(msecs(5));
    });
    w1 = make_work("w1", [&k](Work*) {
      k.compute_for(msecs(5));
      k.sleep_for(msecs(10));
    });
    w2 = make_work("w2", [&k](Work*) {
      k.compute_for(msecs(5));
      k.sleep_for(msecs(10));
    });
  }
  std::unique_ptr<Work> w0, w1, w2;
};

TEST(WqConcurrency, DocTimelineMaxActiveThree) {
  CmwqMachine m;
  DocItems d(m.k());
  auto* wq = m.cmwq->alloc_workqueue("doc", 0, 3);
  m.scenario([&] {
    m.cmwq->queue_work(wq, d.w0.get());
    m.cmwq->queue_work(wq, d.w1.get());
    m.cmwq->queue_work(wq, d.w2.get());
  });
  EXPECT_EQ(m.run("w0").start, 0);
  EXPECT_EQ(m.run("w1").start, msecs(5));
  EXPECT_EQ(m.run("w2").start, msecs(10));
  EXPECT_EQ(m.run("w0").end, msecs(20));
  EXPECT_EQ(m.run("w1").end, msecs(20));
  EXPECT_EQ(m.run("w2").end, msecs(25));
  // One concurrency-management wake-up per blocking with work pending (w0 at 5, w1 at 10).
  EXPECT_EQ(m.cmwq->wq_stats(wq).stat[wq::PWQ_STAT_CM_WAKEUP], 2u);
  EXPECT_EQ(m.events(EventKind::WqCmWakeup).size(), 2u);
}

TEST(WqConcurrency, DocTimelineMaxActiveTwo) {
  CmwqMachine m;
  DocItems d(m.k());
  auto* wq = m.cmwq->alloc_workqueue("doc", 0, 2);
  m.scenario([&] {
    m.cmwq->queue_work(wq, d.w0.get());
    m.cmwq->queue_work(wq, d.w1.get());
    m.cmwq->queue_work(wq, d.w2.get());
  });
  EXPECT_EQ(m.run("w0").start, 0);
  EXPECT_EQ(m.run("w1").start, msecs(5));
  EXPECT_EQ(m.run("w2").start, msecs(20));
  EXPECT_EQ(m.run("w2").end, msecs(35));
  // w2 sat on the inactive list until w0 finished.
  auto inactive = m.events(EventKind::WqWorkInactive);
  ASSERT_EQ(inactive.size(), 1u);
  EXPECT_EQ(m.rk.str(inactive[0].args[1]), "w2");
}

// The documentation draws the CPU as first-come first-served: w2 "starts" at 5 ms but burns only
// from 10. Under EEVDF (kernel/sched/fair.c) w2's worker, woken by process_one_work()'s kick_pool()
// at 5 ms, waits for w1's worker's first slice (RUN_TO_PARITY, 0.75 ms on one CPU) until the 6 ms
// tick; then the two alternate every tick: w1 burns 5,7,9,11,13 and sleeps at 14, w2 burns
// 6,8,10,12,14 and sleeps at 15. w0 wakes at 15 as documented.
TEST(WqConcurrency, DocTimelineCpuIntensive) {
  CmwqMachine m;
  DocItems d(m.k());
  auto* normal = m.cmwq->alloc_workqueue("doc", 0, 0);
  auto* intensive = m.cmwq->alloc_workqueue("doc_intensive", wq::WQ_CPU_INTENSIVE, 0);
  m.scenario([&] {
    m.cmwq->queue_work(normal, d.w0.get());
    m.cmwq->queue_work(intensive, d.w1.get());
    m.cmwq->queue_work(intensive, d.w2.get());
  });
  EXPECT_EQ(m.run("w1").start, msecs(5));
  EXPECT_EQ(m.run("w2").start, msecs(6));
  EXPECT_EQ(m.run("w0").end, msecs(20));
  EXPECT_EQ(m.run("w1").end, msecs(24));
  EXPECT_EQ(m.run("w2").end, msecs(25));
}

TEST(WqConcurrency, NoBlockingMeansOneItemAtATime) {
  CmwqMachine m;
  auto w0 = make_work("w0", [&](Work*) { m.k().compute_for(msecs(5)); });
  auto w1 = make_work("w1", [&](Work*) { m.k().compute_for(msecs(5)); });
  m.scenario([&] {
    m.cmwq->schedule_work(w0.get());
    m.cmwq->schedule_work(w1.get());
  });
  EXPECT_EQ(m.run("w0").end, msecs(5));
  EXPECT_EQ(m.run("w1").start, msecs(5));       // not before w0 returns
  EXPECT_EQ(m.run("w0").pid, m.run("w1").pid);  // the same worker keeps going
}

TEST(WqConcurrency, CpuIntensiveItemDoesNotHoldBackTheNextOne) {
  CmwqMachine m;
  auto hog = make_work("hog", [&](Work*) { m.k().compute_for(msecs(50)); });
  auto quick = make_work("quick", [&](Work*) { m.k().compute_for(msecs(1)); });
  auto* intensive = m.cmwq->alloc_workqueue("crunch", wq::WQ_CPU_INTENSIVE, 0);
  m.scenario([&] {
    m.cmwq->queue_work(intensive, hog.get());
    m.cmwq->schedule_work(quick.get());
  });
  // Not after hog's 50 ms: quick's worker was woken at once and ran at the 1 ms tick, when hog's
  // first slice (0.75 ms on one CPU) was over.
  EXPECT_EQ(m.run("quick").start, msecs(1));
}

TEST(WqConcurrency, HogDetectionFlagsALongItemAfterTheThreshold) {
  CmwqMachine m;
  auto hog = make_work("hog", [&](Work*) { m.k().compute_for(msecs(50)); });
  auto next = make_work("next", [&](Work*) {});
  m.scenario([&] {
    m.cmwq->schedule_work(hog.get());
    m.cmwq->schedule_work(next.get());
  });
  EXPECT_EQ(m.run("next").start, msecs(10));
  auto st = m.cmwq->wq_stats(m.cmwq->system_wq);
  EXPECT_EQ(st.stat[wq::PWQ_STAT_CPU_INTENSIVE], 1u);
  EXPECT_EQ(st.stat[wq::PWQ_STAT_CM_WAKEUP], 1u);
  EXPECT_EQ(m.events(EventKind::WqCpuIntensive).size(), 1u);
}

TEST(WqConcurrency, HogDetectionOffMeansWaitingForTheHog) {
  wq::CmwqConfig cfg;
  cfg.cpu_intensive_thresh_us = 0;
  CmwqMachine m(det_config(1), cfg);
  auto hog = make_work("hog", [&](Work*) { m.k().compute_for(msecs(50)); });
  auto next = make_work("next", [&](Work*) {});
  m.scenario([&] {
    m.cmwq->schedule_work(hog.get());
    m.cmwq->schedule_work(next.get());
  });
  EXPECT_EQ(m.run("next").start, msecs(50));
}

TEST(WqConcurrency, ShortSleepsResetTheHogClock) {
  CmwqMachine m;
  auto stutter = make_work("stutter", [&](Work*) {
    for (int i = 0; i < 8; ++i) {
      m.k().compute_for(msecs(5));
      m.k().sleep_for(msecs(1));
    }
  });
  m.scenario([&] { m.cmwq->schedule_work(stutter.get()); });
  // It ran all of its 40 ms of CPU (8 x 5 ms with 1 ms sleeps) and was never marked a hog.
  Execution run = m.run("stutter");
  ASSERT_GE(run.start, 0) << "stutter never ran";
  EXPECT_EQ(run.end - run.start, msecs(48));
  EXPECT_TRUE(m.events(EventKind::WqCpuIntensive).empty());
}

TEST(WqConcurrency, HighpriPoolIsSeparateAndItsWorkersEndInH) {
  CmwqMachine m;
  auto hog = make_work("hog", [&](Work*) { m.k().compute_for(msecs(30)); });
  auto urgent = make_work("urgent", [&](Work*) {});
  m.scenario([&] {
    m.cmwq->schedule_work(hog.get());
    m.k().sleep_for(msecs(1));
    m.cmwq->queue_work(m.cmwq->system_highpri_wq, urgent.get());
  });
  EXPECT_EQ(m.run("urgent").start, msecs(1));  // the normal pool is busy; highpri is not
  std::string comm = m.comm_of(m.run("urgent").pid);
  ASSERT_FALSE(comm.empty());
  EXPECT_EQ(comm.back(), 'H');
  EXPECT_EQ(comm.rfind("kworker/0:", 0), 0u);
}

TEST(WqConcurrency, UnboundItemsRunInParallelWithoutConcurrencyManagement) {
  CmwqMachine m(det_config(8));
  std::vector<std::unique_ptr<Work>> items;
  for (int i = 0; i < 5; ++i)
    items.push_back(
        make_work("u" + std::to_string(i), [&](Work*) { m.k().compute_for(msecs(10)); }));
  auto* wq = m.cmwq->alloc_workqueue("unbound", wq::WQ_UNBOUND, 8);
  m.scenario([&] {
    for (auto& w : items) m.cmwq->queue_work(wq, w.get());
  });
  for (int i = 0; i < 5; ++i) {
    auto x = m.run("u" + std::to_string(i));
    EXPECT_EQ(x.start, 0) << i;
    EXPECT_EQ(x.end, msecs(10)) << i;
  }
  // Unbound pools (ids after the per-CPU ones) never count a running worker.
  for (auto& e : m.events(EventKind::WqNrRunning)) {
    if (e.args[0] >= 8 * wq::POOLS_PER_CPU_IDS) {
      EXPECT_EQ(e.args[1], 0);
    }
  }
  EXPECT_GE(m.cmwq->wq_stats(wq).stat[wq::PWQ_STAT_STARTED], 5u);
}

TEST(WqConcurrency, SpareWorkerInvariant) {
  CmwqMachine m;
  kernel::Completion never;
  auto a = make_work("a", [&](Work*) { never.wait_for_completion(); });
  auto b = make_work("b", [&](Work*) { never.wait_for_completion(); });
  auto* pool = m.cmwq->cpu_pool(0, false);
  m.scenario([&] {
    m.cmwq->schedule_work(a.get());
    m.k().sleep_for(msecs(1));
    EXPECT_EQ(pool->nr_workers, 2);  // the first worker made a spare before running `a`
    EXPECT_EQ(pool->nr_idle, 1);
    m.cmwq->schedule_work(b.get());
    m.k().sleep_for(msecs(1));
    EXPECT_EQ(pool->nr_workers, 3);
    EXPECT_EQ(pool->nr_idle, 1);
    never.complete_all();
  });
  EXPECT_NE(m.run("a").pid, m.run("b").pid);
  EXPECT_EQ(m.events(EventKind::WqManagerStart).size(), 2u);
}

TEST(WqConcurrency, ConcurrencyConvergesBackToOne) {
  CmwqMachine m;
  auto sleeper = make_work("sleeper", [&](Work*) { m.k().sleep_for(msecs(5)); });
  std::vector<std::unique_ptr<Work>> rest;
  for (int i = 0; i < 4; ++i)
    rest.push_back(make_work("r" + std::to_string(i), [&](Work*) { m.k().compute_for(msecs(3)); }));
  m.scenario([&] {
    m.cmwq->schedule_work(sleeper.get());
    for (auto& w : rest) m.cmwq->schedule_work(w.get());
  });
  // After the sleeper wakes, two workers run; the first to finish goes idle, so no more than two
  // items are ever running at once.
  int running = 0, peak = 0;
  for (auto& e : m.all()) {
    if (e.kind == EventKind::WqExecuteStart) peak = std::max(peak, ++running);
    if (e.kind == EventKind::WqExecuteEnd) --running;
  }
  EXPECT_EQ(peak, 2);
  // nr_running reached 2 when the sleeper woke, then fell back to 1.
  int max_running = 0;
  for (auto& e : m.events(EventKind::WqNrRunning))
    max_running = std::max<int>(max_running, static_cast<int>(e.args[1]));
  EXPECT_EQ(max_running, 2);
  // Back to one: when the sleeper's worker finishes, keep_working() sees nr_running 2 and sends
  // it idle, so the other worker runs every remaining item, one after the other.
  Execution sleeper_run = m.run("sleeper");
  int other = m.run("r0").pid;
  EXPECT_NE(other, sleeper_run.pid);
  Nanos last_end = -1;
  for (int i = 0; i < 4; ++i) {
    Execution r = m.run("r" + std::to_string(i));
    EXPECT_EQ(r.pid, other) << "r" << i << " ran on the sleeper's worker";
    if (last_end >= 0) {
      EXPECT_EQ(r.start, last_end) << "r" << i;
    }
    last_end = r.end;
  }
  EXPECT_EQ(m.runs("sleeper").size(), 1u);
}

}  // namespace
}  // namespace wqlab::test

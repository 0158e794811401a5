// The queue path (KERNEL_SPEC §2, §11 scenarios 1-7, 21, 36): PENDING, non-reentrancy,
// max_active per CPU and system-wide for unbound, the tracepoint order, delayed work, and
// what happens on bad calls.
#include <gtest/gtest.h>

#include "wq_test_util.h"

namespace wqlab::test {
namespace {

using trace::EventKind;
using wq::Work;

TEST(WqQueue, PendingDedupesASecondQueue) {
  CmwqMachine m;
  int runs = 0;
  auto w = make_work("w", [&](Work*) { ++runs; });
  m.scenario([&] {
    EXPECT_TRUE(m.cmwq->schedule_work(w.get()));
    EXPECT_FALSE(m.cmwq->schedule_work(w.get()));
    EXPECT_EQ(m.cmwq->work_busy(w.get()), wq::WORK_BUSY_PENDING);
  });
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(m.cmwq->work_busy(w.get()), 0u);
}

TEST(WqQueue, TracepointsComeInKernelOrder) {
  CmwqMachine m;
  auto w = make_work("w", [](Work*) {});
  m.scenario([&] { m.cmwq->schedule_work(w.get()); });
  std::vector<EventKind> kinds;
  for (auto& e : m.all()) {
    if (e.kind == EventKind::WqQueueWork || e.kind == EventKind::WqActivateWork ||
        e.kind == EventKind::WqExecuteStart || e.kind == EventKind::WqExecuteEnd)
      kinds.push_back(e.kind);
  }
  EXPECT_EQ(kinds, (std::vector<EventKind>{EventKind::WqQueueWork, EventKind::WqActivateWork,
                                           EventKind::WqExecuteStart, EventKind::WqExecuteEnd}));
}

TEST(WqQueue, RequeueWhileRunningRunsAgainOnTheSameWorkerAfterwards) {
  CmwqMachine m(det_config(2));
  int runs = 0;
  std::unique_ptr<Work> w;
  w = make_work("w", [&](Work*) {
    ++runs;
    m.k().sleep_for(msecs(5));
  });
  m.scenario([&] {
    EXPECT_TRUE(m.cmwq->schedule_work_on(0, w.get()));
    m.k().sleep_for(msecs(1));
    EXPECT_EQ(m.cmwq->work_busy(w.get()), wq::WORK_BUSY_RUNNING);
    EXPECT_TRUE(m.cmwq->schedule_work_on(0, w.get()));  // PENDING was cleared before it ran
  });
  auto r = m.runs("w");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].pid, r[1].pid);
  EXPECT_EQ(r[1].start, r[0].end);  // never concurrently
}

TEST(WqQueue, CrossCpuRequeueStaysOnThePoolWhereItRuns) {
  CmwqMachine m(det_config(2));
  auto w = make_work("w", [&](Work*) { m.k().sleep_for(msecs(5)); });
  m.scenario([&] {
    m.cmwq->schedule_work_on(0, w.get());
    m.k().sleep_for(msecs(1));
    m.cmwq->schedule_work_on(1, w.get());  // still running on CPU 0
    m.k().sleep_for(msecs(20));
    m.cmwq->schedule_work_on(1, w.get());  // finished: now it goes to CPU 1
  });
  auto q = m.events(EventKind::WqQueueWork);
  ASSERT_EQ(q.size(), 3u);
  EXPECT_EQ(q[1].args[3], 1);  // req_cpu=1
  EXPECT_EQ(q[1].args[4], 0);  // cpu=0
  EXPECT_EQ(q[2].args[4], 1);
  auto r = m.runs("w");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[1].pool, m.cmwq->cpu_pool(0, false)->id);
  EXPECT_EQ(r[2].pool, m.cmwq->cpu_pool(1, false)->id);
}

TEST(WqQueue, RecycledWorkWithAnotherFunctionIsNotACollision) {
  CmwqMachine m(det_config(2));
  wq::Work w;
  wq::INIT_WORK(
      &w, [&](Work*) { m.k().sleep_for(msecs(5)); }, "f");
  m.scenario([&] {
    m.cmwq->schedule_work_on(0, &w);
    m.k().sleep_for(msecs(1));
    wq::INIT_WORK(
        &w, [](Work*) {}, "g");  // same address, new function
    m.cmwq->schedule_work_on(1, &w);
  });
  auto q = m.events(EventKind::WqQueueWork);
  ASSERT_EQ(q.size(), 2u);
  EXPECT_EQ(q[1].args[4], 1);  // not redirected to CPU 0
  EXPECT_EQ(m.run("g").start, msecs(1));
}

TEST(WqQueue, PerCpuMaxActiveHoldsItemsInactiveInFifoOrder) {
  CmwqMachine m;
  std::vector<std::unique_ptr<Work>> w;
  for (int i = 1; i <= 5; ++i)
    w.push_back(make_work("w" + std::to_string(i), [&](Work*) { m.k().sleep_for(msecs(100)); }));
  auto* wq = m.cmwq->alloc_workqueue("limited", 0, 2);
  m.scenario([&] {
    for (auto& x : w) m.cmwq->queue_work(wq, x.get());
    EXPECT_TRUE(m.cmwq->workqueue_congested(0, wq));
  });
  auto inactive = m.events(EventKind::WqWorkInactive);
  ASSERT_EQ(inactive.size(), 3u);
  EXPECT_EQ(m.rk.str(inactive[0].args[1]), "w3");
  EXPECT_EQ(m.run("w3").start, msecs(100));
  EXPECT_EQ(m.run("w4").start, msecs(100));
  EXPECT_EQ(m.run("w5").start, msecs(200));
  std::vector<std::string> activated;
  for (auto& e : m.events(EventKind::WqActivateWork)) activated.push_back(m.rk.str(e.args[1]));
  EXPECT_EQ(activated, (std::vector<std::string>{"w1", "w2", "w3", "w4", "w5"}));
  EXPECT_FALSE(m.cmwq->workqueue_congested(0, wq));
}

TEST(WqQueue, BoundMaxActiveIsPerCpu) {
  CmwqMachine m(det_config(2));
  auto a = make_work("a", [&](Work*) { m.k().sleep_for(msecs(10)); });
  auto b = make_work("b", [&](Work*) { m.k().sleep_for(msecs(10)); });
  auto* wq = m.cmwq->alloc_workqueue("one_each", 0, 1);
  m.scenario([&] {
    m.cmwq->queue_work_on(0, wq, a.get());
    m.cmwq->queue_work_on(1, wq, b.get());
  });
  EXPECT_EQ(m.run("a").start, 0);
  EXPECT_EQ(m.run("b").start, 0);
}

TEST(WqQueue, UnboundMaxActiveIsSystemWide) {
  CmwqMachine m(det_config(4));
  std::vector<std::unique_ptr<Work>> w;
  for (int i = 0; i < 10; ++i)
    w.push_back(make_work("u" + std::to_string(i), [&](Work*) { m.k().sleep_for(msecs(10)); }));
  auto* wq = m.cmwq->alloc_workqueue("unbound4", wq::WQ_UNBOUND, 4);
  m.scenario([&] {
    for (int i = 0; i < 10; ++i) m.cmwq->queue_work_on(i % 4, wq, w[static_cast<size_t>(i)].get());
  });
  int running = 0, peak = 0;
  for (auto& e : m.all()) {
    if (e.kind == EventKind::WqExecuteStart) peak = std::max(peak, ++running);
    if (e.kind == EventKind::WqExecuteEnd) --running;
  }
  EXPECT_EQ(peak, 4);
  EXPECT_EQ(m.events(EventKind::WqWorkInactive).size(), 6u);
  EXPECT_EQ(m.executions().size(), 10u);
  EXPECT_EQ(m.k().now(), msecs(30));  // 4 + 4 + 2
}

TEST(WqQueue, OrderedWorkqueueRunsOneAtATimeInQueueOrder) {
  CmwqMachine m(det_config(4));
  auto w1 = make_work("w1", [&](Work*) { m.k().sleep_for(msecs(50)); });
  auto w2 = make_work("w2", [](Work*) {});
  auto w3 = make_work("w3", [](Work*) {});
  auto* wq = m.cmwq->alloc_ordered_workqueue("ordered", 0);
  m.scenario([&] {
    m.cmwq->queue_work_on(0, wq, w1.get());
    m.cmwq->queue_work_on(2, wq, w2.get());
    m.cmwq->queue_work_on(3, wq, w3.get());
  });
  EXPECT_EQ(m.run("w2").start, msecs(50));  // blocking w1 does not let w2 in
  EXPECT_EQ(m.run("w3").start, msecs(50));
  auto x = m.executions();
  ASSERT_EQ(x.size(), 3u);
  EXPECT_EQ(x[0].func, "w1");
  EXPECT_EQ(x[1].func, "w2");
  EXPECT_EQ(x[2].func, "w3");
}

TEST(WqQueue, DelayedWorkQueuesWhenItsTimerFires) {
  CmwqMachine m;
  wq::DelayedWork dw;
  wq::INIT_DELAYED_WORK(
      &dw, [](Work*) {}, "later");
  m.scenario([&] {
    EXPECT_TRUE(m.cmwq->schedule_delayed_work(&dw, 100));
    EXPECT_FALSE(m.cmwq->schedule_delayed_work(&dw, 10));  // pending: delay unchanged
  });
  // 100 jiffies is on the wheel's level 1 (granularity 8): calc_index() rounds up to jiffy 104.
  auto q = m.events(EventKind::WqQueueWork);
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].time_ns, msecs(104));
  EXPECT_EQ(q[0].pid, 0);  // from the timer, not from a task
  EXPECT_EQ(m.run("later").start, msecs(104));
}

TEST(WqQueue, ModDelayedWorkRearmsAndZeroDelayQueuesAtOnce) {
  CmwqMachine m;
  wq::DelayedWork dw, now;
  wq::INIT_DELAYED_WORK(
      &dw, [](Work*) {}, "moved");
  wq::INIT_DELAYED_WORK(
      &now, [](Work*) {}, "now");
  m.scenario([&] {
    m.cmwq->schedule_delayed_work(&dw, 100);
    EXPECT_TRUE(m.cmwq->mod_delayed_work(m.cmwq->system_wq, &dw, 10));
    EXPECT_TRUE(m.cmwq->schedule_delayed_work(&now, 0));
  });
  EXPECT_EQ(m.run("moved").start, msecs(11));  // level 0: one jiffy after expires
  EXPECT_EQ(m.run("now").start, 0);
  EXPECT_EQ(m.runs("moved").size(), 1u);
}

TEST(WqQueue, QueueingOnADestroyedWorkqueueIsRefusedWithAMessage) {
  CmwqMachine m;
  auto w = make_work("late", [](Work*) {});
  auto* wq = m.cmwq->alloc_workqueue("gone", 0, 0);
  bool queued = true;
  m.scenario([&] {
    m.cmwq->destroy_workqueue(wq);
    queued = m.cmwq->queue_work(wq, w.get());
  });
  EXPECT_FALSE(queued);
  EXPECT_TRUE(m.printed("gone, which has been destroyed"));
  EXPECT_TRUE(m.runs("late").empty());
  EXPECT_EQ(m.events(EventKind::WqDestroy).size(), 1u);
}

TEST(WqQueue, BadCpuAndUninitialisedWorkAreRefused) {
  CmwqMachine m(det_config(2));
  wq::Work never_initialised;
  auto w = make_work("w", [](Work*) {});
  m.scenario([&] {
    EXPECT_FALSE(m.cmwq->schedule_work_on(7, w.get()));
    EXPECT_FALSE(m.cmwq->schedule_work(&never_initialised));
  });
  EXPECT_TRUE(m.printed("cpu 7, which does not exist"));
  EXPECT_TRUE(m.printed("never INIT_WORK()ed"));
}

TEST(WqQueue, MaxActiveOutOfRangeIsClampedWithTheKernelsWarning) {
  CmwqMachine m;
  auto* wq = m.cmwq->alloc_workqueue("greedy", 0, 100000);
  EXPECT_EQ(wq->max_active.load(), wq::WQ_MAX_ACTIVE);
  EXPECT_TRUE(
      m.printed("workqueue: max_active 100000 requested for greedy is out of range, clamping "
                "between 1 and 512"));
}

TEST(WqQueue, SystemWorkqueuesAndBootWorkers) {
  CmwqMachine m(det_config(4));
  std::vector<std::string> names;
  for (auto* wq : m.cmwq->workqueues()) names.push_back(wq->name);
  EXPECT_EQ(names,
            (std::vector<std::string>{"events", "events_highpri", "events_long", "events_unbound",
                                      "events_freezable", "events_power_efficient",
                                      "events_freezable_pwr_efficient", "events_bh",
                                      "events_bh_highpri"}));
  // One worker per per-CPU pool plus one for the unbound pool.
  EXPECT_EQ(m.cmwq->nr_kworkers(), 4 * 2 + 1);
  std::vector<std::string> comms;
  for (auto& e : m.events(EventKind::TaskCreate)) comms.push_back(m.rk.str(e.args[1]));
  EXPECT_EQ(comms.front(), "kworker/0:0");
  EXPECT_EQ(comms[1], "kworker/0:0H");
  EXPECT_EQ(comms.back(), "kworker/u16:0");
}

TEST(WqQueue, CreateWorkqueueGetsARescuerNamedAfterIt) {
  CmwqMachine m;
  auto* wq = m.cmwq->create_workqueue("ata_sff");
  ASSERT_NE(wq, nullptr);
  EXPECT_NE(wq->rescuer, nullptr);
  EXPECT_EQ(wq->rescuer->task->comm, "kworker/R-ata_s");
  EXPECT_EQ(wq->flags.load() & (wq::WQ_MEM_RECLAIM | wq::__WQ_LEGACY),
            wq::WQ_MEM_RECLAIM | wq::__WQ_LEGACY);
  auto* st = m.cmwq->create_singlethread_workqueue("st");
  EXPECT_TRUE(st->flags.load() & wq::__WQ_ORDERED);
  EXPECT_EQ(st->max_active.load(), 1);
}

}  // namespace
}  // namespace wqlab::test

namespace wqlab::test {
namespace {

// KERNEL_SPEC §11 scenario 36, the throttled form: queue now, activate later, then run.
TEST(WqQueue, ThrottledItemIsActivatedLaterThenRuns) {
  CmwqMachine m;
  auto first = make_work("first", [&](wq::Work*) { m.k().sleep_for(msecs(4)); });
  auto held = make_work("held", [](wq::Work*) {});
  auto* wq = m.cmwq->alloc_workqueue("one", 0, 1);
  m.scenario([&] {
    m.cmwq->queue_work(wq, first.get());
    m.cmwq->queue_work(wq, held.get());
  });
  std::vector<std::pair<trace::EventKind, Nanos>> seen;
  for (auto& e : m.all()) {
    bool tp =
        e.kind == trace::EventKind::WqQueueWork || e.kind == trace::EventKind::WqActivateWork ||
        e.kind == trace::EventKind::WqExecuteStart || e.kind == trace::EventKind::WqExecuteEnd;
    if (tp && m.rk.str(e.args[1]) == "held") seen.emplace_back(e.kind, e.time_ns);
  }
  using K = trace::EventKind;
  EXPECT_EQ(seen, (std::vector<std::pair<K, Nanos>>{{K::WqQueueWork, 0},
                                                    {K::WqActivateWork, msecs(4)},
                                                    {K::WqExecuteStart, msecs(4)},
                                                    {K::WqExecuteEnd, msecs(4)}}));
}

}  // namespace
}  // namespace wqlab::test

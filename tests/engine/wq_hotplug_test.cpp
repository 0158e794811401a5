// Freezer, CPU hotplug and max_active changes (KERNEL_SPEC §8, §11 scenarios 33-34), and
// cmwq in realtime mode.
#include <gtest/gtest.h>

#include <chrono>

#include <atomic>
#include <set>

#include "wq_test_util.h"

namespace wqlab::test {
namespace {

using trace::EventKind;
using wq::Work;

TEST(WqFreeze, FreezableItemsWaitUntilThawAndOthersKeepRunning) {
  CmwqMachine m;
  auto* fz = m.cmwq->alloc_workqueue("fz", wq::WQ_FREEZABLE, 0);
  auto running = make_work("running", [&](Work*) { m.k().sleep_for(msecs(10)); });
  auto held1 = make_work("held1", [](Work*) {});
  auto held2 = make_work("held2", [](Work*) {});
  auto free_item = make_work("free", [](Work*) {});
  bool busy_at_start = false, busy_later = true;
  m.scenario([&] {
    m.cmwq->queue_work(fz, running.get());
    m.k().sleep_for(msecs(1));
    m.cmwq->freeze_workqueues_begin();
    busy_at_start = m.cmwq->freeze_workqueues_busy();
    m.cmwq->queue_work(fz, held1.get());
    m.cmwq->queue_work(fz, held2.get());
    m.cmwq->schedule_work(free_item.get());
    m.k().sleep_for(msecs(20));
    busy_later = m.cmwq->freeze_workqueues_busy();
    m.cmwq->thaw_workqueues();
  });
  EXPECT_TRUE(busy_at_start);
  EXPECT_FALSE(busy_later);
  EXPECT_EQ(m.run("running").end, msecs(10));  // a running item finishes
  EXPECT_EQ(m.run("free").start, msecs(1));    // non-freezable: unaffected
  EXPECT_EQ(m.run("held1").start, msecs(21));
  auto x = m.executions();
  ASSERT_EQ(x.size(), 4u);
  EXPECT_EQ(x[2].func, "held1");
  EXPECT_EQ(x[3].func, "held2");
}

TEST(WqHotplug, OfflineCpuRunsItsPendingItemsConcurrentlyElsewhere) {
  CmwqMachine m(det_config(4));
  std::vector<std::unique_ptr<Work>> items;
  for (int i = 0; i < 3; ++i)
    items.push_back(
        make_work("p" + std::to_string(i), [&](Work*) { m.k().compute_for(msecs(10)); }));
  auto* pool = m.cmwq->cpu_pool(1, false);
  m.scenario(
      [&] {
        for (auto& w : items) m.cmwq->schedule_work_on(1, w.get());
        m.k().sleep_for(msecs(1));
        EXPECT_EQ(m.k().set_cpu_online(1, false), 0);
      },
      0);
  EXPECT_TRUE(pool->flags & wq::POOL_DISASSOCIATED);
  EXPECT_EQ(pool->nr_running, 0);
  // p0 was running on CPU 1; p1 and p2 start once CPU 1 is gone, without waiting for p0.
  EXPECT_EQ(m.run("p1").start, msecs(1));
  EXPECT_EQ(m.run("p2").start, msecs(1));
  for (int i = 0; i < 3; ++i) EXPECT_NE(m.run("p" + std::to_string(i)).end, -1);
}

TEST(WqHotplug, OnlineAgainRebindsWorkersWhichRejoinConcurrencyManagementLater) {
  CmwqMachine m(det_config(2));
  auto* pool = m.cmwq->cpu_pool(1, false);
  auto a = make_work("a", [&](Work*) { m.k().compute_for(msecs(2)); });
  auto b = make_work("b", [&](Work*) { m.k().compute_for(msecs(2)); });
  m.scenario(
      [&] {
        m.k().set_cpu_online(1, false);
        m.k().set_cpu_online(1, true);
        EXPECT_FALSE(pool->flags & wq::POOL_DISASSOCIATED);
        m.cmwq->schedule_work_on(1, a.get());
        m.cmwq->schedule_work_on(1, b.get());
      },
      0);
  // Concurrency management is back: b waits for a.
  EXPECT_EQ(m.run("b").start, m.run("a").end);
}

TEST(WqMaxActive, RaisingMaxActiveActivatesWaitingItems) {
  CmwqMachine m;
  std::vector<std::unique_ptr<Work>> w;
  for (int i = 0; i < 4; ++i)
    w.push_back(make_work("w" + std::to_string(i), [&](Work*) { m.k().sleep_for(msecs(10)); }));
  auto* wq = m.cmwq->alloc_workqueue("tunable", 0, 1);
  m.scenario([&] {
    for (auto& x : w) m.cmwq->queue_work(wq, x.get());
    m.k().sleep_for(msecs(1));
    m.cmwq->workqueue_set_max_active(wq, 4);
  });
  EXPECT_EQ(m.run("w1").start, msecs(1));
  EXPECT_EQ(m.run("w3").start, msecs(1));
  EXPECT_EQ(m.events(EventKind::WqMaxActive).size(), 1u);
}

TEST(WqMaxActive, OrderedWorkqueuesRefuseMaxActiveChanges) {
  CmwqMachine m;
  auto* wq = m.cmwq->alloc_ordered_workqueue("strict", 0);
  m.scenario([&] { m.cmwq->workqueue_set_max_active(wq, 4); });
  EXPECT_EQ(wq->max_active.load(), 1);
  EXPECT_TRUE(m.printed("strict is ordered"));
}

TEST(WqApi, ScheduleOnEachCpuRunsEverywhereAndWaits) {
  CmwqMachine m(det_config(4));
  std::atomic<int> ran{0};
  int ret = -1;
  m.scenario([&] {
    ret = m.cmwq->schedule_on_each_cpu([&](Work*) { ++ran; }, "per_cpu_fn");
    EXPECT_EQ(ran.load(), 4);
  });
  EXPECT_EQ(ret, 0);
  std::set<int> pools;
  for (auto& x : m.runs("per_cpu_fn")) pools.insert(x.pool);
  EXPECT_EQ(pools.size(), 4u);
}

TEST(WqApi, CurrentWorkAndRescuerQueries) {
  CmwqMachine m;
  wq::Work* seen = nullptr;
  bool is_rescuer = true;
  auto w = make_work("asker", [&](Work*) {
    seen = m.cmwq->current_work();
    is_rescuer = m.cmwq->current_is_workqueue_rescuer();
  });
  m.scenario([&] {
    EXPECT_EQ(m.cmwq->current_work(), nullptr);
    m.cmwq->schedule_work(w.get());
  });
  EXPECT_EQ(seen, w.get());
  EXPECT_FALSE(is_rescuer);
}

// The same cmwq code in realtime mode: items really run in parallel on OS threads. After their
// sleep each item spins (outside the simulated kernel) until another item is inside too: only two
// OS threads running at once can meet; a deadline keeps a broken build from hanging.
TEST(WqRealtime, ItemsRunAndFlushInRealtimeMode) {
  auto cfg = rt_config(2);
  cfg.speed = 10.0;
  CmwqMachine m(cfg);
  std::atomic<int> done{0}, inside{0}, met{0};
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  std::vector<std::unique_ptr<Work>> items;
  for (int i = 0; i < 6; ++i)
    items.push_back(make_work("rt" + std::to_string(i), [&](Work*) {
      m.k().sleep_for(msecs(20));
      ++inside;
      while (inside.load() < 2 && met.load() < 2 && std::chrono::steady_clock::now() < deadline) {
      }
      if (inside.load() >= 2) ++met;
      m.k().compute_for(msecs(2));
      --inside;
      ++done;
    }));
  auto* wq = m.cmwq->alloc_workqueue("rt", wq::WQ_UNBOUND, 0);
  std::atomic<bool> flushed{false};
  m.rk.k->spawn("scenario", [&] {
    for (auto& w : items) m.cmwq->queue_work(wq, w.get());
    m.cmwq->flush_workqueue(wq);
    flushed = true;
  });
  for (int i = 0; i < 1500 && !flushed.load(); ++i) m.k().run_for(msecs(20));
  ASSERT_TRUE(flushed.load()) << "flush_workqueue() did not return within 30 s of virtual time";
  EXPECT_EQ(done.load(), 6);
  EXPECT_GE(met.load(), 2) << "no two items were ever inside their bodies at the same time";
  int running = 0, peak = 0;
  for (auto& e : m.all()) {
    if (e.kind == EventKind::WqExecuteStart) peak = std::max(peak, ++running);
    if (e.kind == EventKind::WqExecuteEnd) --running;
  }
  EXPECT_GE(peak, 2);
}

}  // namespace
}  // namespace wqlab::test

namespace wqlab::test {
namespace {

TEST(WqTools, MonitorAndDumpReportWhatTheMachineDid) {
  CmwqMachine m(det_config(2));
  auto* reclaim = m.cmwq->alloc_workqueue("wb", wq::WQ_MEM_RECLAIM, 0);
  auto* unbound = m.cmwq->alloc_workqueue("ub", wq::WQ_UNBOUND, 4);
  auto a = make_work("a", [&](wq::Work*) { m.k().compute_for(msecs(3)); });
  auto b = make_work("b", [&](wq::Work*) { m.k().sleep_for(msecs(1)); });
  m.scenario([&] {
    m.cmwq->queue_work(reclaim, a.get());
    m.cmwq->queue_work(unbound, b.get());
  });
  auto rows = m.cmwq->wq_monitor();
  const wq::MonitorRow* wb = nullptr;
  for (auto& r : rows)
    if (r.name == "wb") wb = &r;
  ASSERT_NE(wb, nullptr);
  EXPECT_EQ(wb->total, 1u);
  EXPECT_EQ(wb->infl, 0u);
  EXPECT_EQ(wb->cpu_time_us, 3000u);  // three ticks of 1 ms
  std::string table = wq::format_wq_monitor(rows);
  EXPECT_NE(table.find("total  infl  CPUtime CPUitsv CMW/RPR mayday rescued"), std::string::npos)
      << table;
  EXPECT_NE(
      table.find("ub                              1     0      0.0       -       0      -       -"),
      std::string::npos)
      << table;
  std::string dump = m.cmwq->wq_dump();
  EXPECT_NE(dump.find("pool[02] ref= 1 nice=  0 idle/workers="), std::string::npos) << dump;
  EXPECT_NE(dump.find(" events                     percpu       2   6"), std::string::npos) << dump;
  EXPECT_NE(dump.find("kworker/R-wb"), std::string::npos) << dump;
  EXPECT_NE(dump.find(" ub                         min=  4 max=  4  node0 0/4"), std::string::npos)
      << dump;
}

}  // namespace
}  // namespace wqlab::test

// BH workqueues (KERNEL_SPEC §13, v6.9+): items run in softirq context on the queueing CPU with
// no kworker (kick_bh_pool(), workqueue_softirq_action(), bh_worker()), highpri ones from
// HI_SOFTIRQ, within bh_worker()'s BH_WORKER_RESTARTS / BH_WORKER_JIFFIES budget, and the rules
// __alloc_workqueue() enforces.
#include <gtest/gtest.h>

#include "wq_test_util.h"

namespace wqlab::test {
namespace {

using trace::EventKind;
using wq::Work;

// How many items ran in each softirq pass of `vec` (softirq_entry .. softirq_exit).
std::vector<int> items_per_pass(CmwqMachine& m, int vec) {
  std::vector<int> out;
  bool in = false;
  for (auto& e : m.all()) {
    if (e.kind == EventKind::SoftirqEntry && e.args[0] == vec) {
      out.push_back(0);
      in = true;
    } else if (e.kind == EventKind::SoftirqExit && e.args[0] == vec) {
      in = false;
    } else if (in && e.kind == EventKind::WqExecuteStart) {
      ++out.back();
    }
  }
  return out;
}

// kick_bh_pool() + bh_worker(): the item runs on the CPU that queued it, in that CPU's
// softirq context (ksoftirqd/2 here), from the per-CPU BH pool; no kworker is created or woken.
TEST(WqBh, ItemRunsInSoftirqOnTheQueueingCpuWithoutAKworker) {
  CmwqMachine m(det_config(4));
  int kworkers = m.cmwq->nr_kworkers();
  std::string comm;
  int cpu = -1;
  bool in_softirq = false;
  wq::Work* seen_current = reinterpret_cast<wq::Work*>(1);
  auto bh = make_work("bh_fn", [&](Work*) {
    comm = m.k().current()->comm;
    cpu = m.k().smp_processor_id();
    in_softirq = m.k().current()->softirq_count > 0;
    seen_current = m.cmwq->current_work();  // in_task() is false: not a workqueue worker
  });
  m.scenario([&] { EXPECT_TRUE(m.cmwq->queue_work(m.cmwq->system_bh_wq, bh.get())); }, 2);
  EXPECT_EQ(comm, "ksoftirqd/2");
  EXPECT_EQ(cpu, 2);
  EXPECT_TRUE(in_softirq);
  EXPECT_EQ(seen_current, nullptr);
  EXPECT_EQ(m.run("bh_fn").pool, m.cmwq->bh_pool(2, false)->id);
  EXPECT_EQ(m.run("bh_fn").pool, 2 * wq::POOLS_PER_CPU_IDS);  // Linux's pool id for it
  EXPECT_EQ(m.cmwq->nr_kworkers(), kworkers);
  int kworker_tasks = 0;  // every one of them made at boot
  for (auto& e : m.events(EventKind::TaskCreate))
    if (m.rk.str(e.args[1]).rfind("kworker/", 0) == 0) ++kworker_tasks;
  EXPECT_EQ(kworker_tasks, kworkers);
  for (auto& e : m.events(EventKind::WqExecuteStart)) EXPECT_EQ(m.comm_of(e.pid), "ksoftirqd/2");
  auto raise = m.events(EventKind::SoftirqRaise);
  ASSERT_EQ(raise.size(), 1u);
  EXPECT_EQ(raise[0].args[0], kernel::TASKLET_SOFTIRQ);
  EXPECT_EQ(raise[0].args[1], 2);
}

// kick_bh_pool() from another CPU (Linux: irq_work_queue_on()) still runs on the pool's CPU.
TEST(WqBh, QueueOnAnotherCpuRunsThere) {
  CmwqMachine m(det_config(4));
  int cpu = -1;
  auto bh = make_work("remote", [&](Work*) { cpu = m.k().smp_processor_id(); });
  m.scenario([&] { m.cmwq->queue_work_on(3, m.cmwq->system_bh_wq, bh.get()); }, 0);
  EXPECT_EQ(cpu, 3);
  EXPECT_EQ(m.comm_of(m.run("remote").pid), "ksoftirqd/3");
}

// kick_bh_pool(): the highpri BH pool raises HI_SOFTIRQ (vector 0), which handle_softirqs()
// runs before TASKLET_SOFTIRQ (vector 6) even when its item was queued later.
TEST(WqBh, HighpriBhRunsFromHiSoftirqBeforeTheNormalOne) {
  CmwqMachine m(det_config(2));
  auto normal = make_work("normal_bh", [](Work*) {});
  auto high = make_work("high_bh", [](Work*) {});
  m.scenario([&] {
    m.cmwq->queue_work(m.cmwq->system_bh_wq, normal.get());
    m.cmwq->queue_work(m.cmwq->system_bh_highpri_wq, high.get());
  });
  auto x = m.executions();
  ASSERT_EQ(x.size(), 2u);
  EXPECT_EQ(x[0].func, "high_bh");
  EXPECT_EQ(x[0].pool, m.cmwq->bh_pool(0, true)->id);
  EXPECT_EQ(x[1].func, "normal_bh");
  EXPECT_EQ(items_per_pass(m, kernel::HI_SOFTIRQ), std::vector<int>{1});
  EXPECT_EQ(items_per_pass(m, kernel::TASKLET_SOFTIRQ), std::vector<int>{1});
}

// bh_worker(): at most BH_WORKER_RESTARTS (10) items per softirq pass; kick_pool() raises the
// softirq again for the rest.
TEST(WqBh, BhWorkerRunsAtMostTenItemsPerPass) {
  CmwqMachine m(det_config(1));
  std::vector<std::unique_ptr<Work>> items;
  for (int i = 0; i < 25; ++i) items.push_back(make_work("i" + std::to_string(i), [](Work*) {}));
  m.scenario([&] {
    for (auto& w : items) m.cmwq->queue_work(m.cmwq->system_bh_wq, w.get());
  });
  EXPECT_EQ(items_per_pass(m, kernel::TASKLET_SOFTIRQ), (std::vector<int>{10, 10, 5}));
  EXPECT_EQ(m.executions().size(), 25u);
}

// bh_worker(): a pass also ends once BH_WORKER_JIFFIES (2 ms) have gone by, here after two
// items that each keep the CPU busy for 1 ms.
TEST(WqBh, BhWorkerStopsAfterTwoJiffies) {
  CmwqMachine m(det_config(1));
  std::vector<std::unique_ptr<Work>> items;
  for (int i = 0; i < 5; ++i)
    items.push_back(
        make_work("c" + std::to_string(i), [&](Work*) { m.k().compute_for(msecs(1)); }));
  m.scenario([&] {
    for (auto& w : items) m.cmwq->queue_work(m.cmwq->system_bh_wq, w.get());
  });
  EXPECT_EQ(items_per_pass(m, kernel::TASKLET_SOFTIRQ), (std::vector<int>{2, 2, 1}));
  EXPECT_EQ(m.run("c4").end, msecs(5));
}

// No sleeping in softirq context: schedule() from a BH item is __schedule_bug()'s report, with
// the softirq count (0x100) plus schedule()'s own preempt_disable() in preempt_count.
TEST(WqBh, SleepingInABhItemIsReportedAsSchedulingWhileAtomic) {
  CmwqMachine m(det_config(1));
  auto sleeper = make_work("sleepy_bh", [&](Work*) { m.k().sleep_for(msecs(1)); });
  m.scenario([&] { m.cmwq->queue_work(m.cmwq->system_bh_wq, sleeper.get()); });
  kernel::Task* ksoftirqd = m.k().softirq().ksoftirqd(0);
  ASSERT_NE(ksoftirqd, nullptr);
  EXPECT_TRUE(m.printed("BUG: scheduling while atomic: ksoftirqd/0/" +
                        std::to_string(ksoftirqd->pid) + "/0x00000101"));
}

// __alloc_workqueue(): WQ_BH takes only WQ_HIGHPRI besides, and max_active must be 0.
TEST(WqBh, AllocRefusesBhWithMaxActiveOrOtherFlags) {
  CmwqMachine m(det_config(2));
  EXPECT_EQ(m.cmwq->alloc_workqueue("bh1", wq::WQ_BH, 1), nullptr);
  EXPECT_TRUE(m.printed("must pass max_active 0"));
  EXPECT_EQ(m.cmwq->alloc_workqueue("bh2", wq::WQ_BH | wq::WQ_UNBOUND, 0), nullptr);
  EXPECT_TRUE(m.printed("may only add WQ_HIGHPRI"));
  wq::Workqueue* hi = m.cmwq->alloc_workqueue("bh3", wq::WQ_BH | wq::WQ_HIGHPRI, 0);
  ASSERT_NE(hi, nullptr);
  EXPECT_EQ(hi->pwq_of(1)->pool, m.cmwq->bh_pool(1, true));
  EXPECT_EQ(m.cmwq->system_bh_wq->name, "events_bh");
  EXPECT_EQ(m.cmwq->system_bh_highpri_wq->name, "events_bh_highpri");
}

// flush_work() on a BH item: the barrier also runs in softirq context and completes the waiter.
TEST(WqBh, FlushWorkWaitsForABhItem) {
  CmwqMachine m(det_config(1));
  bool ran_before_flush_returned = false;
  bool ran = false;
  auto bh = make_work("flushed_bh", [&](Work*) { ran = true; });
  m.scenario([&] {
    m.cmwq->queue_work(m.cmwq->system_bh_wq, bh.get());
    m.cmwq->flush_work(bh.get());
    ran_before_flush_returned = ran;
  });
  EXPECT_TRUE(ran_before_flush_returned);
}

// BH pools are per CPU and ignore hotplug: a BH item never runs on another CPU's softirq. An item
// raised for an offline CPU (a bug in Linux, where irq_work_queue_on() warns) waits until the CPU
// is back. Lab: Linux's workqueue_softirq_dead() drain of a dying CPU's BH pools is not modelled.
TEST(WqBh, ItemsRaisedForAnOfflineCpuWaitForIt) {
  CmwqMachine m(det_config(2));
  int cpu = -1;
  auto bh = make_work("late_bh", [&](Work*) { cpu = m.k().smp_processor_id(); });
  Nanos ran_at = -1;
  m.scenario([&] {
    m.k().set_cpu_online(1, false);
    m.cmwq->queue_work_on(1, m.cmwq->system_bh_wq, bh.get());
    m.k().sleep_for(msecs(3));
    m.k().set_cpu_online(1, true);
  });
  ran_at = m.run("late_bh").start;
  EXPECT_EQ(cpu, 1);
  EXPECT_EQ(ran_at, msecs(3));
}

}  // namespace
}  // namespace wqlab::test

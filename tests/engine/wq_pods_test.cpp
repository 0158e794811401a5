// Unbound workqueues on a machine topology (KERNEL_SPEC §8, §13): pods per affinity scope
// (init_pod_type()), repatriation in kick_pool() with PWQ_STAT_REPATRIATED, strict pods
// (pool_allowed_cpus()), and CPU hotplug re-picking the per-CPU pwqs (unbound_wq_update_pwq()).
#include <gtest/gtest.h>

#include <set>

#include "wq_test_util.h"

namespace wqlab::test {
namespace {

using trace::EventKind;
using wq::Work;

kernel::KernelConfig topo_config(int cpus, int smt, int cache, int node) {
  kernel::KernelConfig c = det_config(cpus);
  c.topology.smt = smt;
  c.topology.cpus_per_cache = cache;
  c.topology.cpus_per_node = node;
  return c;
}

kernel::CpuMask mask_of(std::initializer_list<int> cpus) {
  kernel::CpuMask m;
  for (int c : cpus) m.set(static_cast<size_t>(c));
  return m;
}

// The CPU each execution of `func` started on.
std::vector<int> cpus_of(CmwqMachine& m, const std::string& func) {
  std::vector<int> out;
  for (auto& e : m.events(EventKind::WqExecuteStart))
    if (m.rk.str(e.args[1]) == func) out.push_back(e.cpu);
  return out;
}

// init_pod_type(): a CPU joins the pod of the first earlier CPU it shares the level with.
TEST(WqPods, InitPodTypeGroupsCpusByTopology) {
  CmwqMachine m(topo_config(8, 2, 4, 8));
  EXPECT_EQ(m.cmwq->pod_type(wq::WQ_AFFN_CPU).nr_pods, 8);
  EXPECT_EQ(m.cmwq->pod_type(wq::WQ_AFFN_SMT).nr_pods, 4);
  EXPECT_EQ(m.cmwq->pod_type(wq::WQ_AFFN_CACHE).nr_pods, 2);
  EXPECT_EQ(m.cmwq->pod_type(wq::WQ_AFFN_NUMA).nr_pods, 1);
  EXPECT_EQ(m.cmwq->pod_type(wq::WQ_AFFN_SYSTEM).nr_pods, 1);
  EXPECT_EQ(m.cmwq->pod_type(wq::WQ_AFFN_SMT).pod_cpus[1], mask_of({2, 3}));
  EXPECT_EQ(m.cmwq->pod_type(wq::WQ_AFFN_CACHE).pod_cpus[1], mask_of({4, 5, 6, 7}));
  // wq_affn_dfl = WQ_AFFN_CACHE.
  EXPECT_EQ(m.cmwq->pod_type(wq::WQ_AFFN_DFL).nr_pods, 2);
}

// The default topology is one LLC on one node: every unbound slot shares one pod.
TEST(WqPods, DefaultTopologyIsOneCachePod) {
  CmwqMachine m(det_config(4));
  wq::Workqueue* wq = m.cmwq->system_unbound_wq;
  for (int cpu = 1; cpu < 4; ++cpu) EXPECT_EQ(wq->pwq_of(cpu)->pool, wq->pwq_of(0)->pool);
  EXPECT_EQ(wq->pwq_of(0)->pool->attrs.pod_cpumask, mask_of({0, 1, 2, 3}));
}

// kick_pool(): a non-strict pool's idle worker last ran on CPU 0, outside the pod {2,3} that
// the item was queued for; it is woken inside the pod and the pwq counts REPATRIATED (RPR).
TEST(WqPods, KickPoolRepatriatesAWorkerWokenOutsideItsPod) {
  CmwqMachine m(topo_config(4, 1, 2, 0));
  wq::Workqueue* wq = m.cmwq->system_unbound_wq;
  auto a = make_work("a", [](Work*) {});
  auto b = make_work("b", [](Work*) {});
  m.scenario(
      [&] {
        m.cmwq->queue_work(wq, a.get());
        m.k().sleep_for(msecs(5));
        m.cmwq->queue_work(wq, b.get());
      },
      3);
  EXPECT_EQ(wq->pwq_of(3)->pool->attrs.pod_cpumask, mask_of({2, 3}));
  EXPECT_EQ(cpus_of(m, "a"), std::vector<int>{2});
  EXPECT_EQ(cpus_of(m, "b"), std::vector<int>{2});  // it now sleeps in the pod: nothing to do
  EXPECT_EQ(m.cmwq->wq_stats(wq).stat[wq::PWQ_STAT_REPATRIATED], 1u);
  auto rpr = m.events(EventKind::WqRepatriate);
  ASSERT_EQ(rpr.size(), 1u);
  EXPECT_EQ(rpr[0].args[2], 0);  // from CPU 0
  EXPECT_EQ(rpr[0].args[3], 2);  // to the pod's first CPU after cpumask_any_distribute's start
  for (auto& row : m.cmwq->wq_monitor()) {
    if (row.name == "events_unbound") {
      EXPECT_EQ(row.repatriated, 1u);
    }
  }
  EXPECT_NE(wq::format_wq_monitor(m.cmwq->wq_monitor()).find("CMW/RPR"), std::string::npos);
}

// pool_allowed_cpus(): a strict pool binds its workers to the pod, so there is nothing to
// repatriate.
TEST(WqPods, StrictPodKeepsWorkersInsideAndNeverRepatriates) {
  CmwqMachine m(topo_config(4, 1, 2, 0));
  wq::Workqueue* wq = nullptr;
  auto a = make_work("a", [](Work*) {});
  m.scenario(
      [&] {
        wq = m.cmwq->alloc_workqueue("strict", wq::WQ_UNBOUND, 0);
        EXPECT_EQ(m.cmwq->workqueue_set_affinity(wq, wq::WQ_AFFN_CACHE, true), 0);
        m.cmwq->queue_work(wq, a.get());
      },
      3);
  ASSERT_NE(wq, nullptr);
  EXPECT_TRUE(wq->pwq_of(3)->pool->attrs.affn_strict);
  std::vector<int> cpus = cpus_of(m, "a");
  ASSERT_EQ(cpus.size(), 1u);
  EXPECT_TRUE(cpus[0] == 2 || cpus[0] == 3) << cpus[0];
  EXPECT_EQ(m.cmwq->wq_stats(wq).stat[wq::PWQ_STAT_REPATRIATED], 0u);
  EXPECT_TRUE(m.events(EventKind::WqRepatriate).empty());
}

// The affinity scope decides how many pools serve the CPU slots: one per CPU for "cpu", one
// for the whole machine for "system", and the module parameter picks the default.
TEST(WqPods, AffinityScopeDecidesHowManyPoolsServeTheSlots) {
  CmwqMachine m(topo_config(4, 2, 4, 0));
  wq::Workqueue* wq = nullptr;
  std::set<wq::WorkerPool*> per_cpu, per_smt, system;
  m.scenario([&] {
    wq = m.cmwq->alloc_workqueue("scoped", wq::WQ_UNBOUND, 0);
    m.cmwq->workqueue_set_affinity(wq, wq::WQ_AFFN_CPU, false);
    for (int c = 0; c < 4; ++c) per_cpu.insert(wq->pwq_of(c)->pool);
    m.cmwq->workqueue_set_affinity(wq, wq::WQ_AFFN_SMT, false);
    for (int c = 0; c < 4; ++c) per_smt.insert(wq->pwq_of(c)->pool);
    m.cmwq->workqueue_set_affinity(wq, wq::WQ_AFFN_SYSTEM, false);
    for (int c = 0; c < 4; ++c) system.insert(wq->pwq_of(c)->pool);
  });
  EXPECT_EQ(per_cpu.size(), 4u);
  EXPECT_EQ(per_smt.size(), 2u);
  EXPECT_EQ(system.size(), 1u);
  EXPECT_EQ(m.cmwq->workqueue_set_affinity(m.cmwq->system_wq, wq::WQ_AFFN_CPU, false),
            -kernel::kEINVAL);  // per-CPU workqueues have no affinity scope

  wq::CmwqConfig cfg;
  cfg.default_affinity_scope = wq::WQ_AFFN_CPU;
  CmwqMachine m2(topo_config(4, 2, 4, 0), cfg);
  std::set<wq::WorkerPool*> dfl;
  for (int c = 0; c < 4; ++c) dfl.insert(m2.cmwq->system_unbound_wq->pwq_of(c)->pool);
  EXPECT_EQ(dfl.size(), 4u);
}

// unbound_wq_update_pwq(): when the last CPU of a pod goes down, its slots fall back to the
// workqueue's whole cpumask (the default pool); when one comes back, they return to the pod.
TEST(WqPods, HotplugOfAWholePodFallsBackToTheDefaultPwqAndBack) {
  CmwqMachine m(topo_config(4, 1, 2, 0));
  wq::Workqueue* wq = m.cmwq->system_unbound_wq;
  wq::WorkerPool* pod_pool = wq->pwq_of(2)->pool;
  wq::WorkerPool* dfl_pool = wq->dfl_pwq->pool;
  ASSERT_NE(pod_pool, dfl_pool);
  auto down = make_work("down", [](Work*) {});
  auto up = make_work("up", [](Work*) {});
  wq::WorkerPool *after_one = nullptr, *after_both = nullptr, *after_up = nullptr;
  m.scenario([&] {
    m.k().set_cpu_online(2, false);
    after_one = wq->pwq_of(2)->pool;  // CPU 3 still serves the pod
    m.k().set_cpu_online(3, false);
    after_both = wq->pwq_of(2)->pool;
    m.cmwq->queue_work_on(3, wq, down.get());
    m.k().sleep_for(msecs(5));
    m.k().set_cpu_online(3, true);
    after_up = wq->pwq_of(2)->pool;
    m.cmwq->queue_work_on(3, wq, up.get());
  });
  EXPECT_EQ(after_one, pod_pool);
  EXPECT_EQ(after_both, dfl_pool);
  EXPECT_EQ(after_up, pod_pool);
  EXPECT_EQ(m.run("down").pool, dfl_pool->id);
  EXPECT_EQ(m.run("up").pool, pod_pool->id);
  int installs = 0;
  for (auto& e : m.events(EventKind::WqPwqInstall))
    if (m.rk.str(e.args[0]) == "events_unbound") ++installs;
  EXPECT_EQ(installs, 4);  // slots 2 and 3, down and up
}

// Ordered workqueues keep their single pwq through hotplug (unbound_wq_update_pwq() skips them).
TEST(WqPods, OrderedWorkqueueIgnoresPodChanges) {
  CmwqMachine m(topo_config(4, 1, 2, 0));
  wq::Workqueue* wq = nullptr;
  wq::PoolWorkqueue* before = nullptr;
  m.scenario([&] {
    wq = m.cmwq->alloc_ordered_workqueue("ord", 0);
    before = wq->pwq_of(3);
    m.k().set_cpu_online(2, false);
    m.k().set_cpu_online(3, false);
  });
  EXPECT_EQ(wq->pwq_of(3), before);
  EXPECT_EQ(wq->pwq_of(3), wq->dfl_pwq);
}

}  // namespace
}  // namespace wqlab::test

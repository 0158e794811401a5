// The built-in demos. Each is a real machine: the events the views show come from the engine.
// Browser limit: at most kBrowserCarrierCap tasks may be mid-body (computing or blocked inside a
// function) at once, so the demos stagger their work (see session/platform_limits.h).
#include "session/demo_scenarios.h"

#include <string>

namespace wqlab::session {
namespace {

using kernel::msecs;
using kernel::usecs;
using wq::WQ_HIGHPRI;
using wq::WQ_MEM_RECLAIM;
using wq::WQ_UNBOUND;

kernel::KernelConfig machine(int cpus) {
  kernel::KernelConfig c;
  c.nr_cpus = cpus;
  c.mode = kernel::Mode::Deterministic;
  return c;
}

// w0 burns 5 ms, sleeps 10 ms, burns 5 ms; w1 and w2 burn 5 ms, then sleep 10 ms.
void queue_doc_items(ScenarioContext& c, wq::Workqueue* wq, int cpu) {
  auto* w0 =
      c.work("w0", {Step::compute(msecs(5)), Step::sleep(msecs(10)), Step::compute(msecs(5))});
  auto* w1 = c.work("w1", {Step::compute(msecs(5)), Step::sleep(msecs(10))});
  auto* w2 = c.work("w2", {Step::compute(msecs(5)), Step::sleep(msecs(10))});
  c.cmwq.queue_work_on(cpu, wq, w0);
  c.cmwq.queue_work_on(cpu, wq, w1);
  c.cmwq.queue_work_on(cpu, wq, w2);
}

// Memory pressure makes the manager fail to create a worker; the mayday timer calls the
// WQ_MEM_RECLAIM queue's rescuer, while an item of an ordinary queue waits for the manager.
void starve_pool(ScenarioContext& c, wq::Workqueue* reclaim, int cpu) {
  c.k.set_memory_pressure(true);
  c.cmwq.queue_work_on(cpu, reclaim, c.work("writeback_fn", {Step::compute(msecs(2))}));
  c.cmwq.queue_work_on(cpu, c.cmwq.system_wq, c.work("stuck_fn", {Step::compute(msecs(1))}));
  c.k.sleep_for(msecs(20));
  c.k.set_memory_pressure(false);
}

void start_tour(ScenarioContext& c) {
  auto* doc = c.cmwq.alloc_workqueue("doc", 0, 0);
  auto* serial = c.cmwq.alloc_workqueue("serial", 0, 1);
  auto* crunch = c.cmwq.alloc_workqueue("crunch", WQ_UNBOUND, 0);
  auto* reclaim = c.cmwq.alloc_workqueue("reclaim", WQ_MEM_RECLAIM, 0);
  c.spawn(
      "scenario",
      [&c, doc, serial, crunch, reclaim] {
        // 0 ms: the workqueue.rst example on CPU 0, then wait for it with flush_workqueue().
        queue_doc_items(c, doc, 0);
        c.cmwq.flush_workqueue(doc);
        // 25 ms: max_active = 1 keeps two items on the inactive list; unbound items run in
        // parallel.
        for (const char* name : {"s0", "s1", "s2"})
          c.cmwq.queue_work_on(1, serial, c.work(name, {Step::compute(msecs(6))}));
        for (const char* name : {"u0", "u1", "u2"})
          c.cmwq.queue_work(crunch, c.work(name, {Step::compute(msecs(8))}));
        c.k.sleep_for(msecs(20));
        // 45 ms: a CPU hog on CPU 2 (flagged CPU-intensive after 10 ms) and a WQ_HIGHPRI item next
        // to it.
        c.cmwq.queue_work_on(2, c.cmwq.system_wq, c.work("hog_fn", {Step::compute(msecs(14))}));
        c.k.sleep_for(msecs(2));
        c.cmwq.queue_work_on(2, c.cmwq.system_highpri_wq,
                             c.work("urgent_fn", {Step::compute(msecs(1))}));
        c.k.sleep_for(msecs(18));
        // 65 ms: the rescuer at work on CPU 3; a delayed item fires 10 jiffies later.
        starve_pool(c, reclaim, 3);
        c.cmwq.queue_delayed_work(c.cmwq.system_wq,
                                  c.delayed_work("poll_fn", {Step::compute(msecs(1))}), 10);
        c.cmwq.flush_workqueue(reclaim);
      },
      0);
}

void start_doc(ScenarioContext& c) {
  auto* wq = c.cmwq.alloc_workqueue("doc", 0, 0);
  c.spawn(
      "scenario",
      [&c, wq] {
        queue_doc_items(c, wq, 0);
        c.cmwq.flush_workqueue(wq);
      },
      0);
}

void start_mayday(ScenarioContext& c) {
  auto* reclaim = c.cmwq.alloc_workqueue("writeback", WQ_MEM_RECLAIM, 0);
  c.spawn(
      "scenario",
      [&c, reclaim] {
        c.k.sleep_for(msecs(5));
        starve_pool(c, reclaim, 1);
        c.cmwq.flush_workqueue(reclaim);
      },
      0);
}

// A wave across 256 CPUs: one item per CPU every 0.5 ms, some with a sleep, and unbound items.
void start_wave(ScenarioContext& c) {
  auto* unbound = c.cmwq.alloc_workqueue("wave_unbound", WQ_UNBOUND, 0);
  c.spawn(
      "scenario",
      [&c, unbound] {
        const int cpus = c.k.nr_cpus();
        for (int cpu = 0; cpu < cpus; ++cpu) {
          std::vector<Step> steps = {Step::compute(msecs(2))};
          if (cpu % 3 == 0) steps.push_back(Step::sleep(usecs(500)));
          c.cmwq.queue_work_on(cpu, c.cmwq.system_wq, c.work("wave_fn", steps));
          if (cpu % 16 == 0)
            c.cmwq.queue_work(unbound, c.work("sweep_fn", {Step::compute(msecs(1))}));
          c.k.sleep_for(usecs(500));
        }
      },
      0);
}

// A million short executions on four CPUs, for --bench-ui. Producers on each CPU queue items in
// batches onto a bound, an unbound and a highpri workqueue; each item computes 10 us. Batches
// alternate between two sets of items, so none is still pending when it is queued again.
void start_bench(ScenarioContext& c) {
  auto* bound = c.cmwq.alloc_workqueue("bench_bound", 0, 0);
  auto* unbound = c.cmwq.alloc_workqueue("bench_unbound", WQ_UNBOUND, 4);
  auto* hi = c.cmwq.alloc_workqueue("bench_hi", WQ_HIGHPRI, 0);
  const int cpus = c.k.nr_cpus();
  constexpr int kBatch = 50;
  const int per_cpu = kBenchExecutions / cpus;
  for (int cpu = 0; cpu < cpus; ++cpu) {
    std::vector<wq::Work*> items;
    for (int i = 0; i < 2 * kBatch; ++i) {
      const int k = i % kBatch;
      const char* name =
          k % 10 == 0 ? "bench_hi_fn" : (k % 5 == 0 ? "bench_unbound_fn" : "bench_fn");
      items.push_back(c.work(name, {Step::compute(usecs(10))}));
    }
    c.spawn(
        "producer",
        [&c, items, bound, unbound, hi, cpu, per_cpu] {
          for (int done = 0; done < per_cpu; done += kBatch) {
            const int set = (done / kBatch) % 2;
            for (int i = 0; i < kBatch; ++i) {
              wq::Workqueue* wq = i % 10 == 0 ? hi : (i % 5 == 0 ? unbound : bound);
              c.cmwq.queue_work_on(cpu, wq, items[static_cast<size_t>(set * kBatch + i)]);
            }
            c.k.sleep_for(msecs(1));
          }
        },
        cpu);
  }
}

std::vector<ScenarioDef> build() {
  std::vector<ScenarioDef> d;
  d.push_back({{"tour",
                "A tour of cmwq",
                "cmwq 之旅",
                "One machine, every mechanism: the workqueue.rst example (w0, w1, w2) on CPU 0, "
                "a max_active = 1 queue holding items on its inactive list, an unbound queue "
                "running items in parallel, a CPU hog next to a WQ_HIGHPRI item, and a "
                "WQ_MEM_RECLAIM queue rescued under memory pressure.",
                "一台机器，看遍所有机制：CPU 0 上 workqueue.rst 的例子（w0、w1、w2）；"
                "max_active = 1 的队列把工作项留在 inactive 列表里；unbound 队列并行执行；"
                "CPU 密集的工作项旁边的 WQ_HIGHPRI 工作项；内存压力下由 rescuer 救援的 "
                "WQ_MEM_RECLAIM 队列。",
                {"0-25 ms, CPU 0: when w0 sleeps, nr_running drops to 0 and an idle kworker "
                 "starts w1 (concurrency management).",
                 "25 ms: 'serial' has max_active 1, so s1 and s2 wait on its pwq's inactive list.",
                 "25 ms: 'crunch' is unbound: u0, u1 and u2 run at once on different CPUs.",
                 "45 ms: hog_fn is flagged CPU-intensive after 10 ms; urgent_fn runs at once in "
                 "CPU 2's highpri pool (kworker/2:0H).",
                 "65 ms: under memory pressure the manager cannot create a worker; the mayday "
                 "timer calls kworker/R-recla (its 15-character comm), which runs writeback_fn. "
                 "stuck_fn waits about a "
                 "second for the manager."},
                {kernel::msecs(27), kernel::msecs(76)},
                kernel::msecs(100)},
               machine(4),
               {},
               start_tour});
  d.push_back({{"doc",
                "The workqueue.rst example",
                "workqueue.rst 中的例子",
                "Documentation/core-api/workqueue.rst: w0 burns CPU for 5 ms, sleeps 10 ms and "
                "burns 5 ms more; w1 and w2 burn 5 ms and sleep 10 ms. All three are queued on "
                "CPU 0 of a bound workqueue.",
                "w0 先占用 CPU 5 毫秒，睡眠 10 毫秒，再占用 5 毫秒；w1 和 w2 占用 5 毫秒后睡眠 "
                "10 毫秒。三个工作项都排在同一个 CPU 上。",
                {"Only one item uses CPU 0 at a time, yet all three overlap: a new worker starts "
                 "whenever the running one sleeps.",
                 "w0 ends at 20 ms, w1 at 20 ms, w2 at 25 ms."},
                {kernel::msecs(12)},
                kernel::msecs(36)},
               machine(2),
               {},
               start_doc});
  d.push_back(
      {{"mayday",
        "The rescuer under memory pressure",
        "内存压力下的 rescuer",
        "Memory pressure: the pool's manager cannot create a worker, so after "
        "MAYDAY_INITIAL_TIMEOUT the mayday timer wakes the rescuer of the WQ_MEM_RECLAIM "
        "workqueue, which runs its item. An ordinary item waits for the manager.",
        "内存压力下 manager 无法创建 worker；mayday 定时器唤醒 WQ_MEM_RECLAIM 队列的 "
        "rescuer 来执行它的工作项，而普通工作项只能等待 manager。",
        {"Watch kworker/R-write join CPU 1's pool and run writeback_fn.",
         "stuck_fn has no rescuer: it runs only when the manager succeeds, a second later."},
        {kernel::msecs(16)}},
       machine(2),
       {},
       start_mayday});
  d.push_back({{"wave",
                "A wave over 256 CPUs",
                "256 个 CPU 上的波浪",
                "One item per CPU, every half millisecond, across 256 CPUs, plus unbound items. "
                "The machine room switches to its overview: one cell per CPU.",
                "在 256 个 CPU 上每隔半毫秒排一个工作项，另有 unbound 工作项。机房视图切换到概览："
                "每个 CPU 一个格子。",
                {"Click a CPU cell in the overview to zoom into its pools."},
                {kernel::msecs(64)},
                kernel::msecs(140)},
               machine(256),
               {},
               start_wave});
  add_legacy_demos(d);
  d.push_back({{"bench-1m",
                "One million executions (benchmark)",
                "一百万次执行（基准测试）",
                "Four CPUs execute a million 10 us items from three workqueues.",
                "四个 CPU 执行来自三个工作队列的一百万个 10 微秒的工作项。",
                {},
                {},
                0,
                true},
               machine(4),
               {},
               start_bench});
  return d;
}

class DemoScenarios : public ScenarioSource {
 public:
  const std::vector<ScenarioDef>& scenarios() const override { return defs_; }

 private:
  std::vector<ScenarioDef> defs_ = build();
};

}  // namespace

const ScenarioSource& demo_scenarios() {
  static const DemoScenarios demos;
  return demos;
}

}  // namespace wqlab::session

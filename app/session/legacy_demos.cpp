// The built-in demos on the legacy (pre-2.6.36) model: "legacy", a small machine whose drivers
// create workqueues until no PID is left, with items serialized behind a sleeping one on
// events/0; and "legacy-256", the PID exhaustion of lessons/01 on 256 CPUs (32 768 PIDs).
#include "session/demo_scenarios.h"
#include "session/legacy_scenario.h"

namespace wqlab::session {
namespace {

using kernel::msecs;

kernel::KernelConfig legacy_machine(int cpus, int pid_max) {
  kernel::KernelConfig c;
  c.nr_cpus = cpus;
  c.pid_max = pid_max;
  c.mode = kernel::Mode::Deterministic;
  return c;
}

// Drivers load one per millisecond, each calling create_workqueue("drvN"), until it fails.
void create_until_fail(LegacyContext& c, int* created) {
  for (int i = 0;; ++i) {
    if (c.legacy.create_workqueue("drv" + std::to_string(i)) == nullptr) return;
    ++*created;
    c.k.sleep_for(msecs(1));
  }
}

void start_legacy(LegacyContext& c) {
  c.spawn(
      "insmod",
      [&c] {
        legacy::LegacyWorkqueue* events = c.legacy.keventd_wq;
        // events/0 runs its list in order: two quick items wait behind one that sleeps.
        c.legacy.queue_work_on(
            0, events, c.work("slow_fn", {Step::compute(msecs(1)), Step::sleep(msecs(20))}));
        c.legacy.queue_work_on(0, events, c.work("quick_a", {Step::compute(msecs(1))}));
        c.legacy.queue_work_on(0, events, c.work("quick_b", {Step::compute(msecs(1))}));
        c.legacy.queue_work_on(1, events, c.work("quick_c", {Step::compute(msecs(2))}));
        c.k.sleep_for(msecs(1));
        int created = 0;
        create_until_fail(c, &created);
        // The drivers that loaded use their queues: one thread per CPU each.
        for (int i = 0; i < created && i < 4; ++i) {
          legacy::LegacyWorkqueue* wq = c.legacy.find_workqueue("drv" + std::to_string(i));
          c.legacy.queue_work_on(
              i % c.k.nr_cpus(), wq,
              c.work("drv_io_fn", {Step::compute(msecs(2)), Step::sleep(msecs(4))}));
        }
        c.k.sleep_for(msecs(10));
      },
      0);
}

void start_legacy_256(LegacyContext& c) {
  c.spawn(
      "insmod",
      [&c] {
        int created = 0;
        create_until_fail(c, &created);
        legacy::LegacyWorkqueue* wq = c.legacy.find_workqueue("drv0");
        for (int cpu = 0; cpu < c.k.nr_cpus(); cpu += 32)
          c.legacy.queue_work_on(cpu, wq, c.work("drv_io_fn", {Step::compute(msecs(2))}));
      },
      0);
}

}  // namespace

void add_legacy_demos(std::vector<ScenarioDef>& d) {
  ScenarioDef small{
      {"legacy",
       "Linux 2.6.24: a thread per CPU per workqueue",
       "Linux 2.6.24：每个工作队列在每个 CPU 上一个线程",
       "The workqueues before cmwq, on 16 CPUs with pid_max 302 (the smallest Linux "
       "allows). Each multi-threaded workqueue owns one thread per CPU (events/0 ... "
       "events/15); each thread runs its own list strictly in order. Drivers create "
       "workqueues until no PID is left.",
       "cmwq 之前的工作队列：16 个 CPU，pid_max 为 302（Linux 允许的最小值）。每个多线程"
       "工作队列在每个 CPU 上都有自己的线程（events/0 … events/15），每个线程按顺序执行"
       "自己的列表。驱动不断创建工作队列，直到 PID 用完。",
       {"events/0 sleeps inside slow_fn: quick_a and quick_b wait behind it, although "
        "other threads are idle.",
        "Every create_workqueue() takes 16 PIDs; watch the PID bar fill up to pid_max.",
        "The last create_workqueue() fails (kthread_create(): -ENOMEM); its threads are "
        "stopped again. Ask Why? of the failure."},
       {msecs(6), msecs(14)},
       msecs(30)},
      legacy_machine(16, 302),
      {},
      {},
      start_legacy};
  d.push_back(std::move(small));
  ScenarioDef big{
      {"legacy-256",
       "Linux 2.6.24 on 256 CPUs: PID exhaustion",
       "Linux 2.6.24 在 256 个 CPU 上：PID 耗尽",
       "Lesson 1's machine: 256 CPUs and the default pid_max of 32768. Each "
       "create_workqueue() costs 256 threads; about 120 fit before kthread_create() "
       "fails. The machine room shows the workqueues x CPUs grid as an overview; click "
       "a CPU or a workqueue to zoom.",
       "第一课的机器：256 个 CPU，默认 pid_max 为 32768。每次 create_workqueue() 要 256 "
       "个线程，大约 120 个之后 kthread_create() 就失败了。",
       {"The PID bar: boot threads, then 256 more per workqueue, up to pid_max.",
        "Click a CPU column or a workqueue row to see its threads by name."},
       {msecs(60), msecs(121)},
       msecs(125)},
      legacy_machine(256, 32768),
      {},
      {},
      start_legacy_256};
  d.push_back(std::move(big));
}

}  // namespace wqlab::session

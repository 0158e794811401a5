// Legacy flushing: a wq_barrier queued behind everything on each cwq (flush_cpu_workqueue), the
// recursive self-flush of a thread flushing its own workqueue, flush_workqueue() over
// cpu_populated_map, and schedule_on_each_cpu(). No flush colours: a barrier per CPU is all.
// Not modelled: lockdep's check of a flush from inside the workqueue.
#include "engine/legacy/legacy_wq.h"

namespace wqlab::legacy {

using kernel::Task;
using wq::Work;

// Mirrors 2.6.24 kernel/workqueue.c: insert_wq_barrier(). LOCKING: cwq->lock.
void LegacyWq::insert_wq_barrier(CpuWorkqueue* cwq, WqBarrier* barr, bool tail) {
  wq::INIT_WORK(
      &barr->work, [barr](Work*) { barr->done.complete(); }, "wq_barrier_func");
  barr->work.is_barrier = true;
  barr->work.data.fetch_or(WORK_STRUCT_PENDING, std::memory_order_acq_rel);
  insert_work(cwq, &barr->work, tail);
}

// Mirrors 2.6.24 kernel/workqueue.c: flush_cpu_workqueue(). The cwq's own thread (say, keventd
// flushing its own queue from a work item) runs the list by hand instead of deadlocking; anyone
// else puts a barrier at the tail and waits for it. Returns whether there was anything to wait for.
bool LegacyWq::flush_cpu_workqueue(CpuWorkqueue* cwq) {
  Task* self = k_.current();
  if (self != nullptr && cwq->thread.load() == self) {
    run_workqueue(cwq);
    return true;
  }
  WqBarrier barr;
  bool active = false;
  {
    kernel::SpinLockGuard g(cwq->lock);
    if (!cwq->worklist.empty() || cwq->current_work != nullptr) {
      insert_wq_barrier(cwq, &barr, true);
      active = true;
    }
  }
  if (active) barr.done.wait_for_completion();
  return active;
}

// Mirrors 2.6.24 kernel/workqueue.c: flush_workqueue(): every item queued before the call has
// run when it returns; items queued later are not waited for (each barrier sits behind a
// snapshot of its list).
void LegacyWq::flush_workqueue(LegacyWorkqueue* wq) {
  if (wq == nullptr || wq->destroyed) {
    bug("workqueue: flush_workqueue() called on a null or destroyed workqueue");
    return;
  }
  if (!in_task("flush_workqueue")) return;
  kernel::CpuMask map = wq_cpu_map(wq);
  for (int cpu = 0; cpu < k_.nr_cpus(); ++cpu)
    if (map.test(static_cast<size_t>(cpu))) flush_cpu_workqueue(wq_per_cpu(wq, cpu));
}

// Mirrors 2.6.24 kernel/workqueue.c: flush_scheduled_work().
void LegacyWq::flush_scheduled_work() {
  flush_workqueue(keventd_wq);
}

// Mirrors 2.6.24 kernel/workqueue.c: schedule_on_each_cpu(): one item per online CPU straight
// onto keventd's cwqs, then flush_workqueue(keventd_wq).
int LegacyWq::schedule_on_each_cpu(wq::WorkFunc fn, std::string_view name) {
  if (!in_task("schedule_on_each_cpu")) return -kernel::kEINVAL;
  if (keventd_wq == nullptr || !fn) {
    bug("workqueue: schedule_on_each_cpu() without keventd or without a function");
    return -kernel::kEINVAL;
  }
  std::vector<std::unique_ptr<Work>> works;  // alloc_percpu(struct work_struct)
  for (int cpu = 0; cpu < k_.nr_cpus(); ++cpu) {
    if (!k_.cpu_online(cpu)) continue;
    auto work = std::make_unique<Work>();
    wq::INIT_WORK(work.get(), fn, name);
    work->data.fetch_or(WORK_STRUCT_PENDING, std::memory_order_acq_rel);
    __queue_work(wq_per_cpu(keventd_wq, cpu), work.get());
    works.push_back(std::move(work));
  }
  flush_workqueue(keventd_wq);
  return 0;
}

}  // namespace wqlab::legacy

// Legacy cancelling: steal a queued item off its cwq list (try_to_grab_pending), wait for a running
// one with a barrier at the head of its list (wait_on_work), and the delayed-work variants with
// 2.6.24's semantics: cancel_delayed_work() only stops the timer and never waits.
// Not modelled: lockdep (a printk stands in for its report of a work item waiting for itself).
#include "engine/legacy/legacy_wq.h"

namespace wqlab::legacy {

using kernel::Task;
using wq::Work;

// Mirrors 2.6.24 kernel/workqueue.c: try_to_grab_pending(). 0: it was idle and we now own
// PENDING; 1: stolen from a worklist; -1: PENDING is set but the item is on no list (its timer is
// armed, or someone is queueing it right now).
int LegacyWq::try_to_grab_pending(Work* work) {
  if (!(work->data.fetch_or(WORK_STRUCT_PENDING, std::memory_order_acq_rel) & WORK_STRUCT_PENDING))
    return 0;
  CpuWorkqueue* cwq = get_wq_data(work);
  if (cwq == nullptr) return -1;
  int ret = -1;
  kernel::SpinLockGuard g(cwq->lock);
  if (!work->entry.empty() && cwq == get_wq_data(work)) {
    wq::list_del_init(&work->entry);
    ret = 1;
    // The same report as cmwq's try_to_grab_pending(); a legacy cwq has no pwq (-1).
    k_.emit(trace::EventKind::WqWorkDequeue, work_id(work), k_.intern(work->name()), -1, 0);
  }
  return ret;
}

// Mirrors 2.6.24 kernel/workqueue.c: wait_on_cpu_work(): if `work` is running on this cwq, put a
// barrier at the head of its list (it runs right after the item) and wait for it.
void LegacyWq::wait_on_cpu_work(CpuWorkqueue* cwq, Work* work) {
  if (cwq == nullptr) return;
  WqBarrier barr;
  bool running = false;
  {
    kernel::SpinLockGuard g(cwq->lock);
    if (cwq->current_work == work) {
      Task* self = k_.current();
      if (self != nullptr && cwq->thread.load() == self) {
        // What lockdep's work->lockdep_map would report; 2.6.24 then waits forever, and so do we.
        bug("INFO: possible recursive locking detected: " + self->comm + " waits for " +
            work->name() + ", which it is running itself");
      }
      insert_wq_barrier(cwq, &barr, false);
      running = true;
    }
  }
  if (running) barr.done.wait_for_completion();
}

// Mirrors 2.6.24 kernel/workqueue.c: wait_on_work(): check every CPU of the workqueue the item was
// last queued on (it may be running on any of them).
void LegacyWq::wait_on_work(Work* work) {
  CpuWorkqueue* cwq = get_wq_data(work);
  if (cwq == nullptr) return;
  LegacyWorkqueue* wq = cwq->wq;
  kernel::CpuMask map = wq_cpu_map(wq);
  for (int cpu = 0; cpu < k_.nr_cpus(); ++cpu)
    if (map.test(static_cast<size_t>(cpu))) wait_on_cpu_work(wq_per_cpu(wq, cpu), work);
}

// Mirrors 2.6.24 kernel/workqueue.c: __cancel_work_timer(). While the item's timer is armed but
// `timer` is not given (cancel_work_sync() on a delayed work), the kernel busy-waits until it
// fires; the lab spins one jiffy of CPU time per round so that virtual time moves.
int LegacyWq::__cancel_work_timer(Work* work, kernel::Timer* timer) {
  int ret;
  do {
    ret = (timer != nullptr && k_.del_timer(*timer)) ? 1 : 0;
    if (!ret) ret = try_to_grab_pending(work);
    wait_on_work(work);
    if (ret < 0) k_.compute_for(k_.jiffy_ns());
  } while (ret < 0);
  work->data.fetch_and(~WORK_STRUCT_PENDING, std::memory_order_acq_rel);  // work_clear_pending
  return ret;
}

// Mirrors 2.6.24 kernel/workqueue.c: cancel_work_sync(): true if it was pending. Blocks until a
// running instance has returned.
bool LegacyWq::cancel_work_sync(Work* work) {
  if (work == nullptr || !work->func) {
    bug("workqueue: cancel_work_sync() on a null or uninitialised work item");
    return false;
  }
  if (!in_task("cancel_work_sync")) return false;
  return __cancel_work_timer(work, nullptr) > 0;
}

// Mirrors 2.6.24 include/linux/workqueue.h: cancel_delayed_work(): del_timer_sync() and, if the
// timer was pending, clear PENDING. It neither steals a queued item nor waits for a running one.
bool LegacyWq::cancel_delayed_work(wq::DelayedWork* dwork) {
  if (dwork == nullptr || !dwork->work.func) {
    bug("workqueue: cancel_delayed_work() on a null or uninitialised delayed_work");
    return false;
  }
  bool ret = k_.del_timer_sync(dwork->timer);
  if (ret) dwork->work.data.fetch_and(~WORK_STRUCT_PENDING, std::memory_order_acq_rel);
  return ret;
}

// Mirrors 2.6.24 kernel/workqueue.c: cancel_delayed_work_sync() (cancel_rearming_delayed_work()).
bool LegacyWq::cancel_delayed_work_sync(wq::DelayedWork* dwork) {
  if (dwork == nullptr || !dwork->work.func) {
    bug("workqueue: cancel_delayed_work_sync() on a null or uninitialised delayed_work");
    return false;
  }
  if (!in_task("cancel_delayed_work_sync")) return false;
  return __cancel_work_timer(&dwork->work, &dwork->timer) > 0;
}

}  // namespace wqlab::legacy

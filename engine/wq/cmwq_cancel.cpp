// Cancelling: grabbing PENDING from a timer or a list, cancel_work[_sync](), the delayed
// variants, disable/enable (the off-queue disable depth), and the advisory queries.
#include <chrono>
#include <thread>

#include "engine/wq/cmwq.h"

namespace wqlab::wq {

using trace::EventKind;

// Mirrors try_to_grab_pending(): 1 = stolen from the timer or a list (we own PENDING), 0 = it
// was idle (we own PENDING now), -EAGAIN = someone else is queueing it right now.
int Cmwq::try_to_grab_pending(Work* work, unsigned cflags) {
  if ((cflags & WORK_CANCEL_DELAYED) && work->dwork != nullptr) {
    if (k_.del_timer(work->dwork->timer)) {
      WQ_TRACE(WqWorkDequeue, work_id(work), fn_name_id(work), -1, 1);
      return 1;
    }
  }
  uint64_t old = work->data.fetch_or(WORK_STRUCT_PENDING, std::memory_order_acq_rel);
  if (!(old & WORK_STRUCT_PENDING)) return 0;
  WorkerPool* pool = get_work_pool(work);
  if (pool == nullptr) return -kernel::kEAGAIN;
  kernel::SpinLockGuard g(pool->lock);
  PoolWorkqueue* pwq = get_work_pwq(work);
  if (pwq != nullptr && pwq->pool == pool) {
    // An inactive item may carry linked barriers: activate it first so they move with it.
    if (work_data(work) & WORK_STRUCT_INACTIVE) pwq_activate_work(pwq, work);
    list_del_init(&work->entry);
    WQ_TRACE(WqWorkDequeue, work_id(work), fn_name_id(work), pwq->id, 0);
    uint64_t data = work_data(work);
    work->data.store(offq_data(pool->id, 0, true), std::memory_order_release);
    pwq_dec_nr_in_flight(pwq, data);
    return 1;
  }
  return -kernel::kEAGAIN;
}

// Mirrors work_grab_pending(): retry until PENDING is ours. Lab: an item left PENDING by a
// rejected queue_work() (draining workqueue) would spin forever in Linux. In deterministic mode
// nobody else can be half-way through queueing it, so the first -EAGAIN means it is stuck; in
// realtime mode the spin gives up after a second of host time. Either way the stuck PENDING is
// reported and taken.
bool Cmwq::work_grab_pending(Work* work, unsigned cflags) {
  auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(1);
  for (;;) {
    int ret = try_to_grab_pending(work, cflags);
    if (ret >= 0) return ret == 1;
    if (k_.deterministic() || std::chrono::steady_clock::now() > give_up) {
      warn("workqueue: " + work->name() +
               " is PENDING but on no list (its queue_work() was rejected); taking it",
           nullptr, work);
      return true;
    }
    std::this_thread::yield();
  }
}

// Mirrors __cancel_work(): grab PENDING, then clear it (optionally bumping the disable depth).
bool Cmwq::__cancel_work(Work* work, unsigned cflags) {
  bool ret = work_grab_pending(work, cflags);
  uint64_t data = work_data(work);
  int disable = data_disable_depth(data);
  if (cflags & WORK_CANCEL_DISABLE) {
    if (disable < static_cast<int>(WORK_OFFQ_LEFT_MASK)) {
      ++disable;
    } else {
      warn("workqueue: disable depth of " + work->name() + " overflows", nullptr, work);
    }
  }
  work->data.store(offq_data(data_offq_pool_id(data), disable, false), std::memory_order_release);
  return ret;
}

// Mirrors __cancel_work_sync(): cancel with the item disabled (so it cannot be re-queued
// meanwhile), wait for a running instance, then re-enable unless asked to stay disabled.
bool Cmwq::__cancel_work_sync(Work* work, unsigned cflags) {
  bool ret = __cancel_work(work, cflags | WORK_CANCEL_DISABLE);
  if (k_.current() != nullptr) {
    __flush_work(work, true);
  } else {
    warn("workqueue: a *_sync() cancel needs a task context to wait; not waiting", nullptr, work);
  }
  if (!(cflags & WORK_CANCEL_DISABLE)) enable_work(work);
  return ret;
}

bool Cmwq::cancel_work(Work* work) {
  bool ret = __cancel_work(work, 0);
  WQ_TRACE(WqCancel, work_id(work), fn_name_id(work), ret, 0);
  return ret;
}

bool Cmwq::cancel_work_sync(Work* work) {
  bool ret = __cancel_work_sync(work, 0);
  WQ_TRACE(WqCancel, work_id(work), fn_name_id(work), ret, 1);
  return ret;
}

bool Cmwq::cancel_delayed_work(DelayedWork* dwork) {
  bool ret = __cancel_work(&dwork->work, WORK_CANCEL_DELAYED);
  WQ_TRACE(WqCancel, work_id(&dwork->work), fn_name_id(&dwork->work), ret, 0);
  return ret;
}

bool Cmwq::cancel_delayed_work_sync(DelayedWork* dwork) {
  bool ret = __cancel_work_sync(&dwork->work, WORK_CANCEL_DELAYED);
  WQ_TRACE(WqCancel, work_id(&dwork->work), fn_name_id(&dwork->work), ret, 1);
  return ret;
}

bool Cmwq::disable_work(Work* work) {
  bool ret = __cancel_work(work, WORK_CANCEL_DISABLE);
  WQ_TRACE(WqCancel, work_id(work), fn_name_id(work), ret, 0);
  return ret;
}
bool Cmwq::disable_work_sync(Work* work) {
  bool ret = __cancel_work_sync(work, WORK_CANCEL_DISABLE);
  WQ_TRACE(WqCancel, work_id(work), fn_name_id(work), ret, 1);
  return ret;
}
bool Cmwq::disable_delayed_work(DelayedWork* dwork) {
  return __cancel_work(&dwork->work, WORK_CANCEL_DELAYED | WORK_CANCEL_DISABLE);
}
bool Cmwq::disable_delayed_work_sync(DelayedWork* dwork) {
  return __cancel_work_sync(&dwork->work, WORK_CANCEL_DELAYED | WORK_CANCEL_DISABLE);
}

// Mirrors enable_work(): true when the disable depth reaches zero.
bool Cmwq::enable_work(Work* work) {
  work_grab_pending(work, 0);
  uint64_t data = work_data(work);
  int disable = data_disable_depth(data);
  if (disable > 0) {
    --disable;
  } else {
    warn("workqueue: enable_work() on " + work->name() + ", which is not disabled", nullptr, work);
  }
  work->data.store(offq_data(data_offq_pool_id(data), disable, false), std::memory_order_release);
  return disable == 0;
}

// Mirrors work_busy(): advisory, no synchronisation.
unsigned Cmwq::work_busy(Work* work) {
  unsigned ret = 0;
  if (work_pending(work)) ret |= WORK_BUSY_PENDING;
  if (WorkerPool* pool = get_work_pool(work)) {
    kernel::SpinLockGuard g(pool->lock);
    if (find_worker_executing_work(pool, work) != nullptr) ret |= WORK_BUSY_RUNNING;
  }
  return ret;
}

// Mirrors workqueue_congested(): are items held back by max_active on that CPU's pwq?
bool Cmwq::workqueue_congested(int cpu, Workqueue* wq) {
  if (cpu == WORK_CPU_UNBOUND) cpu = k_.smp_processor_id();
  if (cpu < 0 || cpu >= k_.nr_cpus()) return false;
  PoolWorkqueue* pwq = wq->pwq_of(cpu);
  kernel::SpinLockGuard g(pwq->pool->lock);
  return !pwq->inactive_works.empty();
}

Work* Cmwq::current_work() {
  Worker* worker = current_wq_worker();
  return worker ? worker->current_work : nullptr;
}

bool Cmwq::current_is_workqueue_rescuer() {
  Worker* worker = current_wq_worker();
  return worker != nullptr && worker->rescue_wq != nullptr;
}

}  // namespace wqlab::wq

// Changing how much may run: max_active (wq_adjust_max_active), the freezer, and CPU hotplug
// (unbind_workers on the way down, rebind_workers on the way up).
#include "engine/wq/cmwq.h"

namespace wqlab::wq {

using trace::EventKind;

// Mirrors wq_adjust_max_active(): apply the freezer or the saved limits, then round-robin over
// the pwqs activating inactive items until the new limit is filled. LOCKING: wq->mutex.
void Cmwq::wq_adjust_max_active(Workqueue* wq) {
  int new_max, new_min;
  if ((wq->flags.load() & WQ_FREEZABLE) && workqueue_freezing_) {
    new_max = 0;
    new_min = 0;
  } else {
    new_max = wq->saved_max_active;
    new_min = wq->saved_min_active;
  }
  if (wq->max_active.load() == new_max && wq->min_active.load() == new_min) return;
  wq->max_active = new_max;
  wq->min_active = new_min;
  wq_update_node_max_active(wq);
  WQ_TRACE(WqMaxActive, wq->name_id, new_max, new_min);
  if (new_max == 0) return;
  bool activated;
  do {
    activated = false;
    for (ListHead* n = wq->pwqs.next; n != &wq->pwqs; n = n->next) {
      PoolWorkqueue* pwq = n->entry<PoolWorkqueue>();
      kernel::SpinLockGuard g(pwq->pool->lock);
      if (pwq_activate_first_inactive(pwq, true)) {
        activated = true;
        kick_pool(pwq->pool);
      }
    }
  } while (activated);
}

// Mirrors workqueue_set_max_active(): not for ordered workqueues.
void Cmwq::workqueue_set_max_active(Workqueue* wq, int max_active) {
  if (wq == nullptr || wq->destroyed) {
    warn("workqueue: workqueue_set_max_active() on a destroyed or null workqueue", wq);
    return;
  }
  if (wq->flags.load() & __WQ_ORDERED) {
    warn("workqueue: workqueue_set_max_active() refused: " + wq->name + " is ordered", wq);
    return;
  }
  max_active = wq_clamp_max_active(max_active, wq->flags.load(), wq->name);
  kernel::MutexGuard g(wq->mutex);
  wq->saved_max_active = max_active;
  if (wq->flags.load() & WQ_UNBOUND)
    wq->saved_min_active = std::min(wq->saved_min_active, max_active);
  wq_adjust_max_active(wq);
}

// Mirrors freeze_workqueues_begin(): WQ_FREEZABLE workqueues get max_active 0.
void Cmwq::freeze_workqueues_begin() {
  kernel::MutexGuard pool_guard(wq_pool_mutex_);
  workqueue_freezing_ = true;
  for (Workqueue* wq : workqueues()) {
    kernel::MutexGuard g(wq->mutex);
    wq_adjust_max_active(wq);
  }
  WQ_TRACE(WqFreeze, freeze_workqueues_busy_locked());
}

// Mirrors freeze_workqueues_busy(): does any freezable pwq still have active items?
bool Cmwq::freeze_workqueues_busy_locked() {
  for (Workqueue* wq : workqueues()) {
    if (!(wq->flags.load() & WQ_FREEZABLE)) continue;
    for (ListHead* n = wq->pwqs.next; n != &wq->pwqs; n = n->next) {
      PoolWorkqueue* pwq = n->entry<PoolWorkqueue>();
      kernel::SpinLockGuard g(pwq->pool->lock);
      if (pwq->nr_active > 0) return true;
    }
  }
  return false;
}

bool Cmwq::freeze_workqueues_busy() {
  kernel::MutexGuard pool_guard(wq_pool_mutex_);
  return freeze_workqueues_busy_locked();
}

// Mirrors thaw_workqueues(): restore the saved limits; held items run in queue order.
void Cmwq::thaw_workqueues() {
  kernel::MutexGuard pool_guard(wq_pool_mutex_);
  if (!workqueue_freezing_) return;
  workqueue_freezing_ = false;
  for (Workqueue* wq : workqueues()) {
    kernel::MutexGuard g(wq->mutex);
    wq_adjust_max_active(wq);
  }
  WQ_TRACE(WqThaw);
}

// Mirrors unbind_workers(): the pool stays, but its workers lose their CPU and concurrency
// management; pending items are chained across the remaining CPUs.
void Cmwq::unbind_workers(int cpu) {
  for (WorkerPool* pool : cpu_pools_[static_cast<size_t>(cpu)]) {
    kernel::MutexGuard attach(wq_pool_attach_mutex_);
    {
      kernel::SpinLockGuard g(pool->lock);
      for (ListHead* n = pool->workers.next; n != &pool->workers; n = n->next)
        n->entry<Worker>()->flags |= WORKER_UNBOUND;
      pool->flags |= POOL_DISASSOCIATED;
      WQ_TRACE(WqPoolAssoc, pool->id, pool->cpu, 0);
      pool->nr_running = 0;
      trace_nr_running(pool, nullptr);
      kick_pool(pool);
    }
    for (ListHead* n = pool->workers.next; n != &pool->workers; n = n->next)
      k_.set_cpus_allowed(*n->entry<Worker>()->task, possible_cpumask());
  }
}

// Mirrors rebind_workers(): UNBOUND becomes REBOUND, cleared at the worker's next cycle.
void Cmwq::rebind_workers(WorkerPool* pool) {
  kernel::MutexGuard attach(wq_pool_attach_mutex_);
  for (ListHead* n = pool->workers.next; n != &pool->workers; n = n->next)
    k_.set_cpus_allowed(*n->entry<Worker>()->task, pool->attrs.cpumask);
  kernel::SpinLockGuard g(pool->lock);
  pool->flags &= ~POOL_DISASSOCIATED;
  WQ_TRACE(WqPoolAssoc, pool->id, pool->cpu, 1);
  for (ListHead* n = pool->workers.next; n != &pool->workers; n = n->next) {
    Worker* worker = n->entry<Worker>();
    if (worker->rescue_wq != nullptr) continue;
    worker->flags = (worker->flags | WORKER_REBOUND) & ~WORKER_UNBOUND;
  }
}

// Mirrors workqueue_prepare_cpu() + workqueue_online_cpu(): BH pools ignore hotplug, unbound
// workqueues re-pick the pwqs of the CPU's pods.
void Cmwq::workqueue_online_cpu(int cpu) {
  for (WorkerPool* pool : cpu_pools_[static_cast<size_t>(cpu)]) {
    bool empty;
    {
      kernel::SpinLockGuard g(pool->lock);
      empty = pool->nr_workers == 0;
    }
    if (empty) create_worker(pool);
    rebind_workers(pool);
  }
  wq_update_pods_for_cpu(cpu, true);
  k_.softirq().cpu_online(cpu);
}

// Mirrors workqueue_offline_cpu().
void Cmwq::workqueue_offline_cpu(int cpu) {
  unbind_workers(cpu);
  wq_update_pods_for_cpu(cpu, false);
}

}  // namespace wqlab::wq

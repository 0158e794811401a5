// The queue path: queue_work_on() -> __queue_work() -> insert_work(), the max_active throttle
// (nr_active, inactive_works, the unbound node counter), kick_pool(), delayed work.
#include <algorithm>

#include "engine/wq/cmwq.h"
#include "engine/wq/pool_state.h"

namespace wqlab::wq {

using trace::EventKind;

int64_t Cmwq::work_id(Work* work) {
  int64_t id = work->id.load(std::memory_order_relaxed);
  if (id != 0) return id;
  int64_t fresh = next_work_id_.fetch_add(1, std::memory_order_relaxed);
  return work->id.compare_exchange_strong(id, fresh, std::memory_order_relaxed) ? fresh : id;
}

PoolWorkqueue* Cmwq::get_work_pwq(Work* work) const {
  int64_t id = data_pwq_id(work_data(work));
  return id < 0 ? nullptr : pwq_ids_.get(static_cast<size_t>(id));
}

// The interned name of the work's function, cached by the function's identity.
int64_t Cmwq::fn_name_id(Work* work) {
  if (k_.recorder() == nullptr || !work->func) return 0;
  auto identity = static_cast<size_t>(work->func->identity);
  if (identity >= kFnNameCache) return k_.intern(work->func->name);
  int64_t id = fn_name_ids_[identity].load(std::memory_order_relaxed);
  if (id == 0) {
    id = k_.intern(work->func->name);
    fn_name_ids_[identity].store(id, std::memory_order_relaxed);
  }
  return id;
}

// Mirrors get_work_pool(): the pool the work is queued on, or last ran on.
WorkerPool* Cmwq::get_work_pool(Work* work) const {
  uint64_t data = work_data(work);  // read once: the item may start running meanwhile
  if (data & WORK_STRUCT_PWQ) return pwq_ids_.get(static_cast<size_t>(data_pwq_id(data)))->pool;
  int64_t id = data_offq_pool_id(data);
  return id < 0 ? nullptr : pool_ids_.get(static_cast<size_t>(id));
}

// Mirrors find_worker_executing_work(): same work address and same function. LOCKING: pool->lock.
Worker* Cmwq::find_worker_executing_work(WorkerPool* pool, Work* work) const {
  const ListHead& bucket = pool->busy_hash[WorkerPool::busy_bucket(work)];
  for (ListHead* n = bucket.next; n != &bucket; n = n->next) {
    Worker* worker = n->entry<Worker>();
    if (worker->current_work == work && worker->current_func && work->func &&
        worker->current_func->identity == work->func->identity)
      return worker;
  }
  return nullptr;
}

// Mirrors move_linked_works(): moves `work` and the LINKED items after it to `head`.
void Cmwq::move_linked_works(Work* work, ListHead* head, ListHead** nextp) {
  ListHead* n = &work->entry;
  for (;;) {
    ListHead* next = n->next;
    Work* w = n->entry<Work>();
    list_move_tail(n, head);
    n = next;
    if (!(work_data(w) & WORK_STRUCT_LINKED)) break;
  }
  if (nextp) *nextp = n;
}

// Mirrors assign_work(): a work already running on a worker of this pool goes to that worker.
bool Cmwq::assign_work(Work* work, Worker* worker, ListHead** nextp) {
  WorkerPool* pool = worker->pool;
  Worker* collision = find_worker_executing_work(pool, work);
  if (collision != nullptr) {
    WQ_TRACE(WqCollision, work_id(work), fn_name_id(work),
             collision->task ? collision->task->pid : 0);
    move_linked_works(work, &collision->scheduled, nextp);
    return false;
  }
  move_linked_works(work, &worker->scheduled, nextp);
  return true;
}

void Cmwq::trace_activate(PoolWorkqueue* pwq, Work* work) {
  WQ_TRACE(WqActivateWork, work_id(work), fn_name_id(work), pwq->pool->id, pwq->id);
}

// Mirrors kick_pool(): wake the most recently idle worker if work is pending and nobody runs; a
// BH pool raises its softirq instead, a non-strict unbound pool wakes it inside its pod.
// LOCKING: pool->lock.
bool Cmwq::kick_pool(WorkerPool* pool) {
  Worker* worker = list_first_entry_or_null<Worker>(&pool->idle_list);
  if (!need_more_worker(pool) || worker == nullptr) return false;
  if (pool->flags & POOL_BH) {
    kick_bh_pool(pool);
    return true;
  }
  kick_repatriate(pool, worker);
  // True even if the worker was already woken and is still waiting for its CPU.
  k_.wake_up_process(*worker->task);
  return true;
}

// Mirrors insert_work(). LOCKING: pool->lock.
void Cmwq::insert_work(PoolWorkqueue* pwq, Work* work, ListHead* head, uint64_t extra_flags) {
  uint64_t data = (static_cast<uint64_t>(pwq->id) << WORK_PAYLOAD_SHIFT) | WORK_STRUCT_PENDING |
                  WORK_STRUCT_PWQ | extra_flags;
  work->data.store(data, std::memory_order_release);
  list_add_tail(&work->entry, head);
  get_pwq(pwq);
}

bool Cmwq::tryinc_node_nr_active(WqNodeNrActive* nna) {
  int max = nna->max.load();
  for (;;) {
    int old = nna->nr.load();
    if (old >= max) return false;
    if (nna->nr.compare_exchange_weak(old, old + 1)) return true;
  }
}

// Mirrors pwq_tryinc_nr_active(). Per-CPU: max_active per pwq. Unbound: one counter for the wq,
// with pwqs that missed out waiting their turn on pending_pwqs. LOCKING: pool->lock.
bool Cmwq::pwq_tryinc_nr_active(PoolWorkqueue* pwq, bool fill) {
  Workqueue* wq = pwq->wq;
  WqNodeNrActive* nna = wq->node_nr_active.get();
  bool obtained = false;
  if (nna == nullptr) {
    obtained = pwq->nr_active < wq->max_active.load();
  } else {
    if (pwq->plugged) return false;
    if (!pwq->pending_node.empty() && !fill) return false;  // waiting in line: do not steal
    obtained = tryinc_node_nr_active(nna);
    if (!obtained) {
      kernel::SpinLockGuard g(nna->lock);
      if (pwq->pending_node.empty()) {
        list_add_tail(&pwq->pending_node, &nna->pending_pwqs);
      } else if (!fill) {
        return false;
      }
      obtained = tryinc_node_nr_active(nna);
      if (obtained && !fill) list_del_init(&pwq->pending_node);
    }
  }
  if (obtained) ++pwq->nr_active;
  return obtained;
}

// Mirrors __pwq_activate_work(): an inactive item (and its linked barriers) joins the worklist.
void Cmwq::__pwq_activate_work(PoolWorkqueue* pwq, Work* work) {
  trace_activate(pwq, work);
  if (pwq->pool->worklist.empty()) pwq->pool->watchdog_ts = k_.jiffies_coarse();
  move_linked_works(work, &pwq->pool->worklist, nullptr);
  work->data.fetch_and(~static_cast<uint64_t>(WORK_STRUCT_INACTIVE), std::memory_order_acq_rel);
}

// Mirrors pwq_activate_work(): activate one inactive item regardless of max_active.
bool Cmwq::pwq_activate_work(PoolWorkqueue* pwq, Work* work) {
  if (!(work_data(work) & WORK_STRUCT_INACTIVE)) return false;
  if (WqNodeNrActive* nna = pwq->wq->node_nr_active.get()) nna->nr.fetch_add(1);
  ++pwq->nr_active;
  __pwq_activate_work(pwq, work);
  return true;
}

bool Cmwq::pwq_activate_first_inactive(PoolWorkqueue* pwq, bool fill) {
  Work* work = list_first_entry_or_null<Work>(&pwq->inactive_works);
  if (work != nullptr && pwq_tryinc_nr_active(pwq, fill)) {
    __pwq_activate_work(pwq, work);
    return true;
  }
  return false;
}

// Mirrors node_activate_pending_pwq(): hand a freed unbound slot to the first waiting pwq, then
// rotate it to the back (round-robin across pwqs). LOCKING: caller_pool->lock, may switch pools.
void Cmwq::node_activate_pending_pwq(WqNodeNrActive* nna, WorkerPool* caller_pool) {
  WorkerPool* locked_pool = caller_pool;
  nna->lock.lock();
  for (;;) {
    PoolWorkqueue* pwq = list_first_entry_or_null<PoolWorkqueue>(&nna->pending_pwqs);
    if (pwq == nullptr) break;
    if (pwq->pool != locked_pool) {
      locked_pool->lock.unlock();
      locked_pool = pwq->pool;
      if (!locked_pool->lock.try_lock()) {
        nna->lock.unlock();
        locked_pool->lock.lock();
        nna->lock.lock();
        continue;
      }
    }
    Work* work = list_first_entry_or_null<Work>(&pwq->inactive_works);
    if (work == nullptr) {
      list_del_init(&pwq->pending_node);
      continue;
    }
    if (tryinc_node_nr_active(nna)) {
      ++pwq->nr_active;
      __pwq_activate_work(pwq, work);
      if (pwq->inactive_works.empty()) {
        list_del_init(&pwq->pending_node);
      } else {
        list_move_tail(&pwq->pending_node, &nna->pending_pwqs);
      }
      if (pwq->pool != caller_pool) kick_pool(pwq->pool);
    }
    break;
  }
  nna->lock.unlock();
  if (locked_pool != caller_pool) {
    locked_pool->lock.unlock();
    caller_pool->lock.lock();
  }
}

// Mirrors pwq_dec_nr_active(). LOCKING: pool->lock.
void Cmwq::pwq_dec_nr_active(PoolWorkqueue* pwq) {
  WqNodeNrActive* nna = pwq->wq->node_nr_active.get();
  --pwq->nr_active;
  if (nna == nullptr) {
    pwq_activate_first_inactive(pwq, false);
    return;
  }
  if (nna->nr.fetch_sub(1) - 1 >= nna->max.load()) return;
  if (!nna->pending_pwqs.empty()) node_activate_pending_pwq(nna, pwq->pool);
}

// Mirrors pwq_dec_nr_in_flight(): an item left the pwq (ran or was cancelled); release its
// max_active slot and, if a flush waits for its colour, maybe complete the flush.
// LOCKING: pool->lock.
void Cmwq::pwq_dec_nr_in_flight(PoolWorkqueue* pwq, uint64_t data) {
  int color = get_work_color(data);
  if (!(data & WORK_STRUCT_INACTIVE)) pwq_dec_nr_active(pwq);
  --pwq->nr_in_flight[color];
  if (pwq->flush_color == color && pwq->nr_in_flight[color] == 0) {
    pwq->flush_color = -1;
    if (pwq->wq->nr_pwqs_to_flush.fetch_sub(1) == 1) pwq->wq->first_flusher.load()->done.complete();
  }
  put_pwq(pwq);
}

// Mirrors is_chained_work(): is current a worker running an item of `wq`?
bool Cmwq::is_chained_work(Workqueue* wq) {
  Worker* worker = current_wq_worker();
  return worker != nullptr && worker->current_pwq != nullptr && worker->current_pwq->wq == wq;
}

// Mirrors wq_select_unbound_cpu(): the local CPU (every CPU is in wq_unbound_cpumask here).
int Cmwq::wq_select_unbound_cpu(int cpu) {
  if (k_.cpu_online(cpu)) return cpu;
  int n = k_.nr_cpus();
  for (int i = 1; i <= n; ++i) {
    int c = (rr_cpu_last_ + i) % n;
    if (c >= 0 && k_.cpu_online(c)) {
      rr_cpu_last_ = c;
      return c;
    }
  }
  return cpu;
}

// Mirrors __queue_work().
void Cmwq::__queue_work(int req_cpu, Workqueue* wq, Work* work) {
  // Draining or dying queues only take chained work (from their own items).
  unsigned flags = wq->flags.load();
  if ((flags & (__WQ_DESTROYING | __WQ_DRAINING)) && !is_chained_work(wq)) {
    // Linux's quirk: queue_work() still returns true and PENDING stays set.
    warn_once(std::string("queue_draining:") + wq->name + ":" + work->name(),
              "workqueue: cannot queue " + work->name() + " on wq " + wq->name, wq, work);
    WQ_TRACE(WqQueueRejected, work_id(work), fn_name_id(work), wq->name_id,
             k_.intern((flags & __WQ_DESTROYING) ? "destroying" : "draining"));
    return;
  }
  int cpu = req_cpu;
  if (req_cpu == WORK_CPU_UNBOUND) {
    int local = k_.smp_processor_id();
    cpu = (flags & WQ_UNBOUND) ? wq_select_unbound_cpu(local) : local;
  }
  PoolWorkqueue* pwq = wq->pwq_of(cpu);
  WorkerPool* pool = pwq->pool;
  // Non-reentrancy: if the work is still running on its last pool, queue it there, behind
  // the running instance.
  WorkerPool* last_pool = get_work_pool(work);
  if (last_pool != nullptr && last_pool != pool && !(flags & __WQ_ORDERED)) {
    last_pool->lock.lock();
    Worker* worker = find_worker_executing_work(last_pool, work);
    if (worker != nullptr && worker->current_pwq->wq == wq) {
      pwq = worker->current_pwq;
      pool = pwq->pool;
    } else {
      last_pool->lock.unlock();
      pool->lock.lock();
    }
  } else {
    pool->lock.lock();
  }
  WQ_TRACE(WqQueueWork, work_id(work), fn_name_id(work), wq->name_id, req_cpu, pool->cpu);
  if (cfg_.inject_faults.lose_queued_item) [[unlikely]] {  // a broken engine, on purpose
    pool->lock.unlock();
    return;
  }
  if (!work->entry.empty())
    warn("workqueue: queueing a work item that is already on a list", wq, work);
  ++pwq->nr_in_flight[pwq->work_color];
  uint64_t work_flags = work_color_to_flags(pwq->work_color);
  // Throttle: never overtake older inactive items, even when a slot is free.
  if (pwq->inactive_works.empty() && pwq_tryinc_nr_active(pwq, false)) {
    if (pool->worklist.empty()) pool->watchdog_ts = k_.jiffies_coarse();
    trace_activate(pwq, work);
    insert_work(pwq, work, &pool->worklist, work_flags);
    kick_pool(pool);
  } else {
    work_flags |= WORK_STRUCT_INACTIVE;
    insert_work(pwq, work, &pwq->inactive_works, work_flags);
    WQ_TRACE(WqWorkInactive, work_id(work), fn_name_id(work), pwq->id, pwq->nr_active,
             wq->max_active.load());
  }
  pool->lock.unlock();
}

// Mirrors clear_pending_if_disabled(): a disabled item refuses to be queued.
bool Cmwq::clear_pending_if_disabled(Work* work) {
  uint64_t data = work_data(work);
  if (!(data & WORK_STRUCT_PWQ) && data_disable_depth(data) > 0) {
    work->data.store(data & ~static_cast<uint64_t>(WORK_STRUCT_PENDING), std::memory_order_release);
    return true;
  }
  return false;
}

// Mirrors queue_work_on(): true if it was queued, false if it was already pending (or disabled).
bool Cmwq::queue_work_on(int cpu, Workqueue* wq, Work* work) {
  if (wq == nullptr || work == nullptr) {
    warn("workqueue: queue_work_on() called with a null workqueue or work item");
    return false;
  }
  if (wq->destroyed) {
    warn("workqueue: queue_work_on() on " + wq->name + ", which has been destroyed", wq, work);
    return false;
  }
  if (!work->func) {
    warn("workqueue: queue_work_on() on a work item that was never INIT_WORK()ed", wq, work);
    return false;
  }
  if (cpu != WORK_CPU_UNBOUND && (cpu < 0 || cpu >= k_.nr_cpus())) {
    warn("workqueue: queue_work_on() for cpu " + std::to_string(cpu) + ", which does not exist", wq,
         work);
    return false;
  }
  uint64_t old = work->data.fetch_or(WORK_STRUCT_PENDING, std::memory_order_acq_rel);
  if (old & WORK_STRUCT_PENDING) return false;
  if (clear_pending_if_disabled(work)) return false;
  __queue_work(cpu, wq, work);
  return true;
}

// Mirrors delayed_work_timer_fn().
void Cmwq::delayed_work_timer_fn(DelayedWork* dwork) {
  __queue_work(dwork->cpu, dwork->wq, &dwork->work);
}

// Mirrors __queue_delayed_work(): delay 0 queues at once; otherwise the item sits on a timer.
void Cmwq::__queue_delayed_work(int cpu, Workqueue* wq, DelayedWork* dwork, uint64_t delay) {
  if (delay == 0) {
    __queue_work(cpu, wq, &dwork->work);
    return;
  }
  dwork->wq = wq;
  dwork->cpu = cpu;
  dwork->timer.fn = [this, dwork] { delayed_work_timer_fn(dwork); };
  dwork->timer.name = "delayed_work_timer_fn";
  uint64_t expires = k_.jiffies() + delay;
  WQ_TRACE(WqDelayedArm, work_id(&dwork->work), fn_name_id(&dwork->work), wq->name_id,
           static_cast<int64_t>(expires) * k_.jiffy_ns(), cpu);
  k_.mod_timer(dwork->timer, expires);
}

bool Cmwq::queue_delayed_work_on(int cpu, Workqueue* wq, DelayedWork* dwork, uint64_t delay) {
  if (wq == nullptr || dwork == nullptr || wq->destroyed || !dwork->work.func) {
    warn(
        "workqueue: queue_delayed_work_on() with a destroyed or null workqueue, or an "
        "uninitialised work item",
        wq, dwork ? &dwork->work : nullptr);
    return false;
  }
  uint64_t old = dwork->work.data.fetch_or(WORK_STRUCT_PENDING, std::memory_order_acq_rel);
  if (old & WORK_STRUCT_PENDING) return false;
  if (clear_pending_if_disabled(&dwork->work)) return false;
  __queue_delayed_work(cpu, wq, dwork, delay);
  return true;
}

// Mirrors mod_delayed_work_on(): steal it from the timer or the list, then re-arm.
bool Cmwq::mod_delayed_work_on(int cpu, Workqueue* wq, DelayedWork* dwork, uint64_t delay) {
  if (wq == nullptr || dwork == nullptr || wq->destroyed || !dwork->work.func) {
    warn("workqueue: mod_delayed_work_on() with a destroyed or null workqueue", wq);
    return false;
  }
  bool ret = work_grab_pending(&dwork->work, WORK_CANCEL_DELAYED);
  if (!clear_pending_if_disabled(&dwork->work)) __queue_delayed_work(cpu, wq, dwork, delay);
  return ret;
}

}  // namespace wqlab::wq

// Flushing: flush colours and the flusher queue (flush_workqueue), barriers (flush_work),
// drain_workqueue(), and the kernel's flush warnings (check_flush_dependency, self-flush).
#include "engine/wq/cmwq.h"

namespace wqlab::wq {

using trace::EventKind;

// struct wq_barrier: a work item that completes `done` when it runs.
struct Cmwq::WqBarrier {
  Work work;
  kernel::Completion done;
};

// Lab stand-in for lockdep's wq->lockdep_map: waiting for a workqueue (or an item of it) from
// inside one of its own items is reported as the recursion lockdep would find.
void Cmwq::touch_wq_lockdep_map(Workqueue* wq, std::string_view what) {
  Worker* worker = current_wq_worker();
  if (worker == nullptr || worker->current_pwq == nullptr || worker->current_pwq->wq != wq) return;
  warn("WARNING: possible recursive locking detected: " + worker->task->comm + " is trying to " +
           std::string(what) + " (" + wq->name + ") from inside " + worker->current_func->name +
           ", which runs on it",
       wq, worker->current_work);
}

// Mirrors check_flush_dependency(): a WQ_MEM_RECLAIM item must not wait for a !WQ_MEM_RECLAIM
// workqueue, which may need a new worker to make progress.
void Cmwq::check_flush_dependency(Workqueue* target_wq, Work* target_work, bool from_cancel) {
  if (from_cancel || (target_wq->flags.load() & WQ_MEM_RECLAIM)) return;
  Worker* worker = current_wq_worker();
  if (worker == nullptr || worker->current_pwq == nullptr) return;
  Workqueue* wq = worker->current_pwq->wq;
  if ((wq->flags.load() & (WQ_MEM_RECLAIM | __WQ_LEGACY)) == WQ_MEM_RECLAIM) {
    std::string target_fn = target_work ? target_work->name() : "(null)";
    warn_once("flush_dep:" + wq->name + ":" + target_wq->name,
              "workqueue: WQ_MEM_RECLAIM " + wq->name + ":" + worker->current_func->name +
                  " is flushing !WQ_MEM_RECLAIM " + target_wq->name + ":" + target_fn,
              target_wq, target_work);
  }
}

// Mirrors flush_workqueue_prep_pwqs(): mark pwqs with items of flush_color in flight and/or
// advance their work_color. Returns whether any pwq needs waiting for.
bool Cmwq::flush_workqueue_prep_pwqs(Workqueue* wq, int flush_color, int work_color) {
  bool wait = false;
  if (flush_color >= 0) wq->nr_pwqs_to_flush.store(1);
  WorkerPool* current_pool = nullptr;
  for (ListHead* n = wq->pwqs.next; n != &wq->pwqs; n = n->next) {
    PoolWorkqueue* pwq = n->entry<PoolWorkqueue>();
    if (current_pool != pwq->pool) {
      if (current_pool) current_pool->lock.unlock();
      current_pool = pwq->pool;
      current_pool->lock.lock();
    }
    if (flush_color >= 0 && pwq->nr_in_flight[flush_color]) {
      pwq->flush_color = flush_color;
      wq->nr_pwqs_to_flush.fetch_add(1);
      wait = true;
    }
    if (work_color >= 0) pwq->work_color = work_color;
  }
  if (current_pool) current_pool->lock.unlock();
  if (flush_color >= 0 && wq->nr_pwqs_to_flush.fetch_sub(1) == 1)
    wq->first_flusher.load()->done.complete();
  return wait;
}

// Mirrors __flush_workqueue(): wait for every item queued before the call. Each flush takes a
// colour; the first flusher cascades completion to the flushers queued behind it, in colour
// order, and hands out colours to the overflow list when the 16 colours are used up.
void Cmwq::__flush_workqueue(Workqueue* wq) {
  WqFlusher this_flusher;
  touch_wq_lockdep_map(wq, "flush_workqueue");
  bool must_wait = true;
  {
    kernel::MutexGuard g(wq->mutex);
    int next_color = work_next_color(wq->work_color);
    if (next_color != wq->flush_color) {
      this_flusher.flush_color = wq->work_color;
      wq->work_color = next_color;
      if (wq->first_flusher.load() == nullptr) {
        wq->first_flusher = &this_flusher;
        WQ_TRACE(WqFlushStart, wq->name_id, this_flusher.flush_color, 0);
        if (!flush_workqueue_prep_pwqs(wq, wq->flush_color, wq->work_color)) {
          wq->flush_color = next_color;  // nothing to flush
          wq->first_flusher = nullptr;
          must_wait = false;
        }
      } else {
        WQ_TRACE(WqFlushStart, wq->name_id, this_flusher.flush_color, 1);
        list_add_tail(&this_flusher.list, &wq->flusher_queue);
        flush_workqueue_prep_pwqs(wq, -1, wq->work_color);
      }
    } else {
      WQ_TRACE(WqFlushStart, wq->name_id, -1, 1);
      list_add_tail(&this_flusher.list, &wq->flusher_overflow);  // colour space is full
    }
    if (must_wait) check_flush_dependency(wq, nullptr, false);
  }
  if (!must_wait) {
    WQ_TRACE(WqFlushDone, wq->name_id, this_flusher.flush_color);
    return;
  }
  this_flusher.done.wait_for_completion();
  WQ_TRACE(WqFlushDone, wq->name_id, this_flusher.flush_color);

  // Wake-up-and-cascade: only the first flusher has work left to do.
  if (wq->first_flusher.load() != &this_flusher) return;
  kernel::MutexGuard g(wq->mutex);
  if (wq->first_flusher.load() != &this_flusher) return;
  wq->first_flusher = nullptr;
  for (;;) {
    // Complete every flusher waiting for the colour that just finished.
    while (WqFlusher* next = list_first_entry_or_null<WqFlusher>(&wq->flusher_queue)) {
      if (next->flush_color != wq->flush_color) break;
      list_del_init(&next->list);
      next->done.complete();
    }
    wq->flush_color = work_next_color(wq->flush_color);
    if (!wq->flusher_overflow.empty()) {
      // One colour is free again: the overflowed flushers take the current work colour.
      for (ListHead* n = wq->flusher_overflow.next; n != &wq->flusher_overflow; n = n->next)
        n->entry<WqFlusher>()->flush_color = wq->work_color;
      wq->work_color = work_next_color(wq->work_color);
      list_splice_tail_init(&wq->flusher_overflow, &wq->flusher_queue);
      flush_workqueue_prep_pwqs(wq, -1, wq->work_color);
    }
    if (wq->flusher_queue.empty()) break;
    // More colours to flush: the next flusher becomes the first and the pwqs are armed.
    WqFlusher* next = list_first_entry_or_null<WqFlusher>(&wq->flusher_queue);
    list_del_init(&next->list);
    wq->first_flusher = next;
    if (flush_workqueue_prep_pwqs(wq, wq->flush_color, -1)) break;
    wq->first_flusher = nullptr;  // that colour was already done: cascade again
  }
}

void Cmwq::flush_workqueue(Workqueue* wq) {
  if (wq == nullptr || wq->destroyed) {
    warn("workqueue: flush_workqueue() on a destroyed or null workqueue", wq);
    return;
  }
  if (k_.current() == nullptr) {
    warn("workqueue: flush_workqueue() needs a task context (it sleeps)", wq);
    return;
  }
  if (wq == system_wq || wq == system_highpri_wq || wq == system_long_wq ||
      wq == system_unbound_wq || wq == system_freezable_wq || wq == system_power_efficient_wq ||
      wq == system_freezable_power_efficient_wq) {
    // Mirrors __warn_flushing_systemwide_wq().
    warn_once("flush_system:" + wq->name,
              "workqueue: flushing a system-wide workqueue (" + wq->name +
                  ") will be prohibited in the near future",
              wq);
  }
  __flush_workqueue(wq);
}

// Mirrors insert_wq_barrier(): the barrier runs right after `target` (queued) or right after
// the running instance (worker->scheduled). It is INACTIVE so it never counts in nr_active.
void Cmwq::insert_wq_barrier(PoolWorkqueue* pwq, WqBarrier* barr, Work* target, Worker* worker) {
  int64_t target_id = work_id(target);
  INIT_WORK(
      &barr->work,
      [this, barr, target_id](Work* w) {
        WQ_TRACE(WqBarrierRun, work_id(w), target_id);
        barr->done.complete();
      },
      "wq_barrier_func");
  barr->work.is_barrier = true;
  kernel::Task* self = k_.current();
  barr->work.barrier_pid = self != nullptr ? self->pid : 0;  // barr->task, for show_pwq()
  barr->work.data.fetch_or(WORK_STRUCT_PENDING);
  uint64_t work_flags = WORK_STRUCT_INACTIVE;
  int work_color;
  ListHead* head;
  if (worker != nullptr) {
    head = worker->scheduled.next;
    work_color = worker->current_color;
  } else {
    uint64_t bits = work_data(target);
    head = target->entry.next;
    work_flags |= bits & WORK_STRUCT_LINKED;  // inherit an existing link, then link to us
    work_color = get_work_color(bits);
    target->data.fetch_or(WORK_STRUCT_LINKED);
  }
  ++pwq->nr_in_flight[work_color];
  work_flags |= work_color_to_flags(work_color);
  insert_work(pwq, &barr->work, head, work_flags);
}

// Mirrors start_flush_work(). Returns false if there is nothing to wait for.
bool Cmwq::start_flush_work(Work* work, WqBarrier* barr, bool from_cancel) {
  WorkerPool* pool = get_work_pool(work);
  if (pool == nullptr) return false;
  kernel::SpinLockGuard g(pool->lock);
  PoolWorkqueue* pwq = get_work_pwq(work);
  Worker* worker = nullptr;
  if (pwq != nullptr) {
    if (pwq->pool != pool) return false;
  } else {
    worker = find_worker_executing_work(pool, work);
    if (worker == nullptr) return false;
    pwq = worker->current_pwq;
  }
  Workqueue* wq = pwq->wq;
  check_flush_dependency(wq, work, from_cancel);
  WQ_TRACE(WqFlushWorkStart, work_id(work), fn_name_id(work), worker != nullptr);
  insert_wq_barrier(pwq, barr, work, worker);
  if (!from_cancel && (wq->saved_max_active == 1 || wq->rescuer != nullptr))
    touch_wq_lockdep_map(wq, "flush_work");
  return true;
}

// Mirrors __flush_work(): wait for the last queued instance of `work` to finish.
bool Cmwq::__flush_work(Work* work, bool from_cancel) {
  if (!work->func) return false;
  WqBarrier barr;
  if (!start_flush_work(work, &barr, from_cancel)) return false;
  barr.done.wait_for_completion();
  WQ_TRACE(WqFlushWorkDone, work_id(work), fn_name_id(work), 1);
  return true;
}

bool Cmwq::flush_work(Work* work) {
  if (work == nullptr) return false;
  if (k_.current() == nullptr) {
    warn("workqueue: flush_work() needs a task context (it sleeps)", nullptr, work);
    return false;
  }
  return __flush_work(work, false);
}

// Mirrors flush_delayed_work(): a pending timer is cut short, then the item is flushed.
bool Cmwq::flush_delayed_work(DelayedWork* dwork) {
  if (dwork->wq != nullptr && k_.del_timer_sync(dwork->timer))
    __queue_work(dwork->cpu, dwork->wq, &dwork->work);
  return flush_work(&dwork->work);
}

// Mirrors drain_workqueue(): flush until the workqueue is empty; meanwhile only chained work
// (queued by its own items) is accepted.
void Cmwq::drain_workqueue(Workqueue* wq) {
  if (wq == nullptr || (wq->destroyed && !(wq->flags.load() & __WQ_DESTROYING))) {
    warn("workqueue: drain_workqueue() on a destroyed or null workqueue", wq);
    return;
  }
  if (k_.current() == nullptr) {
    warn("workqueue: drain_workqueue() needs a task context (it sleeps)", wq);
    return;
  }
  {
    kernel::MutexGuard g(wq->mutex);
    if (wq->nr_drainers++ == 0) wq->flags |= __WQ_DRAINING;
  }
  WQ_TRACE(WqDrainStart, wq->name_id);
  unsigned flush_cnt = 0;
  for (;;) {
    __flush_workqueue(wq);
    bool drained = true;
    {
      kernel::MutexGuard g(wq->mutex);
      for (ListHead* n = wq->pwqs.next; n != &wq->pwqs; n = n->next) {
        PoolWorkqueue* pwq = n->entry<PoolWorkqueue>();
        kernel::SpinLockGuard pg(pwq->pool->lock);
        if (!pwq_is_empty(pwq)) {
          drained = false;
          break;
        }
      }
      if (drained) {
        if (--wq->nr_drainers == 0) wq->flags &= ~__WQ_DRAINING;
        break;
      }
    }
    ++flush_cnt;
    if (flush_cnt == 10 || (flush_cnt % 100 == 0 && flush_cnt <= 1000))
      warn("workqueue " + wq->name + ": drain_workqueue() isn't complete after " +
               std::to_string(flush_cnt) + " tries",
           wq);
  }
  WQ_TRACE(WqDrainDone, wq->name_id, flush_cnt + 1);
}

// Mirrors pwq_busy(): anything in flight, extra references, or active items.
bool Cmwq::pwq_busy(PoolWorkqueue* pwq) const {
  for (int i = 0; i < WORK_NR_COLORS; ++i)
    if (pwq->nr_in_flight[i]) return true;
  if (pwq != pwq->wq->dfl_pwq && pwq->refcnt > 1) return true;
  return !pwq_is_empty(pwq);
}

// Mirrors schedule_on_each_cpu().
int Cmwq::schedule_on_each_cpu(WorkFunc fn, std::string_view name) {
  if (k_.current() == nullptr) {
    warn("workqueue: schedule_on_each_cpu() needs a task context (it sleeps)");
    return -kernel::kEINVAL;
  }
  std::vector<std::unique_ptr<Work>> works;
  for (int cpu = 0; cpu < k_.nr_cpus(); ++cpu) {
    if (!k_.cpu_online(cpu)) continue;
    auto w = std::make_unique<Work>();
    INIT_WORK(w.get(), fn, name);
    schedule_work_on(cpu, w.get());
    works.push_back(std::move(w));
  }
  for (auto& w : works) flush_work(w.get());
  return 0;
}

}  // namespace wqlab::wq

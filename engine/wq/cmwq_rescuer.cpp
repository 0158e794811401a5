// Forward progress under memory pressure: the mayday timer and the rescuer thread that every
// WQ_MEM_RECLAIM workqueue keeps in reserve.
#include "engine/wq/cmwq.h"

namespace wqlab::wq {

using kernel::TaskState;
using kernel::TaskStep;
using trace::EventKind;

// Mirrors send_mayday(): ask the item's workqueue's rescuer for help. LOCKING: wq_mayday_lock.
void Cmwq::send_mayday(Work* work) {
  PoolWorkqueue* pwq = get_work_pwq(work);
  Workqueue* wq = pwq->wq;
  if (wq->rescuer == nullptr) return;  // without WQ_MEM_RECLAIM nobody comes
  if (pwq->mayday_node.empty()) {
    get_pwq(pwq);
    list_add_tail(&pwq->mayday_node, &wq->maydays);
    k_.wake_up_process(*wq->rescuer->task);
    ++pwq->stats[PWQ_STAT_MAYDAY];
    WQ_TRACE(WqMayday, wq->name_id, pwq->id, pwq->pool->id, work_id(work));
  }
}

// Mirrors pool_mayday_timeout(): the manager has failed to create a worker for a while; every
// item on the worklist calls its rescuer. Re-armed every MAYDAY_INTERVAL until the manager
// succeeds or gives up.
void Cmwq::pool_mayday_timeout(WorkerPool* pool) {
  {
    kernel::SpinLockGuard g(pool->lock);
    kernel::SpinLockGuard m(wq_mayday_lock_);
    bool need_to_create = !pool->worklist.empty() && pool->nr_running == 0 && pool->nr_idle == 0;
    WQ_TRACE(WqMaydayTimer, pool->id, need_to_create);
    if (need_to_create) {
      for (ListHead* n = pool->worklist.next; n != &pool->worklist; n = n->next)
        send_mayday(n->entry<Work>());
    }
  }
  k_.mod_timer(pool->mayday_timer, k_.jiffies() + MAYDAY_INTERVAL());
}

// Mirrors rescuer_thread(): for each pwq on wq->maydays, join its pool and run only this
// workqueue's items from the pool's worklist. Parks (no OS thread) between rescues.
TaskStep Cmwq::rescuer_thread(Worker* rescuer) {
  Workqueue* wq = rescuer->rescue_wq;
  k_.set_current_state(TaskState::Idle);  // repeat:
  bool should_stop = k_.kthread_should_stop();
  wq_mayday_lock_.lock();
  while (PoolWorkqueue* pwq = list_first_entry_or_null<PoolWorkqueue>(&wq->maydays)) {
    WorkerPool* pool = pwq->pool;
    k_.set_current_state(TaskState::Running);
    list_del_init(&pwq->mayday_node);
    wq_mayday_lock_.unlock();
    worker_attach_to_pool(rescuer, pool);
    WQ_TRACE(WqRescuerAttach, wq->name_id, pool->id, rescuer->task->pid);
    pool->lock.lock();
    int rescued = 0;
    // Slurp in all works issued via this workqueue and process them.
    for (ListHead* n = pool->worklist.next; n != &pool->worklist;) {
      Work* work = n->entry<Work>();
      ListHead* next = n->next;
      if (get_work_pwq(work) == pwq) {
        WQ_TRACE(WqRescue, work_id(work), fn_name_id(work), wq->name_id, pool->id);
        if (assign_work(work, rescuer, &next)) {
          ++pwq->stats[PWQ_STAT_RESCUED];
          ++rescued;
        }
      }
      n = next;
    }
    WQ_TRACE(WqRescuerRun, wq->name_id, pool->id, rescued);
    if (!rescuer->scheduled.empty()) {
      process_scheduled_works(rescuer);
      // More may have become active meanwhile: stay on the mayday list, no MAYDAY_INTERVAL wait.
      bool need_to_create = !pool->worklist.empty() && pool->nr_running == 0 && pool->nr_idle == 0;
      if (pwq->nr_active && need_to_create) {
        kernel::SpinLockGuard m(wq_mayday_lock_);
        if (wq->rescuer != nullptr && pwq->mayday_node.empty()) {
          get_pwq(pwq);
          list_add_tail(&pwq->mayday_node, &wq->maydays);
        }
      }
    }
    put_pwq(pwq);
    kick_pool(pool);  // leave the pool with its regular workers going
    pool->lock.unlock();
    worker_detach_from_pool(rescuer);
    WQ_TRACE(WqRescuerDetach, wq->name_id, pool->id, rescuer->task->pid);
    wq_mayday_lock_.lock();
  }
  wq_mayday_lock_.unlock();
  if (should_stop) {
    k_.set_current_state(TaskState::Running);
    return TaskStep::Exit;
  }
  return TaskStep::Park;  // schedule(); goto repeat;
}

}  // namespace wqlab::wq

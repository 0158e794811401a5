// kworkers: creation, the main loop (worker_thread), the manager and its spare-worker rule,
// process_one_work(), idle reaping, and concurrency management through the scheduler hooks.
#include "engine/wq/cmwq.h"
#include "engine/wq/pool_state.h"

namespace wqlab::wq {

using kernel::Task;
using kernel::TaskState;
using kernel::TaskStep;
using trace::EventKind;

namespace {
bool may_start_working(const WorkerPool* pool) {
  return pool->nr_idle > 0;
}
bool need_to_create_worker(const WorkerPool* pool) {
  return need_more_worker(pool) && !may_start_working(pool);
}
// Mirrors too_many_workers(): "1/4 of busy can be idle", and always keep two.
bool too_many_workers(const WorkerPool* pool) {
  bool managing = pool->flags & POOL_MANAGER_ACTIVE;
  int nr_idle = pool->nr_idle + (managing ? 1 : 0);
  int nr_busy = pool->nr_workers - nr_idle;
  return nr_idle > 2 && (nr_idle - 2) * MAX_IDLE_WORKERS_RATIO >= nr_busy;
}
}  // namespace

void Cmwq::trace_nr_running(WorkerPool* pool, Worker* worker) {
  WQ_TRACE(WqNrRunning, pool->id, pool->nr_running, worker && worker->task ? worker->task->pid : 0);
}

Worker* Cmwq::current_wq_worker() const {
  Task* t = k_.current();
  if (t == nullptr || t->hooks != &hooks_) return nullptr;
  return static_cast<Worker*>(t->data);
}

// Mirrors worker_set_flags(): entering NOT_RUNNING leaves nr_running. LOCKING: pool->lock.
void Cmwq::worker_set_flags(Worker* worker, unsigned flags) {
  WorkerPool* pool = worker->pool;
  if ((flags & WORKER_NOT_RUNNING) && !(worker->flags & WORKER_NOT_RUNNING)) {
    --pool->nr_running;
    trace_nr_running(pool, worker);
  }
  worker->flags |= flags;
}

// Mirrors worker_clr_flags(): leaving every NOT_RUNNING flag joins nr_running.
void Cmwq::worker_clr_flags(Worker* worker, unsigned flags) {
  WorkerPool* pool = worker->pool;
  unsigned oflags = worker->flags;
  worker->flags &= ~flags;
  if ((flags & WORKER_NOT_RUNNING) && (oflags & WORKER_NOT_RUNNING) &&
      !(worker->flags & WORKER_NOT_RUNNING)) {
    ++pool->nr_running;
    trace_nr_running(pool, worker);
  }
}

// Mirrors worker_enter_idle(). LOCKING: pool->lock.
void Cmwq::worker_enter_idle(Worker* worker) {
  WorkerPool* pool = worker->pool;
  if (worker->flags & WORKER_IDLE) return;
  worker->flags |= WORKER_IDLE;
  ++pool->nr_idle;
  worker->last_active = k_.jiffies_coarse();
  list_add(&worker->entry, &pool->idle_list);  // LIFO
  if (too_many_workers(pool) && !k_.timer_pending(pool->idle_timer))
    k_.mod_timer(pool->idle_timer, k_.jiffies() + IDLE_WORKER_TIMEOUT());
  WQ_TRACE(WqWorkerIdle, pool->id, worker->task ? worker->task->pid : 0, pool->nr_idle);
}

// Mirrors worker_leave_idle(). LOCKING: pool->lock.
void Cmwq::worker_leave_idle(Worker* worker) {
  WorkerPool* pool = worker->pool;
  if (!(worker->flags & WORKER_IDLE)) return;
  worker_clr_flags(worker, WORKER_IDLE);
  --pool->nr_idle;
  list_del_init(&worker->entry);
  WQ_TRACE(WqWorkerBusy, pool->id, worker->task ? worker->task->pid : 0, pool->nr_idle);
}

// Mirrors format_worker_id(): kworker/<cpu>:<id>[H], kworker/u<pool>:<id>.
std::string Cmwq::format_worker_id(Worker* worker, WorkerPool* pool) const {
  if (pool->cpu >= 0) {
    return "kworker/" + std::to_string(pool->cpu) + ":" + std::to_string(worker->id) +
           (pool->attrs.nice < 0 ? "H" : "");
  }
  return "kworker/u" + std::to_string(pool->id) + ":" + std::to_string(worker->id);
}

// Mirrors worker_attach_to_pool(): workers of a disassociated pool (BH pools always) are UNBOUND.
void Cmwq::worker_attach_to_pool(Worker* worker, WorkerPool* pool) {
  kernel::MutexGuard g(wq_pool_attach_mutex_);
  {
    kernel::SpinLockGuard pg(pool->lock);
    if (pool->flags & POOL_DISASSOCIATED) worker->flags |= WORKER_UNBOUND;
  }
  if (worker->task != nullptr &&
      (worker->rescue_wq == nullptr || pool->cpu < 0 || k_.cpu_online(pool->cpu)))
    k_.set_cpus_allowed(*worker->task, pool_allowed_cpus(pool));
  list_add_tail(&worker->node, &pool->workers);
  kernel::SpinLockGuard r(registry_lock_);  // lab: wq_worker_comm() reads it from outside
  worker->pool = pool;
}

// Mirrors worker_detach_from_pool().
void Cmwq::worker_detach_from_pool(Worker* worker) {
  kernel::MutexGuard g(wq_pool_attach_mutex_);
  list_del_init(&worker->node);
  {
    kernel::SpinLockGuard r(registry_lock_);
    worker->pool = nullptr;
  }
  worker->flags &= ~(WORKER_UNBOUND | WORKER_REBOUND);
}

// Mirrors create_worker(): alloc_worker() and kthread_create_on_node() can both fail (memory
// pressure, no free pid). The new worker starts idle and is woken.
Worker* Cmwq::create_worker(WorkerPool* pool) {
  if (!k_.kmalloc(cfg_.worker_bytes, "worker")) {
    WQ_TRACE(WqWorkerCreateFail, pool->id, -kernel::kENOMEM);
    warn_once("create_worker_enomem", "workqueue: Failed to create a worker thread: -ENOMEM");
    return nullptr;
  }
  auto owned = std::make_unique<Worker>();
  Worker* worker = owned.get();
  worker->id = pool->worker_ida.alloc();
  worker->flags = WORKER_PREP;
  std::string comm = format_worker_id(worker, pool);
  auto r = k_.kthread_create([this, worker] { return worker_thread(worker); }, comm,
                             pool->cpu >= 0 ? pool->cpu : -1, pool->attrs.nice);
  if (!r) {
    pool->worker_ida.free(worker->id);
    k_.kfree(cfg_.worker_bytes);
    WQ_TRACE(WqWorkerCreateFail, pool->id, r.err);
    warn_once(r.err == -kernel::kEAGAIN ? "create_worker_eagain" : "create_worker_enomem",
              std::string("workqueue: Failed to create a worker thread: ") +
                  (r.err == -kernel::kEAGAIN ? "-EAGAIN" : "-ENOMEM"));
    return nullptr;
  }
  worker->task = r.task;
  r.task->hooks = &hooks_;  // PF_WQ_WORKER
  r.task->data = worker;
  {
    kernel::SpinLockGuard g(registry_lock_);
    workers_.push_back(std::move(owned));
  }
  worker_attach_to_pool(worker, pool);
  kernel::SpinLockGuard g(pool->lock);
  ++pool->nr_workers;
  WQ_TRACE(WqWorkerCreate, pool->id, worker->id, r.task->pid, pool->nr_workers);
  worker_enter_idle(worker);
  k_.wake_up_process(*r.task);
  return worker;
}

// Mirrors maybe_create_worker(): the manager keeps trying, every CREATE_COOLDOWN, while the
// mayday timer calls the rescuers if it takes longer than MAYDAY_INITIAL_TIMEOUT.
// LOCKING: pool->lock held on entry and exit, dropped inside; may sleep.
void Cmwq::maybe_create_worker(WorkerPool* pool) {
  for (;;) {
    pool->lock.unlock();
    k_.mod_timer(pool->mayday_timer, k_.jiffies() + MAYDAY_INITIAL_TIMEOUT());
    for (;;) {
      if (create_worker(pool) != nullptr) break;
      {
        kernel::SpinLockGuard g(pool->lock);
        if (!need_to_create_worker(pool)) break;
      }
      k_.schedule_timeout(CREATE_COOLDOWN());  // schedule_timeout_interruptible()
      kernel::SpinLockGuard g(pool->lock);
      if (!need_to_create_worker(pool)) break;
    }
    k_.del_timer_sync(pool->mayday_timer);
    pool->lock.lock();
    if (!need_to_create_worker(pool)) return;
  }
}

// Mirrors manage_workers(): one manager per pool. LOCKING: pool->lock (dropped inside).
bool Cmwq::manage_workers(Worker* worker) {
  WorkerPool* pool = worker->pool;
  if (pool->flags & POOL_MANAGER_ACTIVE) return false;
  pool->flags |= POOL_MANAGER_ACTIVE;
  pool->manager = worker;
  WQ_TRACE(WqManagerStart, pool->id);
  maybe_create_worker(pool);
  pool->manager = nullptr;
  pool->flags &= ~POOL_MANAGER_ACTIVE;
  WQ_TRACE(WqManagerEnd, pool->id);
  return true;
}

// Mirrors process_one_work(). LOCKING: pool->lock, dropped while the function runs.
void Cmwq::process_one_work(Worker* worker, Work* work) {
  PoolWorkqueue* pwq = get_work_pwq(work);
  WorkerPool* pool = worker->pool;
  list_add(&worker->hentry, &pool->busy_hash[WorkerPool::busy_bucket(work)]);
  worker->current_work = work;
  worker->current_func = work->func;
  worker->current_pwq = pwq;
  if (worker->task != nullptr) worker->current_at = worker->task->sum_exec_runtime;
  uint64_t data = work_data(work);
  worker->current_color = get_work_color(data);
  worker->desc = pwq->wq;
  list_del_init(&work->entry);
  // CPU-intensive items do not count in nr_running; kick_pool() then chains the next worker.
  if (pwq->wq->flags.load() & WQ_CPU_INTENSIVE) worker_set_flags(worker, WORKER_CPU_INTENSIVE);
  kick_pool(pool);
  // From here the item is off queue: it may be queued again while it runs.
  work->data.store(offq_data(pool->id, 0, false), std::memory_order_release);
  ++pwq->stats[PWQ_STAT_STARTED];
  pool->lock.unlock();

  int64_t func_id = k_.recording() ? fn_name_id(work) : 0;
  int64_t wid = k_.recording() ? work_id(work) : 0;
  WQ_TRACE(WqExecuteStart, wid, func_id, pwq->wq->name_id, pool->id);
  // A BH worker has no task: the item runs in the softirq context of whatever task serves it.
  kernel::Task* self = worker->task != nullptr ? worker->task : k_.current();
  int depth = self != nullptr ? self->atomic_depth : 0;
  worker->current_func->fn(work);
  // `work` may be freed by its function; only its id is used from here on.
  WQ_TRACE(WqExecuteEnd, wid, func_id, pool->id);
  if (cfg_.inject_faults.run_item_twice) [[unlikely]] {  // a broken engine, on purpose
    WQ_TRACE(WqExecuteStart, wid, func_id, pwq->wq->name_id, pool->id);
    worker->current_func->fn(work);
    WQ_TRACE(WqExecuteEnd, wid, func_id, pool->id);
  }
  if (self != nullptr && self->atomic_depth != depth) {
    warn("BUG: workqueue leaked atomic, lock or RCU: " + self->comm +
             " last function: " + worker->current_func->name,
         pwq->wq);
    self->atomic_depth = depth;
  }
  // A kworker running a long list of items yields here if something should run first.
  k_.cond_resched();

  pool->lock.lock();
  ++pwq->stats[PWQ_STAT_COMPLETED];
  worker_clr_flags(worker, WORKER_CPU_INTENSIVE);
  worker->last_func = worker->current_func->identity;
  list_del_init(&worker->hentry);
  worker->current_work = nullptr;
  worker->current_func.reset();
  worker->current_pwq = nullptr;
  worker->current_color = INT32_MAX;
  pwq_dec_nr_in_flight(pwq, data);
}

// Mirrors process_scheduled_works(). LOCKING: pool->lock.
void Cmwq::process_scheduled_works(Worker* worker) {
  bool first = true;
  while (Work* work = list_first_entry_or_null<Work>(&worker->scheduled)) {
    if (first) {
      worker->pool->watchdog_ts = k_.jiffies_coarse();
      first = false;
    }
    process_one_work(worker, work);
  }
}

// Mirrors worker_thread(). Entered from the top on every wake-up ("woke_up:"); going idle
// returns Park, so an idle kworker holds no OS thread.
TaskStep Cmwq::worker_thread(Worker* worker) {
  WorkerPool* pool = worker->pool;
  pool->lock.lock();
  if (worker->flags & WORKER_DIE) {
    pool->worker_ida.free(worker->id);
    pool->lock.unlock();
    worker_detach_from_pool(worker);
    k_.kfree(cfg_.worker_bytes);
    return TaskStep::Exit;
  }
  worker_leave_idle(worker);
  for (;;) {  // recheck:
    if (!need_more_worker(pool)) break;
    // The last idle worker becomes the manager and makes a spare before it starts working.
    if (!may_start_working(pool) && manage_workers(worker)) continue;
    worker_clr_flags(worker, WORKER_PREP | WORKER_REBOUND);
    do {
      Work* work = list_first_entry_or_null<Work>(&pool->worklist);
      if (assign_work(work, worker, nullptr)) process_scheduled_works(worker);
    } while (keep_working(pool));
    worker_set_flags(worker, WORKER_PREP);
    break;
  }
  // sleep:
  worker_enter_idle(worker);
  k_.set_current_state(TaskState::Idle);
  pool->lock.unlock();
  return TaskStep::Park;
}

// Mirrors idle_worker_timeout(): if a worker has idled past IDLE_WORKER_TIMEOUT, cull.
void Cmwq::idle_worker_timeout(WorkerPool* pool) {
  if (work_pending(&pool->idle_cull_work)) return;
  bool do_cull = false;
  {
    kernel::SpinLockGuard g(pool->lock);
    if (too_many_workers(pool)) {
      Worker* worker = list_last_entry<Worker>(&pool->idle_list);
      uint64_t expires = worker->last_active + IDLE_WORKER_TIMEOUT();
      do_cull = k_.jiffies() >= expires;
      if (!do_cull) k_.mod_timer(pool->idle_timer, expires);
    }
  }
  if (do_cull && system_unbound_wq != nullptr) queue_work(system_unbound_wq, &pool->idle_cull_work);
}

// Mirrors idle_cull_fn(): the longest-idle workers (the list's tail) die first.
void Cmwq::idle_cull_fn(WorkerPool* pool) {
  std::vector<Worker*> dying;
  {
    kernel::MutexGuard attach(wq_pool_attach_mutex_);
    kernel::SpinLockGuard g(pool->lock);
    while (too_many_workers(pool)) {
      Worker* worker = list_last_entry<Worker>(&pool->idle_list);
      uint64_t expires = worker->last_active + IDLE_WORKER_TIMEOUT();
      if (k_.jiffies() < expires) {
        k_.mod_timer(pool->idle_timer, expires);
        break;
      }
      // set_worker_dying()
      --pool->nr_workers;
      --pool->nr_idle;
      worker->flags |= WORKER_DIE;
      list_del_init(&worker->entry);
      dying.push_back(worker);
      WQ_TRACE(WqWorkerDie, pool->id, worker->task->pid, pool->nr_workers);
    }
  }
  for (Worker* worker : dying) k_.kthread_stop(*worker->task);  // reap_dying_workers()
}

// ---- Concurrency management: the scheduler hooks ----
// Lab: Linux relies on the worker's own CPU with preemption off; here pool->lock is taken.

// Mirrors wq_worker_running().
void Cmwq::wq_worker_running(Task& task) {
  auto* worker = static_cast<Worker*>(task.data);
  if (worker->traced_sleep) {
    worker->traced_sleep = false;
    WQ_TRACE(WqWorkerWake, worker->pool ? worker->pool->id : -1, task.pid,
             worker->current_work ? work_id(worker->current_work) : 0);
  }
  if (!worker->sleeping.load()) return;
  WorkerPool* pool = worker->pool;
  if (pool != nullptr) {
    kernel::SpinLockGuard g(pool->lock);
    if (!(worker->flags & WORKER_NOT_RUNNING)) {
      ++pool->nr_running;
      trace_nr_running(pool, worker);
    }
  }
  worker->current_at = task.sum_exec_runtime;  // CPU-hog detection counts continuous CPU time
  worker->sleeping.store(0);
}

// Mirrors wq_worker_sleeping(): the last running worker blocking wakes an idle one.
void Cmwq::wq_worker_sleeping(Task& task) {
  auto* worker = static_cast<Worker*>(task.data);
  WorkerPool* pool = worker->pool;
  if (pool == nullptr) return;
  if (worker->current_work != nullptr && !worker->traced_sleep) {
    worker->traced_sleep = true;  // the lab reports every block inside a work item
    WQ_TRACE(WqWorkerSleep, pool->id, task.pid, work_id(worker->current_work));
  }
  if (worker->sleeping.load()) return;
  kernel::SpinLockGuard g(pool->lock);
  if (worker->flags & WORKER_NOT_RUNNING) return;
  worker->sleeping.store(1);
  if (!cfg_.inject_faults.skip_nr_running_dec) --pool->nr_running;  // the fault: a broken engine
  trace_nr_running(pool, worker);
  Worker* idle = list_first_entry_or_null<Worker>(&pool->idle_list);
  if (kick_pool(pool) && worker->current_pwq != nullptr) {
    ++worker->current_pwq->stats[PWQ_STAT_CM_WAKEUP];
    WQ_TRACE(WqCmWakeup, pool->id, worker->current_pwq->wq->name_id, idle->task->pid);
  }
}

// Mirrors wq_worker_tick(): account CPU time, and flag a work item that has hogged the CPU
// for wq_cpu_intensive_thresh_us as CPU-intensive so it stops blocking its pool.
void Cmwq::wq_worker_tick(Task& task) {
  auto* worker = static_cast<Worker*>(task.data);
  WorkerPool* pool = worker->pool;
  if (pool == nullptr) return;
  kernel::SpinLockGuard g(pool->lock);
  PoolWorkqueue* pwq = worker->current_pwq;
  if (pwq == nullptr) return;
  pwq->stats[PWQ_STAT_CPU_TIME] += static_cast<uint64_t>(k_.jiffy_ns() / 1000);
  if (cfg_.cpu_intensive_thresh_us == 0) return;
  kernel::Nanos ran = task.sum_exec_runtime - worker->current_at;
  if ((worker->flags & WORKER_NOT_RUNNING) || worker->sleeping.load() ||
      ran < cfg_.cpu_intensive_thresh_us * 1000)
    return;
  worker_set_flags(worker, WORKER_CPU_INTENSIVE);
  ++pwq->stats[PWQ_STAT_CPU_INTENSIVE];
  WQ_TRACE(WqCpuIntensive, worker->current_work ? work_id(worker->current_work) : 0,
           k_.intern(worker->current_func->name), pwq->wq->name_id, ran);
  Worker* idle = list_first_entry_or_null<Worker>(&pool->idle_list);
  if (kick_pool(pool)) {
    ++pwq->stats[PWQ_STAT_CM_WAKEUP];
    WQ_TRACE(WqCmWakeup, pool->id, pwq->wq->name_id, idle->task->pid);
  }
}

}  // namespace wqlab::wq

// BH workqueues (v6.9+, tasklets' successor): per-CPU BH pools whose single worker has no task;
// kick_pool() raises HI_SOFTIRQ or TASKLET_SOFTIRQ on the pool's CPU and bh_worker() runs the
// items there in softirq context (ksoftirqd in the lab, see engine/kernel/softirq.h), within a
// budget of BH_WORKER_RESTARTS items and BH_WORKER_JIFFIES, after which it raises again.
#include "engine/wq/cmwq.h"
#include "engine/wq/pool_state.h"

namespace wqlab::wq {

using trace::EventKind;

// workqueue_init_early()'s for_each_bh_worker_pool(): two per CPU, ids cpu*4+0 and +1.
void Cmwq::init_bh_pools() {
  int nr_cpus = k_.nr_cpus();
  bh_pools_.resize(static_cast<size_t>(nr_cpus));
  for (int cpu = 0; cpu < nr_cpus; ++cpu) {
    for (int i = 0; i < NR_STD_WORKER_POOLS; ++i) {
      auto pool = std::make_unique<WorkerPool>();
      init_worker_pool(pool.get());
      pool->cpu = cpu;
      pool->id = cpu * POOLS_PER_CPU_IDS + i;
      pool->flags |= POOL_BH;  // and DISASSOCIATED for good: no concurrency management
      pool->attrs.nice = i ? HIGHPRI_NICE_LEVEL : 0;
      pool->attrs.cpumask.set(static_cast<size_t>(cpu));
      pool->attrs.pod_cpumask = pool->attrs.cpumask;
      pool->attrs.affn_strict = true;
      bh_pools_[static_cast<size_t>(cpu)][static_cast<size_t>(i)] = pool.get();
      WQ_TRACE(WqPoolCreate, pool->id, cpu, pool->attrs.nice, 0, 1);
      pool_ids_.set(static_cast<size_t>(pool->id), pool.get());
      pools_[static_cast<size_t>(pool->id)] = std::move(pool);
    }
  }
  k_.softirq().open_softirq(
      kernel::HI_SOFTIRQ, [this](int cpu) { workqueue_softirq_action(cpu, true); },
      "tasklet_hi_action");
  k_.softirq().open_softirq(
      kernel::TASKLET_SOFTIRQ, [this](int cpu) { workqueue_softirq_action(cpu, false); },
      "tasklet_action");
}

// create_worker() for a BH pool: the worker is only a struct; softirq context is its "thread".
void Cmwq::create_bh_worker(WorkerPool* pool) {
  auto owned = std::make_unique<Worker>();
  Worker* worker = owned.get();
  worker->id = pool->worker_ida.alloc();
  worker->flags = WORKER_PREP;
  {
    kernel::SpinLockGuard g(registry_lock_);
    workers_.push_back(std::move(owned));
  }
  worker_attach_to_pool(worker, pool);
  kernel::SpinLockGuard g(pool->lock);
  ++pool->nr_workers;
  WQ_TRACE(WqWorkerCreate, pool->id, worker->id, 0, pool->nr_workers);
  worker_enter_idle(worker);
}

// Mirrors kick_bh_pool(): the highpri BH pool runs from HI_SOFTIRQ, the normal one from
// TASKLET_SOFTIRQ, on the pool's own CPU (Linux sends an irq_work there from another CPU).
void Cmwq::kick_bh_pool(WorkerPool* pool) {
  k_.softirq().raise_softirq_on(pool->cpu, pool->attrs.nice == HIGHPRI_NICE_LEVEL
                                               ? kernel::HI_SOFTIRQ
                                               : kernel::TASKLET_SOFTIRQ);
}

// Mirrors workqueue_softirq_action(), called by tasklet_action() and tasklet_hi_action().
void Cmwq::workqueue_softirq_action(int cpu, bool highpri) {
  WorkerPool* pool = bh_pools_[static_cast<size_t>(cpu)][highpri ? 1 : 0];
  Worker* worker = nullptr;
  {
    kernel::SpinLockGuard g(pool->lock);
    if (need_more_worker(pool)) worker = list_first_entry_or_null<Worker>(&pool->workers);
  }
  if (worker != nullptr) bh_worker(worker);
}

// Mirrors bh_worker(): worker_thread()'s loop without sleeping, cut short after
// BH_WORKER_RESTARTS items or BH_WORKER_JIFFIES; kick_pool() then raises the softirq again.
void Cmwq::bh_worker(Worker* worker) {
  WorkerPool* pool = worker->pool;
  int nr_restarts = BH_WORKER_RESTARTS;
  uint64_t end = k_.jiffies() + k_.msecs_to_jiffies(BH_WORKER_MSECS);
  pool->lock.lock();
  worker_leave_idle(worker);
  if (need_more_worker(pool)) {
    worker_clr_flags(worker, WORKER_PREP | WORKER_REBOUND);
    do {
      Work* work = list_first_entry_or_null<Work>(&pool->worklist);
      if (assign_work(work, worker, nullptr)) process_scheduled_works(worker);
    } while (keep_working(pool) && --nr_restarts && k_.jiffies() < end);
    worker_set_flags(worker, WORKER_PREP);
  }
  worker_enter_idle(worker);
  kick_pool(pool);
  pool->lock.unlock();
}

WorkerPool* Cmwq::bh_pool(int cpu, bool highpri) const {
  if (cpu < 0 || cpu >= k_.nr_cpus()) return nullptr;
  return bh_pools_[static_cast<size_t>(cpu)][highpri ? 1 : 0];
}

}  // namespace wqlab::wq

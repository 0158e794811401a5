// Boot (workqueue_init_early/workqueue_init), worker pools, pool_workqueues, and the life of a
// workqueue: alloc_workqueue(), destroy_workqueue(), the rescuer's creation. Also INIT_WORK().
#include <algorithm>
#include <mutex>
#include <unordered_map>

#include "engine/wq/cmwq.h"

namespace wqlab::wq {

using kernel::CpuMask;
using trace::EventKind;

// ---- work_struct initialisation ----

int64_t func_identity(std::string_view name) {
  // A thread usually initialises many items with one function: remember the last answer.
  thread_local std::string last_name;
  thread_local int64_t last_id = 0;
  if (last_id != 0 && name == last_name) return last_id;
  static std::mutex mu;
  static std::unordered_map<std::string, int64_t> ids;
  std::lock_guard lock(mu);
  auto [it, fresh] = ids.emplace(std::string(name), static_cast<int64_t>(ids.size()) + 1);
  last_name.assign(name);
  last_id = it->second;
  return it->second;
}

void INIT_WORK(Work* work, WorkFunc fn, std::string_view name) {
  work->data.store(offq_data(-1, 0, false), std::memory_order_release);
  list_del_init(&work->entry);
  work->func =
      std::make_shared<const WorkFn>(WorkFn{std::move(fn), std::string(name), func_identity(name)});
  work->dwork = nullptr;
}

const std::string& Work::name() const {
  static const std::string null_name = "(null)";
  return func ? func->name : null_name;
}

void INIT_DELAYED_WORK(DelayedWork* dwork, WorkFunc fn, std::string_view name) {
  INIT_WORK(&dwork->work, std::move(fn), name);
  dwork->work.dwork = dwork;
  dwork->timer.name = "delayed_work_timer_fn";
  dwork->wq = nullptr;
  dwork->cpu = WORK_CPU_UNBOUND;
}

int IdAllocator::alloc() {
  for (size_t i = 0; i < used_.size(); ++i) {
    if (!used_[i]) {
      used_[i] = true;
      return static_cast<int>(i);
    }
  }
  used_.push_back(true);
  return static_cast<int>(used_.size() - 1);
}

void IdAllocator::free(int id) {
  if (id >= 0 && static_cast<size_t>(id) < used_.size()) used_[static_cast<size_t>(id)] = false;
}

// ---- Boot ----

Cmwq::Cmwq(kernel::Kernel& k, CmwqConfig cfg)
    : k_(k),
      cfg_(cfg),
      fn_name_ids_(std::make_unique<std::atomic<int64_t>[]>(kFnNameCache)),
      workqueue_list_(nullptr) {
  for (size_t i = 0; i < kFnNameCache; ++i) fn_name_ids_[i].store(0, std::memory_order_relaxed);
  hooks_.cmwq = this;
  int nr_cpus = k_.nr_cpus();
  cpu_pools_.resize(static_cast<size_t>(nr_cpus));
  pools_.resize(static_cast<size_t>(nr_cpus * POOLS_PER_CPU_IDS));
  for (int cpu = 0; cpu < nr_cpus; ++cpu)
    if (k_.cpu_online(cpu)) wq_online_cpumask_.set(static_cast<size_t>(cpu));
  // The lab knows the topology at boot, so the pods exist before the first workqueue.
  workqueue_init_topology();
  init_bh_pools();
  // workqueue_init_early(): two standard pools per CPU, normal and highpri.
  for (int cpu = 0; cpu < nr_cpus; ++cpu) {
    for (int i = 0; i < NR_STD_WORKER_POOLS; ++i) {
      auto pool = std::make_unique<WorkerPool>();
      init_worker_pool(pool.get());
      pool->cpu = cpu;
      pool->id = cpu * POOLS_PER_CPU_IDS + 2 + i;  // ids cpu*4+0/1 are Linux's BH pools
      pool->attrs.nice = i ? HIGHPRI_NICE_LEVEL : 0;
      pool->attrs.cpumask.set(static_cast<size_t>(cpu));
      pool->attrs.pod_cpumask = pool->attrs.cpumask;
      pool->attrs.affn_strict = true;
      cpu_pools_[static_cast<size_t>(cpu)][static_cast<size_t>(i)] = pool.get();
      WQ_TRACE(WqPoolCreate, pool->id, cpu, pool->attrs.nice, 0);
      pool_ids_.set(static_cast<size_t>(pool->id), pool.get());
      pools_[static_cast<size_t>(pool->id)] = std::move(pool);
    }
  }
  if (cfg_.system_workqueues) {
    system_wq = alloc_workqueue("events", 0, 0);
    system_highpri_wq = alloc_workqueue("events_highpri", WQ_HIGHPRI, 0);
    system_long_wq = alloc_workqueue("events_long", 0, 0);
    system_unbound_wq = alloc_workqueue("events_unbound", WQ_UNBOUND, WQ_MAX_ACTIVE);
    system_freezable_wq = alloc_workqueue("events_freezable", WQ_FREEZABLE, 0);
    system_power_efficient_wq = alloc_workqueue("events_power_efficient", WQ_POWER_EFFICIENT, 0);
    system_freezable_power_efficient_wq =
        alloc_workqueue("events_freezable_pwr_efficient", WQ_FREEZABLE | WQ_POWER_EFFICIENT, 0);
    system_bh_wq = alloc_workqueue("events_bh", WQ_BH, 0);
    system_bh_highpri_wq = alloc_workqueue("events_bh_highpri", WQ_BH | WQ_HIGHPRI, 0);
  }
  // workqueue_init(): the BH pools' workers, then associate the online CPUs' pools and give
  // every pool its first worker.
  for (int cpu = 0; cpu < nr_cpus; ++cpu)
    for (WorkerPool* pool : bh_pools_[static_cast<size_t>(cpu)]) create_bh_worker(pool);
  for (int cpu = 0; cpu < nr_cpus; ++cpu) {
    if (!k_.cpu_online(cpu)) continue;
    for (WorkerPool* pool : cpu_pools_[static_cast<size_t>(cpu)]) {
      pool->flags &= ~POOL_DISASSOCIATED;
      create_worker(pool);
    }
  }
  for (WorkerPool* pool : unbound_pools_) create_worker(pool);
  wq_online_ = true;
  k_.add_hotplug_callback([this](int cpu, bool online) {
    if (online) {
      workqueue_online_cpu(cpu);
    } else {
      workqueue_offline_cpu(cpu);
    }
  });
  wq_watchdog_init();
}

Cmwq::~Cmwq() {
  shutting_down_ = true;
  // The kernel owns the tasks; stop it first so no worker touches the pools being freed.
  k_.shutdown();
  k_.del_timer(watchdog_timer_);
  for (auto& pool : pools_) {
    if (!pool) continue;
    k_.del_timer(pool->idle_timer);
    k_.del_timer(pool->mayday_timer);
  }
}

void Cmwq::init_worker_pool(WorkerPool* pool) {
  pool->cmwq = this;
  pool->flags |= POOL_DISASSOCIATED;
  pool->watchdog_ts = k_.jiffies();
  pool->idle_timer.fn = [this, pool] { idle_worker_timeout(pool); };
  pool->idle_timer.name = "idle_worker_timeout";
  pool->idle_timer.deferrable = true;
  pool->mayday_timer.fn = [this, pool] { pool_mayday_timeout(pool); };
  pool->mayday_timer.name = "pool_mayday_timeout";
  INIT_WORK(
      &pool->idle_cull_work, [this, pool](Work*) { idle_cull_fn(pool); }, "idle_cull_fn");
}

CpuMask Cmwq::possible_cpumask() const {
  CpuMask m;
  for (int c = 0; c < k_.nr_cpus(); ++c) m.set(static_cast<size_t>(c));
  return m;
}

// Mirrors get_unbound_pool(): reuse a pool with equal attrs, else create one with one worker.
// Lab: unbound pools are kept for the machine's lifetime (put_unbound_pool() is not modelled).
WorkerPool* Cmwq::get_unbound_pool(const WorkqueueAttrs& attrs) {
  {
    kernel::SpinLockGuard g(registry_lock_);
    for (WorkerPool* pool : unbound_pools_) {
      if (pool->attrs == attrs) {
        ++pool->refcnt;
        return pool;
      }
    }
  }
  auto pool = std::make_unique<WorkerPool>();
  init_worker_pool(pool.get());
  pool->cpu = -1;
  pool->attrs = attrs;
  pool->attrs.ordered = false;
  WorkerPool* raw = pool.get();
  {
    kernel::SpinLockGuard g(registry_lock_);
    raw->id = static_cast<int>(pools_.size());
    pool_ids_.set(static_cast<size_t>(raw->id), raw);
    pools_.push_back(std::move(pool));
    unbound_pools_.push_back(raw);
  }
  WQ_TRACE(WqPoolCreate, raw->id, -1, raw->attrs.nice, 1);
  // wq_online: pools created after boot start with a worker; one that cannot is still kept.
  if (wq_online_ && create_worker(raw) == nullptr) {
    warn("workqueue: failed to create the first worker of an unbound pool");
  }
  return raw;
}

PoolWorkqueue* Cmwq::alloc_pwq(Workqueue* wq, WorkerPool* pool, int cpu) {
  auto pwq = std::make_unique<PoolWorkqueue>();
  pwq->pool = pool;
  pwq->wq = wq;
  pwq->cpu = cpu;
  pwq->flush_color = -1;
  pwq->refcnt = 1;
  PoolWorkqueue* raw = pwq.get();
  {
    kernel::SpinLockGuard g(registry_lock_);
    raw->id = static_cast<int>(pwqs_.size());
    pwq_ids_.set(static_cast<size_t>(raw->id), raw);
    pwqs_.push_back(std::move(pwq));
  }
  return raw;
}

// Mirrors alloc_and_link_pwqs() (and apply_wqattrs_prepare/commit for unbound workqueues).
bool Cmwq::alloc_and_link_pwqs(Workqueue* wq) {
  int highpri = (wq->flags & WQ_HIGHPRI) ? 1 : 0;
  int nr_cpus = k_.nr_cpus();
  wq->cpu_pwq = std::make_unique<std::atomic<PoolWorkqueue*>[]>(static_cast<size_t>(nr_cpus));
  if (!(wq->flags & WQ_UNBOUND)) {
    const auto& pools = (wq->flags & WQ_BH) ? bh_pools_ : cpu_pools_;
    for (int cpu = 0; cpu < nr_cpus; ++cpu) {
      PoolWorkqueue* pwq =
          alloc_pwq(wq, pools[static_cast<size_t>(cpu)][static_cast<size_t>(highpri)], cpu);
      wq->cpu_pwq[static_cast<size_t>(cpu)].store(pwq);
      link_pwq(pwq);
    }
    return true;
  }
  WorkqueueAttrs attrs;
  attrs.nice = highpri ? HIGHPRI_NICE_LEVEL : 0;
  attrs.cpumask = possible_cpumask();
  attrs.pod_cpumask = attrs.cpumask;
  attrs.ordered = (wq->flags & __WQ_ORDERED) != 0;
  wq->unbound_attrs = attrs;
  PoolWorkqueue* dfl = alloc_pwq(wq, get_unbound_pool(attrs), -1);
  std::vector<PoolWorkqueue*> tbl(static_cast<size_t>(nr_cpus), nullptr);
  for (int cpu = 0; cpu < nr_cpus; ++cpu) {
    if (attrs.ordered) {
      ++dfl->refcnt;
      tbl[static_cast<size_t>(cpu)] = dfl;
    } else {
      WorkqueueAttrs pod = attrs;
      wq_calc_pod_cpumask(&pod, cpu);
      tbl[static_cast<size_t>(cpu)] = alloc_pwq(wq, get_unbound_pool(pod), cpu);
    }
  }
  for (int cpu = 0; cpu < nr_cpus; ++cpu) {
    wq->cpu_pwq[static_cast<size_t>(cpu)].store(tbl[static_cast<size_t>(cpu)]);
    link_pwq(tbl[static_cast<size_t>(cpu)]);
  }
  wq->dfl_pwq = dfl;
  link_pwq(dfl);
  return true;
}

int Cmwq::wq_clamp_max_active(int max_active, unsigned, const std::string& name) {
  if (max_active < 1 || max_active > WQ_MAX_ACTIVE) {
    warn("workqueue: max_active " + std::to_string(max_active) + " requested for " + name +
         " is out of range, clamping between 1 and " + std::to_string(WQ_MAX_ACTIVE));
  }
  return std::clamp(max_active, 1, WQ_MAX_ACTIVE);
}

// Mirrors wq_update_node_max_active() for the lab's single node: the whole max_active.
void Cmwq::wq_update_node_max_active(Workqueue* wq) {
  if (!wq->node_nr_active) return;
  int max = wq->max_active.load();
  int min = wq->min_active.load();
  wq->node_nr_active->max.store(std::clamp(max, std::min(min, max), max));
}

// Mirrors __alloc_workqueue().
Workqueue* Cmwq::alloc_workqueue(std::string name, unsigned flags, int max_active) {
  // BH workqueues share one execution context per CPU: no other flags, no max_active.
  if ((flags & WQ_BH) && (flags & ~static_cast<unsigned>(__WQ_BH_ALLOWS))) {
    warn("WARNING: kernel/workqueue.c: __alloc_workqueue(): WQ_BH workqueue \"" + name +
         "\" may only add WQ_HIGHPRI");
    return nullptr;
  }
  if ((flags & WQ_BH) && max_active != 0) {
    warn("WARNING: kernel/workqueue.c: __alloc_workqueue(): WQ_BH workqueue \"" + name +
         "\" must pass max_active 0, not " + std::to_string(max_active));
    return nullptr;
  }
  if ((flags & WQ_POWER_EFFICIENT) && cfg_.power_efficient) flags |= WQ_UNBOUND;
  if (!k_.kmalloc(1024, "workqueue_struct")) return nullptr;
  if (name.size() >= static_cast<size_t>(WQ_NAME_LEN)) {
    name.resize(WQ_NAME_LEN - 1);
    warn_once("name_len", "workqueue: name exceeds WQ_NAME_LEN. Truncating to: " + name);
  }
  auto owned = std::make_unique<Workqueue>();
  Workqueue* wq = owned.get();
  wq->cmwq = this;
  wq->name = name;
  wq->name_id = k_.intern(name);
  if (flags & WQ_BH) {
    max_active = INT32_MAX;  // "BH workqueues ... don't impose any max_active limit"
  } else {
    max_active = max_active ? max_active : WQ_DFL_ACTIVE;
    max_active = wq_clamp_max_active(max_active, flags, name);
  }
  wq->flags = flags;
  wq->max_active = max_active;
  wq->min_active = std::min(max_active, WQ_DFL_MIN_ACTIVE);
  wq->saved_max_active = max_active;
  wq->saved_min_active = wq->min_active;
  if (flags & WQ_UNBOUND) wq->node_nr_active = std::make_unique<WqNodeNrActive>();
  {
    kernel::SpinLockGuard g(registry_lock_);
    wq->id = static_cast<int>(workqueues_.size());
    workqueues_.push_back(std::move(owned));
  }
  kernel::MutexGuard pool_guard(wq_pool_mutex_);
  alloc_and_link_pwqs(wq);
  {
    kernel::MutexGuard g(wq->mutex);
    wq_update_node_max_active(wq);
    wq_adjust_max_active(wq);
  }
  {
    kernel::SpinLockGuard g(registry_lock_);
    list_add_tail(&wq->list, &workqueue_list_);
  }
  WQ_TRACE(WqAlloc, wq->name_id, flags, max_active, wq->id);
  if (!init_rescuer(wq)) {
    // err_unlock_destroy: the workqueue never becomes usable.
    kernel::SpinLockGuard g(registry_lock_);
    list_del_init(&wq->list);
    wq->destroyed = true;
    WQ_TRACE(WqDestroy, wq->name_id, 0);
    k_.kfree(1024);
    return nullptr;
  }
  return wq;
}

Workqueue* Cmwq::alloc_ordered_workqueue(std::string name, unsigned flags) {
  return alloc_workqueue(std::move(name), WQ_UNBOUND | __WQ_ORDERED | flags, 1);
}

Workqueue* Cmwq::create_workqueue(std::string name) {
  return alloc_workqueue(std::move(name), __WQ_LEGACY | WQ_MEM_RECLAIM, 1);
}

Workqueue* Cmwq::create_singlethread_workqueue(std::string name) {
  return alloc_ordered_workqueue(std::move(name), __WQ_LEGACY | WQ_MEM_RECLAIM);
}

Workqueue* Cmwq::create_freezable_workqueue(std::string name) {
  return alloc_workqueue(std::move(name), __WQ_LEGACY | WQ_FREEZABLE | WQ_UNBOUND | WQ_MEM_RECLAIM,
                         1);
}

// Mirrors init_rescuer(): only WQ_MEM_RECLAIM workqueues get one, created up front.
bool Cmwq::init_rescuer(Workqueue* wq) {
  if (!(wq->flags & WQ_MEM_RECLAIM)) return true;
  if (!k_.kmalloc(cfg_.worker_bytes, "worker")) {
    warn("workqueue: Failed to allocate a rescuer for wq \"" + wq->name + "\"", wq);
    return false;
  }
  auto owned = std::make_unique<Worker>();
  Worker* rescuer = owned.get();
  rescuer->rescue_wq = wq;
  rescuer->flags = WORKER_PREP;
  // format_worker_id(): "kworker/R-" + the whole name; kthread_create() keeps 15 characters.
  std::string comm = "kworker/R-" + wq->name;
  auto r = k_.kthread_create([this, rescuer] { return rescuer_thread(rescuer); }, comm, -1,
                             RESCUER_NICE_LEVEL);
  if (!r) {
    k_.kfree(cfg_.worker_bytes);
    warn(std::string("workqueue: Failed to create a rescuer kthread for wq \"") + wq->name +
             "\": " + (r.err == -kernel::kEAGAIN ? "-EAGAIN" : "-ENOMEM"),
         wq);
    return false;
  }
  rescuer->task = r.task;
  WQ_TRACE(WqRescuerCreate, wq->name_id, r.task->pid);
  r.task->hooks = &hooks_;  // PF_WQ_WORKER; WORKER_PREP keeps it out of nr_running
  r.task->data = rescuer;
  {
    kernel::SpinLockGuard g(registry_lock_);
    workers_.push_back(std::move(owned));
  }
  {
    kernel::SpinLockGuard g(wq_mayday_lock_);
    wq->rescuer = rescuer;
  }
  k_.wake_up_process(*r.task);
  return true;
}

// Mirrors destroy_workqueue(): drain, stop the rescuer, then check nothing is left in flight.
void Cmwq::destroy_workqueue(Workqueue* wq) {
  if (wq == nullptr || wq->destroyed) {
    warn("workqueue: destroy_workqueue() on a workqueue that is already destroyed", wq);
    return;
  }
  {
    kernel::MutexGuard g(wq->mutex);
    wq->flags |= __WQ_DESTROYING;
  }
  drain_workqueue(wq);
  Worker* rescuer = nullptr;
  {
    kernel::SpinLockGuard g(wq_mayday_lock_);
    rescuer = wq->rescuer;
    wq->rescuer = nullptr;
  }
  if (rescuer != nullptr) {
    k_.kthread_stop(*rescuer->task);
    k_.kfree(cfg_.worker_bytes);
  }
  bool busy = false;
  {
    kernel::MutexGuard pool_guard(wq_pool_mutex_);
    kernel::MutexGuard g(wq->mutex);
    for (ListHead* n = wq->pwqs.next; n != &wq->pwqs; n = n->next) {
      PoolWorkqueue* pwq = n->entry<PoolWorkqueue>();
      kernel::SpinLockGuard pg(pwq->pool->lock);
      if (pwq_busy(pwq)) {
        busy = true;
        break;
      }
    }
  }
  if (busy) {
    // Linux warns and leaks the workqueue rather than freeing memory still in use.
    warn("destroy_workqueue: " + wq->name + " has the following busy pwq", wq);
    std::vector<std::string> lines;
    show_one_workqueue(wq, lines);
    for (const std::string& line : lines) k_.printk(6, line);
    WQ_TRACE(WqDestroy, wq->name_id, 1);
    return;
  }
  {
    kernel::SpinLockGuard g(registry_lock_);
    list_del_init(&wq->list);
  }
  wq->destroyed = true;
  k_.kfree(1024);
  WQ_TRACE(WqDestroy, wq->name_id, 0);
}

// ---- Messages ----

void Cmwq::warn(std::string_view msg, Workqueue* wq, Work* work) {
  k_.printk(4, msg);
  WQ_TRACE(WqWarn, k_.intern(msg), wq ? wq->name_id : 0, work ? work_id(work) : 0);
}

void Cmwq::warn_once(std::string_view key, std::string_view msg, Workqueue* wq, Work* work) {
  {
    kernel::SpinLockGuard g(registry_lock_);
    if (std::find(warned_once_.begin(), warned_once_.end(), key) != warned_once_.end()) return;
    warned_once_.emplace_back(key);
  }
  warn(msg, wq, work);
}

// ---- Observing ----

std::vector<WorkerPool*> Cmwq::pools() const {
  kernel::SpinLockGuard g(registry_lock_);
  std::vector<WorkerPool*> out;
  for (auto& p : pools_)
    if (p) out.push_back(p.get());
  return out;
}

std::vector<Workqueue*> Cmwq::workqueues() const {
  kernel::SpinLockGuard g(registry_lock_);
  std::vector<Workqueue*> out;
  for (ListHead* n = workqueue_list_.next; n != &workqueue_list_; n = n->next)
    out.push_back(n->entry<Workqueue>());
  return out;
}

WorkerPool* Cmwq::cpu_pool(int cpu, bool highpri) const {
  if (cpu < 0 || cpu >= k_.nr_cpus()) return nullptr;
  return cpu_pools_[static_cast<size_t>(cpu)][highpri ? 1 : 0];
}

WqStats Cmwq::wq_stats(Workqueue* wq) const {
  WqStats s;
  std::vector<PoolWorkqueue*> pwqs;
  {
    kernel::SpinLockGuard g(registry_lock_);  // hotplug may link pwqs meanwhile
    for (ListHead* n = wq->pwqs.next; n != &wq->pwqs; n = n->next)
      pwqs.push_back(n->entry<PoolWorkqueue>());
  }
  for (PoolWorkqueue* pwq : pwqs) {
    kernel::SpinLockGuard g(pwq->pool->lock);
    for (int i = 0; i < PWQ_NR_STATS; ++i) s.stat[i] += pwq->stats[i];
  }
  return s;
}

int Cmwq::nr_kworkers() const {
  int n = 0;
  for (auto& p : pools_) {
    if (!p || (p->flags & POOL_BH)) continue;  // a BH worker has no task
    kernel::SpinLockGuard g(p->lock);
    n += p->nr_workers;
  }
  return n;
}

int Cmwq::nr_rescuers() const {
  int n = 0;
  kernel::SpinLockGuard g(registry_lock_);
  for (ListHead* l = workqueue_list_.next; l != &workqueue_list_; l = l->next)
    if (l->entry<Workqueue>()->rescuer != nullptr) ++n;
  return n;
}

uint64_t Cmwq::IDLE_WORKER_TIMEOUT() const {
  return static_cast<uint64_t>(IDLE_WORKER_TIMEOUT_SECS) * k_.hz();
}
uint64_t Cmwq::MAYDAY_INITIAL_TIMEOUT() const {
  return k_.hz() / 100 >= 2 ? static_cast<uint64_t>(k_.hz() / 100) : 2;
}
uint64_t Cmwq::MAYDAY_INTERVAL() const {
  return static_cast<uint64_t>(std::max(1, k_.hz() / 10));
}
uint64_t Cmwq::CREATE_COOLDOWN() const {
  return static_cast<uint64_t>(k_.hz());
}

}  // namespace wqlab::wq

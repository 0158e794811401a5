// Unbound workqueues and the machine's topology (v6.5+): affinity scopes group CPUs into pods,
// each pod gets its own pwq and pool; kick_pool() repatriates a non-strict pool's woken worker
// into its pod; CPU hotplug re-picks the per-CPU pwq slots (unbound_wq_update_pwq()).
// Lab: a replaced pwq stays on wq->pwqs (Linux frees it once drained) and is reused when its
// slot comes back to the same pool, so repeated hotplug does not grow the list.
#include <algorithm>

#include "engine/wq/cmwq.h"

namespace wqlab::wq {

using kernel::CpuMask;
using trace::EventKind;

namespace {
const char* const kAffnNames[WQ_AFFN_NR_TYPES] = {"default", "cpu",  "smt",
                                                  "cache",   "numa", "system"};
constexpr int64_t kPwqBytes = 256;  // kmem_cache_alloc_node(pwq_cache)
}  // namespace

const char* wq_affn_name(int scope) {
  return scope >= 0 && scope < WQ_AFFN_NR_TYPES ? kAffnNames[scope] : "?";
}

int parse_affn_scope(const char* name) {
  for (int i = 0; i < WQ_AFFN_NR_TYPES; ++i)
    if (std::string_view(name) == kAffnNames[i]) return i;
  return -1;
}

// Mirrors workqueue_init_early()'s system pod and workqueue_init_topology()'s init_pod_type()
// calls: a CPU joins the pod of the first earlier CPU it shares the level with.
void Cmwq::workqueue_init_topology() {
  const kernel::CpuTopology& topo = k_.topology();
  int n = k_.nr_cpus();
  auto init_pod_type = [&](WqPodType& pt, auto cpus_share_pod) {
    pt.nr_pods = 0;
    pt.cpu_pod.assign(static_cast<size_t>(n), 0);
    for (int cur = 0; cur < n; ++cur) {
      for (int pre = 0;; ++pre) {
        if (pre >= cur) {
          pt.cpu_pod[static_cast<size_t>(cur)] = pt.nr_pods++;
          break;
        }
        if (cpus_share_pod(cur, pre)) {
          pt.cpu_pod[static_cast<size_t>(cur)] = pt.cpu_pod[static_cast<size_t>(pre)];
          break;
        }
      }
    }
    pt.pod_cpus.assign(static_cast<size_t>(pt.nr_pods), CpuMask());
    for (int cpu = 0; cpu < n; ++cpu)
      pt.pod_cpus[static_cast<size_t>(pt.cpu_pod[static_cast<size_t>(cpu)])].set(
          static_cast<size_t>(cpu));
  };
  init_pod_type(pod_types_[WQ_AFFN_CPU], [](int, int) { return false; });  // cpus_dont_share
  init_pod_type(pod_types_[WQ_AFFN_SMT],
                [&](int a, int b) { return topo.core_of(a) == topo.core_of(b); });
  init_pod_type(pod_types_[WQ_AFFN_CACHE],
                [&](int a, int b) { return topo.llc_of(a) == topo.llc_of(b); });
  init_pod_type(pod_types_[WQ_AFFN_NUMA],
                [&](int a, int b) { return topo.node_of(a) == topo.node_of(b); });
  init_pod_type(pod_types_[WQ_AFFN_SYSTEM], [](int, int) { return true; });
  distribute_prev_ = std::make_unique<std::atomic<int>[]>(static_cast<size_t>(n));
  for (int cpu = 0; cpu < n; ++cpu) distribute_prev_[static_cast<size_t>(cpu)].store(0);
}

const WqPodType& Cmwq::pod_type(int affn_scope) const {
  int scope = affn_scope == WQ_AFFN_DFL ? cfg_.default_affinity_scope : affn_scope;
  if (scope <= WQ_AFFN_DFL || scope >= WQ_AFFN_NR_TYPES) scope = WQ_AFFN_CACHE;
  return pod_types_[static_cast<size_t>(scope)];
}

// Mirrors wqattrs_pod_type().
const WqPodType& Cmwq::wqattrs_pod_type(const WorkqueueAttrs& attrs) const {
  return pod_type(attrs.affn_scope);
}

// Mirrors wq_calc_pod_cpumask(): the pod of `cpu` within the wq's cpumask, or the whole cpumask
// when no CPU of the pod is online.
void Cmwq::wq_calc_pod_cpumask(WorkqueueAttrs* attrs, int cpu) const {
  const WqPodType& pt = wqattrs_pod_type(*attrs);
  int pod = pt.cpu_pod[static_cast<size_t>(cpu)];
  attrs->pod_cpumask = pt.pod_cpus[static_cast<size_t>(pod)] & attrs->cpumask;
  if ((attrs->pod_cpumask & wq_online_cpumask_).none()) attrs->pod_cpumask = attrs->cpumask;
}

// Mirrors pool_allowed_cpus(): strict unbound pools keep their workers inside the pod.
CpuMask Cmwq::pool_allowed_cpus(const WorkerPool* pool) const {
  if (pool->cpu < 0 && pool->attrs.affn_strict) return pool->attrs.pod_cpumask;
  return pool->attrs.cpumask;
}

// Links a pwq to its workqueue. LOCKING: wq->mutex, or the wq is not yet visible.
void Cmwq::link_pwq(PoolWorkqueue* pwq) {
  if (!pwq->pwqs_node.empty()) return;
  Workqueue* wq = pwq->wq;
  pwq->work_color = wq->work_color;
  {
    kernel::SpinLockGuard g(registry_lock_);  // lab: readers that do not take wq->mutex
    list_add_tail(&pwq->pwqs_node, &wq->pwqs);
  }
  WQ_TRACE(WqPwqCreate, wq->name_id, pwq->id, pwq->pool->id, pwq->cpu);
}

// Mirrors install_unbound_pwq(): returns the pwq the slot held. LOCKING: wq->mutex.
PoolWorkqueue* Cmwq::install_unbound_pwq(Workqueue* wq, int cpu, PoolWorkqueue* pwq) {
  link_pwq(pwq);
  PoolWorkqueue* old =
      wq->cpu_pwq[static_cast<size_t>(cpu)].exchange(pwq, std::memory_order_acq_rel);
  WQ_TRACE(WqPwqInstall, wq->name_id, cpu, pwq->id, pwq->pool->id, old ? old->id : -1);
  return old;
}

// Mirrors unbound_wq_update_pwq(): give `cpu`'s slot the pwq of its pod as the online CPUs now
// stand; a pod with no online CPU falls back to the workqueue's whole cpumask (the default
// pool), and a failed allocation to dfl_pwq itself. LOCKING: wq_pool_mutex.
void Cmwq::unbound_wq_update_pwq(Workqueue* wq, int cpu) {
  if (!(wq->flags.load() & WQ_UNBOUND) || wq->unbound_attrs.ordered) return;
  WorkqueueAttrs target = wq->unbound_attrs;
  wq_calc_pod_cpumask(&target, cpu);
  if (target == wq->pwq_of(cpu)->pool->attrs) return;
  WorkerPool* pool = get_unbound_pool(target);
  PoolWorkqueue* pwq = nullptr;
  {
    kernel::SpinLockGuard g(registry_lock_);
    for (ListHead* n = wq->pwqs.next; n != &wq->pwqs; n = n->next) {
      PoolWorkqueue* p = n->entry<PoolWorkqueue>();
      if (p->cpu == cpu && p->pool == pool) pwq = p;
    }
  }
  if (pwq == nullptr) {
    if (k_.kmalloc(kPwqBytes, "pool_workqueue")) {
      pwq = alloc_pwq(wq, pool, cpu);
      pwq->refcnt = 0;  // the reference below is the slot's
    } else {
      warn("workqueue: allocation failed while updating CPU pod affinity of \"" + wq->name + "\"",
           wq);
      pwq = wq->dfl_pwq;  // use_dfl_pwq
    }
  }
  {
    kernel::SpinLockGuard g(pwq->pool->lock);
    get_pwq(pwq);
  }
  kernel::MutexGuard g(wq->mutex);
  PoolWorkqueue* old = install_unbound_pwq(wq, cpu, pwq);
  if (old != nullptr) {
    kernel::SpinLockGuard pg(old->pool->lock);
    put_pwq(old);  // put_pwq_unlocked(): the old pwq drains what it holds
  }
}

// Mirrors the pod loop of workqueue_online_cpu()/workqueue_offline_cpu(): every CPU sharing a
// pod with `cpu` may see its pwq change.
void Cmwq::wq_update_pods_for_cpu(int cpu, bool online) {
  kernel::MutexGuard pool_guard(wq_pool_mutex_);
  wq_online_cpumask_.set(static_cast<size_t>(cpu), online);
  for (Workqueue* wq : workqueues()) {
    if (!(wq->flags.load() & WQ_UNBOUND)) continue;
    const WqPodType& pt = wqattrs_pod_type(wq->unbound_attrs);
    const CpuMask& pod = pt.pod_cpus[static_cast<size_t>(pt.cpu_pod[static_cast<size_t>(cpu)])];
    for (int tcpu = 0; tcpu < k_.nr_cpus(); ++tcpu)
      if (pod.test(static_cast<size_t>(tcpu))) unbound_wq_update_pwq(wq, tcpu);
    kernel::MutexGuard g(wq->mutex);
    wq_update_node_max_active(wq);
  }
}

// Mirrors wq_affn_scope_store()/wq_affinity_strict_store() -> apply_workqueue_attrs(): new
// attrs, then every CPU slot and the default pwq follow them.
int Cmwq::workqueue_set_affinity(Workqueue* wq, int affn_scope, bool affn_strict) {
  if (wq == nullptr || wq->destroyed || !(wq->flags.load() & WQ_UNBOUND) ||
      (wq->flags.load() & __WQ_ORDERED) || affn_scope < WQ_AFFN_DFL ||
      affn_scope >= WQ_AFFN_NR_TYPES) {
    warn("workqueue: affinity_scope/affinity_strict apply to unbound, unordered workqueues only",
         wq);
    return -kernel::kEINVAL;
  }
  kernel::MutexGuard pool_guard(wq_pool_mutex_);
  {
    kernel::MutexGuard g(wq->mutex);
    wq->unbound_attrs.affn_scope = affn_scope;
    wq->unbound_attrs.affn_strict = affn_strict;
  }
  // apply_wqattrs_prepare(): the default pwq serves the whole cpumask with the new strictness.
  WorkqueueAttrs dfl_attrs = wq->unbound_attrs;
  dfl_attrs.pod_cpumask = dfl_attrs.cpumask;
  if (!(dfl_attrs == wq->dfl_pwq->pool->attrs)) {
    PoolWorkqueue* dfl = alloc_pwq(wq, get_unbound_pool(dfl_attrs), -1);
    kernel::MutexGuard g(wq->mutex);
    link_pwq(dfl);
    wq->dfl_pwq = dfl;
  }
  for (int cpu = 0; cpu < k_.nr_cpus(); ++cpu) unbound_wq_update_pwq(wq, cpu);
  return 0;
}

// Mirrors cpumask_any_and_distribute(): the next CPU of `mask` after the one this CPU picked
// last, so repeated picks spread over the pod ("our first selection will skip 0").
int Cmwq::cpumask_any_and_distribute(const CpuMask& mask) {
  int n = k_.nr_cpus();
  std::atomic<int>& prev = distribute_prev_[static_cast<size_t>(k_.smp_processor_id())];
  int from = prev.load(std::memory_order_relaxed);
  for (int i = 1; i <= n; ++i) {
    int cpu = (from + i) % n;
    if (mask.test(static_cast<size_t>(cpu))) {
      prev.store(cpu, std::memory_order_relaxed);
      return cpu;
    }
  }
  return -1;
}

// The repatriation step of kick_pool(): a non-strict unbound pool's workers may run anywhere in
// the workqueue's cpumask, but a worker is woken inside the pool's pod, counted as REPATRIATED
// on the pwq of the first pending item. LOCKING: pool->lock.
void Cmwq::kick_repatriate(WorkerPool* pool, Worker* worker) {
  if (pool->cpu >= 0 || pool->attrs.affn_strict || worker->task == nullptr) return;
  int wake_cpu = k_.wake_cpu(*worker->task);
  if (pool->attrs.pod_cpumask.test(static_cast<size_t>(wake_cpu))) return;
  CpuMask online;
  for (int c = 0; c < k_.nr_cpus(); ++c)
    if (k_.cpu_online(c)) online.set(static_cast<size_t>(c));
  int cpu = cpumask_any_and_distribute(pool->attrs.pod_cpumask & online);
  if (cpu < 0) return;
  k_.set_wake_cpu(*worker->task, cpu);
  Work* work = list_first_entry_or_null<Work>(&pool->worklist);
  PoolWorkqueue* pwq = work ? get_work_pwq(work) : nullptr;
  if (pwq == nullptr) return;
  ++pwq->stats[PWQ_STAT_REPATRIATED];
  WQ_TRACE(WqRepatriate, pool->id, worker->task->pid, wake_cpu, cpu, pwq->id);
}

}  // namespace wqlab::wq

// cmwq: the Concurrency Managed Workqueue of Linux 6.12 (kernel/workqueue.c), running on the
// simulated kernel. One Cmwq per simulated machine; it owns the worker pools, the workqueues and
// their kworkers, and exposes the kernel's API with the kernel's names and return values.
//
// What the lab simplifies, each said once where it happens: one max_active counter for all NUMA
// nodes, the topology as regular groups of CPUs, lockdep reduced to a recursion check, unbound
// pools and replaced pwqs are kept once created.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/kernel/kernel.h"
#include "engine/kernel/sync.h"
#include "engine/wq/id_table.h"
#include "engine/wq/structs.h"
#include "engine/wq/work.h"

// Emits a workqueue event. When nobody records, the arguments are not even evaluated.
#define WQ_TRACE(kind, ...)                                                         \
  do {                                                                              \
    if (k_.recording()) k_.emit(trace::EventKind::kind __VA_OPT__(, ) __VA_ARGS__); \
  } while (0)

namespace wqlab::wq {

// Bugs put in on purpose, for the tests that prove the schedule explorer's invariants can fail
// (engine/explore/invariant_checker.h). All off outside those tests.
struct CmwqFaults {
  bool lose_queued_item = false;  // __queue_work() traces the queueing but never inserts the item
  bool run_item_twice = false;    // process_one_work() calls the function a second time
  bool skip_nr_running_dec = false;  // wq_worker_sleeping() forgets --nr_running
};

struct CmwqConfig {
  int64_t cpu_intensive_thresh_us = WQ_CPU_INTENSIVE_THRESH_US;  // 0 turns hog detection off
  int watchdog_thresh_secs = WQ_WATCHDOG_THRESH_SECS;            // 0 turns the watchdog off
  int default_affinity_scope = WQ_AFFN_CACHE;  // workqueue.default_affinity_scope (wq_affn_dfl)
  bool power_efficient = false;   // workqueue.power_efficient: WQ_POWER_EFFICIENT -> WQ_UNBOUND
  int64_t worker_bytes = 512;     // kzalloc(struct worker): can fail under memory pressure
  bool system_workqueues = true;  // create events, events_highpri, ... at init
  CmwqFaults inject_faults;
};

// Per-workqueue sums of the pwq stats.
struct WqStats {
  uint64_t stat[PWQ_NR_STATS] = {};
};

// One line of tools/workqueue/wq_monitor.py.
struct MonitorRow {
  std::string name;
  bool unbound = false;
  bool mem_reclaim = false;
  uint64_t total = 0;        // PWQ_STAT_STARTED
  uint64_t infl = 0;         // started - completed
  uint64_t cpu_time_us = 0;  // PWQ_STAT_CPU_TIME (from ticks)
  uint64_t cpu_intensive = 0;
  uint64_t cm_wakeup = 0;
  uint64_t repatriated = 0;
  uint64_t mayday = 0;
  uint64_t rescued = 0;
};
std::string format_wq_monitor(const std::vector<MonitorRow>& rows);

class Cmwq {
 public:
  // Mirrors workqueue_init_early() + workqueue_init(): per-CPU pools, the system workqueues and
  // one initial worker per pool. Call from the driver or a task of `k`.
  explicit Cmwq(kernel::Kernel& k, CmwqConfig cfg = {});
  ~Cmwq();
  Cmwq(const Cmwq&) = delete;
  Cmwq& operator=(const Cmwq&) = delete;

  kernel::Kernel& kernel() const { return k_; }
  const CmwqConfig& config() const { return cfg_; }

  // The system workqueues (include/linux/workqueue.h).
  Workqueue* system_wq = nullptr;
  Workqueue* system_highpri_wq = nullptr;
  Workqueue* system_long_wq = nullptr;
  Workqueue* system_unbound_wq = nullptr;
  Workqueue* system_freezable_wq = nullptr;
  Workqueue* system_power_efficient_wq = nullptr;
  Workqueue* system_freezable_power_efficient_wq = nullptr;
  Workqueue* system_bh_wq = nullptr;
  Workqueue* system_bh_highpri_wq = nullptr;

  // ---- Creating and destroying workqueues ----
  // nullptr when the rescuer cannot be created (WQ_MEM_RECLAIM under pressure or out of pids).
  Workqueue* alloc_workqueue(std::string name, unsigned flags, int max_active);
  Workqueue* alloc_ordered_workqueue(std::string name, unsigned flags);
  Workqueue* create_workqueue(std::string name);
  Workqueue* create_singlethread_workqueue(std::string name);
  Workqueue* create_freezable_workqueue(std::string name);
  void destroy_workqueue(Workqueue* wq);  // task context: it drains

  // ---- Queueing ----
  bool queue_work_on(int cpu, Workqueue* wq, Work* work);
  bool queue_work(Workqueue* wq, Work* work) { return queue_work_on(WORK_CPU_UNBOUND, wq, work); }
  bool queue_delayed_work_on(int cpu, Workqueue* wq, DelayedWork* dwork, uint64_t delay);
  bool queue_delayed_work(Workqueue* wq, DelayedWork* dwork, uint64_t delay) {
    return queue_delayed_work_on(WORK_CPU_UNBOUND, wq, dwork, delay);
  }
  bool mod_delayed_work_on(int cpu, Workqueue* wq, DelayedWork* dwork, uint64_t delay);
  bool mod_delayed_work(Workqueue* wq, DelayedWork* dwork, uint64_t delay) {
    return mod_delayed_work_on(WORK_CPU_UNBOUND, wq, dwork, delay);
  }
  bool schedule_work(Work* work) { return queue_work(system_wq, work); }
  bool schedule_work_on(int cpu, Work* work) { return queue_work_on(cpu, system_wq, work); }
  bool schedule_delayed_work(DelayedWork* dwork, uint64_t delay) {
    return queue_delayed_work(system_wq, dwork, delay);
  }
  bool schedule_delayed_work_on(int cpu, DelayedWork* dwork, uint64_t delay) {
    return queue_delayed_work_on(cpu, system_wq, dwork, delay);
  }
  // Runs fn on every online CPU through system_wq and waits for all (task context). 0 or -errno.
  int schedule_on_each_cpu(WorkFunc fn, std::string_view name);

  // ---- Flushing and cancelling (the *_sync and flush calls need task context) ----
  bool flush_work(Work* work);
  bool flush_delayed_work(DelayedWork* dwork);
  void flush_workqueue(Workqueue* wq);
  void drain_workqueue(Workqueue* wq);
  void flush_scheduled_work() { flush_workqueue(system_wq); }
  bool cancel_work(Work* work);
  bool cancel_work_sync(Work* work);
  bool cancel_delayed_work(DelayedWork* dwork);
  bool cancel_delayed_work_sync(DelayedWork* dwork);
  bool disable_work(Work* work);
  bool disable_work_sync(Work* work);
  bool enable_work(Work* work);
  bool disable_delayed_work(DelayedWork* dwork);
  bool disable_delayed_work_sync(DelayedWork* dwork);
  bool enable_delayed_work(DelayedWork* dwork) { return enable_work(&dwork->work); }

  // ---- Questions ----
  unsigned work_busy(Work* work);
  bool workqueue_congested(int cpu, Workqueue* wq);
  Work* current_work();
  bool current_is_workqueue_rescuer();
  void workqueue_set_max_active(Workqueue* wq, int max_active);
  // Mirrors writing sysfs affinity_scope / affinity_strict (apply_workqueue_attrs()): unbound
  // workqueues only. 0 or -EINVAL.
  int workqueue_set_affinity(Workqueue* wq, int affn_scope, bool affn_strict);

  // ---- Freezer ----
  void freeze_workqueues_begin();
  bool freeze_workqueues_busy();
  void thaw_workqueues();

  // ---- Observing (tests and the headless runner; the views read events) ----
  std::vector<WorkerPool*> pools() const;
  std::vector<Workqueue*> workqueues() const;
  WorkerPool* cpu_pool(int cpu, bool highpri) const;
  WorkerPool* bh_pool(int cpu, bool highpri) const;
  // The pods of an affinity scope (WQ_AFFN_DFL resolves to the default scope).
  const WqPodType& pod_type(int affn_scope) const;
  // Mirrors wq_worker_comm(): what ps and /proc/PID/comm show for a task, a kworker with
  // "+wq" while it runs an item of wq and "-wq" after.
  std::string wq_worker_comm(const kernel::Task& task) const;
  WqStats wq_stats(Workqueue* wq) const;
  int nr_kworkers() const;  // kworker tasks alive (not rescuers)
  int nr_rescuers() const;
  std::string show_all_workqueues() const;  // as sysrq-t and the watchdog print it, one line each
  // show_cpu_pools_hogs(): what the watchdog adds for stalled per-CPU pools.
  std::vector<std::string> show_cpu_pools_hogs() const;
  std::vector<MonitorRow> wq_monitor() const;  // wq_monitor.py's table
  std::string wq_dump() const;                 // wq_dump.py's report

  // Time constants in jiffies (they scale with HZ).
  uint64_t IDLE_WORKER_TIMEOUT() const;
  uint64_t MAYDAY_INITIAL_TIMEOUT() const;
  uint64_t MAYDAY_INTERVAL() const;
  uint64_t CREATE_COOLDOWN() const;

 private:
  struct WorkerHooks : kernel::TaskHooks {
    Cmwq* cmwq = nullptr;
    void sleeping(kernel::Task& t) override { cmwq->wq_worker_sleeping(t); }
    void running(kernel::Task& t) override { cmwq->wq_worker_running(t); }
    void tick(kernel::Task& t) override { cmwq->wq_worker_tick(t); }
  };
  struct WqBarrier;

  // cmwq_alloc.cpp
  void init_worker_pool(WorkerPool* pool);
  void init_bh_pools();
  WorkerPool* get_unbound_pool(const WorkqueueAttrs& attrs);
  PoolWorkqueue* alloc_pwq(Workqueue* wq, WorkerPool* pool, int cpu);
  bool alloc_and_link_pwqs(Workqueue* wq);
  int wq_clamp_max_active(int max_active, unsigned flags, const std::string& name);
  void wq_update_node_max_active(Workqueue* wq);
  bool init_rescuer(Workqueue* wq);
  kernel::CpuMask possible_cpumask() const;

  // cmwq_pods.cpp (affinity scopes, pods, repatriation, hotplug re-picking of unbound pwqs)
  void workqueue_init_topology();
  const WqPodType& wqattrs_pod_type(const WorkqueueAttrs& attrs) const;
  void wq_calc_pod_cpumask(WorkqueueAttrs* attrs, int cpu) const;
  kernel::CpuMask pool_allowed_cpus(const WorkerPool* pool) const;
  void unbound_wq_update_pwq(Workqueue* wq, int cpu);
  void wq_update_pods_for_cpu(int cpu, bool online);
  PoolWorkqueue* install_unbound_pwq(Workqueue* wq, int cpu, PoolWorkqueue* pwq);
  void link_pwq(PoolWorkqueue* pwq);
  void kick_repatriate(WorkerPool* pool, Worker* worker);
  int cpumask_any_and_distribute(const kernel::CpuMask& mask);

  // cmwq_bh.cpp (BH workqueues)
  void kick_bh_pool(WorkerPool* pool);
  void workqueue_softirq_action(int cpu, bool highpri);
  void bh_worker(Worker* worker);
  void create_bh_worker(WorkerPool* pool);
  void warn(std::string_view msg, Workqueue* wq = nullptr, Work* work = nullptr);
  void warn_once(std::string_view key, std::string_view msg, Workqueue* wq = nullptr,
                 Work* work = nullptr);

  // cmwq_queue.cpp
  void __queue_work(int req_cpu, Workqueue* wq, Work* work);
  bool is_chained_work(Workqueue* wq);
  int wq_select_unbound_cpu(int cpu);
  void insert_work(PoolWorkqueue* pwq, Work* work, ListHead* head, uint64_t extra_flags);
  bool pwq_tryinc_nr_active(PoolWorkqueue* pwq, bool fill);
  bool tryinc_node_nr_active(WqNodeNrActive* nna);
  void __pwq_activate_work(PoolWorkqueue* pwq, Work* work);
  bool pwq_activate_work(PoolWorkqueue* pwq, Work* work);
  bool pwq_activate_first_inactive(PoolWorkqueue* pwq, bool fill);
  void node_activate_pending_pwq(WqNodeNrActive* nna, WorkerPool* caller_pool);
  void pwq_dec_nr_active(PoolWorkqueue* pwq);
  void pwq_dec_nr_in_flight(PoolWorkqueue* pwq, uint64_t work_data);
  void get_pwq(PoolWorkqueue* pwq) { ++pwq->refcnt; }
  void put_pwq(PoolWorkqueue* pwq) { --pwq->refcnt; }
  bool kick_pool(WorkerPool* pool);
  PoolWorkqueue* get_work_pwq(Work* work) const;
  WorkerPool* get_work_pool(Work* work) const;
  Worker* find_worker_executing_work(WorkerPool* pool, Work* work) const;
  void move_linked_works(Work* work, ListHead* head, ListHead** nextp);
  bool assign_work(Work* work, Worker* worker, ListHead** nextp);
  void __queue_delayed_work(int cpu, Workqueue* wq, DelayedWork* dwork, uint64_t delay);
  void delayed_work_timer_fn(DelayedWork* dwork);
  bool clear_pending_if_disabled(Work* work);
  int64_t work_id(Work* work);
  int64_t fn_name_id(Work* work);
  static constexpr size_t kFnNameCache = size_t{1} << 16;
  void trace_activate(PoolWorkqueue* pwq, Work* work);

  // cmwq_worker.cpp
  Worker* create_worker(WorkerPool* pool);
  std::string format_worker_id(Worker* worker, WorkerPool* pool) const;
  void worker_attach_to_pool(Worker* worker, WorkerPool* pool);
  void worker_detach_from_pool(Worker* worker);
  void worker_set_flags(Worker* worker, unsigned flags);
  void worker_clr_flags(Worker* worker, unsigned flags);
  void worker_enter_idle(Worker* worker);
  void worker_leave_idle(Worker* worker);
  kernel::TaskStep worker_thread(Worker* worker);
  bool manage_workers(Worker* worker);
  void maybe_create_worker(WorkerPool* pool);
  void process_one_work(Worker* worker, Work* work);
  void process_scheduled_works(Worker* worker);
  void idle_worker_timeout(WorkerPool* pool);
  void idle_cull_fn(WorkerPool* pool);
  void wq_worker_sleeping(kernel::Task& task);
  void wq_worker_running(kernel::Task& task);
  void wq_worker_tick(kernel::Task& task);
  Worker* current_wq_worker() const;
  void trace_nr_running(WorkerPool* pool, Worker* worker);

  // cmwq_rescuer.cpp
  void pool_mayday_timeout(WorkerPool* pool);
  void send_mayday(Work* work);
  kernel::TaskStep rescuer_thread(Worker* rescuer);

  // cmwq_flush.cpp
  bool flush_workqueue_prep_pwqs(Workqueue* wq, int flush_color, int work_color);
  void __flush_workqueue(Workqueue* wq);
  void insert_wq_barrier(PoolWorkqueue* pwq, WqBarrier* barr, Work* target, Worker* worker);
  bool start_flush_work(Work* work, WqBarrier* barr, bool from_cancel);
  bool __flush_work(Work* work, bool from_cancel);
  void check_flush_dependency(Workqueue* target_wq, Work* target_work, bool from_cancel);
  void touch_wq_lockdep_map(Workqueue* wq, std::string_view what);
  bool pwq_is_empty(PoolWorkqueue* pwq) const {
    return !pwq->nr_active && pwq->inactive_works.empty();
  }
  bool pwq_busy(PoolWorkqueue* pwq) const;

  // cmwq_cancel.cpp
  int try_to_grab_pending(Work* work, unsigned cflags);
  bool work_grab_pending(Work* work, unsigned cflags);
  bool __cancel_work(Work* work, unsigned cflags);
  bool __cancel_work_sync(Work* work, unsigned cflags);

  // cmwq_hotplug.cpp (CPU hotplug, freezer, max_active)
  void wq_adjust_max_active(Workqueue* wq);
  bool freeze_workqueues_busy_locked();
  void unbind_workers(int cpu);
  void rebind_workers(WorkerPool* pool);
  void workqueue_online_cpu(int cpu);
  void workqueue_offline_cpu(int cpu);

  // cmwq_watchdog.cpp
  uint64_t wq_watchdog_thresh() const;
  void wq_watchdog_reset_touched();
  void wq_watchdog_init();
  void wq_watchdog_timer_fn();

  // cmwq_show.cpp
  std::string pr_cont_pool_info(const WorkerPool* pool) const;
  void show_pwq(PoolWorkqueue* pwq, std::vector<std::string>& out) const;
  void show_one_workqueue(Workqueue* wq, std::vector<std::string>& out) const;
  void show_one_worker_pool(WorkerPool* pool, std::vector<std::string>& out) const;
  std::vector<std::string> show_all_workqueues_lines() const;

  kernel::Kernel& k_;
  CmwqConfig cfg_;
  std::unique_ptr<std::atomic<int64_t>[]> fn_name_ids_;  // interned function names by identity
  WorkerHooks hooks_;

  kernel::Mutex wq_pool_mutex_;             // protects pools and the workqueues list (sleeping)
  kernel::Mutex wq_pool_attach_mutex_;      // worker attach/detach
  kernel::SpinLock wq_mayday_lock_;         // wq->maydays
  mutable kernel::SpinLock registry_lock_;  // lab: the lists below, readable from timer context

  std::vector<std::unique_ptr<WorkerPool>> pools_;  // owns the pools, by pool id (may hold nulls)
  IdTable<WorkerPool> pool_ids_;                    // the worker_pool_idr: lock-free lookups
  std::vector<std::array<WorkerPool*, NR_STD_WORKER_POOLS>> cpu_pools_;  // cpu_worker_pools
  std::vector<std::array<WorkerPool*, NR_STD_WORKER_POOLS>> bh_pools_;   // bh_worker_pools
  std::array<WqPodType, WQ_AFFN_NR_TYPES> pod_types_;                    // I: wq_pod_types
  kernel::CpuMask wq_online_cpumask_;                                    // PL
  std::unique_ptr<std::atomic<int>[]> distribute_prev_;  // per CPU: any_and_distribute's cursor
  std::vector<WorkerPool*> unbound_pools_;               // unbound_pool_hash
  std::vector<std::unique_ptr<PoolWorkqueue>> pwqs_;     // owns the pwqs, by pwq id
  IdTable<PoolWorkqueue> pwq_ids_;                       // lock-free lookups from work->data
  std::vector<std::unique_ptr<Workqueue>> workqueues_;   // every wq ever allocated
  ListHead workqueue_list_;                              // PR: live workqueues
  std::vector<std::unique_ptr<Worker>> workers_;         // every worker ever created
  bool workqueue_freezing_ = false;                      // PL
  std::atomic<int64_t> next_work_id_{1};
  int rr_cpu_last_ = -1;  // wq_rr_cpu_last (one shared, not per CPU)
  kernel::Timer watchdog_timer_;
  uint64_t wq_watchdog_touched_ = 0;               // jiffies of the last check
  std::vector<uint64_t> wq_watchdog_touched_cpu_;  // the same, per CPU (bound pools)
  std::vector<std::string> warned_once_;
  bool shutting_down_ = false;
  bool wq_online_ = false;  // workers may be created (set at the end of workqueue_init)
};

}  // namespace wqlab::wq

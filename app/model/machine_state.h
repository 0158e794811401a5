// MachineState: what the simulated machine looks like after the first N events of its log, as
// the views show it. Folded from events only (model/fold_*.cpp); plain data, copied whole by
// ModelHistory's snapshots, so everything here is bounded by what is alive at that moment.
// Names follow kernel/workqueue.c: pools, pwqs, workers, nr_running, nr_active, ...
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <unordered_map>
#include <vector>

#include "model/legacy_state.h"

namespace wqlab::model {

using Nanos = int64_t;

// Where the scheduler has a task (task_struct state as the kernel's events reveal it).
enum class TaskRunState : uint8_t { New, Runnable, OnCpu, Computing, Blocked, Parked, Dead };

struct TaskInfo {
  int32_t pid = 0;
  int64_t comm = 0;  // string id of the kernel name ("kworker/0:1", "scenario")
  int16_t cpu = -1;  // last CPU it ran or was woken on
  int16_t nice = 0;
  TaskRunState state = TaskRunState::New;
  int8_t block_reason = 0;  // trace::BlockReason while Blocked
  bool is_worker = false;   // a kworker or a rescuer (has a Worker entry)
  Nanos created = 0;
  bool operator==(const TaskInfo&) const = default;
};

// What a worker is doing, as the machine room labels it. Rescuer is a role; the others a state.
enum class WorkerState : uint8_t { Idle, Busy, Running, Sleeping, Manager, Rescuer, Dying };
const char* worker_state_name(WorkerState s);

// struct worker.
struct WorkerInfo {
  int32_t pid = 0;
  int32_t pool = -1;  // worker->pool; -1 for a rescuer between rescues
  int32_t id = -1;    // worker->id within the pool (the N of kworker/C:N)
  bool rescuer = false;
  int32_t rescue_wq = -1;          // rescuer->rescue_wq (workqueue index)
  bool idle = false;               // WORKER_IDLE: on pool->idle_list
  bool sleeping = false;           // blocked inside a work function (wq_worker_sleeping)
  bool dying = false;              // WORKER_DIE
  int32_t current = -1;            // the instance it runs (worker->current_work), or -1
  int64_t desc = 0;                // worker->desc: name id of the last item's workqueue
  std::vector<int32_t> scheduled;  // worker->scheduled: instances it runs next
  bool operator==(const WorkerInfo&) const = default;
};

WorkerState worker_state(const WorkerInfo& w, bool is_manager);

// struct worker_pool.
struct PoolInfo {
  int32_t id = -1;
  int16_t cpu = -1;  // -1: unbound
  int16_t nice = 0;  // -20 for the highpri pools
  bool unbound = false;
  bool bh = false;  // POOL_BH: a per-CPU BH pool, run from softirq with no kworker
  int32_t nr_running = 0;
  int32_t nr_idle = 0;
  int32_t nr_workers = 0;
  int32_t manager = 0;            // pid of pool->manager, 0 if none
  std::vector<int32_t> worklist;  // pool->worklist: instances, head first
  std::vector<int32_t> workers;   // pids attached (creation order); rescuers while rescuing
  bool highpri() const { return nice < 0; }
  bool operator==(const PoolInfo&) const = default;
};

// struct pool_workqueue.
struct PwqInfo {
  int32_t id = -1;
  int32_t wq = -1;    // workqueue index
  int32_t pool = -1;  // pool id
  int16_t cpu = -1;   // the CPU slot it serves; -1 for an unbound workqueue's dfl_pwq
  int32_t nr_active = 0;
  std::vector<int32_t> inactive;  // pwq->inactive_works: instances, oldest first
  bool mayday = false;            // on wq->maydays, waiting for the rescuer
  bool operator==(const PwqInfo&) const = default;
};

// The per-workqueue sums tools/workqueue/wq_monitor.py prints (enum pool_workqueue_stats).
struct WqCounters {
  uint64_t started = 0;        // PWQ_STAT_STARTED ("total")
  uint64_t completed = 0;      // PWQ_STAT_COMPLETED ("infl" = started - completed)
  uint64_t cpu_time_us = 0;    // PWQ_STAT_CPU_TIME, charged per scheduler tick
  uint64_t cpu_intensive = 0;  // PWQ_STAT_CPU_INTENSIVE ("CPUitsv")
  uint64_t cm_wakeup = 0;      // PWQ_STAT_CM_WAKEUP ("CMW")
  uint64_t repatriated = 0;    // PWQ_STAT_REPATRIATED ("RPR", unbound workqueues)
  uint64_t mayday = 0;         // PWQ_STAT_MAYDAY
  uint64_t rescued = 0;        // PWQ_STAT_RESCUED
  uint64_t queued = 0;         // workqueue_queue_work events (not a kernel stat)
  bool operator==(const WqCounters&) const = default;
};

// struct workqueue_struct.
struct WorkqueueInfo {
  int32_t index = -1;  // creation order (wq->id)
  int64_t name = 0;    // string id
  uint32_t flags = 0;  // WQ_* flags as allocated
  int32_t max_active = 0;
  int32_t min_active = 0;
  std::vector<int32_t> pwqs;  // pwq ids, creation order
  int32_t rescuer = 0;        // pid of wq->rescuer, 0 if none
  bool destroyed = false;
  int32_t flushing = 0;  // flushers waiting in flush_workqueue()
  bool draining = false;
  WqCounters counters;
  bool operator==(const WorkqueueInfo&) const = default;
};

// One queueing of a work item, from queue_work() until it has run or was cancelled. The same
// work_struct can be queued again while an earlier instance runs, so tokens are instances.
enum class WorkWhere : uint8_t { Delayed, Inactive, Worklist, Scheduled, Running };
const char* work_where_name(WorkWhere w);

struct Instance {
  int32_t id = -1;
  int64_t work = 0;  // the work_struct's id in events
  int64_t func = 0;  // string id of the function name
  int32_t wq = -1;   // workqueue index (-1: unknown, e.g. a flush barrier)
  int32_t pwq = -1;
  int32_t pool = -1;
  WorkWhere where = WorkWhere::Worklist;
  int32_t owner = 0;       // the worker pid (Scheduled, Running)
  bool activated = false;  // counted in pwq->nr_active
  bool mayday = false;     // its pool called for the rescuer while it waited
  bool rescued = false;    // taken by the rescuer
  bool cpu_intensive = false;
  bool barrier = false;       // a flush_work() barrier (wq_barrier_func)
  bool was_inactive = false;  // waited on the inactive list for max_active
  int32_t queuer = 0;         // pid that queued it (0: the driver or a timer)
  int16_t queue_cpu = -1;
  Nanos queued_at = 0;
  Nanos activated_at = -1;
  Nanos started_at = -1;
  uint64_t queue_event = 0;  // index of its workqueue_queue_work event
  uint64_t start_event = 0;
  bool operator==(const Instance&) const = default;
};

struct CpuInfo {
  bool online = true;
  int32_t running = 0;  // pid computing on it (cpu_run), 0 = idle
  Nanos since = 0;      // when `running` started
  bool operator==(const CpuInfo&) const = default;
};

struct MachineState {
  uint64_t events = 0;  // how many events were folded: the moment this state shows
  Nanos now = 0;        // virtual time of the last folded event
  std::vector<CpuInfo> cpus;
  std::vector<PoolInfo> pools;  // indexed by pool id (gaps for BH pool ids stay empty, id -1)
  std::vector<PwqInfo> pwqs;    // indexed by pwq id
  std::vector<WorkqueueInfo> workqueues;            // indexed by workqueue index
  std::map<int32_t, TaskInfo> tasks;                // live tasks by pid
  std::map<int32_t, WorkerInfo> workers;            // live workers by pid
  std::unordered_map<int32_t, Instance> instances;  // in flight, by instance id
  std::unordered_map<int64_t, int32_t> pending;     // work id -> its queued instance
  std::unordered_map<int64_t, int32_t> wq_by_name;  // workqueue name id -> latest index
  std::unordered_map<int64_t, std::vector<int32_t>> unlinked_pwqs;  // name id -> pwqs before alloc
  int32_t next_instance = 0;
  int32_t rescuer_for_wq = -1;  // a WQ_MEM_RECLAIM wq whose rescuer is about to be created
  int32_t rescuer_creator = 0;  // ... by this task (init_rescuer() runs in alloc_workqueue())
  int32_t nr_active_total = 0;  // sum of pwq->nr_active, kept as it changes
  int32_t running_items = 0;    // instances on a worker right now
  int32_t pids_in_use = 0;
  int32_t threads = 0;   // live tasks
  int32_t kworkers = 0;  // live workers that are not rescuers
  uint64_t executions_started = 0;
  uint64_t executions_done = 0;
  uint64_t cancelled = 0;
  bool memory_pressure = false;
  bool frozen = false;
  LegacyState legacy;  // the pre-2.6.36 workqueues, when the machine runs that model

  const PoolInfo* pool(int32_t id) const;
  PoolInfo* pool(int32_t id);
  const PwqInfo* pwq(int32_t id) const;
  PwqInfo* pwq(int32_t id);
  const WorkqueueInfo* workqueue(int32_t index) const;
  WorkqueueInfo* workqueue(int32_t index);
  const Instance* instance(int32_t id) const;
  const WorkerInfo* worker(int32_t pid) const;
  const TaskInfo* task(int32_t pid) const;
  int32_t workqueue_index(int64_t name_id) const;  // -1 if unknown
  int32_t active_items() const { return nr_active_total; }
  int32_t pending_items() const {  // queued (or on a timer), not yet running
    return static_cast<int32_t>(instances.size()) - running_items;
  }
  size_t live_pools() const;
  size_t live_workqueues() const;

  bool operator==(const MachineState&) const = default;
};

}  // namespace wqlab::model

// Causes: for an event of the log, the earlier event that made it happen and the kernel rule that
// links them ("Why?"). The head fold records them (model/fold_causes.cpp) as it goes; the views
// walk them backwards (model/why.h). To stay small on a million executions, only the rarer links
// are stored here; the three per-execution ones (activation at queue time, execute_start from its
// queue_work, execute_end from its execute_start) are derived on demand from the execution
// records the history keeps anyway (why.cpp).
#pragma once

#include <cstdint>
#include <map>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/trace/event_kind.h"

namespace wqlab::model {

// Why event B happened because of the earlier event A ("B <- A"). Names say what A did.
enum class CauseRule : uint8_t {
  None,
  // A work item's life.
  Queued,            // execute_start <- queue_work: it waited on the pool's worklist
  Activated,         // execute_start <- activate_work: it had waited on pwq->inactive_works
  Rescued,           // execute_start <- wq_rescue: the rescuer took it
  Ran,               // execute_end <- execute_start: the function returned
  ActivatedAtQueue,  // activate_work <- queue_work: a max_active slot was free
  ActivatedLater,    // activate_work <- queue_work: a slot freed up later
  TimerQueued,       // queue_work <- timer_expire: delayed_work_timer_fn()
  TimerArmed,        // timer_expire <- timer_arm or wq_delayed_arm
  // Wake-ups.
  WokenByTimer,  // task_wake <- timer_expire
  WokenBy,       // task_wake <- what the waker had just done
  CmWakeup,      // wq_cm_wakeup <- wq_worker_sleeping or wq_cpu_intensive
  SleptInWork,   // wq_worker_sleeping <- execute_start of the item it blocked in
  // Workers.
  ManagerWoke,       // wq_manager_start <- task_wake of the worker that became the manager
  CreatedByManager,  // wq_worker_create <- wq_manager_start (maybe_create_worker())
  CreatedWithPool,   // wq_worker_create <- wq_pool_create (every pool starts with a worker)
  RescuerOfWq,       // wq_rescuer_create <- wq_alloc (WQ_MEM_RECLAIM)
  KthreadFailed,     // wq_worker_create_fail / workqueue_creation_fail <- task_create_fail
  NoMemory,          // task_create_fail / wq_worker_create_fail <- alloc_fail
  NoPid,             // task_create_fail <- pid_exhausted
  UnderPressure,     // alloc_fail <- mem_pressure
  // Mayday and the rescuer.
  MaydayAfterFail,  // wq_mayday_timer <- wq_worker_create_fail
  MaydaySlow,       // wq_mayday_timer <- wq_manager_start (creation still pending)
  Mayday,           // wq_mayday <- wq_mayday_timer
  Rescue,           // wq_rescue / wq_rescuer_run <- wq_mayday
  // Flushing.
  FlushWaited,      // wq_flush_done <- what woke the flusher (the colour's last execution)
  FlushImmediate,   // wq_flush_done / wq_flush_work_done <- its start: nothing to wait for
  FlushWorkWaited,  // wq_flush_work_done <- the target's execute_end
  // Trouble.
  Lockup,         // wq_lockup <- the pool's last progress (pool->watchdog_ts)
  WhileDraining,  // wq_warn / wq_queue_rejected <- wq_drain_start
  WarnInWork,     // wq_warn <- execute_start of the item running on that worker
  CpuHog,         // wq_cpu_intensive <- execute_start of the hogging item
  // Legacy (pre-2.6.36).
  PidSpaceFilled,  // pid_exhausted <- the first thread of the workqueue being created
  LegacyQueued,    // workqueue_execution <- workqueue_insertion
  LegacyRan,       // workqueue_execution_end <- workqueue_execution
  Count
};
// A short stable name ("queued", "activated-later", ...) for tests and the exposed state.
const char* cause_rule_name(CauseRule r);

struct Cause {
  uint64_t event = 0;  // the causing event's index in the log
  CauseRule rule = CauseRule::None;
  explicit operator bool() const { return rule != CauseRule::None; }
};

// The head fold's working memory for finding causes: small maps of what is in progress. Not
// part of MachineState, so snapshots and seeking never pay for it.
struct CauseTracker {
  static constexpr uint64_t kNone = UINT64_MAX;
  struct Recent {
    uint64_t event = kNone;
    trace::EventKind kind = trace::EventKind::None;
    int64_t time = 0;
  };
  struct PoolTrack {
    uint64_t created = kNone;
    uint64_t manager = kNone;     // wq_manager_start of the manager at work
    uint64_t first_fail = kNone;  // its first failed creation
    uint64_t mayday_timer = kNone;
    uint64_t progress = kNone;  // what last set pool->watchdog_ts
  };
  std::unordered_map<int32_t, Recent> last_by_pid;  // a task's last significant step (0: timers)
  std::unordered_map<int32_t, uint64_t> last_wake;  // pid -> its latest task_wake
  std::vector<PoolTrack> pools;                     // by pool id
  PoolTrack no_pool;                                // scratch for events without a pool
  std::unordered_map<int64_t, uint64_t> activated;  // work -> activation after waiting
  std::unordered_map<int64_t, uint64_t> rescued;    // work -> wq_rescue
  std::unordered_map<int64_t, uint64_t> mayday_of;  // work -> wq_mayday
  std::map<std::pair<int64_t, int32_t>, uint64_t> mayday_at;  // (wq name, pool) -> wq_mayday
  std::unordered_map<int64_t, uint64_t> last_end;             // work -> its latest execute_end
  std::unordered_map<int64_t, uint64_t> timers;               // timer -> the event that armed it
  std::unordered_map<int32_t, uint64_t> flushing;             // pid -> wq_flush_start / _work_start
  std::unordered_map<int64_t, uint64_t> draining;             // wq name -> wq_drain_start
  std::unordered_map<int32_t, std::pair<int64_t, uint64_t>> creating;  // legacy: pid -> (wq, 1st)
  std::unordered_map<int64_t, uint64_t> inserted;   // legacy: work -> workqueue_insertion
  std::unordered_map<int32_t, uint64_t> executing;  // legacy: thread -> workqueue_execution
  uint64_t last_timer_fire = kNone;
  uint64_t pressure_on = kNone;
};

class CauseIndex {
 public:
  // Records "event <- cause" (events arrive in log order).
  void add(uint64_t event, uint64_t cause, CauseRule rule);
  // The stored cause of `event`, if one was stored.
  Cause stored(uint64_t event) const;
  size_t size() const { return links_.size(); }
  size_t memory_bytes() const { return links_.capacity() * sizeof(Link); }

  CauseTracker track;

 private:
  struct Link {
    uint64_t event;
    uint32_t back;  // event - cause (a log of 2^32 events would be 256 GiB)
    CauseRule rule;
  };
  std::vector<Link> links_;  // by event, increasing
};

}  // namespace wqlab::model

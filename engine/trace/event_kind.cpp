#include "engine/trace/event_kind.h"

#include <array>
#include <cstdio>
#include <cstdlib>

namespace wqlab::trace {
namespace {

using A = ArgType;
using K = EventKind;

// The vocabulary. Tracepoint names and fields follow include/trace/events/workqueue.h where a
// tracepoint exists; the rest name the internal step they report.
const EventKindInfo kTable[] = {
    {K::TaskCreate,
     "task_create",
     {{A::Pid, "pid"}, {A::Str, "comm"}, {A::Cpu, "cpu"}, {A::Int, "nice"}}},
    {K::TaskCreateFail, "task_create_fail", {{A::Str, "comm"}, {A::Errno, "err"}}},
    {K::TaskExit, "task_exit", {{A::Pid, "pid"}, {A::Int, "code"}}},
    {K::TaskRun, "task_run", {{A::Pid, "pid"}, {A::Bool, "fresh_stack"}}},
    {K::TaskBlock, "task_block", {{A::Int, "reason"}, {A::Obj, "on"}}},
    {K::TaskPark, "task_park", {}},
    {K::TaskWake, "task_wake", {{A::Pid, "pid"}, {A::Cpu, "target_cpu"}}},
    {K::TaskPreempt, "task_preempt", {{A::Pid, "pid"}, {A::Cpu, "cpu"}, {A::Pid, "next_pid"}}},
    {K::ComputeBegin, "compute_begin", {{A::Time, "duration"}}},
    {K::ComputeEnd, "compute_end", {{A::Time, "duration"}}},
    {K::CpuRun, "cpu_run", {{A::Cpu, "cpu"}, {A::Pid, "pid"}}},
    {K::TimerArm,
     "timer_arm",
     {{A::Obj, "timer"},
      {A::Time, "expires"},
      {A::Str, "function"},
      {A::Bool, "deferrable"},
      {A::Time, "fires"}}},
    {K::TimerDel, "timer_cancel", {{A::Obj, "timer"}, {A::Str, "function"}}},
    {K::TimerFire, "timer_expire", {{A::Obj, "timer"}, {A::Str, "function"}}},
    {K::PidAlloc, "pid_alloc", {{A::Pid, "pid"}, {A::Int, "in_use"}}},
    {K::PidFree, "pid_free", {{A::Pid, "pid"}, {A::Int, "in_use"}}},
    {K::PidExhausted, "pid_exhausted", {{A::Int, "pid_max"}, {A::Int, "in_use"}}},
    {K::AllocFail, "alloc_fail", {{A::Int, "bytes"}, {A::Str, "what"}, {A::Bool, "pressure"}}},
    {K::MemPressure, "mem_pressure", {{A::Bool, "on"}, {A::Int, "used"}, {A::Int, "budget"}}},
    {K::CpuOnline, "cpu_online", {{A::Cpu, "cpu"}}},
    {K::CpuOffline, "cpu_offline", {{A::Cpu, "cpu"}}},
    {K::Printk, "printk", {{A::Int, "level"}, {A::Str, "msg"}}},
    {K::LabNote, "lab_note", {{A::Str, "msg"}}},
    {K::CarrierExhausted, "carrier_exhausted", {{A::Int, "cap"}, {A::Pid, "waiting"}}},
    {K::EventsLost, "events_lost", {{A::Int, "count"}}},
    {K::MachineBoot,
     "machine_boot",
     {{A::Int, "nr_cpus"},
      {A::Int, "hz"},
      {A::Int, "pid_max"},
      {A::Int, "memory"},
      {A::Bool, "realtime"}}},
    {K::SoftirqRaise, "softirq_raise", {{A::Int, "vec"}, {A::Cpu, "cpu"}}},
    {K::SoftirqEntry, "softirq_entry", {{A::Int, "vec"}, {A::Str, "action"}}},
    {K::SoftirqExit, "softirq_exit", {{A::Int, "vec"}, {A::Str, "action"}}},

    {K::WqQueueWork,
     "workqueue_queue_work",
     {{A::Obj, "work"},
      {A::Str, "function"},
      {A::Str, "workqueue"},
      {A::Cpu, "req_cpu"},
      {A::Cpu, "cpu"}}},
    {K::WqActivateWork,
     "workqueue_activate_work",
     {{A::Obj, "work"}, {A::Str, "function"}, {A::Int, "pool"}, {A::Int, "pwq"}}},
    {K::WqExecuteStart,
     "workqueue_execute_start",
     {{A::Obj, "work"}, {A::Str, "function"}, {A::Str, "workqueue"}, {A::Int, "pool"}}},
    {K::WqExecuteEnd,
     "workqueue_execute_end",
     {{A::Obj, "work"}, {A::Str, "function"}, {A::Int, "pool"}}},

    {K::WqAlloc,
     "wq_alloc",
     {{A::Str, "workqueue"}, {A::Hex, "flags"}, {A::Int, "max_active"}, {A::Int, "wq"}}},
    {K::WqDestroy, "wq_destroy", {{A::Str, "workqueue"}, {A::Bool, "busy"}}},
    {K::WqPwqCreate,
     "wq_pwq_create",
     {{A::Str, "workqueue"}, {A::Int, "pwq"}, {A::Int, "pool"}, {A::Cpu, "cpu"}}},
    {K::WqPoolCreate,
     "wq_pool_create",
     {{A::Int, "pool"}, {A::Cpu, "cpu"}, {A::Int, "nice"}, {A::Bool, "unbound"}, {A::Bool, "bh"}}},
    {K::WqWorkInactive,
     "wq_work_inactive",
     {{A::Obj, "work"},
      {A::Str, "function"},
      {A::Int, "pwq"},
      {A::Int, "nr_active"},
      {A::Int, "max_active"}}},
    {K::WqQueueRejected,
     "wq_queue_rejected",
     {{A::Obj, "work"}, {A::Str, "function"}, {A::Str, "workqueue"}, {A::Str, "why"}}},
    {K::WqWorkerCreate,
     "wq_worker_create",
     {{A::Int, "pool"}, {A::Int, "id"}, {A::Pid, "pid"}, {A::Int, "nr_workers"}}},
    {K::WqWorkerCreateFail, "wq_worker_create_fail", {{A::Int, "pool"}, {A::Errno, "err"}}},
    {K::WqWorkerIdle, "wq_worker_idle", {{A::Int, "pool"}, {A::Pid, "pid"}, {A::Int, "nr_idle"}}},
    {K::WqWorkerBusy, "wq_worker_busy", {{A::Int, "pool"}, {A::Pid, "pid"}, {A::Int, "nr_idle"}}},
    {K::WqWorkerDie, "wq_worker_die", {{A::Int, "pool"}, {A::Pid, "pid"}, {A::Int, "nr_workers"}}},
    {K::WqWorkerSleep, "wq_worker_sleeping", {{A::Int, "pool"}, {A::Pid, "pid"}, {A::Obj, "work"}}},
    {K::WqWorkerWake, "wq_worker_running", {{A::Int, "pool"}, {A::Pid, "pid"}, {A::Obj, "work"}}},
    {K::WqNrRunning,
     "wq_nr_running",
     {{A::Int, "pool"}, {A::Int, "nr_running"}, {A::Pid, "worker"}}},
    {K::WqManagerStart, "wq_manager_start", {{A::Int, "pool"}}},
    {K::WqManagerEnd, "wq_manager_end", {{A::Int, "pool"}}},
    {K::WqCmWakeup, "wq_cm_wakeup", {{A::Int, "pool"}, {A::Str, "workqueue"}, {A::Pid, "woken"}}},
    {K::WqCpuIntensive,
     "wq_cpu_intensive",
     {{A::Obj, "work"}, {A::Str, "function"}, {A::Str, "workqueue"}, {A::Time, "ran"}}},
    {K::WqMaydayTimer, "wq_mayday_timer", {{A::Int, "pool"}, {A::Bool, "need_to_create"}}},
    {K::WqMayday,
     "wq_mayday",
     {{A::Str, "workqueue"}, {A::Int, "pwq"}, {A::Int, "pool"}, {A::Obj, "work"}}},
    {K::WqRescuerCreate, "wq_rescuer_create", {{A::Str, "workqueue"}, {A::Pid, "pid"}}},
    {K::WqRescuerAttach,
     "wq_rescuer_attach",
     {{A::Str, "workqueue"}, {A::Int, "pool"}, {A::Pid, "pid"}}},
    {K::WqRescuerDetach,
     "wq_rescuer_detach",
     {{A::Str, "workqueue"}, {A::Int, "pool"}, {A::Pid, "pid"}}},
    {K::WqWorkDequeue,
     "wq_work_dequeue",
     {{A::Obj, "work"}, {A::Str, "function"}, {A::Int, "pwq"}, {A::Bool, "from_timer"}}},
    {K::WqPoolAssoc, "wq_pool_assoc", {{A::Int, "pool"}, {A::Cpu, "cpu"}, {A::Bool, "associated"}}},
    {K::WqRescue,
     "wq_rescue",
     {{A::Obj, "work"}, {A::Str, "function"}, {A::Str, "workqueue"}, {A::Int, "pool"}}},
    {K::WqRescuerRun,
     "wq_rescuer_run",
     {{A::Str, "workqueue"}, {A::Int, "pool"}, {A::Int, "rescued"}}},
    {K::WqCollision,
     "wq_collision",
     {{A::Obj, "work"}, {A::Str, "function"}, {A::Pid, "running_on"}}},
    {K::WqFlushStart,
     "wq_flush_start",
     {{A::Str, "workqueue"}, {A::Int, "color"}, {A::Bool, "queued"}}},
    {K::WqFlushDone, "wq_flush_done", {{A::Str, "workqueue"}, {A::Int, "color"}}},
    {K::WqFlushWorkStart,
     "wq_flush_work_start",
     {{A::Obj, "work"}, {A::Str, "function"}, {A::Bool, "running"}}},
    {K::WqFlushWorkDone,
     "wq_flush_work_done",
     {{A::Obj, "work"}, {A::Str, "function"}, {A::Bool, "waited"}}},
    {K::WqCancel,
     "wq_cancel",
     {{A::Obj, "work"}, {A::Str, "function"}, {A::Bool, "was_pending"}, {A::Bool, "sync"}}},
    {K::WqDrainStart, "wq_drain_start", {{A::Str, "workqueue"}}},
    {K::WqDrainDone, "wq_drain_done", {{A::Str, "workqueue"}, {A::Int, "flushes"}}},
    {K::WqMaxActive,
     "wq_max_active",
     {{A::Str, "workqueue"}, {A::Int, "max_active"}, {A::Int, "min_active"}}},
    {K::WqFreeze, "wq_freeze", {{A::Bool, "busy"}}},
    {K::WqThaw, "wq_thaw", {}},
    {K::WqLockup, "wq_lockup", {{A::Int, "pool"}, {A::Cpu, "cpu"}, {A::Int, "stuck_secs"}}},
    {K::WqWarn, "wq_warn", {{A::Str, "msg"}, {A::Str, "workqueue"}, {A::Obj, "work"}}},
    {K::WqBarrierRun, "wq_barrier_run", {{A::Obj, "barrier"}, {A::Obj, "target"}}},
    {K::WqDelayedArm,
     "wq_delayed_arm",
     {{A::Obj, "work"},
      {A::Str, "function"},
      {A::Str, "workqueue"},
      {A::Time, "expires"},
      {A::Cpu, "cpu"}}},
    {K::WqRepatriate,
     "wq_repatriate",
     {{A::Int, "pool"}, {A::Pid, "pid"}, {A::Cpu, "from"}, {A::Cpu, "to"}, {A::Int, "pwq"}}},
    {K::WqPwqInstall,
     "wq_pwq_install",
     {{A::Str, "workqueue"},
      {A::Cpu, "cpu"},
      {A::Int, "pwq"},
      {A::Int, "pool"},
      {A::Int, "old_pwq"}}},

    {K::LegacyCreate,
     "workqueue_creation",
     {{A::Str, "workqueue"}, {A::Pid, "thread"}, {A::Cpu, "cpu"}, {A::Bool, "singlethread"}}},
    {K::LegacyCreateFail,
     "workqueue_creation_fail",
     {{A::Str, "workqueue"}, {A::Cpu, "cpu"}, {A::Errno, "err"}}},
    {K::LegacyInsertion,
     "workqueue_insertion",
     {{A::Pid, "thread"},
      {A::Obj, "work"},
      {A::Str, "function"},
      {A::Str, "workqueue"},
      {A::Cpu, "cpu"}}},
    {K::LegacyExecution,
     "workqueue_execution",
     {{A::Pid, "thread"}, {A::Obj, "work"}, {A::Str, "function"}, {A::Str, "workqueue"}}},
    {K::LegacyExecutionEnd,
     "workqueue_execution_end",
     {{A::Pid, "thread"}, {A::Obj, "work"}, {A::Str, "function"}}},
    {K::LegacyDestroy, "workqueue_destruction", {{A::Str, "workqueue"}, {A::Int, "threads"}}},
};

constexpr size_t kKinds = static_cast<size_t>(EventKind::Count);

// The table indexed by kind; checks once that every kind is described exactly once.
const std::array<EventKindInfo, kKinds>& by_kind() {
  static const std::array<EventKindInfo, kKinds> table = [] {
    std::array<EventKindInfo, kKinds> t{};
    t[0] = {EventKind::None, "none", {}};
    for (const EventKindInfo& info : kTable) t[static_cast<size_t>(info.kind)] = info;
    for (size_t i = 1; i < kKinds; ++i) {
      if (t[i].name.empty()) {
        std::fprintf(stderr, "wqlab: event kind %zu has no description\n", i);
        std::abort();
      }
    }
    return t;
  }();
  return table;
}

}  // namespace

const EventKindInfo& event_kind_info(EventKind kind) {
  auto index = static_cast<size_t>(kind);
  return index < kKinds ? by_kind()[index] : by_kind()[0];
}

EventKind event_kind_by_name(std::string_view name) {
  for (size_t i = 1; i < kKinds; ++i) {
    if (by_kind()[i].name == name) return static_cast<EventKind>(i);
  }
  return EventKind::None;
}

std::string_view block_reason_name(int64_t reason) {
  switch (static_cast<BlockReason>(reason)) {
    case BlockReason::Sleep:
      return "sleep";
    case BlockReason::WaitQueue:
      return "wait";
    case BlockReason::Mutex:
      return "mutex";
    case BlockReason::Completion:
      return "completion";
    case BlockReason::Stop:
      return "stop";
  }
  return "?";
}

}  // namespace wqlab::trace

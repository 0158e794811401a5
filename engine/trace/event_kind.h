// The event vocabulary: the kernel's workqueue tracepoints plus the internal steps a student must
// see. One table (X-macro) gives each kind its ftrace-style name and the meaning and type of its
// arguments.
#pragma once

#include <cstdint>
#include <string_view>

namespace wqlab::trace {

// Argument types, used to print an argument: integer, string id, time, pid, errno, object id, cpu.
enum class ArgType : uint8_t { None, Int, Str, Time, Pid, Errno, Obj, Cpu, Bool };

// X(Enum, "name", arg0, arg1, arg2, arg3) where each arg is (ArgType, "label") or WQLAB_NONE.
#define WQLAB_NONE (::wqlab::trace::ArgType::None, "")
#define WQLAB_KERNEL_EVENT_KINDS(X)                                                               \
  X(TaskCreate, "task_create", (ArgType::Pid, "pid"), (ArgType::Str, "comm"),                     \
    (ArgType::Cpu, "cpu"), (ArgType::Int, "nice"))                                                \
  X(TaskCreateFail, "task_create_fail", (ArgType::Str, "comm"), (ArgType::Errno, "err"),          \
    WQLAB_NONE, WQLAB_NONE)                                                                       \
  X(TaskExit, "task_exit", (ArgType::Pid, "pid"), (ArgType::Int, "code"), WQLAB_NONE, WQLAB_NONE) \
  X(TaskRun, "task_run", (ArgType::Pid, "pid"), (ArgType::Bool, "fresh_stack"), WQLAB_NONE,       \
    WQLAB_NONE)                                                                                   \
  X(TaskBlock, "task_block", (ArgType::Int, "reason"), (ArgType::Obj, "on"), WQLAB_NONE,          \
    WQLAB_NONE)                                                                                   \
  X(TaskPark, "task_park", WQLAB_NONE, WQLAB_NONE, WQLAB_NONE, WQLAB_NONE)                        \
  X(TaskWake, "task_wake", (ArgType::Pid, "pid"), (ArgType::Cpu, "target_cpu"), WQLAB_NONE,       \
    WQLAB_NONE)                                                                                   \
  X(ComputeBegin, "compute_begin", (ArgType::Time, "duration"), WQLAB_NONE, WQLAB_NONE,           \
    WQLAB_NONE)                                                                                   \
  X(ComputeEnd, "compute_end", (ArgType::Time, "duration"), WQLAB_NONE, WQLAB_NONE, WQLAB_NONE)   \
  X(CpuRun, "cpu_run", (ArgType::Cpu, "cpu"), (ArgType::Pid, "pid"), WQLAB_NONE, WQLAB_NONE)      \
  X(TimerArm, "timer_arm", (ArgType::Obj, "timer"), (ArgType::Time, "expires"),                   \
    (ArgType::Str, "function"), (ArgType::Bool, "deferrable"))                                    \
  X(TimerDel, "timer_cancel", (ArgType::Obj, "timer"), (ArgType::Str, "function"), WQLAB_NONE,    \
    WQLAB_NONE)                                                                                   \
  X(TimerFire, "timer_expire", (ArgType::Obj, "timer"), (ArgType::Str, "function"), WQLAB_NONE,   \
    WQLAB_NONE)                                                                                   \
  X(PidAlloc, "pid_alloc", (ArgType::Pid, "pid"), (ArgType::Int, "in_use"), WQLAB_NONE,           \
    WQLAB_NONE)                                                                                   \
  X(PidFree, "pid_free", (ArgType::Pid, "pid"), (ArgType::Int, "in_use"), WQLAB_NONE, WQLAB_NONE) \
  X(PidExhausted, "pid_exhausted", (ArgType::Int, "pid_max"), (ArgType::Int, "in_use"),           \
    WQLAB_NONE, WQLAB_NONE)                                                                       \
  X(AllocFail, "alloc_fail", (ArgType::Int, "bytes"), (ArgType::Str, "what"),                     \
    (ArgType::Bool, "pressure"), WQLAB_NONE)                                                      \
  X(MemPressure, "mem_pressure", (ArgType::Bool, "on"), (ArgType::Int, "used"),                   \
    (ArgType::Int, "budget"), WQLAB_NONE)                                                         \
  X(CpuOnline, "cpu_online", (ArgType::Cpu, "cpu"), WQLAB_NONE, WQLAB_NONE, WQLAB_NONE)           \
  X(CpuOffline, "cpu_offline", (ArgType::Cpu, "cpu"), WQLAB_NONE, WQLAB_NONE, WQLAB_NONE)         \
  X(Printk, "printk", (ArgType::Int, "level"), (ArgType::Str, "msg"), WQLAB_NONE, WQLAB_NONE)     \
  X(CarrierExhausted, "carrier_exhausted", (ArgType::Int, "cap"), (ArgType::Pid, "waiting"),      \
    WQLAB_NONE, WQLAB_NONE)                                                                       \
  X(EventsLost, "events_lost", (ArgType::Int, "count"), WQLAB_NONE, WQLAB_NONE, WQLAB_NONE)

#define WQLAB_EVENT_KINDS(X) WQLAB_KERNEL_EVENT_KINDS(X)

enum class EventKind : uint16_t {
  None = 0,
#define WQLAB_X(name, text, a0, a1, a2, a3) name,
  WQLAB_EVENT_KINDS(WQLAB_X)
#undef WQLAB_X
      Count
};

struct ArgInfo {
  ArgType type;
  std::string_view label;
};

struct EventKindInfo {
  std::string_view name;  // ftrace-style, e.g. "task_create"
  ArgInfo args[4];
};

const EventKindInfo& event_kind_info(EventKind kind);
// The kind whose name is `name`, or EventKind::None.
EventKind event_kind_by_name(std::string_view name);

// Why a task blocked (TaskBlock reason).
enum class BlockReason : int64_t { Sleep = 1, WaitQueue, Mutex, Completion, Stop };
std::string_view block_reason_name(int64_t reason);

}  // namespace wqlab::trace

// The event vocabulary: the kernel's workqueue tracepoints plus the internal steps a student must
// see. Each kind has an ftrace-style name and up to five typed arguments (event_kind.cpp).
#pragma once

#include <cstdint>
#include <string_view>

namespace wqlab::trace {

// clang-format off
#define WQLAB_EVENT_KINDS(X)                                                                        \
  /* simulated kernel */                                                                            \
  X(TaskCreate) X(TaskCreateFail) X(TaskExit) X(TaskRun) X(TaskBlock) X(TaskPark) X(TaskWake)       \
  X(TaskPreempt) X(ComputeBegin) X(ComputeEnd) X(CpuRun) X(TimerArm) X(TimerDel) X(TimerFire)        \
  X(PidAlloc) X(PidFree) X(PidExhausted) X(AllocFail) X(MemPressure) X(CpuOnline) X(CpuOffline)     \
  X(Printk) X(LabNote) X(CarrierExhausted) X(EventsLost) X(MachineBoot) X(SoftirqRaise)              \
  X(SoftirqEntry) X(SoftirqExit)                                                                    \
  /* cmwq: the kernel's tracepoints */                                                              \
  X(WqQueueWork) X(WqActivateWork) X(WqExecuteStart) X(WqExecuteEnd)                                \
  /* cmwq: internal steps */                                                                        \
  X(WqAlloc) X(WqDestroy) X(WqPwqCreate) X(WqPoolCreate) X(WqWorkInactive) X(WqQueueRejected)       \
  X(WqWorkerCreate) X(WqWorkerCreateFail) X(WqWorkerIdle) X(WqWorkerBusy) X(WqWorkerDie)            \
  X(WqWorkerSleep) X(WqWorkerWake) X(WqNrRunning) X(WqManagerStart) X(WqManagerEnd) X(WqCmWakeup)   \
  X(WqCpuIntensive) X(WqMaydayTimer) X(WqMayday) X(WqRescue) X(WqRescuerRun) X(WqRescuerCreate)     \
  X(WqRescuerAttach) X(WqRescuerDetach) X(WqWorkDequeue) X(WqPoolAssoc) X(WqCollision)              \
  X(WqFlushStart) X(WqFlushDone) X(WqFlushWorkStart) X(WqFlushWorkDone) X(WqCancel)                 \
  X(WqDrainStart) X(WqDrainDone) X(WqMaxActive) X(WqFreeze) X(WqThaw) X(WqLockup) X(WqWarn)          \
  X(WqBarrierRun) X(WqDelayedArm) X(WqRepatriate) X(WqPwqInstall)                                   \
  /* legacy (pre-2.6.36) workqueues */                                                              \
  X(LegacyCreate) X(LegacyCreateFail) X(LegacyInsertion) X(LegacyExecution)                         \
  X(LegacyExecutionEnd) X(LegacyDestroy)
// clang-format on

enum class EventKind : uint16_t {
  None = 0,
#define WQLAB_X(name) name,
  WQLAB_EVENT_KINDS(WQLAB_X)
#undef WQLAB_X
      Count
};

// Argument types, used to print an argument.
enum class ArgType : uint8_t { None, Int, Str, Time, Pid, Errno, Obj, Cpu, Bool, Hex };

struct ArgInfo {
  ArgType type = ArgType::None;
  std::string_view label;
};

constexpr int kMaxEventArgs = 5;

struct EventKindInfo {
  EventKind kind = EventKind::None;
  std::string_view name;  // ftrace-style, e.g. "workqueue_queue_work"
  ArgInfo args[kMaxEventArgs];
};

const EventKindInfo& event_kind_info(EventKind kind);
// The kind whose name is `name`, or EventKind::None.
EventKind event_kind_by_name(std::string_view name);

// Why a task blocked (TaskBlock reason).
enum class BlockReason : int64_t { Sleep = 1, WaitQueue, Mutex, Completion, Stop };
std::string_view block_reason_name(int64_t reason);

}  // namespace wqlab::trace

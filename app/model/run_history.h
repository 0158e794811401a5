// RunHistory: everything that happened over the whole run, kept append-only for the timeline,
// the plots and the markers (Tracy keeps its zones the same way): one track per kernel thread
// with its executions and sleeping/computing spans, what each CPU computed, every execution,
// markers for the moments a student must notice, and step series for the plots. Each vector is
// sorted by start time, so a view binary-searches its visible range.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "model/causes.h"
#include "model/machine_state.h"

namespace wqlab::model {

inline constexpr Nanos kOpen = -1;  // end of a span that has not ended yet

// One run of a work function: workqueue_execute_start .. workqueue_execute_end.
struct ExecutionRecord {
  int64_t work = 0;
  int64_t func = 0;  // string id
  int32_t wq = -1;   // workqueue index
  int32_t pool = -1;
  int32_t pid = 0;     // the worker (or rescuer) that ran it
  int32_t queuer = 0;  // the task that queued it (0: the driver or a timer)
  int32_t instance = -1;
  uint16_t flags = 0;  // kExec* below
  Nanos queued_at = 0;
  Nanos start = 0;
  Nanos end = kOpen;
  uint64_t queue_event = 0;
  uint64_t start_event = 0;
  uint64_t end_event = 0;
};
inline constexpr uint16_t kExecRescued = 1, kExecCpuIntensive = 2, kExecMayday = 4,
                          kExecBarrier = 8, kExecWasInactive = 16,
                          kExecLegacy = 32;  // a legacy thread's item (wq: LegacyState index)

// What a task did between two moments, besides running work functions.
enum class SpanKind : uint8_t {
  Sleeping,   // blocked in sleep_for()/schedule() with a timer (inside or outside a work item)
  Waiting,    // blocked on a wait queue, mutex, completion or kthread_stop
  Runnable,   // woken, waiting to be dispatched
  Computing,  // in compute_for(): on its CPU or queued for it
};
const char* span_kind_name(SpanKind k);

struct StateSpan {
  Nanos start = 0;
  Nanos end = kOpen;
  SpanKind kind = SpanKind::Sleeping;
  int8_t reason = 0;  // trace::BlockReason for Sleeping/Waiting
};

struct ExecSpan {
  Nanos start = 0;
  Nanos end = kOpen;
  uint32_t exec = 0;  // index into RunHistory::executions
};

// One kernel thread's lane in the timeline.
struct TaskTrack {
  int32_t pid = 0;
  int64_t comm = 0;
  int32_t pool = -1;  // the pool it was created for (-1: rescuer or not a worker)
  int16_t cpu = -1;   // bound CPU of its pool, or -1
  bool worker = false;
  bool rescuer = false;
  bool legacy = false;  // a legacy workqueue's thread (cpu: its CPU, -1 if single-threaded)
  Nanos created = 0;
  Nanos exited = kOpen;
  uint64_t create_event = 0;
  std::vector<ExecSpan> execs;
  std::vector<StateSpan> states;
  int32_t open_state = -1;  // index of the span in progress, or -1
};

// Who computed on one CPU (cpu_run events).
struct CpuSpan {
  Nanos start = 0;
  Nanos end = kOpen;
  int32_t pid = 0;
};

enum class MarkerKind : uint8_t {
  Mayday,       // wq_mayday: a pwq asked its rescuer for help
  MaydayTimer,  // pool_mayday_timeout found the pool starved
  Rescue,       // the rescuer took an item
  Warning,      // WARN()/pr_warn from the workqueue code
  Printk,       // other kernel messages
  LabNote,      // the lab's own explanation, not a kernel message
  Lockup,       // the watchdog saw a stuck pool
  CpuOnline,
  CpuOffline,
  MemPressureOn,
  MemPressureOff,
  FlushStart,
  FlushDone,
  CreateFail,  // a worker or task could not be created
  PidExhausted,
  CpuIntensive,  // an item was flagged CPU-intensive
  Cancel,
  Freeze,
  Thaw,
  Rejected,  // queue_work on a draining/destroying workqueue
  EventsLost,
  CarrierExhausted,
  Count
};
const char* marker_kind_name(MarkerKind k);

struct Marker {
  Nanos time = 0;
  uint64_t event = 0;
  MarkerKind kind = MarkerKind::Printk;
  int32_t pid = 0;  // the task it concerns (its track), 0 if none
  int32_t pool = -1;
  int32_t wq = -1;
  int64_t text = 0;  // string id of a message, or 0
};

// Value over time, stored only when it changes: for the plots.
struct StepSeries {
  std::vector<Nanos> t;
  std::vector<int32_t> v;
  void add(Nanos time, int32_t value);
  int32_t value_at(Nanos time) const;  // 0 before the first point
  int32_t max_value() const { return max; }
  int32_t max = 0;
};

struct Plots {
  StepSeries threads;                  // live kernel threads
  StepSeries pids;                     // PIDs in use
  StepSeries kworkers;                 // live kworkers (not rescuers)
  StepSeries active;                   // sum of pwq->nr_active
  StepSeries pending;                  // queued items not yet running
  std::vector<StepSeries> nr_running;  // per pool id
};

struct RunHistory {
  std::vector<TaskTrack> tracks;                   // creation order
  std::unordered_map<int32_t, uint32_t> track_of;  // pid -> its latest track (alive or not)
  std::vector<ExecutionRecord> executions;         // start order
  std::unordered_map<int64_t, std::vector<uint32_t>> work_execs;  // work id -> its executions
  std::vector<std::vector<CpuSpan>> cpus;
  std::vector<Marker> markers;  // time order
  Plots plots;
  CauseIndex causes;   // why each event happened (model/why.h reads it)
  Nanos end_time = 0;  // time of the last event

  TaskTrack* track_for(int32_t pid);
  const TaskTrack* track_for(int32_t pid) const;
  size_t memory_bytes() const;
};

}  // namespace wqlab::model

// What the importer reads from a real kernel's trace text: one Record per tracepoint line it
// understands (the four workqueue tracepoints and the scheduler events), in time order, plus a
// report of everything it could not use. Fields a line does not carry stay at their "unknown"
// value; nothing is guessed here (reconstruct.h draws the conclusions).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "engine/import/names.h"

namespace wqlab::import {

enum class TraceFormat : uint8_t {
  Unknown,
  Ftrace,     // `cat trace` (with the "# tracer:" header)
  TracePipe,  // `cat trace_pipe`: the same lines without a header
  TraceCmd,   // `trace-cmd report`
  PerfScript  // `perf script`
};
const char* format_name(TraceFormat f);

enum class RecordKind : uint8_t {
  QueueWork,     // workqueue_queue_work
  ActivateWork,  // workqueue_activate_work
  ExecuteStart,  // workqueue_execute_start
  ExecuteEnd,    // workqueue_execute_end
  SchedSwitch,   // sched_switch: the current task (pid) leaves, `other` runs
  SchedWakeup,   // sched_wakeup / sched_wakeup_new: `other` becomes runnable on target_cpu
  Fork,          // sched_process_fork: `other` is the child
  Exit,          // sched_process_exit: `other` exits
};

constexpr int16_t kNoCpu = -1;

struct Record {
  int64_t time_ns = 0;
  uint64_t hash = 0;     // of the line's text: finds lines printed twice
  uint64_t work = 0;     // work_struct address (workqueue events)
  uint32_t line = 0;     // 1-based line number in the file
  int32_t pid = 0;       // the task that was current on the CPU (0: idle / swapper)
  int32_t comm = 0;      // its comm as the line printed it (Names id)
  int32_t function = 0;  // work function (Names id; 0 when the line has none)
  int32_t wq = 0;        // workqueue name, or "0x..." when the kernel printed a pointer
  int32_t other = 0;     // sched: prev/next/woken/child/exiting pid (see RecordKind)
  int32_t other_comm = 0;
  int16_t cpu = kNoCpu;       // the CPU column
  int16_t req_cpu = kNoCpu;   // queue_work: the requested CPU (WORK_CPU_UNBOUND as printed)
  int16_t pool_cpu = kNoCpu;  // queue_work: the pool's CPU (-1: an unbound pool); target_cpu
  RecordKind kind = RecordKind::QueueWork;
  char prev_state = 0;     // sched_switch: the leaving task's state letter (R, S, D, I, ...)
  bool irq = false;        // the flags column says hard or soft interrupt context
  bool preempted = false;  // sched_switch: prev_state had "+" (preempted while running)
};

static_assert(sizeof(Record) == 64, "a 1 M-line trace holds a million of these");

struct Problem {
  uint32_t line = 0;
  std::string reason;
  std::string text;  // the line as it was (cut to 200 characters)
};

struct ImportReport {
  TraceFormat format = TraceFormat::Unknown;
  uint64_t lines = 0;         // lines read
  uint64_t records = 0;       // events kept (after dropping duplicates)
  uint64_t duplicates = 0;    // lines printed twice (ring buffer and reader overlapping)
  uint64_t malformed = 0;     // lines that look like neither a header nor an event
  uint64_t unknown = 0;       // events of other kinds, skipped
  uint64_t lost_events = 0;   // "[LOST N EVENTS]" from trace_pipe / trace-cmd
  uint64_t overwritten = 0;   // the header's entries-written minus entries-in-buffer
  uint64_t out_of_order = 0;  // records older than an earlier one of the same CPU
  std::map<std::string, uint64_t> unknown_kinds;  // skipped event name -> count
  std::vector<Problem> problems;                  // the first kMaxProblems malformed lines
  static constexpr size_t kMaxProblems = 10;
};

struct ParsedTrace {
  std::string source;           // file name (or "<text>")
  int nr_cpus = 0;              // from the header ("#P:2", "cpus=2"); 0 when the text does not say
  int max_cpu_seen = -1;        // highest CPU column
  std::vector<Record> records;  // sorted by time (stable: each CPU keeps its order)
  Names names;
  ImportReport report;
  int cpus() const { return nr_cpus > 0 ? nr_cpus : max_cpu_seen + 1; }
};

}  // namespace wqlab::import

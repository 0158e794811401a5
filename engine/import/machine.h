// The machine a real trace shows, reconstructed from its records (reconstruct.h): CPUs, worker
// pools and their kworkers (from comm names), workqueues (from queue_work), and every work item
// instance from queue_work() to the end of its execution. What the trace cannot tell stays
// unknown: times are kUnknownTime, tri-state facts are Tri::Unknown, counts that need the
// scheduler events are absent when the capture had none.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/import/records.h"

namespace wqlab::import {

constexpr int64_t kUnknownTime = INT64_MIN;

enum class Tri : uint8_t { Unknown, No, Yes };
const char* tri_name(Tri t);  // "?", "no", "yes"

// struct worker_pool, as far as its kworkers' names reveal it.
struct TracePool {
  int32_t id = -1;  // the lab's pool id: Linux 6.9+'s numbering (cpu*4 + 2 + highpri for
                    // per-CPU pools; the printed id for unbound pools when it is free)
  int cpu = -1;     // -1: unbound
  bool highpri = false;
  int kernel_id = -1;            // unbound: the id in "kworker/uP:M"
  std::string name;              // "cpu0", "cpu0H", "u8"
  std::vector<int32_t> workers;  // kworker pids, in order of first appearance
  uint64_t executions = 0;
  int max_executing = 0;  // most of its kworkers inside a work function at once
  int max_running = -1;   // ... of them not blocked (needs sched_switch; -1 = unknown)
  int64_t longest_wait = kUnknownTime;  // longest activated -> started of an item it ran
  int32_t longest_wait_item = -1;
};

// A kworker (or a rescuer), known by its pid and comm.
struct TraceKworker {
  int32_t pid = 0;
  std::string comm;   // without the +wq / -wq suffix
  int32_t pool = -1;  // TracePool id; -1 for a rescuer (it helps whichever pool needs it)
  bool rescuer = false;
  std::string rescuer_wq;  // "kworker/R-kblockd" -> "kblockd"
  uint64_t executions = 0;
  int64_t on_cpu_ns = -1;  // time on a CPU during the trace (needs sched_switch)
};

struct Stats {  // of a set of durations in ns
  uint64_t count = 0;
  int64_t min = 0, p50 = 0, p99 = 0, max = 0, total = 0;
};

// struct workqueue_struct, as far as its items reveal it.
struct TraceWorkqueue {
  int32_t index = -1;
  std::string name;
  Tri unbound = Tri::Unknown;  // queue_work printed cpu=-1, or a kworker/uP ran its items
  Tri highpri = Tri::Unknown;  // a kworker/N:MH ran its items
  int max_active_seen = 0;     // items active when one had to wait (0: none waited)
  uint64_t queued = 0;         // workqueue_queue_work events
  uint64_t started = 0;        // wq_monitor "total"
  uint64_t completed = 0;
  uint64_t requeued_pending = 0;  // queued again while still pending (mod_delayed_work stole it)
  uint64_t waited_inactive = 0;   // items that waited for max_active
  uint64_t rescued = 0;           // run by its rescuer
  uint64_t from_irq = 0;          // queued from interrupt context
  int max_in_flight = 0;          // most of its items executing at once
  int max_pending = 0;            // most of its items queued and not yet started
  int64_t cpu_time_ns = -1;       // its items' time on a CPU (needs sched_switch)
  Stats latency;                  // queued -> started
  Stats run;                      // started -> ended
  std::vector<int32_t> pools;     // TracePool ids its items ran on
};

// One queueing of a work item, queue_work() to the end of its execution.
struct TraceItem {
  uint64_t work = 0;
  int32_t function = 0;    // Names id
  int32_t wq = -1;         // TraceWorkqueue index (-1: queued before the trace began)
  int32_t pool = -1;       // the pool that ran it
  int32_t worker = 0;      // the kworker pid that ran it
  int32_t queuer = 0;      // pid that queued it
  int16_t queue_cpu = -1;  // CPU the queueing ran on
  int16_t pool_cpu = -1;   // queue_work's cpu= (-1: an unbound pool)
  int16_t req_cpu = -1;
  int64_t queued = kUnknownTime;
  int64_t activated = kUnknownTime;
  int64_t started = kUnknownTime;
  int64_t ended = kUnknownTime;
  int64_t on_cpu_ns = -1;  // of its run, on a CPU (needs sched_switch)
  int32_t blocked = 0;     // times its worker slept inside it (needs sched_switch)
  uint32_t queue_line = 0, start_line = 0, end_line = 0;
  bool from_irq = false;
  bool waited_inactive = false;  // activated later than queued: max_active held it back
  bool superseded = false;       // queued again before it ran: this queueing never ran
  bool latency_known() const { return queued != kUnknownTime && started != kUnknownTime; }
  bool run_known() const { return started != kUnknownTime && ended != kUnknownTime; }
  int64_t latency() const { return started - queued; }
  int64_t run_time() const { return ended - started; }
};

struct Outliers {
  std::vector<int32_t> longest_latency;  // item indices, longest first (at most 5)
  std::vector<int32_t> longest_run;
  int32_t stalled_pool = -1;  // the pool with the longest activated -> started wait
};

struct TraceMachine {
  int nr_cpus = 0;
  int64_t start_ns = 0, end_ns = 0;  // first and last record
  bool has_sched = false;            // sched_switch events were captured
  std::vector<TracePool> pools;      // indexed by nothing: look up by id with pool()
  std::vector<TraceKworker> kworkers;
  std::vector<TraceWorkqueue> workqueues;  // by index
  std::vector<TraceItem> items;            // in queue (or first-seen) order
  std::vector<int32_t> record_item;        // per record: the item a workqueue event is about
  std::vector<std::pair<int32_t, std::string>> tasks;  // every pid seen with its last comm
  Outliers outliers;
  uint64_t ends_without_start = 0;  // started before the trace began
  uint64_t unfinished = 0;          // still running or pending when the trace ended

  const TracePool* pool(int32_t id) const;
  TracePool* pool(int32_t id);
  const TraceKworker* kworker(int32_t pid) const;
  int32_t workqueue_index(const std::string& name) const;
};

}  // namespace wqlab::import

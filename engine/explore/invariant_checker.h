// Schedule exploration: the invariants of cmwq (issue 14), checked while a machine runs.
// Kernel::set_event_observer() shows the checker every event. The event-side invariants are
// checked at the event itself; the state-side ones (lists, counters, flags) at every task switch
// (task_run), where no task is inside a pool->lock section (a kernel thread never sleeps holding a
// spinlock), and once more when the run ends (finish()).
//
//  exactly-once  every queueing (workqueue_queue_work) leads to exactly one execution, unless a
//                cancel takes the item off its list first: an execution nobody queued, or an item
//                queued while still pending, is a double; an item that is neither on a list nor
//                running nor done is lost
//  pending-lists PENDING, INACTIVE and list membership agree: worklist items are PENDING and not
//                INACTIVE, pwq->inactive_works items are PENDING and INACTIVE and name their pwq,
//                worker->scheduled items are PENDING; no item is on two lists; the items on lists
//                are exactly the queued, not yet started ones
//  nr-running    pool->nr_running equals the attached workers that are not sleeping and have no
//                WORKER_NOT_RUNNING flag (per-CPU and unbound pools; BH pools have no tasks)
//  nr-idle       pool->nr_idle equals the length of pool->idle_list, whose workers are WORKER_IDLE
//  max-active    per-CPU pwq->nr_active and an unbound workqueue's node nr_active never exceed
//                max_active (after max_active is lowered, items already active may finish)
//  ordered       an ordered workqueue never has two items executing at once
//  flush         flush_workqueue() returns only after every item queued before it finished
//  one-item      no worker runs two items at once
//  rescuer       a rescuer runs only its own workqueue's items
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/kernel/kernel.h"
#include "engine/trace/event.h"
#include "engine/wq/cmwq.h"

namespace wqlab::explore {

struct Violation {
  std::string invariant;  // the short name above, e.g. "exactly-once"
  std::string detail;
  kernel::Nanos time = 0;
  std::vector<std::string> log;  // the last events up to the violation, as ftrace-style text
};

// The invariants' short names, in the order of the list above.
const std::vector<std::string>& invariant_names();

class InvariantChecker {
 public:
  // Observes `k`'s events from now on (replacing any other observer); `cmwq` runs on `k`. The
  // kernel must record (a Recorder) and run in deterministic mode.
  InvariantChecker(kernel::Kernel& k, wq::Cmwq& cmwq, size_t log_events = 24);
  ~InvariantChecker();
  InvariantChecker(const InvariantChecker&) = delete;
  InvariantChecker& operator=(const InvariantChecker&) = delete;

  // The run is over (the machine is stopped): checks the state once more, and that every item
  // still owed an execution waits on a list.
  void finish();
  // Stops observing (before the kernel or the cmwq goes away).
  void detach();

  bool ok() const { return !violation_.has_value(); }
  const std::optional<Violation>& violation() const { return violation_; }
  uint64_t state_checks() const { return state_checks_; }
  uint64_t events_seen() const { return events_; }

 private:
  struct Item {
    bool queued = false;  // a queueing not yet started or cancelled
    int64_t queued_wq = 0;
    uint64_t resolved = 0;  // executions ended + queueings cancelled
  };
  struct Exec {
    int64_t work = 0;
    int64_t wq = 0;
    const wq::Worker* worker = nullptr;
    bool barrier = false;
  };
  struct Flush {
    int64_t wq = 0;
    std::vector<std::pair<int64_t, uint64_t>> owed;  // item -> `resolved` it must reach
  };

  void on_event(const trace::Event& e);
  void on_execute_start(const trace::Event& e);
  void on_execute_end(const trace::Event& e);
  void check_state();
  void check_lists(const std::vector<wq::WorkerPool*>& pools,
                   const std::vector<wq::Workqueue*>& wqs);
  void check_counters(const std::vector<wq::WorkerPool*>& pools);
  void check_max_active(const std::vector<wq::Workqueue*>& wqs);
  const wq::Worker* executing_worker(int64_t work_id) const;
  bool is_ordered(int64_t wq_name) const;
  std::string name(int64_t string_id) const;
  void fail(std::string invariant, std::string detail);

  kernel::Kernel& k_;
  wq::Cmwq& cmwq_;
  size_t log_events_;
  std::deque<trace::Event> recent_;
  std::optional<Violation> violation_;
  uint64_t state_checks_ = 0;
  uint64_t events_ = 0;
  bool attached_ = false;

  std::unordered_map<int64_t, Item> items_;
  std::multimap<int32_t, Exec> running_;         // by pid
  std::map<int64_t, int> ordered_running_;       // ordered workqueue (name) -> items executing
  std::map<int32_t, Flush> flushes_;             // by flusher pid
  std::map<const wq::Workqueue*, int> ceiling_;  // the max_active that active items may reach
  std::map<const wq::Workqueue*, int> lowered_;  // max_active lowered to this, not yet reached
};

}  // namespace wqlab::explore

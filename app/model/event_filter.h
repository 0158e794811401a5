// The event log's filter: which events to list, by kind, workqueue, function and CPU, and the
// list of matching event indices, built incrementally (a bounded number of events per call) so a
// million-event log never stalls a frame.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "engine/trace/event_kind.h"
#include "engine/trace/event_log.h"

namespace wqlab::model {

struct EventFilter {
  std::vector<bool> kinds = std::vector<bool>(static_cast<size_t>(trace::EventKind::Count), true);
  int64_t workqueue = -1;  // string id of a workqueue name, -1: any
  int64_t function = -1;   // string id of a function name, -1: any
  int cpu = -1;            // -1: any

  bool passes_everything() const;
  bool operator==(const EventFilter& o) const {
    return kinds == o.kinds && workqueue == o.workqueue && function == o.function && cpu == o.cpu;
  }
};

class FilteredEvents {
 public:
  // Starts over with `filter` (rows are rebuilt from the first event).
  void set_filter(const EventFilter& filter);
  const EventFilter& filter() const { return filter_; }
  void reset() { set_filter(filter_); }
  // Examines up to `budget` more of the first `available` events of `log`.
  void update(const trace::EventLog& log, uint64_t available, uint64_t budget);
  // Rows so far; row r shows event index(r).
  uint64_t rows() const { return everything_ ? scanned_ : indices_.size(); }
  uint64_t index(uint64_t row) const { return everything_ ? row : indices_[row]; }
  // The first row showing event `event` or a later one.
  uint64_t row_at_or_after(uint64_t event) const;
  uint64_t scanned() const { return scanned_; }

  bool matches(const trace::Event& ev) const;

 private:
  void learn(const trace::Event& ev);

  EventFilter filter_;
  bool everything_ = true;
  uint64_t scanned_ = 0;
  std::vector<uint64_t> indices_;
  // What each work item was last queued on or ran as: events that name only the work id match
  // through it.
  std::unordered_map<int64_t, int64_t> work_wq_;
  std::unordered_map<int64_t, int64_t> work_func_;
};

}  // namespace wqlab::model

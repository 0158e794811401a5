// Shared by the fold_*.cpp files: one event being folded, and the small list helpers they use.
#pragma once

#include <algorithm>
#include <vector>

#include "engine/trace/event_kind.h"
#include "model/fold.h"

namespace wqlab::model {

using trace::EventKind;

struct FoldStep {
  MachineState& s;
  const trace::Event& ev;
  uint64_t index;  // the event's position in the log
  const MachineConfig& cfg;
  RunHistory* h;  // null while seeking: state only

  int64_t arg(int i) const { return ev.args[i]; }
  int32_t arg32(int i) const { return static_cast<int32_t>(ev.args[i]); }
  void marker(MarkerKind kind, int32_t pid = 0, int32_t pool = -1, int32_t wq = -1,
              int64_t text = 0) const {
    if (h) h->markers.push_back({ev.time_ns, index, kind, pid, pool, wq, text});
  }
};

// Each returns true if it handled the event's kind.
bool fold_kernel_event(FoldStep& f);
bool fold_work_event(FoldStep& f);
bool fold_pool_event(FoldStep& f);
bool fold_workqueue_event(FoldStep& f);
bool fold_legacy_event(FoldStep& f);
// What a task exit or a stolen item means for the legacy threads (their kinds fold elsewhere).
void fold_legacy_side_effects(FoldStep& f);
// Records the event's cause in f.h->causes (head fold only); runs before the state changes.
void fold_causes(FoldStep& f);

inline void erase_value(std::vector<int32_t>& v, int32_t x) {
  auto it = std::find(v.begin(), v.end(), x);
  if (it != v.end()) v.erase(it);
}

// Grows `v` so that index `i` exists.
template <typename T>
T& slot(std::vector<T>& v, size_t i) {
  if (v.size() <= i) v.resize(i + 1);
  return v[i];
}

// Task tracks: the open span of a task's lane.
void open_span(FoldStep& f, int32_t pid, SpanKind kind, int8_t reason = 0);
void close_span(FoldStep& f, int32_t pid);
// Takes an instance off whatever list holds it (pwq inactive list, pool worklist, a worker's
// scheduled list); it keeps its fields.
void unlink_instance(MachineState& s, Instance& inst);

}  // namespace wqlab::model

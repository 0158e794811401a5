// EventLogView: the recorded events as ftrace-style lines ("kworker/0:1-8 [000] 0.005000:
// workqueue_execute_start: work=2 function=w1 ..."), filtered by kind, workqueue, function and
// CPU. Clicking a line selects that moment (and its work item) in every view.
// Only the visible lines are formatted, and the list scrolls by row number (a 64-bit position)
// rather than by pixels, so ten million lines scroll as smoothly as ten.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "model/event_filter.h"
#include "views/view_context.h"

namespace wqlab {

// The four events a real kernel's tracefs has (events/workqueue/...); the rest of the log is the
// lab's own bookkeeping, and the log marks which is which.
inline constexpr const char* kTracepointMark = "\xe2\x97\x8f";  // ●, before such a line's kind
inline bool is_kernel_tracepoint(trace::EventKind k) {
  return k >= trace::EventKind::WqQueueWork && k <= trace::EventKind::WqExecuteEnd;
}

class EventLogView {
 public:
  void draw(ViewContext& ctx);
  // Forget everything about the previous recording.
  void reset();
  int drawn_items() const { return drawn_; }
  // Of the rows drawn: real tracepoints (marked) and the lab's own events.
  int drawn_tracepoints() const { return drawn_tracepoints_; }
  uint64_t rows() const { return rows_.rows(); }
  const model::EventFilter& filter() const { return rows_.filter(); }

 private:
  void learn(const ViewContext& ctx);
  void draw_filter_bar(ViewContext& ctx);
  void draw_kind_menu();
  void draw_rows(ViewContext& ctx);
  void apply(const model::EventFilter& f) { rows_.set_filter(f); }
  std::string comm_at(const ViewContext& ctx, int32_t pid, uint64_t event) const;
  std::string format(const ViewContext& ctx, const trace::Event& ev, uint64_t index) const;
  bool mentions(const ViewContext& ctx, const trace::Event& ev, ObjectRef o) const;

  model::FilteredEvents rows_;
  int64_t first_row_ = 0;  // the top visible row
  bool follow_ = true;     // keep the newest line in view
  uint64_t shown_moment_ = UINT64_MAX;
  uint64_t hover_row_ = UINT64_MAX;  // the event of the row under the mouse last frame
  int drawn_ = 0;
  int drawn_tracepoints_ = 0;
  // Learned from the log as it grows: each pid's names over time, and the function names.
  uint64_t learned_ = 0;
  std::unordered_map<int32_t, std::vector<std::pair<uint64_t, int64_t>>> comms_;
  std::vector<int64_t> functions_;
};

}  // namespace wqlab

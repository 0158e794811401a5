// TimelineView: Tracy-style lanes, one per kernel thread, grouped by CPU and pool (plus a lane
// per CPU showing who computes on it and a lane of markers): work executions as bars with their
// function names, sleeping/waiting/computing spans beneath, arrows from queue_work() to the
// execution, markers for mayday, rescue, warnings and the like. Zoom with the wheel (or the
// keymap's W/S), pan by dragging (A/D), F fits everything; click a bar for its details. Lanes are
// culled to the visible rows and spans merged below two pixels (model/timeline_lod.h), so a million
// executions draw as fast as a hundred.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/timeline_lod.h"
#include "views/view_context.h"

namespace wqlab {

class TimelineView {
 public:
  void draw(ViewContext& ctx);
  // Forgets the previous run; the next one is first shown over [0, focus] (0: all of it).
  void reset(model::Nanos focus = 0);
  // The rows again from the next model (more of the same run): the range and following stay.
  void rebuild() {
    rows_.clear();
    built_tracks_ = SIZE_MAX;
  }
  // Shows the whole run from the next frame on (growing with it while live).
  void fit_all();
  // Shows [t0, t1) (benchmarks and tests).
  void set_range(model::Nanos t0, model::Nanos t1);
  // The keymap's zoom and pan: `factor` < 1 zooms in about the middle;
  // `fraction` of the visible span, negative for earlier times.
  void zoom_by(double factor);
  void pan_by(double fraction);
  int drawn_items() const { return drawn_; }
  int tracks() const { return static_cast<int>(rows_.size()); }

  bool show_arrows = true;  // queue -> execution arrows (persisted)
  bool show_states = true;  // sleeping/computing spans under the bars (persisted)

  // One row of the timeline: a group header, a CPU lane, a thread's track or the markers.
  struct Row {
    enum class Kind : uint8_t { Header, Cpu, Task, Markers } kind;
    int32_t index;  // CPU number, or the track's index in RunHistory::tracks
    std::string label;
    int32_t group;  // the header row it belongs to (for collapsing), -1 for none
  };

 private:
  void build_rows(const ViewContext& ctx);
  void handle_input(ViewContext& ctx, const struct TimelineGeometry& g);
  void draw_ruler(ViewContext& ctx, const struct TimelineGeometry& g);
  void draw_row(ViewContext& ctx, const struct TimelineGeometry& g, const Row& row, float y);
  void draw_task(ViewContext& ctx, const struct TimelineGeometry& g, const model::TaskTrack& t,
                 float y);
  void draw_cpu(ViewContext& ctx, const struct TimelineGeometry& g, int cpu, float y);
  void draw_markers(ViewContext& ctx, const struct TimelineGeometry& g, float y);
  void draw_arrows(ViewContext& ctx, const struct TimelineGeometry& g);
  void finish_click(ViewContext& ctx, const struct TimelineGeometry& g);

  std::vector<Row> rows_;
  std::unordered_map<std::string, bool> collapsed_;  // by header label
  size_t built_tracks_ = SIZE_MAX;
  model::Nanos t0_ = 0, t1_ = 0;  // visible range
  bool fit_requested_ = true;
  bool following_ = true;      // keep the newest events in view while live
  bool explicit_fit_ = false;  // the user asked to see everything: keep growing with the run
  model::Nanos focus_ = 0;     // the scenario's interesting part: [0, focus_]
  bool was_live_ = true;
  model::Nanos shown_moment_time_ = -1;
  float scroll_y_ = 0.0f;
  int drawn_ = 0;
  std::vector<model::LodItem> lod_;  // scratch
  // Executions visible this frame that arrows may connect (index, y of the lane).
  std::vector<std::pair<uint32_t, float>> visible_execs_;
  std::vector<std::pair<int32_t, float>> lane_y_;  // pid -> lane centre, this frame
  // What the mouse is over this frame, and a click waiting for it.
  int64_t hover_exec_ = -1;
  int64_t hover_marker_ = -1;  // the marker shown for the cluster under the mouse
  const Row* hover_row_ = nullptr;
  bool click_pending_ = false;
  bool dragged_ = false;
};

}  // namespace wqlab

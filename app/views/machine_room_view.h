// MachineRoomView, the animation wqlab is named for: a column per CPU with its normal and
// highpri pools, then the unbound pools; each pool shows its worklist as a queue of work tokens
// and its kworkers with their kernel names and states; below, each workqueue shows its pwqs
// with nr_active/max_active and the inactive list. Tokens move (queue -> pwq or worklist ->
// worker -> out), including the mayday call and the rescuer's hand-off. Hover anything for the
// kernel struct and field it mirrors; click to select it in every view. With many CPUs the
// columns give way to an overview (one cell per CPU) and a zoom into the chosen CPU.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "imgui.h"
#include "views/machine_room_draw.h"
#include "views/view_context.h"

namespace wqlab {

// What the machine room shows up close: nothing (the whole machine), one CPU, one pool, or one
// legacy workqueue.
enum class ZoomKind : uint8_t { None, Cpu, Pool, Workqueue };
struct RoomZoom {
  ZoomKind kind = ZoomKind::None;
  int32_t id = -1;  // CPU number, pool id, legacy workqueue index
  bool operator==(const RoomZoom&) const = default;
};

// What the legacy layout drew last frame (for tests and the exposed state).
struct LegacyRoomStats {
  int rows = 0;     // multi-threaded workqueues in the grid
  int columns = 0;  // columns drawn (CPUs, or groups of CPUs when they do not fit)
  int cpus_per_column = 1;
  int singlethread = 0;  // single-threaded workqueues in their strip
  int threads = 0;       // workqueue threads alive
  int chips = 0;         // threads drawn one by one (zoomed)
  int failed = 0;        // workqueues whose creation failed
  int pids_in_use = 0, pid_max = 0, other_threads = 0;
};

class MachineRoomView {
 public:
  void draw(ViewContext& ctx);
  void reset();
  // Forgets the animated items (a new model of the same run); the focus and zoom stay.
  void forget_tokens() {
    tokens_.clear();
    wq_entry_.clear();
    last_moment_ = UINT64_MAX;
  }
  int drawn_items() const { return drawn_; }
  int tokens() const { return tokens_drawn_; }
  // "columns", "overview", "zoom", "legacy" or "legacy-zoom".
  const char* mode() const { return mode_; }
  RoomZoom zoom() const { return zoom_; }
  void set_zoom(RoomZoom z) { zoom_ = z; }
  // The keymap's room_prev/room_next (-1/+1): the previous/next CPU, pool or legacy workqueue
  // zoomed into, or, not zoomed, the CPU the overview highlights.
  void step_zoom(const ViewContext& ctx, int step);
  // "cpu:3", "pool:6" or "wq:NAME" (a legacy workqueue); false if `s` has no such thing.
  bool zoom_to(const std::string& spec, const model::MachineState& s,
               const model::ModelStrings& strings);
  // "none", "cpu 3", "pool 6", "wq drv7".
  std::string zoom_text(const model::MachineState& s, const model::ModelStrings& strings) const;
  const LegacyRoomStats& legacy_stats() const { return legacy_stats_; }

  bool animate = true;                // tokens glide to their new place (persisted)
  bool show_idle_workqueues = false;  // also list workqueues with nothing queued (persisted)
  int focus_cpu = 0;                  // overview: the CPU shown in detail

 private:
  // Where a token (an instance, or a rescuer on its way) is drawn, eased towards its target.
  struct Token {
    ImVec2 pos;
    ImVec2 target;
    float alpha = 0.0f;
    bool seen = false;  // placed this frame
    bool leaving = false;
    model::Instance inst;  // as last seen
  };

  void draw_columns(ViewContext& ctx, ImVec2 origin, float width, const std::vector<int>& cpus,
                    float* height, bool with_unbound = true);
  // machine_room_zoom.cpp: the breadcrumb, keys, and one CPU or pool up close.
  void draw_breadcrumb(ViewContext& ctx);
  void handle_zoom_keys(ViewContext& ctx);
  void draw_zoomed(ViewContext& ctx, ImVec2 origin, float width, float* height);
  // machine_room_legacy*.cpp: the legacy model's workqueues x CPUs of threads.
  void draw_legacy(ViewContext& ctx, ImVec2 origin, float width, float* height);
  float draw_pid_bar(ViewContext& ctx, ImVec2 origin, float width);
  float draw_legacy_grid(ViewContext& ctx, ImVec2 origin, float width);
  float draw_legacy_singles(ViewContext& ctx, ImVec2 origin, float width);
  float draw_legacy_zoom(ViewContext& ctx, ImVec2 origin, float width);
  float draw_legacy_chip(ViewContext& ctx, int32_t wq, int cpu, int32_t pid, ImVec2 at,
                         float width);
  void draw_overview(ViewContext& ctx, ImVec2 origin, float width, float* height);
  float draw_cpu_column(ViewContext& ctx, int cpu, ImVec2 origin, float width);
  float draw_pool(ViewContext& ctx, const model::PoolInfo& pool, ImVec2 origin, float width);
  float draw_worker(ViewContext& ctx, const model::PoolInfo& pool, int32_t pid, ImVec2 at);
  float draw_workqueues(ViewContext& ctx, ImVec2 origin, float width);
  float draw_workqueue(ViewContext& ctx, const model::WorkqueueInfo& wq, ImVec2 origin,
                       float width);
  bool workqueue_busy(const ViewContext& ctx, const model::WorkqueueInfo& wq) const;
  bool in_zoom(const ViewContext& ctx, const model::PwqInfo& pwq) const;
  // Layout asks for `inst` to be drawn at `at` (top-left of a token) this frame.
  void place(const model::Instance& inst, ImVec2 at);
  void draw_tokens(ViewContext& ctx);
  void draw_token(ViewContext& ctx, const Token& t, ImDrawList* dl);

  room::Metrics m_;
  std::unordered_map<int32_t, Token> tokens_;     // by instance id
  std::unordered_map<int32_t, ImVec2> wq_entry_;  // where a workqueue's new items appear
  std::unordered_set<int32_t> delayed_wqs_;       // workqueues with items on timers (this frame)
  uint64_t last_moment_ = UINT64_MAX;
  bool snap_ = true;  // place tokens without gliding (a jump in time)
  bool overview_ = false;
  bool focus_chosen_ = false;  // the student clicked a CPU in the overview
  bool legacy_ = false;        // the machine runs the legacy model
  RoomZoom zoom_;
  const char* mode_ = "columns";
  LegacyRoomStats legacy_stats_;
  float content_h_ = 0.0f;
  int drawn_ = 0;
  int tokens_drawn_ = 0;
};

}  // namespace wqlab

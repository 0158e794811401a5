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

class MachineRoomView {
 public:
  void draw(ViewContext& ctx);
  void reset();
  int drawn_items() const { return drawn_; }
  int tokens() const { return tokens_drawn_; }
  const char* mode() const { return overview_ ? "overview" : "columns"; }

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
                    float* height);
  void draw_overview(ViewContext& ctx, ImVec2 origin, float width, float* height);
  float draw_cpu_column(ViewContext& ctx, int cpu, ImVec2 origin, float width);
  float draw_pool(ViewContext& ctx, const model::PoolInfo& pool, ImVec2 origin, float width);
  float draw_worker(ViewContext& ctx, const model::PoolInfo& pool, int32_t pid, ImVec2 at);
  float draw_workqueues(ViewContext& ctx, ImVec2 origin, float width);
  float draw_workqueue(ViewContext& ctx, const model::WorkqueueInfo& wq, ImVec2 origin,
                       float width);
  bool workqueue_busy(const ViewContext& ctx, const model::WorkqueueInfo& wq) const;
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
  float content_h_ = 0.0f;
  int drawn_ = 0;
  int tokens_drawn_ = 0;
};

}  // namespace wqlab

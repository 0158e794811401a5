// The legacy model up close: one workqueue's threads (one per CPU, or its only one), or one
// CPU's threads (one per multi-threaded workqueue), each a chip with its kernel name, state
// glyph and label, and what it runs or has waiting.
#include <algorithm>
#include <string>

#include "views/machine_room_legacy.h"
#include "views/machine_room_view.h"

namespace wqlab {

float MachineRoomView::draw_legacy_chip(ViewContext& ctx, int32_t wq_index, int cpu, int32_t pid,
                                        ImVec2 at, float width) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const model::LegacyWqInfo& wq = *ctx.state.legacy.workqueue(wq_index);
  int32_t queued = 0;
  const room::ThreadState st = room::thread_state(ctx.state, wq, cpu, &queued);
  const room::ThreadLook look = room::thread_look(st);
  const float h = m_.font * 2 + m_.pad * 2;
  const ImVec2 b(at.x + width, at.y + h);
  const ObjectRef me = pid ? ObjectRef::worker(pid) : ObjectRef{};
  const bool chosen = pid && ctx.selection.is(me);
  const bool gone = st == room::ThreadState::Empty || st == room::ThreadState::Stopped;
  dl->AddRectFilled(at, b, palette::rgb(gone ? 0x17191E : 0x1A1D24), 4.0f);
  dl->AddRect(at, b, chosen ? palette::kSelection : look.colour, 4.0f, 0,
              chosen || st == room::ThreadState::Running ? 2.0f : 1.0f);
  const float gw = ImGui::CalcTextSize(look.glyph).x + 4;
  dl->AddText(ImVec2(at.x + m_.pad, at.y + m_.pad * 0.5f), look.colour, look.glyph);
  dl->AddText(ImVec2(at.x + m_.pad + gw, at.y + m_.pad * 0.5f),
              gone ? palette::kTextDim : palette::kText,
              room::fit_text(room::thread_name(ctx, wq, cpu), width - gw - m_.pad * 2).c_str());
  // Second line: what it runs, or its state; then how many items wait behind.
  std::string line = look.label;
  if (const model::LegacyThreadWork* w = pid ? ctx.state.legacy.work_of(pid) : nullptr;
      w && w->current_func)
    line = ctx.str(w->current_func);
  if (queued) line += " +" + std::to_string(queued);
  dl->AddText(ImVec2(at.x + m_.pad, at.y + m_.font + m_.pad * 1.5f),
              palette::with_alpha(look.colour, 220),
              room::fit_text(line, width - m_.pad * 2).c_str());
  room::interact(ctx, at, b, me, room::thread_tooltip(ctx, wq, cpu));
  ++legacy_stats_.chips;
  ++drawn_;
  return h;
}

float MachineRoomView::draw_legacy_zoom(ViewContext& ctx, ImVec2 origin, float width) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const model::LegacyState& l = ctx.state.legacy;
  const int cpus = std::max(1, ctx.model.config().nr_cpus);
  // The chips: one per CPU of a workqueue, or one per multi-threaded workqueue on a CPU.
  struct Chip {
    int32_t wq;
    int cpu;
  };
  std::vector<Chip> chips;
  std::string title;
  if (zoom_.kind == ZoomKind::Workqueue) {
    const model::LegacyWqInfo& wq = *l.workqueue(zoom_.id);
    title = "workqueue_struct \"" + ctx.str(wq.name) + "\": " +
            (wq.singlethread ? "single-threaded, one thread"
                             : "multi-threaded, one thread per CPU (wq->cpu_wq[cpu]->thread)") +
            "; " + std::to_string(wq.live) + " alive, " + std::to_string(wq.created) + " created" +
            (wq.failed ? "; creating its thread for CPU " + std::to_string(wq.fail_cpu) +
                             " failed with " + room::creation_errno(wq.fail_err)
                       : "");
    for (int cpu = 0; cpu < (wq.singlethread ? 1 : cpus); ++cpu) chips.push_back({wq.index, cpu});
  } else {
    const int cpu = std::clamp(zoom_.id, 0, cpus - 1);
    title = "CPU " + std::to_string(cpu) +
            ": one thread per multi-threaded workqueue, each bound to it (kthread_bind()); each "
            "runs only its own workqueue's items";
    for (const model::LegacyWqInfo& wq : l.workqueues)
      if (!wq.singlethread && !wq.destroyed) chips.push_back({wq.index, cpu});
  }
  dl->AddText(origin, palette::kTextDim, room::fit_text(title, width).c_str());
  // A flowing grid of equal chips, the longest name deciding their width.
  float name_w = ImGui::CalcTextSize("running slow_fn").x;
  for (const Chip& c : chips)
    name_w = std::max(
        name_w, ImGui::CalcTextSize(room::thread_name(ctx, *l.workqueue(c.wq), c.cpu).c_str()).x);
  const float chip_w = name_w + ImGui::CalcTextSize("\xe2\x96\xb6 ").x + m_.pad * 3;
  const float chip_h = m_.font * 2 + m_.pad * 2;
  const int per_row = std::max(1, static_cast<int>((width + m_.pad) / (chip_w + m_.pad)));
  const float top = origin.y + m_.font + m_.pad;
  const ImVec2 clip0 = dl->GetClipRectMin(), clip1 = dl->GetClipRectMax();
  for (size_t i = 0; i < chips.size(); ++i) {
    const ImVec2 at(
        origin.x + static_cast<float>(i % static_cast<size_t>(per_row)) * (chip_w + m_.pad),
        top + static_cast<float>(i / static_cast<size_t>(per_row)) * (chip_h + m_.pad));
    if (at.y + chip_h < clip0.y || at.y > clip1.y) continue;  // off screen
    const model::LegacyWqInfo& wq = *l.workqueue(chips[i].wq);
    const size_t slot = wq.singlethread ? 0 : static_cast<size_t>(chips[i].cpu);
    draw_legacy_chip(ctx, chips[i].wq, chips[i].cpu, wq.threads[slot], at, chip_w);
  }
  const size_t rows =
      (chips.size() + static_cast<size_t>(per_row) - 1) / static_cast<size_t>(per_row);
  return m_.font + m_.pad + static_cast<float>(rows) * (chip_h + m_.pad);
}

}  // namespace wqlab

// TimelineView's lanes: a thread's executions and states, a CPU's occupants, the markers. Each
// lane draws only its visible range, merging spans thinner than kMinPixels (lod_spans()).
#include <algorithm>
#include <string>

#include "imgui.h"
#include "model/engine_vocabulary.h"
#include "views/names.h"
#include "views/palette.h"
#include "views/timeline_geometry.h"
#include "views/timeline_view.h"

namespace wqlab {
namespace {

constexpr float kMinPixels = 3.0f;      // narrower spans merge with their neighbours (Tracy: 3)
constexpr size_t kMaxArrowExecs = 300;  // arrows for at most this many visible executions

ImU32 darker(ImU32 c, float f) {
  ImVec4 v = ImGui::ColorConvertU32ToFloat4(c);
  return ImGui::ColorConvertFloat4ToU32(ImVec4(v.x * f, v.y * f, v.z * f, v.w));
}

bool mouse_in(float x0, float y0, float x1, float y1) {
  const ImVec2 m = ImGui::GetIO().MousePos;
  return ImGui::IsWindowHovered() && m.x >= x0 && m.x < x1 && m.y >= y0 && m.y < y1;
}

// Text inside [x0, x1) if it fits (measured only when the span could hold a short name).
void label_in(ImDrawList* dl, float x0, float x1, float y, ImU32 colour, const char* text) {
  if (x1 - x0 < ImGui::GetFontSize() * 1.5f) return;
  const float w = ImGui::CalcTextSize(text).x;
  if (x1 - x0 < w + 6.0f) return;
  dl->AddText(ImVec2(x0 + 3.0f, y), colour, text);
}

void exec_tooltip(const ViewContext& ctx, const model::ExecutionRecord& e) {
  std::string tip =
      ctx.str(e.func) + " (" + ctx.name_of_wq(e.wq) + ") on " + ctx.comm_of(e.pid) + "\n";
  tip += "queued at " + format_duration(e.queued_at) + " by " +
         (e.queuer ? ctx.comm_of(e.queuer) : std::string("the driver or a timer")) + "\n";
  tip += "started at " + format_duration(e.start) + " (waited " +
         format_duration(e.start - e.queued_at) + ")\n";
  if (e.end >= 0) {
    tip +=
        "ended at " + format_duration(e.end) + " (ran " + format_duration(e.end - e.start) + ")\n";
  } else {
    tip += "still running\n";
  }
  if (e.flags & model::kExecWasInactive) tip += "waited on pwq->inactive_works for max_active\n";
  if (e.flags & model::kExecMayday) tip += "its pool called mayday while it waited\n";
  if (e.flags & model::kExecRescued) tip += "run by the rescuer\n";
  if (e.flags & model::kExecCpuIntensive) tip += "flagged CPU-intensive (WORKER_CPU_INTENSIVE)\n";
  if (e.flags & model::kExecBarrier) tip += "a flush_work() barrier (struct wq_barrier)\n";
  tip += "Click: select this work item and show the machine as it started.";
  ImGui::SetTooltip("%s", tip.c_str());
}

}  // namespace

void TimelineView::draw_row(ViewContext& ctx, const TimelineGeometry& g, const Row& row, float y) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float y1 = y + g.row_h;
  const bool header = row.kind == Row::Kind::Cpu || row.kind == Row::Kind::Header;
  if (mouse_in(g.origin.x, y, g.lanes_x1, y1)) hover_row_ = &row;
  if (header)
    dl->AddRectFilled(ImVec2(g.origin.x, y), ImVec2(g.lanes_x1, y1), palette::rgb(0x262A35));
  dl->AddLine(ImVec2(g.origin.x, y1 - 0.5f), ImVec2(g.lanes_x1, y1 - 0.5f), palette::rgb(0x2C313C));

  // The label column.
  std::string label = row.label;
  ImU32 colour = palette::kText;
  bool selected = false;
  if (header) {
    label = std::string(collapsed_[row.label] ? "\xe2\x96\xb6 " : "\xe2\x96\xbc ") + label;  // ▶ ▼
    colour = palette::kSkyBlue;
  }
  if (row.kind == Row::Kind::Markers) colour = palette::kTextDim;
  const model::TaskTrack* track = nullptr;
  // Threads are indented under their group; those not alive at the moment have no state glyph.
  float indent = row.kind == Row::Kind::Task ? 10.0f : 0.0f;
  bool glyph = false;
  if (row.kind == Row::Kind::Task) {
    track = &ctx.model.history().tracks[static_cast<size_t>(row.index)];
    if (const model::WorkerInfo* w = ctx.state.worker(track->pid)) {
      const model::PoolInfo* pool = ctx.state.pool(w->pool);
      const palette::StateLook look =
          palette::worker_look(model::worker_state(*w, pool && pool->manager == track->pid));
      label = std::string(look.glyph) + " " + label;
      colour = look.colour;
      glyph = true;
      selected = ctx.selection.is(ObjectRef::worker(track->pid)) ||
                 (w->pool >= 0 && ctx.selection.is(ObjectRef::pool(w->pool)));
    } else {
      colour = palette::kTextDim;  // not created yet, or exited, at the moment shown
    }
  }
  if (selected)
    dl->AddRectFilled(ImVec2(g.origin.x, y), ImVec2(g.lanes_x1, y1),
                      palette::with_alpha(palette::kSelection, 22));
  dl->PushClipRect(ImVec2(g.origin.x, y), ImVec2(g.lanes_x0 - 4, y1), true);
  if (row.kind == Row::Kind::Task && !glyph) indent += ImGui::CalcTextSize("\xe2\x97\x8b ").x;
  dl->AddText(ImVec2(g.origin.x + 4 + indent, y + 4), colour, label.c_str());
  dl->PopClipRect();
  if (hover_row_ == &row && ImGui::GetIO().MousePos.x < g.lanes_x0) {
    if (header)
      ImGui::SetTooltip("Click to %s this group", collapsed_[row.label] ? "show" : "hide");
    if (track)
      ImGui::SetTooltip("%s, pid %d: click to select the worker", ctx.str(track->comm).c_str(),
                        track->pid);
  }
  ++drawn_;

  dl->PushClipRect(ImVec2(g.lanes_x0, y), ImVec2(g.lanes_x1, y1), true);
  switch (row.kind) {
    case Row::Kind::Markers:
      draw_markers(ctx, g, y);
      break;
    case Row::Kind::Cpu:
      draw_cpu(ctx, g, row.index, y);
      break;
    case Row::Kind::Task:
      draw_task(ctx, g, *track, y);
      break;
    case Row::Kind::Header:
      break;
  }
  dl->PopClipRect();
}

void TimelineView::draw_task(ViewContext& ctx, const TimelineGeometry& g, const model::TaskTrack& t,
                             float y) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const model::RunHistory& h = ctx.model.history();
  const model::Nanos now = h.end_time;
  const auto min_w = static_cast<model::Nanos>(kMinPixels * g.ns_per_px()) + 1;
  const float bar_y0 = y + 2, bar_y1 = y + g.row_h * 0.72f;
  const float state_y0 = bar_y1 + 1, state_y1 = y + g.row_h - 2;
  lane_y_.push_back({t.pid, (bar_y0 + bar_y1) * 0.5f});
  // Alive from creation to exit: a faint band.
  {
    float xa, xb;
    g.span_x(t.created, t.exited >= 0 ? t.exited : now, &xa, &xb);
    if (xb > xa)
      dl->AddRectFilled(ImVec2(xa, bar_y0), ImVec2(xb, state_y1), palette::rgb(0x22262F));
  }
  if (show_states) {
    lod_.clear();
    model::lod_spans(t.states, g.t0, g.t1, min_w, now, lod_);
    for (const model::LodItem& it : lod_) {
      float xa, xb;
      g.span_x(it.start, it.end, &xa, &xb);
      const model::StateSpan& s = t.states[it.first];
      const ImU32 c =
          it.count == 1 ? palette::span_colour(s.kind) : palette::with_alpha(palette::kGrey, 110);
      dl->AddRectFilled(ImVec2(xa, state_y0), ImVec2(std::max(xb, xa + 1.0f), state_y1), c);
      if (it.count == 1 && mouse_in(xa, state_y0, xb, state_y1)) {
        ImGui::SetTooltip("%s for %s (%s)", model::span_kind_name(s.kind),
                          format_duration((s.end >= 0 ? s.end : now) - s.start).c_str(),
                          s.kind == model::SpanKind::Sleeping || s.kind == model::SpanKind::Waiting
                              ? std::string(trace::block_reason_name(s.reason)).c_str()
                              : "task state");
      }
      ++drawn_;
    }
  }
  lod_.clear();
  model::lod_spans(t.execs, g.t0, g.t1, min_w, now, lod_);
  const ObjectRef sel = ctx.selection.object;
  for (const model::LodItem& it : lod_) {
    float xa, xb;
    g.span_x(it.start, it.end, &xa, &xb);
    xb = std::max(xb, xa + 1.0f);
    const uint32_t exec = t.execs[it.first].exec;
    const model::ExecutionRecord& e = h.executions[exec];
    const ImU32 base = palette::workqueue_colour(e.wq);
    ++drawn_;
    if (it.count > 1) {
      dl->AddRectFilled(ImVec2(xa, bar_y0), ImVec2(xb, bar_y1), darker(base, 0.55f));
      const std::string n = std::to_string(it.count);
      label_in(dl, xa, xb, bar_y0 + 1, palette::kText, n.c_str());
      if (mouse_in(xa, bar_y0, xb, bar_y1))
        ImGui::SetTooltip("%u executions, %s to %s: zoom in to see them", it.count,
                          format_duration(it.start).c_str(), format_duration(it.end).c_str());
      continue;
    }
    const bool chosen =
        (sel.kind == ObjectKind::Work && e.work == sel.id) ||
        (sel.kind == ObjectKind::Workqueue && e.wq == sel.id) ||
        (ctx.selection.hovered.kind == ObjectKind::Work && e.work == ctx.selection.hovered.id);
    dl->AddRectFilled(ImVec2(xa, bar_y0), ImVec2(xb, bar_y1), base, 2.0f);
    if (e.flags & model::kExecRescued)
      dl->AddRect(ImVec2(xa, bar_y0), ImVec2(xb, bar_y1), palette::kPurple, 2.0f, 0, 2.0f);
    if (chosen)
      dl->AddRect(ImVec2(xa - 1, bar_y0 - 1), ImVec2(xb + 1, bar_y1 + 1), palette::kSelection, 2.0f,
                  0, 2.0f);
    label_in(dl, std::max(xa, g.lanes_x0), xb, bar_y0 + 1, palette::text_on(base),
             ctx.str(e.func).c_str());
    if (mouse_in(xa, bar_y0, xb, bar_y1)) {
      hover_exec_ = exec;
      exec_tooltip(ctx, e);
    }
    if (visible_execs_.size() < kMaxArrowExecs || chosen)
      visible_execs_.push_back({exec, (bar_y0 + bar_y1) * 0.5f});
  }
}

void TimelineView::draw_cpu(ViewContext& ctx, const TimelineGeometry& g, int cpu, float y) {
  const model::RunHistory& h = ctx.model.history();
  if (cpu < 0 || static_cast<size_t>(cpu) >= h.cpus.size()) return;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const auto& lane = h.cpus[static_cast<size_t>(cpu)];
  const auto min_w = static_cast<model::Nanos>(kMinPixels * g.ns_per_px()) + 1;
  lod_.clear();
  model::lod_spans(lane, g.t0, g.t1, min_w, h.end_time, lod_);
  const float y0 = y + 4, y1 = y + g.row_h - 4;
  for (const model::LodItem& it : lod_) {
    float xa, xb;
    g.span_x(it.start, it.end, &xa, &xb);
    xb = std::max(xb, xa + 1.0f);
    const model::CpuSpan& s = lane[it.first];
    const model::TaskTrack* t = h.track_for(s.pid);
    ImU32 c = palette::kGrey;
    if (t && t->rescuer) {
      c = palette::kPurple;
    } else if (t && (t->worker || t->legacy)) {
      c = palette::kGreen;
    }
    if (it.count > 1) c = darker(c, 0.6f);
    dl->AddRectFilled(ImVec2(xa, y0), ImVec2(xb, y1), palette::with_alpha(c, 200));
    ++drawn_;
    if (it.count == 1) {
      const std::string who = t ? ctx.str(t->comm) : "pid " + std::to_string(s.pid);
      label_in(dl, std::max(xa, g.lanes_x0), xb, y0 - 2, palette::text_on(c), who.c_str());
      if (mouse_in(xa, y0, xb, y1))
        ImGui::SetTooltip("CPU %d computes for %s from %s for %s (cpu_run)", cpu, who.c_str(),
                          format_duration(s.start).c_str(),
                          format_duration((s.end >= 0 ? s.end : h.end_time) - s.start).c_str());
    } else if (mouse_in(xa, y0, xb, y1)) {
      ImGui::SetTooltip("CPU %d: %u compute spans here; zoom in to see them", cpu, it.count);
    }
  }
}

void TimelineView::draw_markers(ViewContext& ctx, const TimelineGeometry& g, float y) {
  const auto& markers = ctx.model.history().markers;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float cluster_px = ImGui::GetFontSize() * 0.8f;
  const auto cluster_ns = static_cast<model::Nanos>(cluster_px * g.ns_per_px()) + 1;
  auto it = std::partition_point(markers.begin(), markers.end(), [&](const model::Marker& m) {
    return m.time < g.t0 - cluster_ns;
  });
  while (it != markers.end() && it->time <= g.t1 + cluster_ns) {
    const model::Nanos start = it->time;
    auto next = std::partition_point(
        it, markers.end(), [&](const model::Marker& m) { return m.time < start + cluster_ns; });
    // The most urgent marker of the cluster shows; the rest are in the tooltip.
    auto shown = it;
    for (auto m = it; m != next; ++m)
      if (palette::marker_colour(m->kind) == palette::kVermillion) shown = m;
    const float x = g.x_of(start);
    const ImU32 c = palette::marker_colour(shown->kind);
    const char* glyph = palette::marker_glyph(shown->kind);
    const ImVec2 size = ImGui::CalcTextSize(glyph);
    dl->AddRectFilled(ImVec2(x - size.x * 0.5f - 3, y + 2),
                      ImVec2(x + size.x * 0.5f + 3, y + g.row_h - 2), c, 3.0f);
    dl->AddText(ImVec2(x - size.x * 0.5f, y + 3), palette::text_on(c), glyph);
    if (next - it > 1) {
      const std::string n = std::to_string(next - it);
      dl->AddText(ImVec2(x + size.x * 0.5f + 5, y + 3), palette::kTextDim, n.c_str());
    }
    ++drawn_;
    if (mouse_in(x - cluster_px * 0.5f, y, x + cluster_px * 0.5f + 12, y + g.row_h)) {
      hover_marker_ = shown - markers.begin();
      std::string tip;
      int lines = 0;
      for (auto m = it; m != next && lines < 10; ++m, ++lines) {
        tip += trace::format_time(m->time) + "  " + model::marker_kind_name(m->kind);
        if (m->wq >= 0) tip += "  " + std::string(ctx.name_of_wq(m->wq));
        if (m->pool >= 0) tip += "  pool " + std::to_string(m->pool);
        if (m->pid) tip += "  " + ctx.comm_of(m->pid);
        if (m->text) {
          std::string text = ctx.str(m->text);
          if (text.size() > 90) text = text.substr(0, 90) + "...";
          tip += "\n    " + text;
        }
        tip += "\n";
      }
      if (next - it > 10) tip += "... and " + std::to_string(next - it - 10) + " more\n";
      tip += "Click: show the machine right after " +
             std::string(model::marker_kind_name(shown->kind)) + ", then ask Why?";
      ImGui::SetTooltip("%s", tip.c_str());
    }
    it = next;
  }
}

}  // namespace wqlab

// TimelineView's ruler (time ticks, the selected moment, the mouse's time) and its arrows from
// queue_work() to the execution.
#include <cmath>
#include <string>
#include <unordered_map>

#include "imgui.h"
#include "views/names.h"
#include "views/palette.h"
#include "views/timeline_geometry.h"
#include "views/timeline_view.h"

namespace wqlab {
namespace {

// The 1-2-5 step nearest above `ns`.
model::Nanos nice_step(double ns) {
  double step = 1;
  while (step < ns) {
    if (step * 2 >= ns) return static_cast<model::Nanos>(step * 2);
    if (step * 5 >= ns) return static_cast<model::Nanos>(step * 5);
    step *= 10;
  }
  return static_cast<model::Nanos>(step);
}

void arrow_head(ImDrawList* dl, ImVec2 tip, ImVec2 from, ImU32 c) {
  const float dx = tip.x - from.x, dy = tip.y - from.y;
  const float len = std::max(1.0f, std::sqrt(dx * dx + dy * dy));
  const float ux = dx / len, uy = dy / len, s = 6.0f;
  dl->AddTriangleFilled(tip, ImVec2(tip.x - ux * s - uy * s * 0.5f, tip.y - uy * s + ux * s * 0.5f),
                        ImVec2(tip.x - ux * s + uy * s * 0.5f, tip.y - uy * s - ux * s * 0.5f), c);
}

}  // namespace

void TimelineView::draw_ruler(ViewContext& ctx, const TimelineGeometry& g) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float y0 = g.origin.y, y1 = g.lanes_y0;
  dl->AddRectFilled(ImVec2(g.origin.x, y0), ImVec2(g.lanes_x1, y1), palette::rgb(0x181B22));
  const model::Nanos step = nice_step(90.0 * g.ns_per_px());
  const model::Nanos minor = std::max<model::Nanos>(1, step / 5);
  dl->PushClipRect(ImVec2(g.lanes_x0, y0), ImVec2(g.lanes_x1, y1), true);
  for (model::Nanos t = (g.t0 / minor) * minor; t <= g.t1; t += minor) {
    const float x = g.x_of(t);
    const bool major = t % step == 0;
    dl->AddLine(ImVec2(x, y1 - (major ? 7.0f : 3.0f)), ImVec2(x, y1), palette::kTextDim);
    if (major) {
      const std::string label = format_duration(t);
      dl->AddText(ImVec2(x + 3, y0 + 2), palette::kTextDim, label.c_str());
      dl->AddLine(ImVec2(x, y1), ImVec2(x, g.lanes_y1), palette::rgb(0x2A2E38));
    }
  }
  if (ctx.moment_time >= g.t0 && ctx.moment_time <= g.t1) {
    const float x = g.x_of(ctx.moment_time);
    dl->AddTriangleFilled(ImVec2(x - 5, y0), ImVec2(x + 5, y0), ImVec2(x, y0 + 7),
                          palette::kCursor);
  }
  const ImVec2 m = ImGui::GetIO().MousePos;
  if (ImGui::IsWindowHovered() && m.x >= g.lanes_x0 && m.x < g.lanes_x1 && m.y >= y0 &&
      m.y < g.lanes_y1) {
    dl->AddLine(ImVec2(m.x, y0), ImVec2(m.x, y1), palette::kHover);
    if (m.y < y1)
      ImGui::SetTooltip("%s: click to show the machine at this moment",
                        format_duration(g.t_of(m.x)).c_str());
  }
  dl->PopClipRect();
  dl->AddText(ImVec2(g.origin.x + 4, y0 + 2), palette::kTextDim, "thread");
  ++drawn_;
}

// From the queueing task's lane (or, for a queue from a timer or the driver, from the item's own
// lane) at queue time to the bar's start: how long it waited, and who queued it.
void TimelineView::draw_arrows(ViewContext& ctx, const TimelineGeometry& g) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const model::RunHistory& h = ctx.model.history();
  std::unordered_map<int32_t, float> lane_of(lane_y_.begin(), lane_y_.end());
  const ObjectRef sel = ctx.selection.object;
  for (const auto& [exec, y] : visible_execs_) {
    const model::ExecutionRecord& e = h.executions[exec];
    const bool chosen = sel.kind == ObjectKind::Work && e.work == sel.id;
    if (!show_arrows && !chosen) continue;
    const ImU32 c = chosen ? palette::kSelection : palette::with_alpha(palette::kText, 130);
    const float x1 = g.x_of(e.start);
    const float x0 = g.x_of(e.queued_at);
    auto from = lane_of.find(e.queuer);
    if (from != lane_of.end() && from->second != y) {
      const ImVec2 a(x0, from->second), b(x1, y);
      dl->AddBezierCubic(a, ImVec2(a.x + (b.x - a.x) * 0.5f, a.y),
                         ImVec2(a.x + (b.x - a.x) * 0.5f, b.y), b, c, chosen ? 2.0f : 1.0f);
      dl->AddCircleFilled(a, 2.5f, c);
      arrow_head(dl, b, ImVec2(b.x - 6, b.y), c);
    } else if (x1 - x0 > 3.0f) {
      // Same lane or an unknown queuer: a dotted wait line ending in an arrow.
      for (float x = x0; x < x1 - 6; x += 6)
        dl->AddLine(ImVec2(x, y), ImVec2(std::min(x + 3, x1), y), c);
      dl->AddCircleFilled(ImVec2(x0, y), 2.5f, c);
      arrow_head(dl, ImVec2(x1, y), ImVec2(x1 - 6, y), c);
    }
    ++drawn_;
  }
}

}  // namespace wqlab

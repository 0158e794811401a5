// draw_plot(): frame, title, value axis, min/max columns per line, cursor, hover.
#include "views/plot_widget.h"

#include <algorithm>
#include <cstdio>
#include <string>

#include "model/engine_vocabulary.h"
#include "model/timeline_lod.h"
#include "views/palette.h"

namespace wqlab {

std::optional<model::Nanos> draw_plot(const PlotArgs& a, int* drawn) {
  const ImGuiStyle& style = ImGui::GetStyle();
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  const float width = ImGui::GetContentRegionAvail().x;
  const ImVec2 p1(p0.x + width, p0.y + a.height);
  ImGui::InvisibleButton(a.title, ImVec2(width, a.height));
  const bool hovered = ImGui::IsItemHovered();
  const bool clicked = ImGui::IsItemClicked();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(p0, p1, palette::kPanelBg, style.FrameRounding);

  int32_t top = std::max(1, a.reference);
  for (const PlotLine& l : a.lines) top = std::max(top, l.series->max_value());
  top = top + std::max(1, top / 8);  // headroom
  const float pad = 2.0f;
  const float y_base = p1.y - pad, y_span = a.height - 2 * pad - ImGui::GetTextLineHeight();
  auto y_of = [&](int32_t v) { return y_base - y_span * static_cast<float>(v) / top; };
  const int columns = std::max(1, static_cast<int>(width));
  const model::Nanos t0 = a.t0, t1 = std::max(a.t1, a.t0 + 1);
  auto x_of = [&](model::Nanos t) {
    return p0.x +
           width * static_cast<float>(static_cast<double>(t - t0) / static_cast<double>(t1 - t0));
  };

  if (a.reference >= 0) {
    const float y = y_of(a.reference);
    for (float x = p0.x; x < p1.x; x += 8)
      dl->AddLine(ImVec2(x, y), ImVec2(std::min(x + 4, p1.x), y), palette::kVermillion);
  }
  std::vector<model::PlotColumn> cols;
  for (const PlotLine& l : a.lines) {
    model::lod_series(*l.series, t0, t1, columns, cols);
    float prev_y = y_of(cols.empty() ? 0 : cols[0].max);
    for (int c = 0; c < columns; ++c) {
      const float x = p0.x + static_cast<float>(c);
      const float ymin = y_of(cols[static_cast<size_t>(c)].min);
      const float ymax = y_of(cols[static_cast<size_t>(c)].max);
      // A vertical stroke from the previous column's level covers steps and spikes alike.
      const float lo = std::max({ymin, ymax, prev_y}), hi = std::min({ymin, ymax, prev_y});
      dl->AddRectFilled(ImVec2(x, hi), ImVec2(x + 1.0f, std::max(lo, hi + 1.5f)), l.colour);
      prev_y = ymax;
    }
    if (drawn) *drawn += columns;
  }
  // Title and the value axis' top.
  char top_text[32];
  std::snprintf(top_text, sizeof top_text, "max %d", top);
  dl->AddText(ImVec2(p0.x + style.FramePadding.x, p0.y + 1), palette::kText, a.title);
  dl->AddText(ImVec2(p1.x - style.FramePadding.x - ImGui::CalcTextSize(top_text).x, p0.y + 1),
              palette::kTextDim, top_text);
  float legend_x =
      p0.x + style.FramePadding.x + ImGui::CalcTextSize(a.title).x + style.ItemSpacing.x * 2;
  if (a.lines.size() > 1) {
    for (const PlotLine& l : a.lines) {
      dl->AddRectFilled(ImVec2(legend_x, p0.y + 5), ImVec2(legend_x + 8, p0.y + 13), l.colour);
      dl->AddText(ImVec2(legend_x + 11, p0.y + 1), palette::kTextDim, l.name);
      legend_x += 11 + ImGui::CalcTextSize(l.name).x + style.ItemSpacing.x;
      if (legend_x > p1.x - ImGui::CalcTextSize(top_text).x * 2) break;
    }
  }
  if (a.cursor >= t0 && a.cursor <= t1) {
    const float x = x_of(a.cursor);
    dl->AddLine(ImVec2(x, p0.y), ImVec2(x, p1.y), palette::with_alpha(palette::kCursor, 200));
  }
  std::optional<model::Nanos> picked;
  if (hovered) {
    const float mx = ImGui::GetIO().MousePos.x;
    const model::Nanos t = t0 + static_cast<model::Nanos>(static_cast<double>(mx - p0.x) / width *
                                                          static_cast<double>(t1 - t0));
    dl->AddLine(ImVec2(mx, p0.y), ImVec2(mx, p1.y), palette::kHover);
    std::string tip = std::string(a.title) + " at " + trace::format_time(t) + " s\n";
    for (const PlotLine& l : a.lines)
      tip += std::string(l.name) + ": " + std::to_string(l.series->value_at(t)) + "\n";
    tip += a.tooltip;
    tip += "\nClick to show this moment.";
    ImGui::SetTooltip("%s", tip.c_str());
    if (clicked) picked = t;
  }
  return picked;
}

}  // namespace wqlab

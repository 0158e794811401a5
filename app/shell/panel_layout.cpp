// Panel rectangles from weights, and splitter drags back into weights.
#include "shell/panel_layout.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "platform/web_bridge.h"

namespace wqlab {
namespace {

// Splits [start, start + length) among `n` items with weights `w`, leaving `gap` between them.
// Writes each item's [begin, end) rounded to whole pixels.
void split(float start, float length, float gap, const float* w, int n, float* begin, float* end) {
  float total = 0;
  for (int i = 0; i < n; ++i) total += w[i];
  const float usable = std::max(0.0f, length - gap * static_cast<float>(n - 1));
  float acc = 0;
  float pos = start;
  for (int i = 0; i < n; ++i) {
    acc += w[i];
    begin[i] = pos;
    end[i] = i == n - 1 ? start + length
                        : std::round(start + usable * (acc / total) + gap * static_cast<float>(i));
    end[i] = std::max(end[i], begin[i]);
    pos = end[i] + gap;
  }
}

}  // namespace

PanelLayout compute_panel_layout(LayoutRect area, const bool (&show)[kPanelCount],
                                 const LayoutWeights& weights, float gap) {
  PanelLayout layout;
  int columns[kColumnCount];
  float column_w[kColumnCount];
  int n_columns = 0;
  for (int c = 0; c < kColumnCount; ++c) {
    bool any = false;
    for (int p : kColumnPanels[c]) any = any || (p >= 0 && show[p]);
    if (!any) continue;
    columns[n_columns] = c;
    column_w[n_columns++] = weights.column[c];
  }
  if (n_columns == 0) return layout;

  float x0[kColumnCount], x1[kColumnCount];
  split(area.min.x, area.max.x - area.min.x, gap, column_w, n_columns, x0, x1);
  for (int i = 0; i < n_columns; ++i) {
    if (i > 0) {
      layout.splitters[layout.splitter_count++] = {{{x1[i - 1], area.min.y}, {x0[i], area.max.y}},
                                                   true,
                                                   columns[i - 1],
                                                   columns[i],
                                                   x1[i - 1] - x0[i - 1],
                                                   x1[i] - x0[i]};
    }
    int panels[2];
    float panel_w[2];
    int n_panels = 0;
    for (int p : kColumnPanels[columns[i]]) {
      if (p < 0 || !show[p]) continue;
      panels[n_panels] = p;
      panel_w[n_panels++] = weights.panel[p];
    }
    float y0[2], y1[2];
    split(area.min.y, area.max.y - area.min.y, gap, panel_w, n_panels, y0, y1);
    for (int j = 0; j < n_panels; ++j) {
      layout.visible[panels[j]] = true;
      layout.panel[panels[j]] = {{x0[i], y0[j]}, {x1[i], y1[j]}};
      if (j > 0) {
        layout.splitters[layout.splitter_count++] = {{{x0[i], y1[j - 1]}, {x1[i], y0[j]}},
                                                     false,
                                                     panels[j - 1],
                                                     panels[j],
                                                     y1[j - 1] - y0[j - 1],
                                                     y1[j] - y0[j]};
      }
    }
  }
  return layout;
}

bool handle_splitters(const PanelLayout& layout, float min_size, SplitterDrag* drag,
                      LayoutWeights* weights) {
  bool changed = false;
  ImDrawList* draw = ImGui::GetWindowDrawList();
  for (int i = 0; i < layout.splitter_count; ++i) {
    const Splitter& s = layout.splitters[i];
    const ImVec2 size(s.hit.max.x - s.hit.min.x, s.hit.max.y - s.hit.min.y);
    if (size.x < 1 || size.y < 1) continue;
    ImGui::SetCursorScreenPos(s.hit.min);
    ImGui::PushID(i);
    ImGui::InvisibleButton("##splitter", size);
    ImGui::PopID();
    web_bridge::note_item((s.between_columns ? "splitter:column " + std::to_string(s.a)
                                             : std::string("splitter:") + panel_info(s.a).title)
                              .c_str());
    const bool hovered = ImGui::IsItemHovered(), active = ImGui::IsItemActive();
    if (hovered || active) {
      ImGui::SetMouseCursor(s.between_columns ? ImGuiMouseCursor_ResizeEW
                                              : ImGuiMouseCursor_ResizeNS);
      draw->AddRectFilled(
          s.hit.min, s.hit.max,
          ImGui::GetColorU32(active ? ImGuiCol_SeparatorActive : ImGuiCol_SeparatorHovered));
    }
    if (ImGui::IsItemActivated()) *drag = {i, s.size_a, s.size_b};
    if (!active || drag->index != i) continue;

    // Follow the mouse from where the drag started, so a clamped drag does not slip.
    const ImVec2 moved = ImGui::GetMouseDragDelta(ImGuiMouseButton_Left, 0.0f);
    const float both = drag->start_a + drag->start_b;
    if (both < 2 * min_size) continue;
    const float new_a = std::clamp(drag->start_a + (s.between_columns ? moved.x : moved.y),
                                   min_size, both - min_size);
    float* w = s.between_columns ? weights->column : weights->panel;
    const float pair = w[s.a] + w[s.b];
    const float wa = pair * (new_a / both);
    if (std::fabs(wa - w[s.a]) > 1e-6f) {
      w[s.a] = wa;
      w[s.b] = pair - wa;
      changed = true;
    }
  }
  if (!ImGui::IsMouseDown(ImGuiMouseButton_Left)) drag->index = -1;
  return changed;
}

}  // namespace wqlab

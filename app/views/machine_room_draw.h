// Small drawing and hit-testing helpers shared by the machine room's files: boxes, labelled
// counters, and "hover shows the kernel field, click selects the object".
#pragma once

#include <string>

#include "imgui.h"
#include "views/palette.h"
#include "views/view_context.h"

namespace wqlab::room {

// Sizes of one frame's layout, from the font size and the column width.
struct Metrics {
  float font = 16;
  float pad = 4;
  float token_w = 56;  // a work token
  float token_h = 18;
  float chip_w = 84;  // a worker
  float chip_h = 40;
  bool compact = false;  // narrow columns: short worker names
};

inline bool mouse_over(ImVec2 a, ImVec2 b) {
  const ImVec2 m = ImGui::GetIO().MousePos;
  return ImGui::IsWindowHovered() && m.x >= a.x && m.x < b.x && m.y >= a.y && m.y < b.y;
}

// Hover: highlight `o` everywhere and show `tooltip`; click: select `o`. Returns true if hovered.
inline bool interact(ViewContext& ctx, ImVec2 a, ImVec2 b, ObjectRef o,
                     const std::string& tooltip) {
  if (!mouse_over(a, b)) return false;
  if (o) ctx.selection.hovered = o;
  if (!tooltip.empty()) ImGui::SetTooltip("%s", tooltip.c_str());
  if (o && ImGui::IsMouseClicked(ImGuiMouseButton_Left)) ctx.selection.select(o);
  return true;
}

// Text clipped to `max_w` pixels with an ellipsis.
inline std::string fit_text(const std::string& s, float max_w) {
  if (ImGui::CalcTextSize(s.c_str()).x <= max_w) return s;
  std::string t = s;
  while (!t.empty() && ImGui::CalcTextSize((t + "\xe2\x80\xa6").c_str()).x > max_w) t.pop_back();
  return t + "\xe2\x80\xa6";  // …
}

// "label value" with the kernel field's explanation on hover; returns the width drawn.
inline float counter(ViewContext& ctx, ImDrawList* dl, ImVec2 at, const char* label, int value,
                     ImU32 value_colour, const std::string& tooltip) {
  const std::string v = std::to_string(value);
  const float lw = ImGui::CalcTextSize(label).x, vw = ImGui::CalcTextSize(v.c_str()).x;
  dl->AddText(at, palette::kTextDim, label);
  dl->AddText(ImVec2(at.x + lw + 3, at.y), value_colour, v.c_str());
  interact(ctx, at, ImVec2(at.x + lw + 3 + vw, at.y + ImGui::GetFontSize()), {}, tooltip);
  return lw + 3 + vw;
}

}  // namespace wqlab::room

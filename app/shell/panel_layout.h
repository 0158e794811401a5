// Splits the area between the menu bar and the status bar into the panels' rectangles, with a
// draggable splitter in each gap. Dear ImGui 1.90.1 master has no docking, so the shell lays the
// panels out itself, from the main viewport, every frame.
#pragma once

#include <array>

#include "imgui.h"
#include "shell/panels.h"

namespace wqlab {

// Three columns, left to right: Lesson | Machine room over Timeline | Counters over Event log.
inline constexpr int kColumnCount = 3;

// Relative sizes: a column's share of the width, a panel's share of its column's height. Only
// visible neighbours share; a hidden panel's space goes to the others.
struct LayoutWeights {
  float column[kColumnCount] = {0.22f, 0.51f, 0.27f};
  float panel[kPanelCount] = {1.0f, 0.68f, 0.32f, 0.45f, 0.55f};  // in PanelId order
};

struct LayoutRect {
  ImVec2 min, max;
};

struct Splitter {
  LayoutRect hit;  // the gap between two neighbours, where the mouse grabs
  bool between_columns;
  int a, b;              // the neighbours: column indices, or PanelId values
  float size_a, size_b;  // their sizes in pixels along the drag axis (x for columns)
};

struct PanelLayout {
  LayoutRect panel[kPanelCount] = {};
  bool visible[kPanelCount] = {};
  std::array<Splitter, kColumnCount - 1 + kPanelCount> splitters = {};
  int splitter_count = 0;
};

// Which panels each column stacks, top to bottom; -1 ends a column.
inline constexpr int kColumnPanels[kColumnCount][2] = {
    {static_cast<int>(PanelId::kLesson), -1},
    {static_cast<int>(PanelId::kMachineRoom), static_cast<int>(PanelId::kTimeline)},
    {static_cast<int>(PanelId::kCounters), static_cast<int>(PanelId::kEventLog)},
};

// Pure geometry: the rectangles of the panels shown in `show`, `gap` pixels apart, in `area`.
PanelLayout compute_panel_layout(LayoutRect area, const bool (&show)[kPanelCount],
                                 const LayoutWeights& weights, float gap);

// State of the splitter being dragged, kept by the caller between frames.
struct SplitterDrag {
  int index = -1;  // into PanelLayout::splitters; -1: none
  float start_a = 0, start_b = 0;
};

// Puts an invisible button on each splitter of `layout` in the current window and turns drags
// into new `weights` (no panel gets smaller than `min_size`). Returns true if a weight changed.
// Each splitter is noted for the browser tests as "splitter:column N" (right of column N) or
// "splitter:TITLE" (below that panel).
bool handle_splitters(const PanelLayout& layout, float min_size, SplitterDrag* drag,
                      LayoutWeights* weights);

}  // namespace wqlab

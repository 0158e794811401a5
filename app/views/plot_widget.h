// A small step-plot widget for the counters: one or more StepSeries over a time range, drawn
// with one min/max bar per pixel column (model::lod_series), a cursor at the selected moment,
// and hover read-outs. Clicking picks a time.
#pragma once

#include <optional>
#include <vector>

#include "imgui.h"
#include "model/run_history.h"

namespace wqlab {

struct PlotLine {
  const model::StepSeries* series;
  ImU32 colour;
  const char* name;
};

struct PlotArgs {
  const char* title;
  const char* tooltip;  // what the value is in the kernel's words
  std::vector<PlotLine> lines;
  model::Nanos t0, t1;
  model::Nanos cursor;  // the selected moment's time, drawn as a line
  float height;
  int32_t reference = -1;  // a limit drawn as a dashed line (e.g. pid_max), -1: none
};

// Returns the time clicked, if the plot was clicked. `drawn` counts the columns drawn.
std::optional<model::Nanos> draw_plot(const PlotArgs& args, int* drawn);

}  // namespace wqlab

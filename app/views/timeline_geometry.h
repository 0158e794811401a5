// Where things are in TimelineView this frame: the label column, the ruler, the lanes, and the
// mapping between virtual time and x.
#pragma once

#include <algorithm>

#include "imgui.h"
#include "model/machine_state.h"

namespace wqlab {

struct TimelineGeometry {
  ImVec2 origin;      // top-left of the view's area
  ImVec2 size;        // of the whole area
  float label_w = 0;  // the thread names on the left
  float ruler_h = 0;  // the time ruler on top
  float row_h = 0;    // one lane
  float lanes_x0 = 0, lanes_x1 = 0;
  float lanes_y0 = 0, lanes_y1 = 0;
  model::Nanos t0 = 0, t1 = 1;

  double ns_per_px() const {
    return static_cast<double>(t1 - t0) / std::max(1.0f, lanes_x1 - lanes_x0);
  }
  float x_of(model::Nanos t) const {
    return lanes_x0 + static_cast<float>(static_cast<double>(t - t0) / ns_per_px());
  }
  model::Nanos t_of(float x) const {
    return t0 + static_cast<model::Nanos>(static_cast<double>(x - lanes_x0) * ns_per_px());
  }
  // A span's x range, clamped a little outside the lanes so huge values stay drawable.
  void span_x(model::Nanos a, model::Nanos b, float* xa, float* xb) const {
    *xa = std::max(x_of(a), lanes_x0 - 10.0f);
    *xb = std::min(x_of(b), lanes_x1 + 10.0f);
  }
};

}  // namespace wqlab

// lod_series(): min/max per pixel column of a step series, one binary search per column.
#include "model/timeline_lod.h"

namespace wqlab::model {

void lod_series(const StepSeries& series, Nanos t0, Nanos t1, int columns,
                std::vector<PlotColumn>& out) {
  out.assign(static_cast<size_t>(std::max(columns, 0)), PlotColumn{});
  if (columns <= 0 || t1 <= t0) return;
  const auto& t = series.t;
  const auto& v = series.v;
  const double per_column = static_cast<double>(t1 - t0) / columns;
  // Index of the point in force at t0.
  size_t i = static_cast<size_t>(std::upper_bound(t.begin(), t.end(), t0) - t.begin());
  int32_t current = i == 0 ? 0 : v[i - 1];
  for (int c = 0; c < columns; ++c) {
    const Nanos c_end = t0 + static_cast<Nanos>(per_column * (c + 1));
    PlotColumn col{current, current};
    // Points inside this column; skip ahead by binary search when there are many.
    const size_t j = static_cast<size_t>(
        std::lower_bound(t.begin() + static_cast<std::ptrdiff_t>(i), t.end(), c_end) - t.begin());
    if (j - i > 64) {
      for (size_t k = i; k < j; k += (j - i) / 64) {
        col.min = std::min(col.min, v[k]);
        col.max = std::max(col.max, v[k]);
      }
      col.min = std::min(col.min, v[j - 1]);
      col.max = std::max(col.max, v[j - 1]);
    } else {
      for (size_t k = i; k < j; ++k) {
        col.min = std::min(col.min, v[k]);
        col.max = std::max(col.max, v[k]);
      }
    }
    if (j > i) current = v[j - 1];
    i = j;
    out[static_cast<size_t>(c)] = col;
  }
}

}  // namespace wqlab::model

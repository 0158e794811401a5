// Level of detail for timeline lanes, as Tracy draws zones: spans thinner than `min_width` are
// merged with their close neighbours into one block, found by binary search, so the work per
// lane grows with its width in pixels, not with the number of spans.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "model/run_history.h"

namespace wqlab::model {

// A span to draw, or (count > 1) a block standing for `count` spans starting at `first`.
struct LodItem {
  Nanos start = 0;
  Nanos end = 0;
  uint32_t first = 0;
  uint32_t count = 1;
};

// `spans` must be sorted by start and not overlap (so their ends are sorted too); an end of
// kOpen counts as `now`. Appends to `out` what intersects [t0, t1).
template <typename Span>
void lod_spans(const std::vector<Span>& spans, Nanos t0, Nanos t1, Nanos min_width, Nanos now,
               std::vector<LodItem>& out) {
  auto end_of = [now](const Span& s) { return s.end == kOpen ? now : s.end; };
  const auto first = std::partition_point(spans.begin(), spans.end(),
                                          [&](const Span& s) { return end_of(s) <= t0; });
  const auto last = spans.end();
  min_width = std::max<Nanos>(min_width, 1);
  for (auto it = first; it != last && it->start < t1;) {
    const Nanos start = it->start, end = end_of(*it);
    if (end - start >= min_width) {
      out.push_back({start, end, static_cast<uint32_t>(it - spans.begin()), 1});
      ++it;
      continue;
    }
    // Swallow every span that starts within min_width of the block's end, until a gap.
    Nanos block_end = end;
    auto next = it + 1;
    for (;;) {
      const Nanos limit = block_end + min_width;
      auto far =
          std::partition_point(next, last, [limit](const Span& s) { return s.start < limit; });
      if (far == next) break;
      block_end = std::max(block_end, end_of(*(far - 1)));
      next = far;
    }
    out.push_back({start, std::max(block_end, start + min_width),
                   static_cast<uint32_t>(it - spans.begin()), static_cast<uint32_t>(next - it)});
    it = next;
  }
}

// The same for a plot: per pixel column, the min and max of a step series over [t0, t1).
// A column covering more than 64 points is sampled (64 evenly spaced points and its last).
struct PlotColumn {
  int32_t min = 0;
  int32_t max = 0;
};
void lod_series(const StepSeries& series, Nanos t0, Nanos t1, int columns,
                std::vector<PlotColumn>& out);

}  // namespace wqlab::model

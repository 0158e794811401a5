// Level of detail: thin spans merge into blocks whose number depends on pixels, not spans;
// wide spans stay themselves; plots keep their extremes.
#include <gtest/gtest.h>

#include "model/timeline_lod.h"

namespace wqlab::test {
namespace {

using model::ExecSpan;
using model::LodItem;

TEST(TimelineLod, AMillionThinSpansBecomeAFewBlocksCoveringThemAll) {
  std::vector<ExecSpan> spans;
  for (uint32_t i = 0; i < 1'000'000; ++i) spans.push_back({i * 100LL, i * 100LL + 60, i});
  std::vector<LodItem> out;
  const model::Nanos t0 = 0, t1 = 100'000'000, per_pixel = t1 / 1000;
  model::lod_spans(spans, t0, t1, 2 * per_pixel, t1, out);
  EXPECT_LE(out.size(), 600u);
  uint64_t covered = 0;
  for (const LodItem& it : out) covered += it.count;
  EXPECT_EQ(covered, spans.size());
}

TEST(TimelineLod, WideSpansStayAndOnlyVisibleOnesAreReturned) {
  std::vector<ExecSpan> spans = {
      {0, 10, 0}, {100, 400, 1}, {500, 505, 2}, {506, 508, 3}, {900, model::kOpen, 4}};
  std::vector<LodItem> out;
  model::lod_spans(spans, 50, 950, 20, 1000, out);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].first, 1u);
  EXPECT_EQ(out[0].count, 1u);
  EXPECT_EQ(out[1].first, 2u);
  EXPECT_EQ(out[1].count, 2u);  // 500..505 and 506..508 merged
  EXPECT_EQ(out[2].first, 4u);
  EXPECT_EQ(out[2].end, 1000);  // still running: drawn up to now
}

TEST(TimelineLod, PlotColumnsKeepMinAndMax) {
  model::StepSeries s;
  for (int i = 0; i < 1000; ++i) s.add(i * 10, i % 7);
  std::vector<model::PlotColumn> cols;
  model::lod_series(s, 0, 10'000, 10, cols);
  ASSERT_EQ(cols.size(), 10u);
  for (const auto& c : cols) {
    EXPECT_EQ(c.min, 0);
    EXPECT_EQ(c.max, 6);
  }
  EXPECT_EQ(s.value_at(15), 1);
  EXPECT_EQ(s.max_value(), 6);
}

}  // namespace
}  // namespace wqlab::test

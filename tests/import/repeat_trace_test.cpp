// repeat_trace(): the benchmarks' long trace made from a shared capture imports whole, each
// copy shifted later, so the importer and the UI are measured on real lines.
#include <gtest/gtest.h>

#include "engine/import/importer.h"
#include "engine/import/repeat_trace.h"
#include "trace_test_util.h"

namespace wqlab::test {
namespace {

TEST(RepeatTrace, EveryRepeatedLineImportsAndEachCopyComesLater) {
  const std::string capture = read_file(writeback_path());
  size_t n = 0;
  const std::string text = import::repeat_trace(capture, 10'000, 3, &n);
  EXPECT_EQ(n, 10'000u);
  import::ParsedTrace t = import::import_trace_text(text);
  EXPECT_EQ(t.report.records, 10'000u);
  EXPECT_EQ(t.report.malformed, 0u);
  EXPECT_EQ(t.report.duplicates, 0u);
  ASSERT_FALSE(t.records.empty());
  // 4 383 event lines per copy: line 10 000 is in the third copy, 6 s after the first.
  EXPECT_GE(t.records.back().time_ns - t.records.front().time_ns, int64_t{6'000'000'000});
  EXPECT_LT(t.records.back().time_ns - t.records.front().time_ns, int64_t{9'000'000'000});
}

TEST(RepeatTrace, TextWithoutEventLinesGivesNone) {
  size_t n = 1;
  const std::string text = import::repeat_trace("# tracer: nop\n#\nnot an event\n", 100, 3, &n);
  EXPECT_EQ(n, 0u);
  EXPECT_EQ(import::import_trace_text(text).report.records, 0u);
}

}  // namespace
}  // namespace wqlab::test

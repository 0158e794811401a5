// Bad input: malformed and truncated lines are counted and reported with their line numbers (the
// first few in full); unknown events are counted and skipped; nothing crashes or is lost.
#include "engine/import/importer.h"
#include "trace_test_util.h"

namespace wqlab::test {
namespace {

const char kGood1[] =
    "     kworker/1:2-17113   [001] .....  8393.200634: workqueue_execute_start: work struct "
    "00000000986ed0a7: function virtio_transport_tx_work";
const char kGood2[] =
    "     kworker/1:2-17113   [001] .....  8393.200645: workqueue_execute_end: work struct "
    "00000000986ed0a7: function virtio_transport_tx_work";

TEST(BadInput, MalformedLinesAreReportedWithTheirNumbers) {
  const std::string text =
      std::string("# tracer: nop\n") +                                      // 1
      kGood1 + "\n" +                                                       // 2
      "            bash-17289   [001] d..2.  8393.18\n" +                   // 3
      "this is not a trace line\n" +                                        // 4
      "\n" +                                                                // 5
      "  cc1-1 [000] d..2. 8393.2: workqueue_queue_work: work struct=zz\n"  // 6
      + kGood2 + "\n";                                                      // 7
  auto o = open_text(text, "bad.txt");
  const import::ImportReport& r = o.trace.report;
  EXPECT_EQ(r.records, 2u);
  EXPECT_EQ(r.malformed, 3u);
  ASSERT_EQ(r.problems.size(), 3u);
  EXPECT_EQ(r.problems[0].line, 3u);
  EXPECT_EQ(r.problems[0].reason, "bad timestamp");
  EXPECT_EQ(r.problems[1].line, 4u);
  EXPECT_EQ(r.problems[1].reason, "no [CPU] column");
  EXPECT_EQ(r.problems[2].line, 6u);
  EXPECT_EQ(r.problems[2].reason, "no work struct pointer");
  const std::string shown = import::problems_text(o.trace);
  EXPECT_NE(shown.find("bad.txt:3: bad timestamp:             bash-17289   [001] d..2.  8393.18\n"),
            std::string::npos)
      << shown;
  EXPECT_NE(shown.find("bad.txt:4: no [CPU] column: this is not a trace line"), std::string::npos);
  // The good lines around them still make an item.
  EXPECT_EQ(o.machine.items.size(), 1u);
  EXPECT_EQ(o.machine.items[0].run_time(), 11'000);
}

TEST(BadInput, OnlyTheFirstProblemsAreKeptButAllAreCounted) {
  std::string text;
  for (int i = 0; i < 25; ++i) text += "garbage " + std::to_string(i) + "\n";
  auto o = open_text(text, "junk.txt");
  EXPECT_EQ(o.trace.report.malformed, 25u);
  ASSERT_EQ(o.trace.report.problems.size(), import::ImportReport::kMaxProblems);
  EXPECT_EQ(o.trace.report.problems.back().line, 10u);
  EXPECT_NE(import::problems_text(o.trace).find("junk.txt: ... and 15 more malformed lines"),
            std::string::npos);
  EXPECT_EQ(o.trace.report.records, 0u);
}

TEST(BadInput, UnknownEventsAreCountedAndSkipped) {
  const std::string text =
      std::string("  <idle>-0 [000] d.h2. 100.000001: irq_handler_entry: irq=24 name=virtio0\n") +
      "  <idle>-0 [000] d.h2. 100.000002: irq_handler_exit: irq=24 ret=handled\n" +
      "  <idle>-0 [000] d.h2. 100.000003: irq_handler_entry: irq=24 name=virtio0\n" + kGood1 +
      "\n" + "  bash-1 [000] ..... 100.000004: workqueue_new_event_kind: whatever\n";
  auto o = open_text(text);
  EXPECT_EQ(o.trace.report.unknown, 4u);
  EXPECT_EQ(o.trace.report.unknown_kinds.at("irq_handler_entry"), 2u);
  EXPECT_EQ(o.trace.report.unknown_kinds.at("workqueue_new_event_kind"), 1u);
  EXPECT_EQ(o.trace.report.malformed, 0u);
  EXPECT_EQ(o.trace.report.records, 1u);
}

TEST(BadInput, LostEventsLinesAreCounted) {
  const std::string text = std::string(kGood1) + "\nCPU:1 [LOST 1234 EVENTS]\n" + kGood2 + "\n";
  auto o = open_text(text);
  EXPECT_EQ(o.trace.report.lost_events, 1234u);
  EXPECT_EQ(o.trace.report.malformed, 0u);
}

TEST(BadInput, AnOverwrittenRingBufferIsReported) {
  const std::string text =
      std::string("# tracer: nop\n#\n# entries-in-buffer/entries-written: 2/9000   #P:2\n") +
      kGood1 + "\n" + kGood2 + "\n";
  auto o = open_text(text);
  EXPECT_EQ(o.trace.report.overwritten, 8998u);
  EXPECT_EQ(o.trace.nr_cpus, 2);
  EXPECT_EQ(o.trace.report.records, 2u);
}

TEST(BadInput, ATruncatedCaptureKeepsEverythingBeforeTheCut) {
  const std::string full = read_file(writeback_path());
  const size_t cut = full.find("8394.254031");  // the middle of line 2063
  ASSERT_NE(cut, std::string::npos);
  auto o = open_text(full.substr(0, cut + 6));
  EXPECT_EQ(o.trace.report.malformed, 1u);
  ASSERT_EQ(o.trace.report.problems.size(), 1u);
  EXPECT_EQ(o.trace.report.problems[0].line, 2063u);
  EXPECT_EQ(o.trace.report.records, 2063u - 12u - 1u);  // every whole line before it
}

TEST(BadInput, EmptyAndBinaryInputsGiveNoEventsAndNoCrash) {
  EXPECT_EQ(open_text("").trace.report.records, 0u);
  std::string binary;
  for (int i = 0; i < 4096; ++i) binary += static_cast<char>((i * 7919) & 0xff);
  auto o = open_text(binary);
  EXPECT_EQ(o.trace.report.records, 0u);
  EXPECT_GT(o.trace.report.malformed, 0u);
  for (const import::Problem& p : o.trace.report.problems)
    for (char c : p.text) EXPECT_FALSE(static_cast<unsigned char>(c) < 0x20 && c != '\t');
}

TEST(BadInput, AMissingFileIsAnError) {
  std::string error;
  EXPECT_FALSE(import::open_trace_file("/nonexistent/trace.txt", &error).has_value());
  EXPECT_EQ(error, "/nonexistent/trace.txt: cannot open the file");
}

}  // namespace
}  // namespace wqlab::test

// File > Export's text for a deterministic demo run: the doc demo (workqueue.rst's w0/w1/w2 on
// CPU 0) as Perfetto JSON (it parses, one process, named threads, three executions whose flows
// all have both ends) and as ftrace text, line for line; and the exported files' names.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "export/run_export.h"
#include "session/demo_scenarios.h"
#include "session/machine_session.h"

namespace wqlab::test {
namespace {

using namespace std::chrono_literals;
using exporting::Format;

std::shared_ptr<const session::Recording> doc_run(session::MachineSession& s) {
  EXPECT_TRUE(s.load("doc"));
  s.run_until_idle();
  EXPECT_TRUE(s.wait_until_quiet(20s));
  return s.recording();
}

TEST(RunExport, PerfettoOfTheDocDemoHasItsThreeExecutionsAndBoundFlows) {
  session::MachineSession s(session::demo_scenarios());
  auto rec = doc_run(s);
  ASSERT_TRUE(rec);
  const nlohmann::json doc =
      nlohmann::json::parse(exporting::export_recording(*rec, Format::kPerfetto));
  EXPECT_EQ(doc["displayTimeUnit"], "ms");
  std::map<int, std::string> threads;
  std::map<int64_t, int> flow_out, flow_in;
  std::map<std::string, std::pair<double, double>> runs;  // function -> (ts, dur) in us
  int processes = 0;
  for (const auto& ev : doc["traceEvents"]) {
    if (ev["ph"] == "M" && ev["name"] == "process_name") {
      ++processes;
      EXPECT_EQ(ev["args"]["name"], "doc (cmwq, Linux 6.12)");
    }
    if (ev["ph"] == "M" && ev["name"] == "thread_name") threads[ev["tid"]] = ev["args"]["name"];
    if (ev["ph"] != "X") continue;
    if (ev.contains("bind_id")) {
      if (ev.value("flow_out", false)) ++flow_out[ev["bind_id"].get<int64_t>()];
      if (ev.value("flow_in", false)) ++flow_in[ev["bind_id"].get<int64_t>()];
    }
    const std::string name = ev["name"];
    if (name.rfind("queue_work ", 0) != 0) runs[name] = {ev["ts"], ev["dur"]};
  }
  EXPECT_EQ(processes, 1);
  EXPECT_EQ(threads[1], "kworker/0:0");
  EXPECT_EQ(threads[7], "kworker/0:1");
  EXPECT_EQ(threads[8], "kworker/0:2");
  // workqueue.rst: w0 runs 0-20 ms, w1 5-20 ms, w2 10-25 ms.
  ASSERT_EQ(runs.size(), 3u);
  EXPECT_DOUBLE_EQ(runs["w0"].first, 0.0);
  EXPECT_DOUBLE_EQ(runs["w0"].second, 20000.0);
  EXPECT_DOUBLE_EQ(runs["w1"].first, 5000.0);
  EXPECT_DOUBLE_EQ(runs["w1"].second, 15000.0);
  EXPECT_DOUBLE_EQ(runs["w2"].first, 10000.0);
  EXPECT_DOUBLE_EQ(runs["w2"].second, 15000.0);
  ASSERT_EQ(flow_out.size(), 3u);
  for (auto& [id, n] : flow_out) {
    EXPECT_EQ(n, 1) << "flow " << id;
    EXPECT_EQ(flow_in[id], 1) << "flow " << id << " never reaches an execution";
  }
}

TEST(RunExport, FtraceOfTheDocDemoLineForLine) {
  session::MachineSession s(session::demo_scenarios());
  auto rec = doc_run(s);
  ASSERT_TRUE(rec);
  const std::string text = exporting::export_recording(*rec, Format::kFtrace);
  std::istringstream in(text);
  std::string line, header, body;
  while (std::getline(in, line)) (line.rfind('#', 0) == 0 ? header : body) += line + "\n";
  EXPECT_NE(header.find("# tracer: nop\n"), std::string::npos);
  EXPECT_NE(header.find("# entries-in-buffer/entries-written: 12/12   #P:2\n"), std::string::npos);
  EXPECT_EQ(body,
            "        scenario-6       [000] .....      0.000000: workqueue_queue_work: work "
            "struct=ffff888100000040 function=w0 workqueue=doc req_cpu=0 cpu=0\n"
            "        scenario-6       [000] .....      0.000000: workqueue_activate_work: work "
            "struct ffff888100000040 function=w0\n"
            "        scenario-6       [000] .....      0.000000: workqueue_queue_work: work "
            "struct=ffff888100000080 function=w1 workqueue=doc req_cpu=0 cpu=0\n"
            "        scenario-6       [000] .....      0.000000: workqueue_activate_work: work "
            "struct ffff888100000080 function=w1\n"
            "        scenario-6       [000] .....      0.000000: workqueue_queue_work: work "
            "struct=ffff8881000000c0 function=w2 workqueue=doc req_cpu=0 cpu=0\n"
            "        scenario-6       [000] .....      0.000000: workqueue_activate_work: work "
            "struct ffff8881000000c0 function=w2\n"
            "     kworker/0:0-1       [000] .....      0.000000: workqueue_execute_start: work "
            "struct ffff888100000040: function w0\n"
            "     kworker/0:1-7       [000] .....      0.005000: workqueue_execute_start: work "
            "struct ffff888100000080: function w1\n"
            "     kworker/0:2-8       [000] .....      0.010000: workqueue_execute_start: work "
            "struct ffff8881000000c0: function w2\n"
            "     kworker/0:0-1       [000] .....      0.020000: workqueue_execute_end: work "
            "struct ffff888100000040: function w0\n"
            "     kworker/0:1-7       [000] .....      0.020000: workqueue_execute_end: work "
            "struct ffff888100000080: function w1\n"
            "     kworker/0:2-8       [000] .....      0.025000: workqueue_execute_end: work "
            "struct ffff8881000000c0: function w2\n");
}

TEST(RunExport, ScreenshotsHaveNoText) {
  session::MachineSession s(session::demo_scenarios());
  auto rec = doc_run(s);
  ASSERT_TRUE(rec);
  EXPECT_EQ(exporting::export_recording(*rec, Format::kScreenshot), "");
}

TEST(RunExport, FileNamesCarryTheDemoAndTheLocalTime) {
  std::tm t{};
  t.tm_year = 2025 - 1900;
  t.tm_mon = 0;
  t.tm_mday = 2;
  t.tm_hour = 9;
  t.tm_min = 5;
  t.tm_sec = 7;
  EXPECT_EQ(exporting::export_file_name("tour", Format::kPerfetto, t),
            "wqlab-tour-20250102-090507.perfetto.json");
  EXPECT_EQ(exporting::export_file_name("doc", Format::kFtrace, t),
            "wqlab-doc-20250102-090507.ftrace.txt");
  EXPECT_EQ(exporting::export_file_name("a/b c", Format::kScreenshot, t),
            "wqlab-a-b-c-20250102-090507.png");
  EXPECT_EQ(exporting::export_file_name("", Format::kScreenshot, t),
            "wqlab-run-20250102-090507.png");
}

}  // namespace
}  // namespace wqlab::test

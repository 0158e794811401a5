// File > Export's text for a deterministic demo run: the doc demo (workqueue.rst's w0/w1/w2 on
// CPU 0) as Perfetto JSON (it parses, one process, named threads, three executions whose flows
// all have both ends) and as ftrace text, line for line; and the exported files' names.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <utility>
#include <vector>

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

// The same recording gives both trace texts; a screenshot is pixels the shell saves (its PNG is
// checked by the smoke test desktop_export_files), so the text exporter gives it nothing.
TEST(RunExport, OnlyTheScreenshotHasNoText) {
  session::MachineSession s(session::demo_scenarios());
  auto rec = doc_run(s);
  ASSERT_TRUE(rec);
  const std::string perfetto = exporting::export_recording(*rec, Format::kPerfetto);
  const std::string ftrace = exporting::export_recording(*rec, Format::kFtrace);
  ASSERT_FALSE(perfetto.empty());
  EXPECT_EQ(perfetto.front(), '{');
  EXPECT_NE(ftrace.find("workqueue_execute_end: work struct"), std::string::npos);
  EXPECT_EQ(exporting::export_recording(*rec, Format::kScreenshot), "");
}

// A lesson's machines in one export: one Perfetto process per machine, in order, with its own
// pid and the model's kernel in its name; ftrace text with a "# machine:" section per machine.
TEST(RunExport, SeveralMachinesGiveOneProcessEachAndAnFtraceSectionEach) {
  session::MachineSession a(session::demo_scenarios()), b(session::demo_scenarios());
  auto ra = doc_run(a), rb = doc_run(b);
  ASSERT_TRUE(ra && rb);
  const std::vector<exporting::MachineRecording> machines = {{"old", true, ra}, {"new", false, rb}};
  const nlohmann::json doc =
      nlohmann::json::parse(exporting::export_machines(machines, Format::kPerfetto));
  std::vector<std::pair<int, std::string>> processes;
  std::map<int, int> executions;  // pid -> complete slices
  for (const auto& ev : doc["traceEvents"]) {
    if (ev["ph"] == "M" && ev["name"] == "process_name")
      processes.emplace_back(ev["pid"].get<int>(), ev["args"]["name"].get<std::string>());
    if (ev["ph"] == "X" && ev["name"].get<std::string>().rfind("queue_work ", 0) != 0)
      ++executions[ev["pid"].get<int>()];
  }
  const std::vector<std::pair<int, std::string>> want = {{1, "old (legacy, Linux 2.6.24)"},
                                                         {2, "new (cmwq, Linux 6.12)"}};
  EXPECT_EQ(processes, want);
  EXPECT_EQ(executions[1], 3);
  EXPECT_EQ(executions[2], 3);
  const std::string ftrace = exporting::export_machines(machines, Format::kFtrace);
  const size_t old_at = ftrace.find("# machine: old\n"), new_at = ftrace.find("# machine: new\n");
  ASSERT_NE(old_at, std::string::npos);
  ASSERT_NE(new_at, std::string::npos);
  EXPECT_LT(old_at, new_at);
  // One machine alone is exactly what the demo's export gives.
  const std::vector<exporting::MachineRecording> doc_alone = {{"doc", false, rb}};
  EXPECT_EQ(exporting::export_machines(doc_alone, Format::kFtrace),
            exporting::export_recording(*rb, Format::kFtrace));
  EXPECT_EQ(exporting::export_machines(doc_alone, Format::kPerfetto),
            exporting::export_recording(*rb, Format::kPerfetto));
  EXPECT_EQ(exporting::export_machines({}, Format::kPerfetto), "");
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

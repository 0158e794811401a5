// Perfetto JSON (it parses, tracks are named as in the kernel, every flow has both ends) and
// ftrace text (the kernel's line format).
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "engine/scenario/parser.h"
#include "engine/scenario/report.h"

namespace wqlab::test {
namespace {

using namespace scenario;

const char kTwoQueues[] = R"(
[scenario]
id = "export"
[machine]
cpus = 2
[[workqueue]]
name = "bound"
[[workqueue]]
name = "loose"
flags = ["WQ_UNBOUND"]
[[work]]
name = "a"
function = "a_fn"
steps = ["compute 2ms", "sleep 1ms"]
[[work]]
name = "b"
function = "b_fn"
steps = ["compute 1ms"]
[[step]]
action = [
  { do = "queue", work = "a", wq = "bound", cpu = 1 },
  { do = "queue", work = "b", wq = "loose" },
  { do = "queue", work = "a", wq = "bound", cpu = 1, at = "5ms" },
]
)";

struct Exported {
  std::unique_ptr<Scenario> sc;
  std::unique_ptr<Runner> runner;
  ScenarioRun run;
};

Exported run_it() {
  auto parsed = parse_scenario(kTwoQueues, "export.toml");
  EXPECT_TRUE(parsed.ok()) << parsed.error_text();
  Exported e;
  e.sc = std::make_unique<Scenario>(std::move(*parsed.scenario));
  e.runner = std::make_unique<Runner>(*e.sc);
  e.run = run_scenario(*e.sc, *e.runner);
  return e;
}

TEST(Export, PerfettoJsonParsesWithNamedTracksAndBoundFlows) {
  Exported e = run_it();
  auto doc = nlohmann::json::parse(report_perfetto(e.run));  // throws if malformed
  std::map<int, std::string> thread_names;
  std::map<int64_t, int> flow_out, flow_in;
  int executions = 0;
  for (auto& ev : doc["traceEvents"]) {
    if (ev["ph"] == "M" && ev["name"] == "thread_name")
      thread_names[ev["tid"].get<int>()] = ev["args"]["name"];
    if (ev["ph"] == "X" && ev.contains("bind_id")) {
      if (ev.value("flow_out", false)) ++flow_out[ev["bind_id"].get<int64_t>()];
      if (ev.value("flow_in", false)) ++flow_in[ev["bind_id"].get<int64_t>()];
    }
    if (ev["ph"] == "X" && (ev["name"] == "a_fn" || ev["name"] == "b_fn")) ++executions;
  }
  EXPECT_EQ(executions, 3);
  bool kworker1 = false, unbound = false;
  for (auto& [tid, name] : thread_names) {
    kworker1 = kworker1 || name.rfind("kworker/1:", 0) == 0;
    unbound = unbound || name.rfind("kworker/u", 0) == 0;
  }
  EXPECT_TRUE(kworker1);
  EXPECT_TRUE(unbound);
  ASSERT_EQ(flow_out.size(), 3u);
  for (auto& [id, n] : flow_out) {
    EXPECT_EQ(n, 1);
    EXPECT_EQ(flow_in[id], 1) << "flow " << id << " has no execution";
  }
}

TEST(Export, FtraceTextHasTheKernelsLineFormat) {
  Exported e = run_it();
  std::string text = report_ftrace(e.run);
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "# tracer: nop");
  // e.g. "     kworker/1:0-7       [001] .....      0.000000: workqueue_execute_start: work struct
  //       ffff888100000040: function a_fn"
  std::regex tp(
      R"(^ {0,16}\S.{0,15}-\d+ +\[\d{3}\] \.{5} +\d+\.\d{6}: workqueue_(queue_work|activate_work|execute_start|execute_end): work struct[= ][0-9a-f]{16}.*$)");
  std::regex queue(
      R"(workqueue_queue_work: work struct=[0-9a-f]{16} function=\w+ workqueue=\w+ req_cpu=\d+ cpu=-?\d+$)");
  std::regex exec(R"(workqueue_execute_(start|end): work struct [0-9a-f]{16}: function \w+$)");
  int lines = 0, queues = 0, execs = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    ++lines;
    EXPECT_TRUE(std::regex_match(line, tp)) << line;
    if (std::regex_search(line, queue)) ++queues;
    if (std::regex_search(line, exec)) ++execs;
  }
  EXPECT_EQ(queues, 3);
  EXPECT_EQ(execs, 6);
  EXPECT_GE(lines, 12);
  EXPECT_NE(text.find("entries-in-buffer/entries-written: " + std::to_string(lines) + "/" +
                      std::to_string(lines) + "   #P:2"),
            std::string::npos);
}

// One CPU, max_active = 1: b waits on the inactive list until a ends. The app's File > Export
// writes through the same engine/trace exporter (tests/app/run_export_test.cpp).
const char kTiny[] = R"(
[scenario]
id = "tiny"
[[machine]]
id = "cmwq"
cpus = 1
[[machine]]
id = "legacy"
model = "legacy"
cpus = 1
[[workqueue]]
name = "one"
max_active = 1
machines = ["cmwq"]
[[work]]
name = "a"
function = "a_fn"
steps = ["compute 2ms"]
[[work]]
name = "b"
function = "b_fn"
steps = ["sleep 1ms"]
[[step]]
machines = ["cmwq"]
action = [
  { do = "queue", work = "a", wq = "one" },
  { do = "queue", work = "b", wq = "one" },
]
)";

TEST(Export, FtraceOfATinyScenarioLineForLineWithOneHeaderPerMachine) {
  auto parsed = parse_scenario(kTiny, "tiny.toml");
  ASSERT_TRUE(parsed.ok()) << parsed.error_text();
  Runner runner(*parsed.scenario);
  ScenarioRun run = run_scenario(*parsed.scenario, runner);
  std::istringstream in(report_ftrace(run));
  std::string line, machines, body;
  while (std::getline(in, line)) {
    if (line.rfind("# machine: ", 0) == 0) machines += line + "\n";
    if (!line.empty() && line[0] != '#') body += line + "\n";
  }
  EXPECT_EQ(machines, "# machine: cmwq\n# machine: legacy\n");
  std::string legacy;
  for (const char* thread :
       {"events/0:6", "khelper:7", "kblockd/0:8", "kacpid:9", "kacpi_notify:10", "ata/0:11",
        "ata_aux:12", "ksuspend_usbd:13", "aio/0:19", "kpsmoused:20"}) {
    legacy +=
        std::string("          <idle>-0       [000] .....      0.000000: workqueue_creation: ") +
        "thread=" + thread + " cpu=0\n";
  }
  EXPECT_EQ(
      body,
      std::string("          lesson-15      [000] .....      0.000000: workqueue_queue_work: work "
                  "struct=ffff888100000040 function=a_fn workqueue=one req_cpu=256 cpu=0\n") +
          "          lesson-15      [000] .....      0.000000: workqueue_activate_work: work "
          "struct ffff888100000040 function=a_fn\n"
          "          lesson-15      [000] .....      0.000000: workqueue_queue_work: work "
          "struct=ffff888100000080 function=b_fn workqueue=one req_cpu=256 cpu=0\n"
          "     kworker/0:0-12      [000] .....      0.000000: workqueue_execute_start: work "
          "struct ffff888100000040: function a_fn\n"
          "     kworker/0:0-12      [000] .....      0.002000: workqueue_execute_end: work "
          "struct ffff888100000040: function a_fn\n"
          "     kworker/0:0-12      [000] .....      0.002000: workqueue_activate_work: work "
          "struct ffff888100000080 function=b_fn\n"
          "     kworker/0:0-12      [000] .....      0.002000: workqueue_execute_start: work "
          "struct ffff888100000080: function b_fn\n"
          "     kworker/0:0-12      [000] .....      0.003000: workqueue_execute_end: work "
          "struct ffff888100000080: function b_fn\n"
          // The legacy machine: 2.6.24's boot workqueues, in 2.6.3x's workqueue_creation form.
          + legacy);
  // Perfetto: one process per machine, named after it.
  auto doc = nlohmann::json::parse(report_perfetto(run));
  std::vector<std::string> processes;
  for (auto& ev : doc["traceEvents"])
    if (ev["name"] == "process_name") processes.push_back(ev["args"]["name"]);
  EXPECT_EQ(processes,
            (std::vector<std::string>{"cmwq (cmwq, Linux 6.12)", "legacy (legacy, Linux 2.6.24)"}));
}

}  // namespace
}  // namespace wqlab::test

// `wqlab open` on the command line: --summary, --json, --perfetto, --to-scenario, --compare,
// the message without a headless flag, and bad command lines.
#include <nlohmann/json.hpp>

#include "engine/scenario/parser.h"
#include "engine/whatif/trace_cli.h"
#include "trace_test_util.h"

namespace wqlab::test {
namespace {

struct CliRun {
  int rc = 0;
  std::string out, err;
};

CliRun cli(std::vector<std::string> args) {
  args.insert(args.begin(), "wqlab");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  std::ostringstream out, err;
  CliRun r;
  r.rc = whatif::run_trace_cli(static_cast<int>(argv.size()), argv.data(), out, err);
  r.out = out.str();
  r.err = err.str();
  return r;
}

std::string temp(const std::string& name) {
  return "/tmp/wqlab-cli-" + std::to_string(::getpid()) + "-" + name;
}

TEST(OpenCli, SummaryPrintsPoolsAndTheWorkqueueTable) {
  CliRun r = cli({"open", writeback_path(), "--summary"});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_NE(r.out.find("ftrace (cat trace), 2 CPUs, 2.941 s"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("u8     kworker/u8:1 (35), kworker/u8:0 (12)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  kblockd                no       yes           99     92"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("longest wait: wb_update_bandwidth_workfn (writeback"), std::string::npos);
}

TEST(OpenCli, SummaryOfPerfShowsUnknownsAsQuestionMarks) {
  CliRun r = cli({"open", perf_path(), "--summary"});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("2 CPUs (highest CPU seen; no header said)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("scheduler events: no"), std::string::npos);
  EXPECT_NE(r.out.find("cpu0H  kworker/0:1H (46)                                 3         1  "
                       "      ?"),
            std::string::npos)
      << r.out;
}

TEST(OpenCli, JsonHasTheMachineAndEveryItem) {
  const std::string out = temp("summary.json");
  CliRun r = cli({"open", writeback_path(), "--json", out});
  ASSERT_EQ(r.rc, 0) << r.err;
  auto doc = nlohmann::json::parse(read_file(out));
  EXPECT_EQ(doc["machine"]["nr_cpus"], 2);
  EXPECT_EQ(doc["pools"].size(), 5u);
  EXPECT_EQ(doc["items"].size(), 258u);  // every queueing, including the 27 taken back
  EXPECT_EQ(doc["workqueues"][0]["name"], "virtio_vsock");
  bool found = false;
  for (auto& it : doc["items"])
    if (it["work"] == "00000000986ed0a7" && it["queued_ns"] == 8393200625000LL) {
      EXPECT_EQ(it["started_ns"], 8393200634000LL);
      EXPECT_EQ(it["worker"], 17113);
      found = true;
    }
  EXPECT_TRUE(found);
  // Unknowns are null, not zero.
  CliRun p = cli({"open", perf_path(), "--json", out});
  ASSERT_EQ(p.rc, 0);
  auto perf = nlohmann::json::parse(read_file(out));
  EXPECT_TRUE(perf["workqueues"][0]["cpu_time_ns"].is_null());
  EXPECT_TRUE(perf["pools"][0]["max_running"].is_null());
  std::remove(out.c_str());
}

TEST(OpenCli, PerfettoExportHasAThreadPerKworkerAndTheExecutions) {
  const std::string out = temp("perfetto.json");
  CliRun r = cli({"open", writeback_path(), "--perfetto", out});
  ASSERT_EQ(r.rc, 0) << r.err;
  auto doc = nlohmann::json::parse(read_file(out));
  size_t slices = 0;
  bool kworker_named = false;
  for (auto& e : doc["traceEvents"]) {
    if (e["ph"] == "X" && e["name"] == "virtio_transport_tx_work") ++slices;
    if (e["ph"] == "M" && e["name"] == "thread_name" && e["args"]["name"] == "kworker/1:2")
      kworker_named = true;
  }
  EXPECT_EQ(slices, 11u);  // grep -c "execute_start.*virtio_transport_tx_work"
  EXPECT_TRUE(kworker_named);
  std::remove(out.c_str());
}

TEST(OpenCli, ToScenarioWritesAFileTheParserReads) {
  const std::string out = temp("fit.toml");
  CliRun r = cli({"open", writeback_path(), "--to-scenario", out});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("wrote " + out + ": 231 items"), std::string::npos) << r.out;
  scenario::ParseResult p = scenario::parse_scenario_file(out);
  ASSERT_TRUE(p.ok()) << p.error_text();
  EXPECT_EQ(p.scenario->works.size(), 231u);
  std::remove(out.c_str());
}

TEST(OpenCli, WithoutAHeadlessFlagTheAppShowsTheTrace) {
  // main() hands `open FILE` without a headless flag to the app as --trace FILE.
  auto wants = [](std::vector<std::string> args) {
    args.insert(args.begin(), "wqlab");
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    return whatif::open_wants_window(static_cast<int>(argv.size()), argv.data());
  };
  EXPECT_TRUE(wants({"open", "t.txt"}));
  EXPECT_TRUE(wants({"open", "t.txt", "--frames", "30", "--screenshot", "x.png"}));
  EXPECT_FALSE(wants({"open", "t.txt", "--summary"}));
  EXPECT_FALSE(wants({"open", "t.txt", "--frames", "3", "--json", "o.json"}));
  EXPECT_FALSE(wants({"open"}));
  EXPECT_FALSE(wants({"open", "--summary"}));
  EXPECT_FALSE(wants({"capture", "-o", "t.txt"}));
  // This program (no window) says what to give it instead.
  CliRun r = cli({"open", writeback_path()});
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("this program has no window"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--summary"), std::string::npos);
}

TEST(OpenCli, BadCommandLinesAndFiles) {
  EXPECT_EQ(cli({"open"}).rc, 2);
  CliRun missing = cli({"open", "/nonexistent.txt", "--summary"});
  EXPECT_EQ(missing.rc, 2);
  EXPECT_NE(missing.err.find("/nonexistent.txt: cannot open the file"), std::string::npos);
  CliRun unknown = cli({"open", writeback_path(), "--frobnicate"});
  EXPECT_EQ(unknown.rc, 2);
  EXPECT_NE(unknown.err.find("unknown option '--frobnicate'"), std::string::npos);
  CliRun policy = cli({"open", writeback_path(), "--compare", "max_active=0"});
  EXPECT_EQ(policy.rc, 2);
  EXPECT_NE(policy.err.find("unknown policy 'max_active=0'"), std::string::npos);
  CliRun no_value = cli({"open", writeback_path(), "--json"});
  EXPECT_EQ(no_value.rc, 2);
  EXPECT_NE(no_value.err.find("--json needs a value"), std::string::npos);
  // A file with nothing the lab can use says so, with its malformed lines.
  const std::string junk = temp("junk.txt");
  std::ofstream(junk) << "hello\nworld\n";
  CliRun j = cli({"open", junk, "--summary"});
  EXPECT_EQ(j.rc, 2);
  EXPECT_NE(j.err.find(junk + ":1: no [CPU] column: hello"), std::string::npos) << j.err;
  EXPECT_NE(j.err.find("no workqueue or scheduler events in 2 lines"), std::string::npos);
  std::remove(junk.c_str());
}

TEST(OpenCli, MalformedLinesAreReportedButTheRestOpens) {
  const std::string file = temp("partly.txt");
  std::string text = read_file(writeback_path());
  text.insert(text.find("         cc1plus-17213   [001] d.h1.  8393.200625"),
              "oops, a torn line\n");
  std::ofstream(file) << text;
  CliRun r = cli({"open", file, "--summary"});
  EXPECT_EQ(r.rc, 0);
  EXPECT_NE(r.err.find(file + ":27: no [CPU] column: oops, a torn line"), std::string::npos)
      << r.err;
  EXPECT_NE(r.out.find("malformed 1"), std::string::npos);
  std::remove(file.c_str());
}

}  // namespace
}  // namespace wqlab::test

// The scenario language for topology, affinity scopes and BH workqueues: the keys parse, are
// written back, run, and every misuse is reported as file:line:col.
#include <gtest/gtest.h>

#include "engine/scenario/parser.h"
#include "engine/scenario/report.h"
#include "engine/scenario/writer.h"
#include "engine/wq/wq_types.h"

namespace wqlab::test {
namespace {

using namespace scenario;

std::string only_error(const std::string& text) {
  auto r = parse_scenario(text, "bad.toml");
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.errors.size(), 1u) << r.error_text();
  return r.errors.empty() ? "" : r.errors.front().str();
}

const char kPods[] = R"([scenario]
id = "pods"

[machine]
cpus = 4
smt = 2
cpus_per_cache = 2
cpus_per_node = 4
affinity_scope = "smt"

[[workqueue]]
name = "scoped"
flags = ["WQ_UNBOUND"]
affinity_scope = "cache"
affinity_strict = true

[[workqueue]]
name = "nic_bh"
flags = ["WQ_BH", "WQ_HIGHPRI"]

[[work]]
name = "u"
steps = ["compute 1ms"]

# Boot's kworkers are still runnable on CPU 0 at t = 0; a woken worker must be asleep to move.
[[step]]
run = "until 5ms"

[[step]]
action = [{ do = "queue", work = "u", wq = "events_unbound", cpu = 3 }]
check = [{ what = "wq.events_unbound.repatriated", expect = 1 },
         { what = "work.u.cpu", expect = 2 }]
)";

TEST(ScenarioTopology, KeysParseAndAreWrittenBack) {
  auto r = parse_scenario(kPods, "pods.toml");
  ASSERT_TRUE(r.ok()) << r.error_text();
  const MachineSpec& m = r.scenario->machines.front();
  EXPECT_EQ(m.topology.smt, 2);
  EXPECT_EQ(m.topology.cpus_per_cache, 2);
  EXPECT_EQ(m.topology.cpus_per_node, 4);
  EXPECT_EQ(m.affinity_scope, "smt");
  EXPECT_EQ(r.scenario->workqueues[0].affinity_scope, "cache");
  EXPECT_TRUE(r.scenario->workqueues[0].affinity_strict);
  EXPECT_EQ(r.scenario->workqueues[1].flags, wq::WQ_BH | wq::WQ_HIGHPRI);
  std::string text = write_scenario(*r.scenario);
  for (const char* line :
       {"smt = 2\n", "cpus_per_cache = 2\n", "cpus_per_node = 4\n", "affinity_scope = \"smt\"\n",
        "affinity_scope = \"cache\"\n", "affinity_strict = true\n", "WQ_BH | WQ_HIGHPRI"})
    EXPECT_NE(text.find(line), std::string::npos) << line << "\n" << text;
  auto again = parse_scenario(text, "written.toml");
  ASSERT_TRUE(again.ok()) << again.error_text();
  EXPECT_EQ(write_scenario(*again.scenario), text);
}

// kick_pool()'s repatriation through the runner: with the default "smt" scope of this machine
// the events_unbound item queued on CPU 3 runs in pod {2,3}, on CPU 2, once boot has settled.
TEST(ScenarioTopology, RunnerSeesRepatriation) {
  auto parsed = parse_scenario(kPods, "pods.toml");
  ASSERT_TRUE(parsed.ok()) << parsed.error_text();
  Runner runner(*parsed.scenario);
  ScenarioRun run = run_scenario(*parsed.scenario, runner);
  EXPECT_EQ(run.failed(), 0) << report_text(run);
  EXPECT_EQ(run.passed(), 2);
}

TEST(ScenarioTopology, UnknownScopeIsReportedWhereItIs) {
  EXPECT_EQ(only_error("[machine]\naffinity_scope = \"llc\"\n"),
            "bad.toml:2:18: affinity_scope (workqueue.default_affinity_scope) must be cpu, smt, "
            "cache, numa or system, not \"llc\"");
  EXPECT_EQ(only_error("[[workqueue]]\nname = \"q\"\nflags = [\"WQ_UNBOUND\"]\n"
                       "affinity_scope = \"pod\"\n"),
            "bad.toml:4:18: affinity_scope must be default, cpu, smt, cache, numa or system, not "
            "\"pod\"");
}

TEST(ScenarioTopology, AffinityNeedsAnUnboundUnorderedWorkqueue) {
  EXPECT_EQ(only_error("[[workqueue]]\nname = \"q\"\naffinity_strict = true\n"),
            "bad.toml:3:19: affinity_scope and affinity_strict apply to alloc_workqueue with "
            "WQ_UNBOUND (not ordered): per-CPU and ordered workqueues have no pods");
}

TEST(ScenarioTopology, InconsistentTopologyIsAnError) {
  std::string e = only_error("[machine]\ncpus = 8\nsmt = 2\ncpus_per_cache = 3\n");
  EXPECT_EQ(e.rfind("bad.toml:1:1:", 0), 0u) << e;
  EXPECT_NE(e.find("cpus_per_cache must be a multiple of smt"), std::string::npos) << e;
  EXPECT_EQ(only_error("[machine]\ncpus_per_pod = 2\ncpus_per_cache = 2\n"),
            "bad.toml:2:16: cpus_per_pod is the old name of cpus_per_cache: give one of them");
}

TEST(ScenarioTopology, BhWorkqueueRules) {
  EXPECT_EQ(only_error("[[workqueue]]\nname = \"b\"\nflags = [\"WQ_BH\"]\nmax_active = 4\n"),
            "bad.toml:4:14: [[workqueue]] b: a WQ_BH workqueue takes max_active 0 (it has no "
            "limit: one softirq context per CPU runs its items)");
  EXPECT_EQ(only_error("[[workqueue]]\nname = \"b\"\nflags = \"WQ_BH | WQ_UNBOUND\"\n"),
            "bad.toml:3:9: [[workqueue]] b: WQ_BH may only be combined with WQ_HIGHPRI");
}

}  // namespace
}  // namespace wqlab::test

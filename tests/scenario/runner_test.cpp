// The runner: steps, actions (at/after/async), checkpoints and answer keys on both models,
// side-by-side machines, and byte-identical reports.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "engine/scenario/parser.h"
#include "engine/scenario/report.h"

namespace wqlab::test {
namespace {

using namespace scenario;

struct Ran {
  std::unique_ptr<Scenario> sc;
  std::unique_ptr<Runner> runner;
  ScenarioRun run;
};

std::unique_ptr<Ran> run_text(const std::string& text) {
  auto parsed = parse_scenario(text, "test.toml");
  EXPECT_TRUE(parsed.ok()) << parsed.error_text();
  auto r = std::make_unique<Ran>();
  if (!parsed.ok()) return r;
  r->sc = std::make_unique<Scenario>(std::move(*parsed.scenario));
  r->runner = std::make_unique<Runner>(*r->sc);
  r->run = run_scenario(*r->sc, *r->runner);
  return r;
}

std::string failures(const ScenarioRun& run) {
  std::string out;
  if (run.failed() > 0) out = report_text(run);
  return out;
}

const char kDoc[] = R"(
[scenario]
id = "doc"
[machine]
cpus = 1
[[workqueue]]
name = "doc"
max_active = 2
[[work]]
name = "w0"
steps = ["compute 5ms", "sleep 10ms", "compute 5ms"]
[[work]]
name = "w1"
steps = ["compute 5ms", "sleep 10ms"]
[[work]]
name = "w2"
steps = ["compute 5ms", "sleep 10ms"]
[[step]]
action = [
  { do = "queue", work = "w0", wq = "doc" },
  { do = "queue", work = "w1", wq = "doc" },
  { do = "queue", work = "w2", wq = "doc" },
]
check = [
  { what = "work.w2.start", expect = "20ms" },
  { what = "work.w2.end", expect = "35ms" },
  { what = "work.w2.waited", expect = "20ms" },
  { what = "work.w0.worker", expect = "kworker/0:0" },
  { what = "events.wq_work_inactive", expect = 1 },
]
)";

TEST(ScenarioRunner, RunsTheDocTimelineAndPassesItsCheckpoints) {
  auto r = run_text(kDoc);
  EXPECT_EQ(r->run.failed(), 0) << failures(r->run);
  EXPECT_EQ(r->run.passed(), 5);
}

TEST(ScenarioRunner, AWrongExpectationFailsWithTheMeasuredValue) {
  std::string text = kDoc;
  text.replace(text.find("expect = \"35ms\""), 15, "expect = \"30ms\"");
  auto r = run_text(text);
  ASSERT_EQ(r->run.failed(), 1);
  std::string report = report_text(r->run);
  EXPECT_NE(report.find("FAIL main: work.w2.end == 30ms (measured 35ms)"), std::string::npos)
      << report;
  EXPECT_NE(report.find("4 passed, 1 failed"), std::string::npos) << report;
}

TEST(ScenarioRunner, LegacySingleThreadSerializesWhereCmwqOverlaps) {
  auto r = run_text(R"(
[scenario]
id = "st-vs-cmwq"
[[machine]]
id = "old"
model = "legacy"
cpus = 2
boot_threads = false
[[machine]]
id = "new"
cpus = 2
[[workqueue]]
name = "ata_sff"
create = "create_singlethread_workqueue"
machines = ["old"]
[[workqueue]]
name = "ata_sff"
max_active = 2
machines = ["new"]
[[work]]
name = "pio0"
function = "ata_sff_pio_task"
steps = ["compute 1ms", "sleep 10ms", "compute 1ms"]
[[work]]
name = "pio1"
function = "ata_sff_pio_task"
steps = ["compute 1ms", "sleep 10ms", "compute 1ms"]
[[step]]
action = [
  { do = "queue", work = "pio0", wq = "ata_sff", cpu = 0 },
  { do = "queue", work = "pio1", wq = "ata_sff", cpu = 0 },
]
check = [
  { machine = "old", what = "work.pio1.start", ref = "old:work.pio0.end" },
  { machine = "old", what = "work.pio1.end", expect = "24ms" },
  { machine = "new", what = "work.pio1.start", expect = "1ms" },
  { machine = "new", what = "work.pio1.end", expect = "13ms" },
]
)");
  EXPECT_EQ(r->run.failed(), 0) << failures(r->run);
  EXPECT_EQ(r->run.passed(), 4);
}

TEST(ScenarioRunner, AfterTriggersAndTimedActions) {
  auto r = run_text(R"(
[scenario]
id = "triggers"
[machine]
cpus = 2
[[workqueue]]
name = "q"
[[work]]
name = "slow"
steps = ["sleep 10ms"]
[[work]]
name = "follower"
steps = ["compute 1ms"]
[[step]]
action = [
  { do = "queue", work = "slow", wq = "q", at = "3ms" },
  { do = "queue", work = "follower", wq = "q", cpu = 1, after = "workqueue_execute_end slow" },
]
check = [
  { what = "work.slow.start", expect = "3ms" },
  { what = "work.follower.start", expect = "13ms" },
]
)");
  EXPECT_EQ(r->run.failed(), 0) << failures(r->run);
  // Both checks were read, and measured what they claim: slow at 3 ms, follower right after it.
  ASSERT_EQ(r->run.steps.size(), 1u);
  const auto& checks = r->run.steps[0].checks;
  ASSERT_EQ(checks.size(), 2u);
  EXPECT_EQ(checks[0].measured, "3ms");
  EXPECT_EQ(checks[1].measured, "13ms");
  EXPECT_EQ(r->run.passed(), 2);
  EXPECT_TRUE(r->run.steps[0].notes.empty());
}

TEST(ScenarioRunner, CreateUntilFailCountsQueuesUntilPidsRunOut) {
  auto r = run_text(R"(
[scenario]
id = "exhaust"
[machine]
model = "legacy"
cpus = 8
pid_max = 400
boot_threads = false
[[step]]
[[step.action]]
do = "create_until_fail"
id = "drivers"
name = "drv{i}"
create = "create_workqueue"
[[step.check]]
what = "loop.drivers.failed"
expect = true
[[step.check]]
what = "events.task_create_fail"
op = ">="
expect = 1
)");
  EXPECT_EQ(r->run.failed(), 0) << failures(r->run);
  Machine* m = r->runner->machine("main");
  ASSERT_NE(m, nullptr);
  int created = m->loops()["drivers"].created;
  // 399 pids: "events" took 8 and the step's script one; each driver takes 8.
  EXPECT_EQ(created, (399 - 8 - 1) / 8);
}

TEST(ScenarioRunner, AnswerKeysAreVerifiedAgainstTheMachine) {
  std::string text = std::string(kDoc) + R"(
[[step.question]]
id = "right"
ask = "When does w2 end?"
answer = 35
unit = "ms"
answer_from = "work.w2.end"
[[step.question]]
id = "wrong"
ask = "When does w2 start?"
answer = 10
unit = "ms"
answer_from = "work.w2.start"
)";
  auto r = run_text(text);
  ASSERT_EQ(r->run.steps.size(), 1u);
  auto& qs = r->run.steps[0].questions;
  ASSERT_EQ(qs.size(), 2u);
  EXPECT_TRUE(qs[0].verified);
  EXPECT_FALSE(qs[1].verified);
  EXPECT_EQ(qs[1].measured, "20 ms");
  EXPECT_EQ(r->run.failed(), 1);
}

TEST(ScenarioRunner, PressureWithoutRescuerStallsAndTheWatchdogIsPrinted) {
  auto r = run_text(R"(
[scenario]
id = "stall"
[machine]
cpus = 1
[[workqueue]]
name = "plain"
[[work]]
name = "blocker"
steps = ["wait_for freed"]
[[work]]
name = "freer"
steps = ["complete freed"]
[[step]]
run = "40s"
action = [
  { do = "queue", work = "blocker", wq = "plain" },
  { do = "pressure", on = true, at = "1ms" },
  { do = "queue", work = "freer", wq = "plain", at = "1ms" },
]
check = [
  { what = "work.freer.runs", expect = 0 },
  { what = "printed", contains = "BUG: workqueue lockup" },
  { what = "events.wq_worker_create_fail", op = ">=", expect = 30 },
]
)");
  EXPECT_EQ(r->run.failed(), 0) << failures(r->run);
  // The three checks ran and measured a stall: freer never ran, the lockup was printed, and the
  // manager kept failing to create a worker (about once a second for 40 s).
  ASSERT_EQ(r->run.steps.size(), 1u);
  const auto& checks = r->run.steps[0].checks;
  ASSERT_EQ(checks.size(), 3u);
  EXPECT_EQ(checks[0].measured, "0");
  EXPECT_EQ(checks[1].measured, "true");
  EXPECT_GE(std::stoi(checks[2].measured), 30);
  EXPECT_EQ(r->run.passed(), 3);
}

TEST(ScenarioRunner, TheSameFileGivesAByteIdenticalJsonReport) {
  auto a = run_text(kDoc);
  auto b = run_text(kDoc);
  std::string ja = report_json(a->run), jb = report_json(b->run);
  EXPECT_GT(ja.size(), 1000u);
  EXPECT_EQ(ja, jb);
}

// The complete example in lessons/README.md is a real lesson: it parses and passes.
TEST(ScenarioRunner, TheReadmeExampleRunsAndPasses) {
  std::ifstream in(WQLAB_SOURCE_DIR "/lessons/README.md");
  ASSERT_TRUE(in);
  std::stringstream buf;
  buf << in.rdbuf();
  std::string md = buf.str();
  size_t start = md.find("```toml\n");
  ASSERT_NE(start, std::string::npos);
  start += 8;
  size_t end = md.find("```", start);
  auto r = run_text(md.substr(start, end - start));
  EXPECT_EQ(r->run.failed(), 0) << failures(r->run);
  EXPECT_GE(r->run.passed(), 3);
}

}  // namespace
}  // namespace wqlab::test

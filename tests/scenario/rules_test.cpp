// The rules a lesson must follow so that it cannot pass by accident: every question says how
// its answer key is verified, a legacy machine is never asked for a field it cannot measure,
// and a runner note fails the step unless the step expects it.
#include <gtest/gtest.h>

#include "engine/scenario/parser.h"
#include "engine/scenario/report.h"
#include "engine/scenario/runner.h"

namespace wqlab::test {
namespace {

using namespace scenario;

std::string only_error(const std::string& text) {
  ParseResult r = parse_scenario(text, "bad.toml");
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.errors.size(), 1u) << r.error_text();
  return r.errors.empty() ? "" : r.errors.front().str();
}

const char kLegacy[] = R"([scenario]
id = "old"
[machine]
model = "legacy"
cpus = 2
[[workqueue]]
name = "drv"
create = "create_workqueue"
[[step]]
)";

TEST(ScenarioRules, LegacyMachineRejectsFieldsItCannotMeasure) {
  EXPECT_EQ(
      only_error(std::string(kLegacy) + "check = [{ what = \"wq.drv.max_active\", expect = 1 }]\n"),
      "bad.toml:10:19: wq.drv.max_active on machine \"main\": the legacy model (Linux "
      "2.6.24) does not measure a workqueue's max_active (2.6.24 has none: each thread runs "
      "one item)");
  for (const char* field : {"wq.drv.mayday", "wq.drv.infl", "pool.0.idle", "pool.1.nr_running",
                            "kworkers", "rescuers"}) {
    std::string e =
        only_error(std::string(kLegacy) + "check = [{ what = \"" + field + "\", expect = 0 }]\n");
    EXPECT_EQ(e.rfind("bad.toml:10:19: ", 0), 0u) << e;
    EXPECT_NE(e.find("the legacy model (Linux 2.6.24) does not measure"), std::string::npos) << e;
  }
  std::string e =
      only_error(std::string(kLegacy) +
                 "[[step.question]]\nask = \"?\"\nanswer = 0\nanswer_from = \"rescuers\"\n");
  EXPECT_EQ(e.rfind("bad.toml:13:15: rescuers on machine \"main\": the legacy model", 0), 0u) << e;
}

TEST(ScenarioRules, LegacyMachineStillMeasuresItsThreadsAndTotals) {
  ParseResult r = parse_scenario(std::string(kLegacy) +
                                     "check = [{ what = \"wq.drv.threads\", expect = 2 },\n"
                                     "  { what = \"wq.drv.total\", expect = 0 },\n"
                                     "  { what = \"threads\", op = \">\", expect = 0 }]\n",
                                 "ok.toml");
  ASSERT_TRUE(r.ok()) << r.error_text();
  Runner runner(*r.scenario);
  ScenarioRun run = run_scenario(*r.scenario, runner);
  EXPECT_EQ(run.failed(), 0) << report_text(run);
  EXPECT_EQ(run.passed(), 3);
}

const char kQuestion[] = R"([scenario]
id = "q"
[[work]]
name = "w"
steps = ["compute 1ms"]
[[step]]
action = [{ do = "queue", work = "w", wq = "events" }]
[[step.question]]
ask = "When does w end?"
answer = 1
)";

TEST(ScenarioRules, AQuestionNeedsAnswerFrom) {
  EXPECT_EQ(
      only_error(kQuestion),
      "bad.toml:8:1: a question needs answer_from = \"<field>\" (the runner checks the answer "
      "key against the machine) or answer_from = \"none: <why no field can>\"");
}

TEST(ScenarioRules, AnswerFromNoneNeedsAReason) {
  EXPECT_EQ(only_error(std::string(kQuestion) + "answer_from = \"none:  \"\n"),
            "bad.toml:11:15: answer_from = \"none: ...\" needs the reason no field can verify the "
            "answer");
  ParseResult r =
      parse_scenario(std::string(kQuestion) + "answer_from = \"none: a guess\"\n", "ok");
  ASSERT_TRUE(r.ok()) << r.error_text();
  const Question& q = r.scenario->steps[0].questions[0];
  EXPECT_EQ(q.unverified, "a guess");
  EXPECT_FALSE(q.answer_from);
}

TEST(ScenarioRules, AMultipleChoiceAnswerCannotBeReadFromAField) {
  std::string e = only_error(
      "[scenario]\nid = \"c\"\n[[step]]\n[[step.question]]\nask = \"?\"\nchoices = [\"a\", \"b\"]\n"
      "answer = 1\nanswer_from = \"time\"\n");
  EXPECT_EQ(e.rfind("bad.toml:8:15: a multiple-choice answer cannot be read from a field", 0), 0u)
      << e;
}

TEST(ScenarioRules, AQuestionNeedsItsAnswerKey) {
  EXPECT_EQ(only_error("[scenario]\nid = \"c\"\n[[step]]\n[[step.question]]\nask = \"?\"\n"
                       "answer_from = \"time\"\n"),
            "bad.toml:4:1: a question needs answer = ... (its answer key)");
}

TEST(ScenarioRules, UnknownExpectedNote) {
  EXPECT_EQ(only_error("[scenario]\nid = \"n\"\n[[step]]\nexpect_notes = [\"late\"]\n"),
            "bad.toml:4:17: unknown note \"late\" in expect_notes (known: not_idle, stopped, "
            "unfinished)");
}

// A negative cpu used to read as "no cpu given" once written back; now it is an error.
TEST(ScenarioRules, ACpuNumberIsZeroOrMore) {
  EXPECT_EQ(only_error("[scenario]\nid = \"c\"\n[[step]]\naction = [{ do = \"freeze\", "
                       "cpu = -2 }]\n"),
            "bad.toml:4:34: cpu must be a CPU number, 0 to 255");
}

// A step whose script is still blocked in flush_work() when the step ends gets the "unfinished"
// note: it fails the step, unless the step lists the note.
std::string kBlocked(const std::string& expect) {
  return R"([scenario]
id = "blocked"
[[work]]
name = "stuck"
steps = ["wait_for never"]
[[step]]
run = "20ms"
)" + expect +
         R"(
action = [{ do = "queue", work = "stuck", wq = "events" }, { do = "flush", work = "stuck" }]
check = [{ what = "time", expect = "20ms" }]
)";
}

TEST(ScenarioRules, ARunnerNoteFailsTheStep) {
  ParseResult r = parse_scenario(kBlocked(""), "blocked.toml");
  ASSERT_TRUE(r.ok()) << r.error_text();
  Runner runner(*r.scenario);
  ScenarioRun run = run_scenario(*r.scenario, runner);
  ASSERT_EQ(run.steps.size(), 1u);
  ASSERT_EQ(run.steps[0].notes.size(), 1u);
  EXPECT_NE(run.steps[0].notes[0].find("the step's actions did not finish"), std::string::npos);
  EXPECT_NE(run.steps[0].notes[0].find("fails the step: expect_notes does not list \"unfinished\""),
            std::string::npos)
      << run.steps[0].notes[0];
  EXPECT_EQ(run.steps[0].unexpected_notes, 1);
  EXPECT_EQ(run.passed(), 1);
  EXPECT_EQ(run.failed(), 1);
}

TEST(ScenarioRules, AnExpectedNoteDoesNotFailTheStep) {
  ParseResult r = parse_scenario(kBlocked("expect_notes = [\"unfinished\"]"), "blocked.toml");
  ASSERT_TRUE(r.ok()) << r.error_text();
  Runner runner(*r.scenario);
  ScenarioRun run = run_scenario(*r.scenario, runner);
  ASSERT_EQ(run.steps.size(), 1u);
  EXPECT_EQ(run.steps[0].notes.size(), 1u);
  EXPECT_EQ(run.steps[0].unexpected_notes, 0);
  EXPECT_EQ(run.failed(), 0);
  EXPECT_EQ(run.passed(), 1);
}

}  // namespace
}  // namespace wqlab::test

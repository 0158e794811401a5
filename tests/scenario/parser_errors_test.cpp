// Malformed scenario files: each mistake is reported as file:line:col: message, and nothing
// is run.
#include <gtest/gtest.h>

#include "engine/scenario/parser.h"

namespace wqlab::test {
namespace {

using scenario::parse_scenario;

// The single error a text produces.
std::string only_error(const std::string& text) {
  auto r = parse_scenario(text, "bad.toml");
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.errors.size(), 1u) << r.error_text();
  return r.errors.empty() ? "" : r.errors.front().str();
}

const char kBase[] = R"([scenario]
id = "base"

[[workqueue]]
name = "wq"

[[work]]
name = "w"
steps = ["compute 1ms"]
)";

TEST(ScenarioParser, AWellFormedFileParses) {
  auto r = parse_scenario(std::string(kBase) + R"(
[[step]]
action = [{ do = "queue", work = "w", wq = "wq" }]
check = [{ what = "work.w.end", expect = "1ms" }]
)",
                          "ok.toml");
  EXPECT_TRUE(r.ok()) << r.error_text();
  ASSERT_TRUE(r.scenario);
  EXPECT_EQ(r.scenario->steps.size(), 1u);
  EXPECT_EQ(r.scenario->works[0].ops[0].amount, 1'000'000);
}

TEST(ScenarioParser, TomlSyntaxErrorHasItsPosition) {
  std::string e = only_error("[scenario]\nid = \"x\n");
  EXPECT_EQ(e.rfind("bad.toml:2:", 0), 0u) << e;
  EXPECT_NE(e.find("TOML syntax"), std::string::npos) << e;
}

TEST(ScenarioParser, UnknownKey) {
  EXPECT_EQ(only_error(std::string(kBase) + "\n[[workqueue]]\nname = \"q2\"\nmax_activ = 3\n"),
            "bad.toml:13:1: unknown key \"max_activ\" in [[workqueue]] (known: name, create, "
            "flags, max_active, "
            "repeat, machines, affinity_scope, affinity_strict)");
}

TEST(ScenarioParser, WrongType) {
  EXPECT_EQ(only_error("[machine]\ncpus = \"four\"\n"),
            "bad.toml:2:8: \"cpus\" must be an integer");
}

TEST(ScenarioParser, BadDuration) {
  std::string e =
      only_error(std::string(kBase) + "\n[[work]]\nname = \"v\"\nsteps = [\"sleep 10 parsecs\"]\n");
  EXPECT_EQ(
      e,
      "bad.toml:13:10: bad duration in \"sleep 10 parsecs\": unknown time unit \"parsecs\" in \"10 "
      "parsecs\" (use ns, us, ms, s, min)");
}

TEST(ScenarioParser, DurationWithoutUnit) {
  std::string e = only_error(std::string(kBase) + "\n[[step]]\nrun = \"40\"\n");
  EXPECT_NE(e.find("bad.toml:12:7: run must be"), std::string::npos) << e;
  EXPECT_NE(e.find("needs a unit"), std::string::npos) << e;
}

TEST(ScenarioParser, UnknownWorkItem) {
  EXPECT_EQ(only_error(std::string(kBase) +
                       "\n[[step]]\naction = [{ do = \"queue\", work = \"nope\", wq = \"wq\" }]\n"),
            "bad.toml:12:11: no work item is called \"nope\" (define it with [[work]])");
}

TEST(ScenarioParser, UnknownWorkqueue) {
  EXPECT_EQ(only_error(std::string(kBase) +
                       "\n[[step]]\naction = [{ do = \"queue\", work = \"w\", wq = \"nope\" }]\n"),
            "bad.toml:12:11: machine \"main\" has no workqueue called \"nope\"");
}

TEST(ScenarioParser, CheckpointOnAnUnknownField) {
  std::string e =
      only_error(std::string(kBase) +
                 "\n[[step]]\ncheck = [{ what = \"work.w.finish\", expect = \"1ms\" }]\n");
  EXPECT_EQ(e.rfind("bad.toml:12:19: unknown work field \"finish\"", 0), 0u) << e;
}

TEST(ScenarioParser, CheckpointOnAnUnknownEventKind) {
  std::string e = only_error(std::string(kBase) +
                             "\n[[step]]\ncheck = [{ what = \"events.wq_maydya\", expect = 1 }]\n");
  EXPECT_EQ(e.rfind("bad.toml:12:19: unknown event kind \"wq_maydya\"", 0), 0u) << e;
}

TEST(ScenarioParser, ExpectOfTheWrongKind) {
  std::string e = only_error(std::string(kBase) +
                             "\n[[step]]\ncheck = [{ what = \"work.w.end\", expect = 5 }]\n");
  EXPECT_EQ(e.rfind("bad.toml:12:42: ", 0), 0u) << e;
  EXPECT_NE(e.find("a time needs a duration"), std::string::npos) << e;
}

TEST(ScenarioParser, LegacyMachinesHaveNoAllocWorkqueue) {
  std::string e = only_error(
      "[machine]\nmodel = \"legacy\"\n[[workqueue]]\nname = \"q\"\nflags = [\"WQ_UNBOUND\"]\n");
  EXPECT_NE(e.find("alloc_workqueue does not exist in the legacy model"), std::string::npos) << e;
}

TEST(ScenarioParser, UnknownFlag) {
  std::string e = only_error("[[workqueue]]\nname = \"q\"\nflags = \"WQ_UNBOUND | WQ_FAST\"\n");
  EXPECT_EQ(e.rfind("bad.toml:3:9: unknown workqueue flag \"WQ_FAST\"", 0), 0u) << e;
}

TEST(ScenarioParser, SeveralMistakesAreAllReported) {
  auto r = parse_scenario("[machine]\ncpus = 0\nhz = \"fast\"\ncolour = \"blue\"\n", "many.toml");
  ASSERT_EQ(r.errors.size(), 3u) << r.error_text();
  EXPECT_EQ(r.errors[0].line, 4);  // unknown keys are checked first
  EXPECT_EQ(r.errors[1].line, 2);
  EXPECT_EQ(r.errors[2].line, 3);
}

TEST(ScenarioParser, MissingFileIsAnErrorNotACrash) {
  auto r = scenario::parse_scenario_file("/nonexistent/lesson.toml");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].str(), "/nonexistent/lesson.toml:1:1: cannot open the file");
}

}  // namespace
}  // namespace wqlab::test

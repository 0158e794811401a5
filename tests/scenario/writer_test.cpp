// Writing scenarios (what the sandbox saves and shares, and a shared lesson): parse -> write ->
// parse gives the same scenario, compared as structures, for every lesson and for a file that
// uses every key the parser knows; that file is checked against the parser's own key lists.
#include <gtest/gtest.h>

#include <toml++/toml.h>
#include <filesystem>
#include <regex>
#include <set>

#include "engine/scenario/parser.h"
#include "engine/scenario/report.h"
#include "engine/scenario/writer.h"
#include "same_scenario.h"

namespace wqlab::test {
namespace {

using namespace scenario;

const std::string kEveryKey = WQLAB_SOURCE_DIR "/tests/scenario/data/every_key.toml";

// Parses `path`, writes it, parses the text again: "" if both parses give the same scenario.
std::string round_trip(const std::string& path) {
  ParseResult first = parse_scenario_file(path);
  if (!first.ok()) return "does not parse: " + first.error_text();
  std::string text = write_scenario(*first.scenario);
  ParseResult again = parse_scenario(text, "written.toml");
  if (!again.ok()) return "the written text does not parse: " + again.error_text() + "\n" + text;
  std::string diff = scenario_difference(*first.scenario, *again.scenario);
  return diff.empty() ? "" : diff + " after writing:\n" + text;
}

TEST(ScenarioWriter, EveryLessonRoundTripsToTheSameScenario) {
  int files = 0;
  for (auto& entry : std::filesystem::directory_iterator(WQLAB_SOURCE_DIR "/lessons")) {
    if (entry.path().extension() != ".toml") continue;
    ++files;
    EXPECT_EQ(round_trip(entry.path().string()), "") << entry.path();
  }
  EXPECT_GE(files, 12);
}

TEST(ScenarioWriter, EveryKeyRoundTripsToTheSameScenario) {
  EXPECT_EQ(round_trip(kEveryKey), "");
}

// A shared lesson keeps its checks and questions: the written text runs to the same verdicts.
TEST(ScenarioWriter, WrittenLessonRunsToTheSameVerdicts) {
  ParseResult first = parse_scenario_file(WQLAB_SOURCE_DIR "/lessons/12_ordered.toml");
  ASSERT_TRUE(first.ok()) << first.error_text();
  ParseResult again = parse_scenario(write_scenario(*first.scenario), "written.toml");
  ASSERT_TRUE(again.ok()) << again.error_text();
  Runner r1(*first.scenario), r2(*again.scenario);
  ScenarioRun a = run_scenario(*first.scenario, r1);
  ScenarioRun b = run_scenario(*again.scenario, r2);
  ASSERT_EQ(a.steps.size(), b.steps.size());
  int verdicts = 0;
  for (size_t i = 0; i < a.steps.size(); ++i) {
    ASSERT_EQ(a.steps[i].checks.size(), b.steps[i].checks.size()) << "step " << i + 1;
    ASSERT_EQ(a.steps[i].questions.size(), b.steps[i].questions.size()) << "step " << i + 1;
    for (size_t j = 0; j < a.steps[i].checks.size(); ++j, ++verdicts) {
      EXPECT_EQ(a.steps[i].checks[j].pass, b.steps[i].checks[j].pass);
      EXPECT_EQ(a.steps[i].checks[j].measured, b.steps[i].checks[j].measured);
    }
    for (size_t j = 0; j < a.steps[i].questions.size(); ++j, ++verdicts)
      EXPECT_EQ(a.steps[i].questions[j].verified, b.steps[i].questions[j].verified);
  }
  EXPECT_GT(verdicts, 5);
  EXPECT_EQ(b.failed(), 0);
}

TEST(ScenarioWriter, TextsWithControlCharactersAndDelRoundTrip) {
  Scenario s;
  s.kind = "scenario";
  s.id = "esc";
  s.title = {"tab\there \"quoted\" back\\slash \x01 del\x7f", "中文\n第二行"};
  s.machines.emplace_back();
  ParseResult back = parse_scenario(write_scenario(s), "written.toml");
  ASSERT_TRUE(back.ok()) << back.error_text() << write_scenario(s);
  EXPECT_EQ(back.scenario->title, s.title);
}

// The known keys of one table, as the parser lists them when it meets an unknown one.
std::vector<std::string> known_list(const std::string& file_text) {
  ParseResult r = parse_scenario(file_text, "probe.toml");
  static const std::regex kKnown(R"(\(known: ([^)]*)\))");
  std::smatch m;
  std::string text = r.error_text();
  if (!std::regex_search(text, m, kKnown)) return {};
  std::vector<std::string> out;
  std::string all = m[1];
  for (size_t at = 0; at <= all.size();) {
    size_t comma = all.find(", ", at);
    out.push_back(all.substr(at, comma == std::string::npos ? std::string::npos : comma - at));
    if (comma == std::string::npos) break;
    at = comma + 2;
  }
  return out;
}

void keys_of(const toml::node* n, std::set<std::string>* out) {
  auto add = [&](const toml::table& t) {
    for (auto&& [k, v] : t) out->insert(std::string(k.str()));
  };
  if (n == nullptr) return;
  if (const toml::table* t = n->as_table()) add(*t);
  if (const toml::array* a = n->as_array())
    for (const toml::node& e : *a)
      if (const toml::table* t = e.as_table()) add(*t);
}

TEST(ScenarioWriter, EveryKeyFileUsesEveryKeyActionAndStepTheParserKnows) {
  toml::table doc = toml::parse_file(kEveryKey);
  std::set<std::string> lesson, machine, workqueue, work, step, action, check, question, dos, verbs;
  keys_of(doc.get("lesson"), &lesson);
  keys_of(doc.get("machine"), &machine);
  keys_of(doc.get("workqueue"), &workqueue);
  keys_of(doc.get("work"), &work);
  keys_of(doc.get("step"), &step);
  for (const toml::node& st : *doc.get_as<toml::array>("step")) {
    keys_of(st.as_table()->get("action"), &action);
    keys_of(st.as_table()->get("check"), &check);
    keys_of(st.as_table()->get("question"), &question);
    if (const toml::array* as = st.as_table()->get_as<toml::array>("action"))
      for (const toml::node& a : *as) dos.insert(a.as_table()->get("do")->value_or(""));
  }
  for (const toml::node& w : *doc.get_as<toml::array>("work")) {
    if (const toml::array* steps = w.as_table()->get_as<toml::array>("steps"))
      for (const toml::node& s : *steps) {
        std::string line = s.value_or("");
        verbs.insert(line.substr(0, line.find(' ')));
      }
  }
  const std::string step_head = "[[step]]\nid = \"s\"\n";
  struct Probe {
    const char* what;
    std::string file;
    const std::set<std::string>& used;
  } probes[] = {
      {"[lesson]", "[lesson]\nzz_probe = 1\n", lesson},
      {"[[machine]]", "[[machine]]\nzz_probe = 1\n", machine},
      {"[[workqueue]]", "[[workqueue]]\nname = \"q\"\nzz_probe = 1\n", workqueue},
      {"[[work]]", "[[work]]\nname = \"w\"\nzz_probe = 1\n", work},
      {"[[step]]", step_head + "zz_probe = 1\n", step},
      {"an action", step_head + "[[step.action]]\ndo = \"freeze\"\nzz_probe = 1\n", action},
      {"a check", step_head + "[[step.check]]\nwhat = \"time\"\nexpect = \"1ms\"\nzz_probe = 1\n",
       check},
      {"a question",
       step_head + "[[step.question]]\nask = \"?\"\nanswer = 1\nanswer_from = \"none: x\"\n"
                   "zz_probe = 1\n",
       question},
      {"an action's do", step_head + "[[step.action]]\ndo = \"zz_probe\"\n", dos},
      {"a workload step", "[[work]]\nname = \"w\"\nsteps = [\"zz_probe 1\"]\n", verbs},
  };
  for (const Probe& p : probes) {
    std::vector<std::string> known = known_list(p.file);
    EXPECT_GE(known.size(), 1u) << p.what << ": the parser listed no known keys";
    for (const std::string& k : known)
      EXPECT_TRUE(p.used.count(k)) << kEveryKey << " uses no \"" << k << "\" in " << p.what;
  }
}

TEST(ScenarioWriter, FlagNames) {
  EXPECT_EQ(wq_flag_names(wq_flag_by_name("WQ_UNBOUND") | wq_flag_by_name("WQ_HIGHPRI")),
            "WQ_UNBOUND | WQ_HIGHPRI");
  EXPECT_EQ(wq_flag_names(0), "");
}

}  // namespace
}  // namespace wqlab::test

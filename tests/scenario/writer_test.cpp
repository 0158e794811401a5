// Writing scenarios (what the sandbox saves and shares): every lesson, written and read back,
// gives the same machines, workqueues, work items and actions, and writing is stable.
#include <gtest/gtest.h>

#include <filesystem>

#include "engine/scenario/parser.h"
#include "engine/scenario/writer.h"

namespace wqlab::test {
namespace {

using namespace scenario;

TEST(ScenarioWriter, EveryLessonRoundTrips) {
  int files = 0;
  for (auto& entry : std::filesystem::directory_iterator(WQLAB_SOURCE_DIR "/lessons")) {
    if (entry.path().extension() != ".toml") continue;
    ++files;
    auto first = parse_scenario_file(entry.path().string());
    ASSERT_TRUE(first.ok()) << first.error_text();
    std::string text = write_scenario(*first.scenario);
    auto again = parse_scenario(text, "written.toml");
    ASSERT_TRUE(again.ok()) << entry.path() << "\n" << again.error_text() << "\n" << text;
    const Scenario& a = *first.scenario;
    const Scenario& b = *again.scenario;
    EXPECT_EQ(write_scenario(b), text) << entry.path();
    ASSERT_EQ(a.machines.size(), b.machines.size());
    for (size_t i = 0; i < a.machines.size(); ++i) {
      EXPECT_EQ(a.machines[i].cpus, b.machines[i].cpus);
      EXPECT_EQ(a.machines[i].pid_max, b.machines[i].pid_max);
      EXPECT_EQ(a.machines[i].memory, b.machines[i].memory);
      EXPECT_EQ(a.machines[i].cpu_intensive_thresh, b.machines[i].cpu_intensive_thresh);
    }
    ASSERT_EQ(a.workqueues.size(), b.workqueues.size());
    for (size_t i = 0; i < a.workqueues.size(); ++i)
      EXPECT_EQ(a.workqueues[i].flags, b.workqueues[i].flags);
    ASSERT_EQ(a.works.size(), b.works.size());
    for (size_t i = 0; i < a.works.size(); ++i) {
      ASSERT_EQ(a.works[i].ops.size(), b.works[i].ops.size());
      for (size_t j = 0; j < a.works[i].ops.size(); ++j)
        EXPECT_EQ(a.works[i].ops[j].amount, b.works[i].ops[j].amount);
    }
    ASSERT_EQ(a.steps.size(), b.steps.size());
    for (size_t i = 0; i < a.steps.size(); ++i) {
      ASSERT_EQ(a.steps[i].actions.size(), b.steps[i].actions.size());
      for (size_t j = 0; j < a.steps[i].actions.size(); ++j) {
        EXPECT_EQ(a.steps[i].actions[j].at, b.steps[i].actions[j].at);
        EXPECT_EQ(static_cast<int>(a.steps[i].actions[j].kind),
                  static_cast<int>(b.steps[i].actions[j].kind));
      }
    }
  }
  EXPECT_GE(files, 3);
}

TEST(ScenarioWriter, FlagNames) {
  EXPECT_EQ(wq_flag_names(wq_flag_by_name("WQ_UNBOUND") | wq_flag_by_name("WQ_HIGHPRI")),
            "WQ_UNBOUND | WQ_HIGHPRI");
  EXPECT_EQ(wq_flag_names(0), "");
}

}  // namespace
}  // namespace wqlab::test

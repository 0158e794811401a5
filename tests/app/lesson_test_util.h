// Lessons for the app's tests: the lesson files parsed, the same lesson run headless the way
// `wqlab run` runs it (the reference), and a way to drive a LessonPlayer frame by frame until
// it has settled, the way the UI does, without sleeping.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

#include "engine/scenario/parser.h"
#include "engine/scenario/report.h"
#include "player/lesson_player.h"

namespace wqlab::test {

inline const char* const kRequiredLessons[] = {"01_pid_exhaustion", "02_st_serialization",
                                               "03_rescuer"};

inline std::string lesson_path(const std::string& stem) {
  return std::string(WQLAB_LESSONS_DIR) + "/" + stem + ".toml";
}

inline std::shared_ptr<const scenario::Scenario> load_lesson(const std::string& stem) {
  scenario::ParseResult parsed = scenario::parse_scenario_file(lesson_path(stem));
  EXPECT_TRUE(parsed.ok()) << parsed.error_text();
  if (!parsed.ok()) return nullptr;
  return std::make_shared<const scenario::Scenario>(std::move(*parsed.scenario));
}

// `wqlab run FILE`: every step at once on a Runner of its own.
struct HeadlessRun {
  explicit HeadlessRun(std::shared_ptr<const scenario::Scenario> s)
      : scenario(std::move(s)), runner(*scenario) {
    run = scenario::run_scenario(*scenario, runner);
  }
  std::string log_bytes(size_t machine) {
    runner.machines()[machine]->recorder().drain();
    return runner.machines()[machine]->recorder().log().bytes();
  }
  std::shared_ptr<const scenario::Scenario> scenario;
  scenario::Runner runner;
  scenario::ScenarioRun run;
};

// The report `wqlab run` prints, made from the results a session published.
inline std::string report_of(const session::LessonInfo& info) {
  scenario::ScenarioRun run;
  run.scenario = info.scenario.get();
  for (const session::StepRecord& r : info.steps) run.steps.push_back(r.result);
  return scenario::report_text(run);
}

// Updates the player (as one UI frame would) until it has settled; false on timeout.
inline bool settle(player::LessonPlayer& p, session::LessonSession& s,
                   std::chrono::seconds timeout = std::chrono::seconds(120)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    s.wait_until_quiet(std::chrono::milliseconds(200));
    p.update(0.0f);
    if (p.settled()) return true;
    if (std::chrono::steady_clock::now() > deadline) return false;
  }
}

}  // namespace wqlab::test

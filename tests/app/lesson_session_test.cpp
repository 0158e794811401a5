// The lesson session: a lesson run a step at a time on the session's driver thread (or a slice,
// or one dispatch at a time) ends each step exactly where `wqlab run` ends it: the same
// checkpoint results, answer keys and notes, and byte for byte the same event logs.
#include <gtest/gtest.h>

#include "lesson_test_util.h"
#include "session/lesson_run.h"
#include "session/platform_limits.h"

namespace wqlab::test {
namespace {

using namespace std::chrono_literals;

class RequiredLesson : public ::testing::TestWithParam<const char*> {};

TEST_P(RequiredLesson, SessionStepsToEachCheckpointLikeTheHeadlessRunner) {
  auto lesson = load_lesson(GetParam());
  ASSERT_TRUE(lesson);
  HeadlessRun reference(lesson);
  session::LessonSession s(0);
  s.open(lesson);
  for (size_t i = 0; i < lesson->steps.size(); ++i) {
    s.run_until_idle();
    ASSERT_TRUE(s.wait_until_quiet(120s)) << "step " << i;
    auto info = s.info();
    ASSERT_TRUE(info);
    EXPECT_EQ(info->steps_finished(), i + 1);
    EXPECT_FALSE(info->step_running());
  }
  auto info = s.info();
  ASSERT_TRUE(info->complete());
  EXPECT_EQ(report_of(*info), scenario::report_text(reference.run));
  EXPECT_EQ(reference.run.failed(), 0) << scenario::report_text(reference.run);
  for (size_t m = 0; m < info->machines.size(); ++m) {
    info->machines[m].recording->recorder->drain();
    EXPECT_EQ(info->machines[m].recording->recorder->log().bytes(), reference.log_bytes(m))
        << info->machines[m].id;
  }
  // Nothing is left to run: another request changes nothing.
  s.run_until_idle();
  ASSERT_TRUE(s.wait_until_quiet(10s));
  EXPECT_EQ(s.info()->steps.size(), lesson->steps.size());
}

// Playing runs each machine in small slices of virtual time; a slice boundary must never
// change what the machines do.
TEST_P(RequiredLesson, SlicesAndSingleDispatchesEndWhereOneRunEnds) {
  auto lesson = load_lesson(GetParam());
  ASSERT_TRUE(lesson);
  HeadlessRun reference(lesson);
  session::LessonRun sliced(lesson, 0, 1);
  session::LessonRun stepped(lesson, 0, 2);
  for (size_t i = 0; i < lesson->steps.size(); ++i) {
    ASSERT_TRUE(sliced.start_next_step());
    kernel::Nanos offset = 0;
    while (!sliced.advance(offset, 97).finished) offset += kernel::usecs(700);
    ASSERT_TRUE(stepped.start_next_step());
    // One dispatch at a time, except through the long quiet stretches of the rescuer lesson.
    for (int n = 0; !stepped.step_one().finished; ++n)
      if (n % 64 == 63 && stepped.advance(stepped.offset() + kernel::msecs(50), 8).finished) break;
  }
  for (auto* run : {&sliced, &stepped}) {
    ASSERT_TRUE(run->complete());
    EXPECT_EQ(report_of(*run->info()), scenario::report_text(reference.run));
    for (size_t m = 0; m < run->info()->machines.size(); ++m)
      EXPECT_EQ(run->info()->machines[m].recording->recorder->log().bytes(), reference.log_bytes(m))
          << run->info()->machines[m].id;
  }
}

// The browser has a few OS threads for all of a lesson's machines.
TEST_P(RequiredLesson, RunsWithinTheBrowsersThreadBudget) {
  auto lesson = load_lesson(GetParam());
  ASSERT_TRUE(lesson);
  HeadlessRun reference(lesson);
  session::LessonRun run(lesson, session::kBrowserCarrierCap, 1);
  while (run.start_next_step()) run.advance(kernel::kForever, UINT64_MAX);
  EXPECT_EQ(run.error(), "");
  EXPECT_LE(run.carriers_peak(), session::kBrowserCarrierCap);
  EXPECT_EQ(report_of(*run.info()), scenario::report_text(reference.run));
}

INSTANTIATE_TEST_SUITE_P(LessonSession, RequiredLesson, ::testing::ValuesIn(kRequiredLessons));

TEST(LessonSession, PlayPausesAtTheCheckpoint) {
  auto lesson = load_lesson("02_st_serialization");
  session::LessonSession s(0);
  s.set_speed(session::SessionControl::kMaxSpeed);
  s.open(lesson);
  ASSERT_TRUE(s.wait_until_quiet(30s));
  s.play();
  ASSERT_TRUE(s.wait_until_quiet(60s));  // playing ends by itself at the first checkpoint
  const session::SessionStatus st = s.status();
  EXPECT_FALSE(st.playing);
  EXPECT_EQ(s.info()->steps_finished(), 1u);
  EXPECT_FALSE(s.info()->step_running());
  EXPECT_EQ(s.info()->steps[0].result.failed(), 0);
}

TEST(LessonSession, StepRunsOneDispatchOfTheNextStep) {
  auto lesson = load_lesson("02_st_serialization");
  session::LessonSession s(0);
  s.open(lesson);
  ASSERT_TRUE(s.wait_until_quiet(30s));
  const uint64_t booted = s.status().events;
  s.step();
  ASSERT_TRUE(s.wait_until_quiet(30s));
  auto info = s.info();
  ASSERT_EQ(info->steps.size(), 1u);
  EXPECT_TRUE(info->step_running());
  EXPECT_GT(s.status().events, booted);
  EXPECT_EQ(info->steps[0].begin_events[0], info->boot_events[0]);
}

// The sandbox's way in: an action performed now, at the machine's current time.
TEST(LessonSession, PerformRunsAnActionNow) {
  auto lesson = load_lesson("02_st_serialization");
  session::LessonSession s(0);
  s.open(lesson);
  ASSERT_TRUE(s.wait_until_quiet(30s));
  scenario::Action a;
  a.kind = scenario::ActionKind::Queue;
  a.work = "pio0";
  a.wq = "ata";
  a.cpu = 0;
  s.perform("cmwq", a);
  ASSERT_TRUE(s.wait_until_quiet(30s));
  EXPECT_EQ(s.status().commands_done, 1u);
  auto info = s.info();
  const int cmwq = info->machine_index("cmwq");
  ASSERT_GE(cmwq, 0);
  model::MachineModel m;
  m.attach(info->machines[cmwq].recording->recorder.get(), info->machines[cmwq].recording->config);
  m.update();
  EXPECT_EQ(m.head().executions_started, 1u);  // the kworker took it at once; time stood still
  EXPECT_EQ(m.head().now, 0);
  EXPECT_EQ(s.status().error, "");
}

TEST(LessonSession, OpeningAnotherLessonReplacesTheMachines) {
  session::LessonSession s(0);
  s.open(load_lesson("02_st_serialization"));
  ASSERT_TRUE(s.wait_until_quiet(30s));
  const uint64_t first = s.info()->generation;
  auto rec = s.info()->machines[0].recording;
  s.open(load_lesson("03_rescuer"));
  ASSERT_TRUE(s.wait_until_quiet(30s));
  EXPECT_GT(s.info()->generation, first);
  EXPECT_EQ(s.info()->scenario->id, "rescuer");
  EXPECT_EQ(s.info()->machines.size(), 2u);
  EXPECT_GT(rec->recorder->log().size(), 0u);  // the old recording outlives its machine
  s.close();
  ASSERT_TRUE(s.wait_until_quiet(30s));
  EXPECT_FALSE(s.info());
}

}  // namespace
}  // namespace wqlab::test

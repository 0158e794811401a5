// The lesson player: questions before answers, checkpoints, stepping back and forth through
// what has been recorded (the same states, without running anything again), and a lesson file
// that does not parse.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "lesson_test_util.h"
#include "player/lesson_catalog.h"

namespace wqlab::test {
namespace {

using player::LessonPlayer;
using player::StepPhase;

struct OpenLesson {
  explicit OpenLesson(const std::string& stem) : player(session) {
    lesson = load_lesson(stem);
    player.open(lesson);
    EXPECT_TRUE(settle(player, session));
  }
  // Answers every question of the shown step with its answer key.
  void answer_all() {
    const scenario::Step& step = lesson->steps[player.shown_step()];
    for (size_t q = 0; q < step.questions.size(); ++q) {
      const scenario::Question& question = step.questions[q];
      EXPECT_TRUE(player.answer(
          q, question.number ? question.answer_number : question.answer_choice + 1.0));
    }
  }
  std::vector<model::MachineState> states() const {
    std::vector<model::MachineState> out;
    for (const auto& m : player.machines()) out.push_back(m->state());
    return out;
  }
  session::LessonSession session{0};
  LessonPlayer player;
  std::shared_ptr<const scenario::Scenario> lesson;
};

TEST(LessonPlayer, AStepWithOpenQuestionsDoesNotStart) {
  OpenLesson t("02_st_serialization");
  EXPECT_EQ(t.player.shown_step(), 0u);
  EXPECT_EQ(t.player.phase(0), StepPhase::NotStarted);
  const uint64_t booted = t.player.timeline().end();
  EXPECT_FALSE(t.player.to_next_checkpoint());
  EXPECT_TRUE(t.player.blocked());
  EXPECT_FALSE(t.player.play());
  EXPECT_FALSE(t.player.step_forward());
  ASSERT_TRUE(settle(t.player, t.session));
  EXPECT_EQ(t.player.phase(0), StepPhase::NotStarted);
  EXPECT_EQ(t.player.timeline().end(), booted);  // nothing ran
  // A wrong prediction is recorded as one; then the step runs.
  std::string why;
  EXPECT_TRUE(t.player.answer(0, 30, &why));
  EXPECT_FALSE(t.player.blocked());
  EXPECT_TRUE(t.player.to_next_checkpoint());
  ASSERT_TRUE(settle(t.player, t.session));
  EXPECT_EQ(t.player.phase(0), StepPhase::Done);
  EXPECT_TRUE(t.player.at_checkpoint());
  const player::RecordedAnswer* a = t.player.answers().find(0, 0);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->id, "st-end");
  EXPECT_FALSE(a->correct);  // pio1 ends at 44 ms, not 30
  EXPECT_EQ(t.player.record(0)->result.questions[0].measured, "44 ms");
  EXPECT_TRUE(t.player.record(0)->result.questions[0].verified);
}

TEST(LessonPlayer, ChoicesAreCheckedAndSkippingOpensTheStep) {
  OpenLesson t("02_st_serialization");
  ASSERT_TRUE(t.player.answer(0, 44));
  ASSERT_TRUE(t.player.to_next_checkpoint());
  ASSERT_TRUE(settle(t.player, t.session));
  ASSERT_TRUE(t.player.next_step());
  EXPECT_EQ(t.player.shown_step(), 1u);
  EXPECT_EQ(t.player.phase(1), StepPhase::NotStarted);
  std::string why;
  EXPECT_FALSE(t.player.answer(0, 3, &why));  // only two choices
  EXPECT_NE(why.find("1 to 2"), std::string::npos);
  EXPECT_FALSE(t.player.to_next_checkpoint());
  t.player.skip(0);
  EXPECT_TRUE(t.player.to_next_checkpoint());
  ASSERT_TRUE(settle(t.player, t.session));
  EXPECT_EQ(t.player.phase(1), StepPhase::Done);
  ASSERT_EQ(t.player.answers().all().size(), 2u);
  EXPECT_TRUE(t.player.answers().all()[0].correct);
  EXPECT_TRUE(t.player.answers().all()[1].skipped);
}

// Going back shows the models' snapshots; going forward again only moves the moment, and every
// machine looks exactly as it did when the engine first got there.
TEST(LessonPlayer, SteppingBackThenForwardShowsTheSameStates) {
  for (const char* stem : kRequiredLessons) {
    SCOPED_TRACE(stem);
    OpenLesson t(stem);
    std::vector<std::vector<model::MachineState>> at_checkpoint;
    for (size_t i = 0; i < t.lesson->steps.size(); ++i) {
      if (i > 0) {
        ASSERT_TRUE(t.player.next_step());
      }
      t.answer_all();
      ASSERT_TRUE(t.player.to_next_checkpoint());
      ASSERT_TRUE(settle(t.player, t.session));
      ASSERT_TRUE(t.player.at_checkpoint());
      EXPECT_EQ(t.player.shown_step(), i);
      EXPECT_EQ(t.player.record(i)->result.failed(), 0);
      at_checkpoint.push_back(t.states());
    }
    const uint64_t end = t.player.timeline().end();
    ASSERT_TRUE(t.player.show_checkpoint(0));
    t.player.update(0);
    EXPECT_EQ(t.player.shown_step(), 0u);
    EXPECT_TRUE(t.player.at_checkpoint());
    EXPECT_FALSE(t.player.live());
    EXPECT_EQ(t.states(), at_checkpoint[0]);
    // One event back and forth again.
    t.player.step_back();
    t.player.update(0);
    EXPECT_NE(t.states(), at_checkpoint[0]);
    EXPECT_TRUE(t.player.step_forward());
    t.player.update(0);
    EXPECT_EQ(t.states(), at_checkpoint[0]);
    for (size_t i = 1; i < t.lesson->steps.size(); ++i) {
      ASSERT_TRUE(t.player.to_next_checkpoint());
      t.player.update(0);
      EXPECT_EQ(t.player.shown_step(), i);
      EXPECT_EQ(t.states(), at_checkpoint[i]) << "checkpoint " << i + 1;
    }
    EXPECT_EQ(t.player.timeline().end(), end);  // nothing ran again
    t.player.to_previous_checkpoint();
    t.player.update(0);
    EXPECT_EQ(t.player.shown_step(), t.lesson->steps.size() - 2);
    EXPECT_EQ(t.states(), at_checkpoint[t.lesson->steps.size() - 2]);
  }
}

// Side by side: one position shows both machines at the same time since the step began.
TEST(LessonPlayer, SideBySideMachinesScrubTogether) {
  OpenLesson t("03_rescuer");
  t.answer_all();
  ASSERT_TRUE(t.player.to_next_checkpoint());
  ASSERT_TRUE(settle(t.player, t.session));
  const auto& tl = t.player.timeline();
  ASSERT_EQ(tl.segments(), 3u);  // boot, step 1, the next step's (empty)
  const uint64_t begin = tl.segment_begin(1), end = tl.segment_end(1);
  ASSERT_GT(end - begin, 20u);
  const session::StepRecord* rec = t.player.record(0);
  std::vector<uint64_t> last = tl.counts_at(begin);
  for (uint64_t p = begin; p <= end; ++p) {
    t.player.seek(p);
    t.player.update(0);
    const auto& ms = t.player.machines();
    uint64_t total = 0;
    for (size_t m = 0; m < ms.size(); ++m) {
      EXPECT_GE(ms[m]->shown, last[m]);  // never backwards
      total += ms[m]->shown;
      last[m] = ms[m]->shown;
      EXPECT_EQ(tl.position_of(m, ms[m]->shown) <= p, true);
    }
    EXPECT_EQ(total, p);
    // Both machines are at (nearly) the same time since the step began.
    const auto t0 = ms[0]->model.time_of(ms[0]->shown) - rec->begin_time[0];
    const auto t1 = ms[1]->model.time_of(ms[1]->shown) - rec->begin_time[1];
    if (ms[0]->shown > rec->begin_events[0] && ms[1]->shown > rec->begin_events[1] &&
        ms[0]->shown < rec->end_events[0] && ms[1]->shown < rec->end_events[1]) {
      EXPECT_LE(std::abs(t0 - t1), kernel::msecs(2)) << "position " << p;
    }
  }
}

TEST(LessonPlayer, ABadFileIsReportedAndTheLessonStays) {
  OpenLesson t("02_st_serialization");
  const auto bad = std::filesystem::temp_directory_path() / "wqlab_bad_lesson.toml";
  {
    std::ofstream out(bad);
    out << "[lesson]\nid = \"broken\"\ntitle = \"Broken\"\n[[machine]]\nmax_activ = 3\n";
  }
  std::string error;
  EXPECT_FALSE(player::open_lesson_file(t.player, bad.string(), &error));
  EXPECT_EQ(error.rfind(bad.string() + ":5:1: ", 0), 0u) << error;
  EXPECT_EQ(t.player.scenario()->id, "st-serialization");
  EXPECT_FALSE(player::open_lesson_file(t.player, "/no/such/lesson.toml", &error));
  EXPECT_EQ(error, "/no/such/lesson.toml:1:1: cannot open the file");
  EXPECT_TRUE(settle(t.player, t.session));
  EXPECT_EQ(t.player.scenario()->id, "st-serialization");
  EXPECT_EQ(t.player.machines().size(), 4u);
  std::filesystem::remove(bad);
}

TEST(LessonAnswers, ReadsTheAnswerList) {
  std::map<std::string, double> got;
  std::string error;
  ASSERT_TRUE(player::parse_answer_list("how-many-queues=120,which-fits=2", &got, &error));
  EXPECT_EQ(got.at("how-many-queues"), 120);
  EXPECT_EQ(got.at("which-fits"), 2);
  EXPECT_FALSE(player::parse_answer_list("a=1,b", &got, &error));
  EXPECT_EQ(error, "'b' is not QUESTION_ID=NUMBER");
  EXPECT_FALSE(player::parse_answer_list("a=x", &got, &error));
}

TEST(LessonCatalog, ListsTheLessonsInOrder) {
  player::LessonCatalog catalog;
  ASSERT_TRUE(catalog.scan(WQLAB_LESSONS_DIR));
  ASSERT_GE(catalog.entries().size(), 12u);
  EXPECT_EQ(catalog.entries()[0].id, "pid-exhaustion");
  EXPECT_EQ(catalog.entries()[1].id, "st-serialization");
  EXPECT_EQ(catalog.entries()[2].id, "rescuer");
  for (const auto& e : catalog.entries()) EXPECT_EQ(e.error, "") << e.path;
  ASSERT_TRUE(catalog.find("03_rescuer"));
  EXPECT_EQ(catalog.find("rescuer")->machines, 2u);
  EXPECT_EQ(player::find_lesson_dir("/nowhere/bin/wqlab", WQLAB_LESSONS_DIR), WQLAB_LESSONS_DIR);
}

}  // namespace
}  // namespace wqlab::test

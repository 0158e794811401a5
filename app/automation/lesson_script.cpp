// LessonScript: the lesson automation behind --answers, --to-checkpoint, --back-to-checkpoint
// and --shots with --lesson.
#include "automation/lesson_script.h"

#include <algorithm>

#include "player/lesson_answers.h"

namespace wqlab {
namespace {
constexpr int kFramesPerShot = 6;  // layout, fonts and wrapped text settle in a couple of frames
}  // namespace

LessonScript::LessonScript(const Options& options, LessonUi& ui, Shell& shell)
    : ui_(ui),
      shell_(shell),
      to_checkpoint_(options.to_checkpoint),
      back_to_checkpoint_(options.back_to_checkpoint),
      chinese_(options.chinese),
      shots_dir_(options.shots) {
  std::string error;
  player::parse_answer_list(options.answers, &answers_, &error);  // checked by parse_args()
  ui_.chinese = chinese_;
  if (!ui_.open(options.lesson)) stage_ = Stage::Done;  // the banner shows why
}

const char* LessonScript::stage_name() const {
  switch (stage_) {
    case Stage::Open:
      return "open";
    case Stage::Forward:
      return "forward";
    case Stage::Back:
      return "back";
    case Stage::Done:
      return shots_.empty() ? "done" : "shots";
  }
  return "?";
}

void LessonScript::before_frame() {
  if (!shots_.empty()) {
    const Shot& s = shots_.front();
    if (shot_frames_ == 0) {
      for (int p = 0; p < kPanelCount; ++p) shell_.settings.show[p] = s.solo < 0 || s.solo == p;
      ui_.chinese = s.chinese;
    }
    return;  // no command while a shot is being taken
  }
  player::LessonPlayer* p = ui_.player();
  if (stage_ == Stage::Done || !p || !p->settled()) return;
  switch (stage_) {
    case Stage::Open:
      ui_.chinese = chinese_;  // over the saved settings, read with the first frame
      stage_ = to_checkpoint_ != 0 ? Stage::Forward : Stage::Back;
      break;
    case Stage::Forward:
      forward();
      break;
    case Stage::Back:
      if (const size_t reached = p->info()->steps_finished();
          back_to_checkpoint_ != 0 && reached > 0) {
        const size_t checkpoint = back_to_checkpoint_ < 0
                                      ? reached
                                      : std::min(reached, static_cast<size_t>(back_to_checkpoint_));
        p->show_checkpoint(checkpoint - 1);
        queue_shots(checkpoint);
      }
      stage_ = Stage::Done;
      break;
    case Stage::Done:
      break;
  }
}

// One command towards the checkpoint asked for.
void LessonScript::forward() {
  player::LessonPlayer& p = *ui_.player();
  const size_t n = p.scenario()->steps.size();
  const size_t target = to_checkpoint_ < 0 ? n : std::min(n, static_cast<size_t>(to_checkpoint_));
  const size_t finished = p.info()->steps_finished();
  if (finished >= target || !p.status().error.empty()) {
    if (finished > 0) queue_shots(finished);
    stage_ = Stage::Back;
    return;
  }
  if (p.shown_step() != finished) {
    p.next_step();  // from the last checkpoint to the step that runs next
    return;
  }
  const scenario::Step& step = p.scenario()->steps[finished];
  for (size_t q = 0; q < step.questions.size(); ++q) {
    if (p.answers().find(finished, q)) continue;
    auto it = answers_.find(step.questions[q].id);
    if (it == answers_.end() || !p.answer(q, it->second)) p.skip(q);
  }
  p.to_next_checkpoint();
}

void LessonScript::queue_shots(size_t checkpoint) {
  if (shots_dir_.empty()) return;
  const std::string base = shots_dir_ + "/checkpoint-" + std::to_string(checkpoint);
  for (int p = 0; p < kPanelCount; ++p) saved_show_[p] = shell_.settings.show[p];
  shots_.push_back({base + ".png", false, -1});
  shots_.push_back({base + "-zh.png", true, -1});
  shots_.push_back({base + "-room.png", chinese_, static_cast<int>(PanelId::kMachineRoom)});
}

void LessonScript::after_frame(const std::function<std::string(const std::string&)>& save,
                               std::string* error) {
  if (shots_.empty() || !ui_.settled() || ++shot_frames_ < kFramesPerShot) return;
  *error = save(shots_.front().file);
  shots_.erase(shots_.begin());
  shot_frames_ = 0;
  if (shots_.empty()) {
    // Back to the layout and language asked for.
    for (int p = 0; p < kPanelCount; ++p) shell_.settings.show[p] = saved_show_[p];
    ui_.chinese = chinese_;
  }
}

}  // namespace wqlab

// LessonPlayerView: the Lesson panel while a lesson is open (or the list of lessons while
// none is). From the top: an error banner when a file did not parse, the lesson's title and
// the language switch (English / 简体中文), the step dots and the scrubber with the
// checkpoints as ticks, the transport, then the shown step: its narration, its questions
// (answered before the step's checkpoint reveals what the machine did), its checkpoint's
// results, and what to do next. It reads the LessonPlayer and sends it the student's commands.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <utility>

#include "player/lesson_catalog.h"
#include "player/lesson_player.h"
#include "views/view_context.h"

namespace wqlab {

// The player's own words in the chosen language (every Chinese character here is collected
// into the UI font at build time).
inline const char* tr(bool chinese, const char* en, const char* zh) {
  return chinese ? zh : en;
}

struct LessonPanelInput {
  player::LessonPlayer* player = nullptr;  // null or closed: the list of lessons
  const player::LessonCatalog* catalog = nullptr;
  bool* chinese = nullptr;
  std::string* error = nullptr;  // the banner; its close button clears it
};

// What the student asked for that the panel cannot do itself.
struct LessonPanelOutput {
  std::string open;  // a catalog lesson's path
  bool restart = false;
};

class LessonPlayerView {
 public:
  LessonPanelOutput draw(const LessonPanelInput& in);
  int drawn_items() const { return drawn_; }

 private:
  void draw_banner(std::string& error, bool lesson_open);
  void draw_catalog(const LessonPanelInput& in, LessonPanelOutput& out);
  void draw_header(player::LessonPlayer& p, bool& chinese);
  void draw_progress(player::LessonPlayer& p, bool zh);
  void draw_scrubber(player::LessonPlayer& p, bool zh);
  void draw_transport(player::LessonPlayer& p, bool zh, LessonPanelOutput& out);
  void draw_step(player::LessonPlayer& p, bool zh);
  void draw_questions(player::LessonPlayer& p, bool zh);
  void draw_checkpoint(player::LessonPlayer& p, bool zh);
  void draw_next(player::LessonPlayer& p, bool zh, LessonPanelOutput& out);

  std::map<std::pair<size_t, size_t>, double> drafts_;  // answers being typed, by (step, q)
  // The step shown and whether at its checkpoint, last frame: a new step scrolls to the top, a
  // checkpoint reached scrolls to the results (the reveal, then the checks).
  std::pair<size_t, bool> last_view_{SIZE_MAX, false};
  bool scroll_to_results_ = false;
  // A step refused to run for an open question: the question scrolls into view, once.
  bool was_blocked_ = false;
  bool scroll_to_question_ = false;
  std::string answer_error_;
  int drawn_ = 0;
};

}  // namespace wqlab

// LessonAnswers: the student's predictions. Each question of a step is answered (a number, or
// the number of a choice, 1 = first) or skipped before its step's checkpoint reveals what the
// machine did; the answer is kept, graded against the file's answer key (within its tolerance)
// and shown again next to the reveal. Also reads the app's --answers "id=value,..." option.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "engine/scenario/spec.h"

namespace wqlab::player {

struct RecordedAnswer {
  size_t step = 0;
  size_t question = 0;  // index in the step's questions
  std::string id;       // the question's id
  bool skipped = false;
  double value = 0;  // the number, or the choice's number (1 = first)
  bool correct = false;
};

class LessonAnswers {
 public:
  void reset(const scenario::Scenario* scenario);
  // Records an answer; false (with `why`) when it is not one (a choice that does not exist).
  bool answer(size_t step, size_t question, double value, std::string* why = nullptr);
  void skip(size_t step, size_t question);
  const RecordedAnswer* find(size_t step, size_t question) const;
  // Every question of `step` is answered or skipped, so its reveal may show.
  bool settled(size_t step) const;
  const std::vector<RecordedAnswer>& all() const { return answers_; }

  static bool grade(const scenario::Question& q, double value);

 private:
  const scenario::Scenario* scenario_ = nullptr;
  std::vector<RecordedAnswer> answers_;  // in the order given
};

// "how-many-queues=120,which-fits=2" -> {id: value}; an error names the bad part.
bool parse_answer_list(const std::string& text, std::map<std::string, double>* out,
                       std::string* error);

}  // namespace wqlab::player

// LessonAnswers: recording and grading predictions; the --answers list.
#include "player/lesson_answers.h"

#include <cmath>
#include <cstdlib>

namespace wqlab::player {

void LessonAnswers::reset(const scenario::Scenario* scenario) {
  scenario_ = scenario;
  answers_.clear();
}

bool LessonAnswers::grade(const scenario::Question& q, double value) {
  if (q.number) return std::fabs(value - q.answer_number) <= q.tolerance + 1e-9;
  return static_cast<int>(std::lround(value)) - 1 == q.answer_choice;
}

bool LessonAnswers::answer(size_t step, size_t question, double value, std::string* why) {
  if (!scenario_ || step >= scenario_->steps.size() ||
      question >= scenario_->steps[step].questions.size()) {
    if (why) *why = "there is no such question";
    return false;
  }
  const scenario::Question& q = scenario_->steps[step].questions[question];
  if (!std::isfinite(value)) {
    if (why) *why = "not a number";
    return false;
  }
  if (!q.number &&
      (value < 1 || value > static_cast<double>(q.choices.size()) || value != std::floor(value))) {
    if (why) *why = "pick one of the choices 1 to " + std::to_string(q.choices.size());
    return false;
  }
  RecordedAnswer a{step, question, q.id, false, value, grade(q, value)};
  for (RecordedAnswer& old : answers_) {
    if (old.step == step && old.question == question) {
      old = a;
      return true;
    }
  }
  answers_.push_back(a);
  return true;
}

void LessonAnswers::skip(size_t step, size_t question) {
  if (!scenario_ || step >= scenario_->steps.size() ||
      question >= scenario_->steps[step].questions.size() || find(step, question))
    return;
  answers_.push_back(
      {step, question, scenario_->steps[step].questions[question].id, true, 0, false});
}

const RecordedAnswer* LessonAnswers::find(size_t step, size_t question) const {
  for (const RecordedAnswer& a : answers_)
    if (a.step == step && a.question == question) return &a;
  return nullptr;
}

bool LessonAnswers::settled(size_t step) const {
  if (!scenario_ || step >= scenario_->steps.size()) return true;
  for (size_t q = 0; q < scenario_->steps[step].questions.size(); ++q)
    if (!find(step, q)) return false;
  return true;
}

bool parse_answer_list(const std::string& text, std::map<std::string, double>* out,
                       std::string* error) {
  size_t at = 0;
  while (at < text.size()) {
    size_t comma = text.find(',', at);
    if (comma == std::string::npos) comma = text.size();
    const std::string part = text.substr(at, comma - at);
    at = comma + 1;
    if (part.empty()) continue;
    const size_t eq = part.find('=');
    char* end = nullptr;
    const std::string value = eq == std::string::npos ? "" : part.substr(eq + 1);
    const double v = std::strtod(value.c_str(), &end);
    if (eq == 0 || eq == std::string::npos || value.empty() || *end != '\0' || !std::isfinite(v)) {
      *error = "'" + part + "' is not QUESTION_ID=NUMBER";
      return false;
    }
    (*out)[part.substr(0, eq)] = v;
  }
  return true;
}

}  // namespace wqlab::player

// LessonPlayerView: the shown step's questions (predict, then see) and its checkpoint results.
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <string>

#include "imgui.h"
#include "views/lesson_player_view.h"
#include "views/palette.h"
#include "views/test_hooks.h"
#include "views/wrapped_text.h"

namespace wqlab {
namespace {

std::string number_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

// "120 ms", or the choice's text.
std::string answer_text(const scenario::Question& q, double value, bool zh) {
  if (q.number) return number_text(value) + (q.unit.empty() ? "" : " " + q.unit);
  const auto i = static_cast<size_t>(std::lround(value)) - 1;
  return i < q.choices.size() ? q.choices[i].in(zh) : number_text(value);
}

std::string key_text(const scenario::Question& q, bool zh) {
  return q.number ? answer_text(q, q.answer_number, zh)
                  : answer_text(q, static_cast<double>(q.answer_choice + 1), zh);
}

}  // namespace

void LessonPlayerView::draw_questions(player::LessonPlayer& p, bool zh) {
  const size_t step = p.shown_step();
  const scenario::Step& s = p.scenario()->steps[step];
  const session::StepRecord* rec = p.record(step);
  const bool done = rec && rec->finished;
  for (size_t qi = 0; qi < s.questions.size(); ++qi) {
    const scenario::Question& q = s.questions[qi];
    const player::RecordedAnswer* given = p.answers().find(step, qi);
    if (scroll_to_results_ && done && given) {
      ImGui::SetScrollHereY(0.0f);
      scroll_to_results_ = false;
    }
    if (scroll_to_question_ && !given) {
      ImGui::SetScrollHereY(0.0f);
      scroll_to_question_ = false;
    }
    ImGui::PushID(static_cast<int>(qi));
    ImGui::PushStyleColor(ImGuiCol_ChildBg, palette::kBoxBg);
    ImGui::PushStyleColor(ImGuiCol_Border,
                          p.blocked() && !given ? palette::kOrange : palette::kBoxBorder);
    ImGui::BeginChild("##question", ImVec2(0, 0),
                      ImGuiChildFlags_Border | ImGuiChildFlags_AutoResizeY);
    ImGui::TextDisabled("%s", tr(zh, "Predict", "预测"));
    wrapped_text(q.ask.in(zh));
    if (!given) {
      // The answer being typed or picked, kept until it is given.
      double& draft = drafts_.try_emplace({step, qi}, q.number ? 0.0 : 1.0).first->second;
      if (q.number) {
        ImGui::SetNextItemWidth(ImGui::CalcTextSize("000000000").x);
        ImGui::InputDouble("##value", &draft, 0, 0, "%g");
        test_hooks::note_item("lesson:answer value");
        if (!q.unit.empty()) {
          ImGui::SameLine();
          ImGui::TextUnformatted(q.unit.c_str());
        }
      } else {
        for (size_t c = 0; c < q.choices.size(); ++c) {
          ImGui::PushID(static_cast<int>(c));
          if (ImGui::RadioButton("##choice", std::lround(draft) == static_cast<long>(c + 1)))
            draft = static_cast<double>(c + 1);
          test_hooks::note_item(("lesson:choice " + std::to_string(c + 1)).c_str());
          ImGui::SameLine();
          ImGui::BeginGroup();
          wrapped_text(q.choices[c].in(zh));
          ImGui::EndGroup();
          ImGui::PopID();
        }
      }
      if (ImGui::Button(tr(zh, "Answer", "回答"))) {
        answer_error_.clear();
        p.answer(qi, draft, &answer_error_);
      }
      test_hooks::note_item("lesson:answer");
      ImGui::SameLine();
      if (ImGui::Button(tr(zh, "Skip", "跳过"))) p.skip(qi);
      test_hooks::note_item("lesson:skip");
      if (!answer_error_.empty())
        ImGui::TextColored(ImVec4(1, 0.6f, 0.5f, 1), "%s", answer_error_.c_str());
    } else if (!done) {
      const std::string mine =
          given->skipped ? tr(zh, "skipped", "已跳过") : answer_text(q, given->value, zh);
      wrapped_text(std::string(tr(zh, "Your answer: ", "你的回答：")) + mine);
      ImGui::TextDisabled("%s", tr(zh, "The checkpoint at the end of the step will tell.",
                                   "这一步结束时的检查点会揭晓答案。"));
    } else {
      // Revealed: what the student said, the key, the explanation, and what the machine did.
      const bool right = !given->skipped && given->correct;
      ImGui::PushStyleColor(ImGuiCol_Text, given->skipped ? palette::kTextDim
                                           : right        ? palette::kGreen
                                                          : palette::kVermillion);
      const std::string verdict =
          given->skipped
              ? std::string(tr(zh, "Skipped. The answer: ", "已跳过。答案：")) + key_text(q, zh)
          : right
              ? std::string("✔ ") + tr(zh, "Right: ", "正确：") + answer_text(q, given->value, zh)
              : std::string("✘ ") + tr(zh, "You said: ", "你的回答：") +
                    answer_text(q, given->value, zh) + tr(zh, "; the answer: ", "；答案：") +
                    key_text(q, zh);
      wrapped_text(verdict);
      ImGui::PopStyleColor();
      wrapped_text(q.reveal.in(zh));
      if (qi < rec->result.questions.size() && rec->result.questions[qi].checked) {
        const scenario::QuestionResult& r = rec->result.questions[qi];
        ImGui::PushStyleColor(ImGuiCol_Text, r.verified ? palette::kTextDim : palette::kVermillion);
        wrapped_text(std::string(tr(zh, "The machine: ", "机器实测：")) + r.measured +
                     (r.verified ? tr(zh, " (the answer key holds)", "（与答案一致）")
                                 : tr(zh, " (the answer key does not hold!)", "（与答案不符！）")));
        ImGui::PopStyleColor();
      }
    }
    ImGui::EndChild();
    ImGui::PopStyleColor(2);
    ImGui::PopID();
    ImGui::Spacing();
    ++drawn_;
  }
}

void LessonPlayerView::draw_checkpoint(player::LessonPlayer& p, bool zh) {
  const session::StepRecord* rec = p.record(p.shown_step());
  if (!rec || !rec->finished) return;
  if (!p.at_checkpoint()) {
    ImGui::TextDisabled("%s", tr(zh, "(This moment is before the step's checkpoint.)",
                                 "（这个时刻还在本步检查点之前。）"));
    return;
  }
  const scenario::StepResult& r = rec->result;
  if (scroll_to_results_) {
    ImGui::SetScrollHereY(0.0f);
    scroll_to_results_ = false;
  }
  ImGui::PushStyleColor(ImGuiCol_Text, r.failed() ? palette::kVermillion : palette::kGreen);
  ImGui::Text("%s  %d / %d", tr(zh, "Checkpoint", "检查点"), r.passed(), r.passed() + r.failed());
  ImGui::PopStyleColor();
  for (const scenario::CheckResult& c : r.checks) {
    ImGui::PushStyleColor(ImGuiCol_Text, c.pass ? palette::kGreen : palette::kVermillion);
    ImGui::TextUnformatted(c.pass ? "✔" : "✘");
    ImGui::PopStyleColor();
    ImGui::SameLine();
    ImGui::BeginGroup();
    const std::string& say = c.check->say.in(zh);
    wrapped_text(say.empty() ? c.check->field.path : say);
    ImGui::PushStyleColor(ImGuiCol_Text, palette::kTextDim);
    wrapped_text(c.machine + ": " + c.check->field.path + " " + c.expected + "; " +
                 (c.measured.empty() ? c.why : tr(zh, "measured ", "实测 ") + c.measured));
    ImGui::PopStyleColor();
    ImGui::EndGroup();
    ++drawn_;
  }
  for (const std::string& note : r.notes) {
    ImGui::PushStyleColor(ImGuiCol_Text, palette::kOrange);
    wrapped_text("note: " + note);
    ImGui::PopStyleColor();
  }
}

}  // namespace wqlab

// LessonPlayerView: the banner, the list of lessons, the header, the step's text and what to do
// next. The scrubber and transport, the questions and the checkpoint are in files of their own.
#include "views/lesson_player_view.h"

#include <string>

#include "imgui.h"
#include "shell/keyboard_map.h"
#include "views/palette.h"
#include "views/test_hooks.h"
#include "views/wrapped_text.h"

namespace wqlab {

LessonPanelOutput LessonPlayerView::draw(const LessonPanelInput& in) {
  drawn_ = 0;
  LessonPanelOutput out;
  player::LessonPlayer* p = in.player;
  if (in.error && !in.error->empty()) draw_banner(*in.error, p && p->is_open());
  if (!p || !p->is_open()) {
    draw_catalog(in, out);
    return out;
  }
  const bool zh = *in.chinese;
  draw_header(*p, *in.chinese);
  if (p->booting() || !p->info()) {
    ImGui::TextDisabled("%s", tr(zh, "The machines are booting...", "机器正在启动……"));
    return out;
  }
  draw_progress(*p, zh);
  draw_scrubber(*p, zh);
  draw_transport(*p, zh, out);
  ImGui::Separator();
  // The step scrolls under the controls, which stay in view.
  ImGui::BeginChild("##step", ImVec2(0, 0));
  const std::pair<size_t, bool> view{p->shown_step(), p->at_checkpoint()};
  if (view != last_view_) {
    if (view.second) {
      scroll_to_results_ = true;
    } else if (view.first != last_view_.first) {
      ImGui::SetScrollY(0.0f);
    }
    last_view_ = view;
  }
  if (p->blocked() && !was_blocked_) scroll_to_question_ = true;
  was_blocked_ = p->blocked();
  draw_step(*p, zh);
  draw_questions(*p, zh);
  draw_checkpoint(*p, zh);
  draw_next(*p, zh, out);
  ImGui::EndChild();
  return out;
}

void LessonPlayerView::draw_banner(std::string& error, bool lesson_open) {
  ImGui::PushStyleColor(ImGuiCol_ChildBg, palette::rgb(0x4A1F1A));
  ImGui::PushStyleColor(ImGuiCol_Border, palette::kVermillion);
  ImGui::BeginChild("##error", ImVec2(0, 0), ImGuiChildFlags_Border | ImGuiChildFlags_AutoResizeY);
  ImGui::PushStyleColor(ImGuiCol_Text, palette::rgb(0xFFB4A8));
  wrapped_text(lesson_open ? "This lesson file has errors; the lesson shown has not changed."
                           : "This lesson file has errors:");
  ImGui::PopStyleColor();
  // One error a line, as the parser wrote it: file:line:col: message.
  size_t at = 0;
  while (at < error.size()) {
    size_t nl = error.find('\n', at);
    if (nl == std::string::npos) nl = error.size();
    wrapped_text(error.substr(at, nl - at));
    at = nl + 1;
  }
  if (ImGui::SmallButton("Dismiss")) error.clear();
  test_hooks::note_item("lesson:dismiss error");
  ImGui::EndChild();
  ImGui::PopStyleColor(2);
  ImGui::Spacing();
  ++drawn_;
}

void LessonPlayerView::draw_catalog(const LessonPanelInput& in, LessonPanelOutput& out) {
  const bool zh = in.chinese && *in.chinese;
  ImGui::PushStyleColor(ImGuiCol_Text, palette::kYellow);
  ImGui::TextUnformatted(tr(zh, "Lessons", "课程"));
  ImGui::PopStyleColor();
  if (!in.catalog || in.catalog->entries().empty()) {
    ImGui::TextDisabled("No lesson files were found.");
    return;
  }
  for (const player::CatalogEntry& e : in.catalog->entries()) {
    const std::string title = e.error.empty() ? e.title.in(zh) : e.id + " (does not parse)";
    ImGui::PushID(e.path.c_str());
    if (ImGui::Selectable(title.c_str())) out.open = e.path;
    test_hooks::note_item(("lesson:open " + e.id).c_str());
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("%s\n%s", title.c_str(),
                        e.error.empty() ? e.path.c_str() : e.error.c_str());
    ImGui::PopID();
    ++drawn_;
  }
}

void LessonPlayerView::draw_header(player::LessonPlayer& p, bool& chinese) {
  const scenario::Scenario& s = *p.scenario();
  const bool zh = chinese;
  // The language switch sits at the right of the first line.
  const ImGuiStyle& style = ImGui::GetStyle();
  const float switch_w = ImGui::CalcTextSize("EN").x + ImGui::CalcTextSize("中文").x +
                         (ImGui::GetFrameHeight() + style.ItemInnerSpacing.x) * 2 +
                         style.ItemSpacing.x;
  const float x0 = ImGui::GetCursorPosX();
  ImGui::SetCursorPosX(x0 + ImGui::GetContentRegionAvail().x - switch_w);
  if (ImGui::RadioButton("EN", !chinese)) chinese = false;
  test_hooks::note_item("lesson:english");
  ImGui::SameLine();
  if (ImGui::RadioButton("中文", chinese)) chinese = true;
  test_hooks::note_item("lesson:chinese");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("简体中文 / Simplified Chinese");
  ImGui::SetCursorPosX(x0);
  ImGui::PushStyleColor(ImGuiCol_Text, palette::kYellow);
  wrapped_text(s.title.in(zh).empty() ? s.id : s.title.in(zh));
  ImGui::PopStyleColor();
  if (p.shown_step() == 0 && p.phase(0) == player::StepPhase::NotStarted && !s.summary.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, palette::kTextDim);
    wrapped_text(s.summary.in(zh));
    ImGui::PopStyleColor();
  }
  ++drawn_;
}

void LessonPlayerView::draw_step(player::LessonPlayer& p, bool zh) {
  const scenario::Step& step = p.scenario()->steps[p.shown_step()];
  ImGui::PushStyleColor(ImGuiCol_Text, palette::kSkyBlue);
  const std::string title = step.title.in(zh).empty() ? step.id : step.title.in(zh);
  wrapped_text(std::string(tr(zh, "Step ", "第 ")) + std::to_string(p.shown_step() + 1) +
               tr(zh, ": ", " 步：") + title);
  ImGui::PopStyleColor();
  // Which machines the step runs on, by their labels.
  const std::vector<size_t> machines = p.step_machines(p.shown_step());
  if (p.machines().size() > 1) {
    std::string on = tr(zh, "On: ", "机器：");
    for (size_t i = 0; i < machines.size(); ++i) {
      const session::LessonMachine& m = p.machines()[machines[i]]->info;
      on += (i ? ", " : "") + m.id;
    }
    ImGui::TextDisabled("%s", on.c_str());
  }
  ImGui::Spacing();
  wrapped_text(step.say.in(zh));
  ImGui::Spacing();
  ++drawn_;
}

void LessonPlayerView::draw_next(player::LessonPlayer& p, bool zh, LessonPanelOutput& out) {
  const size_t shown = p.shown_step();
  const size_t n = p.scenario()->steps.size();
  const player::StepPhase phase = p.phase(shown);
  ImGui::Spacing();
  const ImVec2 wide(-FLT_MIN, 0);
  // The main button's key (N), and P for the step before, under it.
  const std::string key = "  (" + shortcut_label(Command::kNextStep) + ")";
  auto label = [&](const char* en, const char* cn) {
    return std::string(tr(zh, en, cn)) + key + "###main";
  };
  if (phase == player::StepPhase::NotStarted) {
    if (!p.answers().settled(shown)) {
      ImGui::TextDisabled("%s", tr(zh, "Answer the question (or skip it) to run this step.",
                                   "先回答问题（或跳过），才能运行这一步。"));
      return;
    }
    if (ImGui::Button(label("Run this step ▶|", "运行这一步 ▶|").c_str(), wide))
      p.to_next_checkpoint();
    test_hooks::note_item("lesson:run step");
    return;
  }
  if (phase == player::StepPhase::Running) {
    if (ImGui::Button(label("Run to the checkpoint ▶|", "运行到检查点 ▶|").c_str(), wide))
      p.to_next_checkpoint();
    test_hooks::note_item("lesson:run step");
    return;
  }
  if (!p.at_checkpoint()) {
    if (ImGui::Button(label("Show the checkpoint ▶|", "显示检查点 ▶|").c_str(), wide))
      p.show_checkpoint(shown);
    return;
  }
  if (shown + 1 < n) {
    if (p.phase(shown + 1) == player::StepPhase::NotStarted) {
      if (ImGui::Button(label("Next step ▶", "下一步 ▶").c_str(), wide)) p.next_step();
    } else if (ImGui::Button(label("Next checkpoint ▶|", "下一个检查点 ▶|").c_str(), wide)) {
      p.to_next_checkpoint();
    }
    test_hooks::note_item("lesson:next step");
    return;
  }
  int passed = 0, failed = 0;
  for (const session::StepRecord& r : p.info()->steps) {
    passed += r.result.passed();
    failed += r.result.failed();
  }
  ImGui::PushStyleColor(ImGuiCol_Text, failed ? palette::kVermillion : palette::kGreen);
  ImGui::Text("%s %d / %d",
              tr(zh, "Lesson complete. Checkpoints passed:", "课程完成。通过的检查："), passed,
              passed + failed);
  ImGui::PopStyleColor();
  if (ImGui::Button(tr(zh, "↺ Start again", "↺ 重新开始"))) out.restart = true;
  test_hooks::note_item("lesson:restart");
}

}  // namespace wqlab

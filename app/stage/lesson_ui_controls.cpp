// LessonUi's controls: the Lessons menu, the status bar's lesson line, the transport and the
// checkpoint shortcuts.
#include <cstdio>
#include <string>

#include "engine/trace/text_format.h"
#include "imgui.h"
#include "platform/web_bridge.h"
#include "shell/number_format.h"
#include "stage/lesson_ui.h"

namespace wqlab {

void LessonUi::draw_menu() {
  const bool open_menu = ImGui::BeginMenu("Lessons");
  web_bridge::note_item("menu:Lessons");
  if (!open_menu) return;
  const std::string current = active() ? player_->scenario()->file : "";
  for (const player::CatalogEntry& e : catalog_.entries()) {
    const std::string title = e.error.empty() ? e.title.in(chinese) : e.id + " (does not parse)";
    if (ImGui::MenuItem(title.c_str(), nullptr, e.path == current)) open(e.path);
    web_bridge::note_item(("menu:Lessons/" + e.id).c_str());
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("%s", e.error.empty() ? e.path.c_str() : e.error.c_str());
  }
  if (catalog_.entries().empty()) ImGui::TextDisabled("No lesson files were found.");
  ImGui::Separator();
#ifndef __EMSCRIPTEN__
  // Any file, for an instructor trying a lesson of their own.
  if (ImGui::BeginMenu("Open a lesson file")) {
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 24);
    const bool enter =
        ImGui::InputTextWithHint("##path", "path/to/lesson.toml", open_path_.data(),
                                 open_path_.size(), ImGuiInputTextFlags_EnterReturnsTrue);
    ImGui::SameLine();
    if ((ImGui::Button("Open") || enter) && open_path_[0] != '\0') {
      open(open_path_.data());
      ImGui::CloseCurrentPopup();
    }
    ImGui::EndMenu();
  }
#endif
  if (ImGui::MenuItem("Reload the lesson file", nullptr, false, active()))
    open(player_->scenario()->file);  // an edited file: reread (errors keep the lesson)
  if (ImGui::MenuItem("Restart the lesson", nullptr, false, active())) restart();
  ImGui::MenuItem("Texts in 简体中文", nullptr, &chinese);
  web_bridge::note_item("menu:Lessons/Chinese");
  if (ImGui::MenuItem("Close the lesson", nullptr, false, active())) close();
  ImGui::EndMenu();
}

void LessonUi::draw_status_text() {
  if (!active() || !player_->info()) {
    ImGui::TextDisabled("%s", player_ && player_->booting() ? "booting the lesson's machines" : "");
    return;
  }
  const size_t n = player_->scenario()->steps.size();
  const size_t focus = focus_ < player_->machines().size() ? focus_ : 0;
  const player::PlayerMachine& m = *player_->machines()[focus];
  const std::string when = trace::format_time(m.model.time_of(m.shown));
  ImGui::Text("step %zu/%zu   %s: t = %s s   event %s of %s", player_->shown_step() + 1, n,
              m.info.id.c_str(), when.c_str(), with_thousands(player_->position()).c_str(),
              with_thousands(player_->timeline().end()).c_str());
  ImGui::SameLine(0, ImGui::GetStyle().ItemSpacing.x * 2);
  const session::SessionStatus& st = player_->status();
  const char* state = player_->replaying()       ? "replaying"
                      : st.playing               ? "playing"
                      : !st.error.empty()        ? "stopped"
                      : st.busy                  ? "running"
                      : player_->blocked()       ? "answer first"
                      : player_->at_checkpoint() ? "checkpoint"
                                                 : "paused";
  ImGui::TextDisabled("%s", state);
  if (!st.error.empty() && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", st.error.c_str());
}

void LessonUi::toggle_play() {
  if (!active()) return;
  if (player_->playing()) {
    player_->pause();
  } else {
    player_->play();
  }
}

void LessonUi::step_forward() {
  if (active()) player_->step_forward();
}

void LessonUi::step_back() {
  if (active()) player_->step_back();
}

void LessonUi::go_live() {
  if (active()) player_->go_live();
}

}  // namespace wqlab

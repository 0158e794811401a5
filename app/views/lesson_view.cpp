// LessonView: the demo's description and its moments.
#include "views/lesson_view.h"

#include <string>

#include "imgui.h"
#include "views/names.h"
#include "views/palette.h"
#include "views/test_hooks.h"
#include "views/wrapped_text.h"

namespace wqlab {

void LessonView::draw(ViewContext& ctx) {
  drawn_ = 0;
  // What the student picked comes first; the demo's description follows.
  if (ctx.selection.object) {
    draw_inspector(ctx);
    ImGui::Spacing();
    ImGui::Separator();
    draw_scenario(ctx);
    return;
  }
  draw_scenario(ctx);
  ImGui::Spacing();
  ImGui::Separator();
  draw_inspector(ctx);
}

void LessonView::draw_scenario(ViewContext& ctx) {
  if (!ctx.scenario) {
    ImGui::TextDisabled("No machine is loaded. Pick a demo from Machine > Demo.");
    return;
  }
  const session::ScenarioInfo& s = *ctx.scenario;
  ImGui::PushStyleColor(ImGuiCol_Text, palette::kYellow);
  wrapped_text(s.title);
  ImGui::PopStyleColor();
  if (show_chinese && !s.title_zh.empty()) wrapped_text(s.title_zh);
  ImGui::Spacing();
  wrapped_text(s.summary);
  if (show_chinese && !s.summary_zh.empty()) {
    ImGui::Spacing();
    ImGui::PushStyleColor(ImGuiCol_Text, palette::kTextDim);
    wrapped_text(s.summary_zh);
    ImGui::PopStyleColor();
  }
  drawn_ += 2;
  if (!s.watch_for.empty()) {
    ImGui::Spacing();
    ImGui::TextDisabled("What to watch");
    for (const std::string& line : s.watch_for) {
      ImGui::Bullet();
      ImGui::BeginGroup();
      wrapped_text(line);
      ImGui::EndGroup();
      ++drawn_;
    }
  }
  if (!s.highlights.empty()) {
    ImGui::Spacing();
    ImGui::TextDisabled("Show the machine at");
    for (size_t i = 0; i < s.highlights.size(); ++i) {
      const std::string label = format_duration(s.highlights[i]);
      if (i > 0) ImGui::SameLine();
      ImGui::PushID(static_cast<int>(i));
      const bool reached = s.highlights[i] <= ctx.model.head().now;
      ImGui::BeginDisabled(!reached);
      if (ImGui::Button(label.c_str()))
        ctx.selection.show_moment(ctx.model.events_at_time(s.highlights[i]));
      ImGui::EndDisabled();
      if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
        ImGui::SetTooltip(reached ? "Show every view at this moment"
                                  : "The machine has not got there yet: press Play");
      test_hooks::note_item(("lesson:moment " + std::to_string(i)).c_str());
      ImGui::PopID();
    }
  }
}

}  // namespace wqlab

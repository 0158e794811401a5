// The status bar along the bottom: what is running, whether threads work, the latest notice,
// frame time and FPS.
#include <cstdio>

#include "imgui.h"
#include "platform/thread_probe.h"
#include "shell/number_format.h"
#include "shell/shell.h"

namespace wqlab {
namespace {

void draw_thread_status(const ShellFacts& facts) {
  if (!facts.thread_error.empty()) {
    ImGui::TextColored(ImVec4(1.0f, 0.45f, 0.40f, 1.0f), "Threads: failed");
  } else if (facts.thread_value) {
    ImGui::TextColored(ImVec4(0.55f, 0.85f, 0.55f, 1.0f), "Threads: OK");
  } else {
    ImGui::TextDisabled("Threads: checking...");
  }
  if (ImGui::IsItemHovered()) {
    if (!facts.thread_error.empty()) {
      ImGui::SetTooltip("%s", facts.thread_error.c_str());
    } else if (facts.thread_value) {
      ImGui::SetTooltip("At start-up a second thread summed the primes below %s: %s.",
                        with_thousands(ThreadProbe::kPrimeBound).c_str(),
                        with_thousands(*facts.thread_value).c_str());
    }
  }
}

// The latest notice, for ten seconds.
void draw_notice(const Notice& notice) {
  constexpr double kShownSeconds = 10.0;
  if (notice.shown_at < 0 || ImGui::GetTime() - notice.shown_at > kShownSeconds) return;
  const ImVec4 colour =
      notice.error ? ImVec4(1.0f, 0.45f, 0.40f, 1.0f) : ImVec4(0.55f, 0.85f, 0.55f, 1.0f);
  ImGui::SameLine(0, ImGui::GetStyle().ItemSpacing.x * 3);
  ImGui::TextColored(colour, "%s", notice.text.c_str());
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", notice.text.c_str());
}

}  // namespace

float draw_status_bar(Shell* shell, const ShellFacts& facts) {
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  const ImGuiStyle& style = ImGui::GetStyle();
  const float height = ImGui::GetFrameHeight();
  ImGui::SetNextWindowPos(ImVec2(viewport->Pos.x, viewport->Pos.y + viewport->Size.y - height));
  ImGui::SetNextWindowSize(ImVec2(viewport->Size.x, height));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(style.WindowPadding.x, 0.0f));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 0.0f);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowMinSize, ImVec2(0, 0));
  ImGui::PushStyleColor(ImGuiCol_WindowBg, style.Colors[ImGuiCol_MenuBarBg]);
  constexpr ImGuiWindowFlags kFlags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                      ImGuiWindowFlags_NoSavedSettings |
                                      ImGuiWindowFlags_NoFocusOnAppearing | ImGuiWindowFlags_NoNav |
                                      ImGuiWindowFlags_NoBringToFrontOnFocus;
  if (ImGui::Begin("##status_bar", nullptr, kFlags)) {
    ImGui::SetCursorPosY((height - ImGui::GetTextLineHeight()) * 0.5f);
    if (shell->content) {
      shell->content->draw_status();
    } else {
      ImGui::TextUnformatted("No machine running");
    }
    ImGui::SameLine(0, style.ItemSpacing.x * 3);
    draw_thread_status(facts);
    draw_notice(shell->notice);

    const ImGuiIO& io = ImGui::GetIO();
    char timing[64];
    std::snprintf(timing, sizeof timing, "%.1f ms/frame (%.0f FPS)",
                  io.Framerate > 0 ? 1000.0f / io.Framerate : 0.0f, io.Framerate);
    const float width = ImGui::CalcTextSize(timing).x;
    ImGui::SameLine(ImGui::GetWindowWidth() - width - style.WindowPadding.x);
    ImGui::TextUnformatted(timing);
  }
  ImGui::End();
  ImGui::PopStyleColor();
  ImGui::PopStyleVar(3);
  return height;
}

}  // namespace wqlab

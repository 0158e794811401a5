// Help > About: version, the Linux release the engine mirrors, and facts about this build.
#include <cstdio>
#include <string>

#include "host/version.h"
#include "imgui.h"
#include "platform/thread_probe.h"
#include "shell/number_format.h"
#include "shell/shell.h"

namespace wqlab {
namespace {

void fact(const char* label, const char* value) {
  ImGui::TableNextRow();
  ImGui::TableNextColumn();
  ImGui::TextDisabled("%s", label);
  ImGui::TableNextColumn();
  ImGui::TextWrapped("%s", value);
}

}  // namespace

void draw_about_window(Shell* shell, const ShellFacts& facts) {
  constexpr const char* kTitle = "About wqlab";
  if (shell->about_requested) {
    ImGui::OpenPopup(kTitle);
    shell->about_requested = false;
  }
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(viewport->GetCenter(), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
  // Fixed width, height fitted to the contents every frame.
  ImGui::SetNextWindowSize(ImVec2(ImGui::GetFontSize() * 36, 0), ImGuiCond_Always);
  constexpr ImGuiWindowFlags kFlags = ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoResize;
  if (!ImGui::BeginPopupModal(kTitle, nullptr, kFlags)) return;

  ImGui::Text("wqlab %s", kVersion);
  ImGui::TextWrapped(
      "A teaching lab for the Linux kernel's Concurrency Managed Workqueue (cmwq): watch work "
      "items travel from workqueues through pool_workqueues into worker pools and onto "
      "kworker threads.");
  ImGui::Text("The engine mirrors Linux %s (kernel/workqueue.c).", kMirroredLinux);
  ImGui::Separator();

  if (ImGui::BeginTable("facts", 2, ImGuiTableFlags_SizingFixedFit)) {
    ImGui::TableSetupColumn("label", ImGuiTableColumnFlags_WidthFixed);
    ImGui::TableSetupColumn("value", ImGuiTableColumnFlags_WidthStretch);
    fact("Build", facts.target);
    fact("Renderer", facts.renderer.c_str());
    fact("UI font", facts.font.c_str());
    char scale[64];
    std::snprintf(scale, sizeof scale, "%.0f%% (display) x %.0f%% (View > UI scale)",
                  facts.display_scale * 100.0f, shell->settings.ui_scale * 100.0f);
    fact("Scale", scale);
    fact("Settings", facts.settings_location.empty() ? "not saved (no HOME or XDG_CONFIG_HOME)"
                                                     : facts.settings_location.c_str());
    fact("Dear ImGui", IMGUI_VERSION);
    std::string thread = "still running";
    if (!facts.thread_error.empty()) {
      thread = facts.thread_error;
    } else if (facts.thread_value) {
      thread = "OK: on its own thread, the primes below " +
               with_thousands(ThreadProbe::kPrimeBound) + " sum to " +
               with_thousands(*facts.thread_value);
    }
    fact("Thread check", thread.c_str());
    ImGui::EndTable();
  }
  ImGui::Spacing();
  if (ImGui::Button("Close") || ImGui::IsKeyPressed(ImGuiKey_Escape)) ImGui::CloseCurrentPopup();
  ImGui::EndPopup();
}

}  // namespace wqlab

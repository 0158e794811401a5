// wqlab's look: ImGui's dark theme, a little rounder and calmer, scaled to the display.
#include "imgui.h"
#include "shell/shell.h"

namespace wqlab {

void apply_theme(float scale) {
  ImGuiStyle style;
  ImGui::StyleColorsDark(&style);
  style.WindowRounding = 4.0f;
  style.FrameRounding = 3.0f;
  style.PopupRounding = 3.0f;
  style.GrabRounding = 3.0f;
  style.WindowBorderSize = 0.0f;
  style.WindowPadding = ImVec2(10, 8);
  style.FramePadding = ImVec2(6, 4);
  style.ItemSpacing = ImVec2(8, 6);
  ImVec4* c = style.Colors;
  c[ImGuiCol_WindowBg] = ImVec4(0.11f, 0.12f, 0.15f, 1.00f);
  c[ImGuiCol_ChildBg] = ImVec4(0.11f, 0.12f, 0.15f, 1.00f);
  c[ImGuiCol_PopupBg] = ImVec4(0.13f, 0.14f, 0.18f, 0.98f);
  c[ImGuiCol_MenuBarBg] = ImVec4(0.15f, 0.16f, 0.20f, 1.00f);
  c[ImGuiCol_TitleBg] = ImVec4(0.15f, 0.17f, 0.22f, 1.00f);
  c[ImGuiCol_TitleBgActive] = ImVec4(0.18f, 0.24f, 0.35f, 1.00f);
  c[ImGuiCol_Text] = ImVec4(0.90f, 0.91f, 0.93f, 1.00f);
  c[ImGuiCol_TextDisabled] = ImVec4(0.58f, 0.61f, 0.67f, 1.00f);
  style.ScaleAllSizes(scale);
  ImGui::GetStyle() = style;
}

}  // namespace wqlab

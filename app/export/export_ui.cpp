// ExportUi: commands, the folder dialog and the exposed state.
#include "export/export_ui.h"

#include <cstdio>
#include <ctime>

#include "export/deliver.h"
#include "imgui.h"
#include "imgui_internal.h"  // MarkIniSettingsDirty
#include "platform/web_bridge.h"
#include "shell/json_escape.h"

namespace wqlab {
namespace {

#ifdef __EMSCRIPTEN__
constexpr bool kDesktop = false;
#else
constexpr bool kDesktop = true;
#endif

}  // namespace

ExportUi::ExportUi(Shell* shell, StageHost* stages) : shell_(shell), stages_(stages) {}

std::string ExportUi::effective_dir() const {
  if (!override_dir.empty()) return override_dir;
  return saved_dir.empty() ? exporting::default_export_dir() : saved_dir;
}

std::string ExportUi::file_name(exporting::Format f) const {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  return exporting::export_file_name(stages_->current().name(), f, local);
}

void ExportUi::delivered(exporting::Format f, const std::string& where, const std::string& error) {
  const exporting::FormatInfo& info = exporting::format_info(f);
  if (!error.empty()) {
    last_error_ = error;
    shell_->notify(std::string("Could not export the ") + info.what + ": " + error, true);
    return;
  }
  ++count_;
  last_ = where;
  last_error_.clear();
  shell_->notify(std::string(kDesktop ? "Saved the " : "Downloading the ") + info.what + ": " +
                 where);
}

void ExportUi::export_text(exporting::Format f) {
  const std::vector<exporting::MachineRecording> machines = stages_->current().machines();
  if (machines.empty()) {
    delivered(f, "", "no machine is running yet");
    return;
  }
  last_machines_ = machines.size();
  const std::string text = exporting::export_machines(machines, f);
  const exporting::Delivered d =
      exporting::deliver_file(effective_dir(), file_name(f), exporting::format_info(f).mime, text);
  delivered(f, d.where, d.error);
}

bool ExportUi::run_command(Command c, float) {
  switch (c) {
    case Command::kExportPerfetto:
      export_text(exporting::Format::kPerfetto);
      return true;
    case Command::kExportFtrace:
      export_text(exporting::Format::kFtrace);
      return true;
    case Command::kScreenshot:
      screenshot_in_ = 2;
      return true;
    case Command::kExportFolder:
      folder_dialog_ = kDesktop;
      std::snprintf(folder_edit_, sizeof folder_edit_, "%s", effective_dir().c_str());
      return kDesktop;
    default:
      return false;
  }
}

void ExportUi::after_render(int width, int height) {
  if (screenshot_in_ == 0 || --screenshot_in_ > 0) return;
  const exporting::Delivered d = exporting::deliver_back_buffer_png(
      effective_dir(), file_name(exporting::Format::kScreenshot), width, height);
  delivered(exporting::Format::kScreenshot, d.where, d.error);
}

void ExportUi::draw() {
  constexpr const char* kTitle = "Export folder";
  if (folder_dialog_) {
    ImGui::OpenPopup(kTitle);
    folder_dialog_ = false;
  }
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(viewport->GetCenter(), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSize(ImVec2(ImGui::GetFontSize() * 32, 0), ImGuiCond_Always);
  if (!ImGui::BeginPopupModal(kTitle, nullptr, ImGuiWindowFlags_NoSavedSettings)) return;
  ImGui::TextWrapped(
      "Perfetto traces, ftrace text and screenshots are saved in this folder "
      "(it is created if missing):");
  if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
  ImGui::SetNextItemWidth(-FLT_MIN);
  const bool enter = ImGui::InputText("##folder", folder_edit_, sizeof folder_edit_,
                                      ImGuiInputTextFlags_EnterReturnsTrue);
  if (ImGui::Button("Use this folder") || enter) {
    saved_dir = folder_edit_;
    override_dir.clear();
    ImGui::MarkIniSettingsDirty();
    shell_->notify("Exports go to " + effective_dir());
    ImGui::CloseCurrentPopup();
  }
  ImGui::SameLine();
  if (ImGui::Button("Default")) {
    std::snprintf(folder_edit_, sizeof folder_edit_, "%s", exporting::default_export_dir().c_str());
  }
  ImGui::SameLine();
  if (ImGui::Button("Cancel") || ImGui::IsKeyPressed(ImGuiKey_Escape)) ImGui::CloseCurrentPopup();
  ImGui::EndPopup();
}

std::string ExportUi::state_json_members() const {
  return "\"exports\":{\"count\":" + std::to_string(count_) + ",\"last\":\"" + json_escape(last_) +
         "\",\"error\":\"" + json_escape(last_error_) + "\",\"dir\":\"" +
         json_escape(kDesktop ? effective_dir() : "") +
         "\",\"machines\":" + std::to_string(last_machines_) + "}";
}

}  // namespace wqlab

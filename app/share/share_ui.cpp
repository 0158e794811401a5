// ShareUi: opening shared scenarios, the share dialog, the exposed state.
#include "share/share_ui.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "imgui.h"
#include "platform/web_bridge.h"
#include "share/page_link.h"
#include "shell/json_escape.h"

namespace wqlab {
namespace {

void set_text(std::vector<char>* buffer, const std::string& text) {
  const size_t n = std::min(text.size(), buffer->size() - 1);
  std::memcpy(buffer->data(), text.data(), n);
  (*buffer)[n] = '\0';
}

std::string title_of(const scenario::Scenario& s) {
  return s.title.en.empty() ? s.id : s.title.en;
}

}  // namespace

ShareUi::ShareUi(Shell* shell)
    : shell_(shell),
      edit_(share::kMaxScenarioBytes * 2, '\0'),
      shown_(share::kMaxFragmentBytes + 1024, '\0') {}

void ShareUi::report(const share::DecodedLink& d, const std::string& origin) {
  origin_ = origin;
  if (d.ok()) {
    state_ = "ok";
    title_ = title_of(*d.scenario);
    error_.clear();
    if (on_open) {
      on_open(*d.scenario, d.text);
    } else {
      shell_->notify("Shared scenario: " + title_);
    }
    return;
  }
  state_ = "error";
  title_.clear();
  error_ = d.errors.empty() ? "share-url: unknown problem" : d.errors.front();
  const size_t more = d.errors.size() > 1 ? d.errors.size() - 1 : 0;
  shell_->notify(error_ + (more ? " (and " + std::to_string(more) + " more)" : ""), true);
}

bool ShareUi::open_scenario_text(std::string text, const std::string& origin) {
  text_ = text;
  share::DecodedLink d = share::check_scenario_text(std::move(text));
  report(d, origin);
  return d.ok();
}

bool ShareUi::open_link(const std::string& url, const std::string& origin) {
  share::DecodedLink d = share::decode_share_link(url);
  if (!d.text.empty()) text_ = d.text;
  report(d, origin);
  return d.ok();
}

void ShareUi::poll_page() {
  std::optional<std::string> fragment = page_link::take_new_fragment();
  if (!fragment || fragment->size() <= 1) return;  // "" or "#": nothing shared
  open_link(*fragment, "link");
}

void ShareUi::make_link() {
  const std::string text = edit_.data();
  dialog_error_.clear();
  link_.clear();
  link_stage_.clear();
  share::DecodedLink d = share::check_scenario_text(text);
  if (!d.ok()) {
    dialog_error_ = d.error_text();
    set_text(&shown_, "");
    return;
  }
  share::EncodedLink link = share::make_share_url(page_link::base_url(), text);
  if (!link.error.empty()) {
    dialog_error_ = link.error;
    return;
  }
  link_ = link.fragment;
  text_ = text;
  set_text(&shown_, link_);
  page_link::copy_to_clipboard(link_);
  shell_->notify("Copied the link to \"" + title_of(*d.scenario) + "\" (" +
                 std::to_string(link_.size()) + " characters)");
}

bool ShareUi::run_command(Command c, float) {
  if (c != Command::kShareLink) return false;
  dialog_request_ = true;
  if (stages == nullptr) return true;
  Stage& stage = stages->current();
  const std::string text = stage.scenario_text();
  if (text.empty()) return true;
  set_text(&edit_, text);
  make_link();
  link_stage_ = link_.empty() ? "" : stage.kind();
  return true;
}

void ShareUi::draw() {
  constexpr const char* kTitle = "Share scenario link";
  if (dialog_request_) {
    dialog_request_ = false;
    if (edit_[0] == '\0') set_text(&edit_, text_);
    dialog_error_.clear();
    ImGui::OpenPopup(kTitle);
  }
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(viewport->GetCenter(), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSize(ImVec2(ImGui::GetFontSize() * 42, 0), ImGuiCond_Always);
  if (!ImGui::BeginPopupModal(kTitle, nullptr, ImGuiWindowFlags_NoSavedSettings)) return;
  char limits[160];
  std::snprintf(limits, sizeof limits,
                "Paste a scenario file (lessons/README.md has the format; at most %zu KiB). "
                "The link carries the whole text after '#s=', so it never reaches a server.",
                share::kMaxScenarioBytes / 1024);
  ImGui::TextWrapped("%s", limits);
  if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
  ImGui::InputTextMultiline("##scenario", edit_.data(), edit_.size(),
                            ImVec2(-FLT_MIN, ImGui::GetTextLineHeight() * 14),
                            ImGuiInputTextFlags_AllowTabInput);
  web_bridge::note_item("share:text");
  if (ImGui::Button("Copy share link")) make_link();
  web_bridge::note_item("share:copy");
  ImGui::SameLine();
  if (ImGui::Button("Open it here")) {
    if (open_scenario_text(edit_.data(), "dialog"))
      ImGui::CloseCurrentPopup();
    else
      dialog_error_ = error_;
  }
  ImGui::SameLine();
  if (ImGui::Button("Close") || ImGui::IsKeyPressed(ImGuiKey_Escape)) ImGui::CloseCurrentPopup();
  if (!dialog_error_.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.45f, 0.40f, 1.0f));
    ImGui::TextWrapped("%s", dialog_error_.c_str());
    ImGui::PopStyleColor();
  }
  if (!link_.empty()) {
    ImGui::TextDisabled("The link (copied to the clipboard; select it to copy again):");
    ImGui::SetNextItemWidth(-FLT_MIN);
    ImGui::InputText("##link", shown_.data(), shown_.size(), ImGuiInputTextFlags_ReadOnly);
    web_bridge::note_item("share:link");
  }
  ImGui::EndPopup();
}

std::string ShareUi::state_json_members() const {
  return "\"share\":{\"state\":\"" + state_ + "\",\"origin\":\"" + json_escape(origin_) +
         "\",\"title\":\"" + json_escape(title_) + "\",\"error\":\"" + json_escape(error_) +
         "\",\"link\":\"" + json_escape(link_) + "\",\"linkStage\":\"" + link_stage_ + "\"}";
}

}  // namespace wqlab

// MachineUi's controls: the Machine menu (demos, playback, speed, sandbox commands) and the
// transport in the status bar; their keys come from the keymap (shell/keyboard_map.h).
#include <cstdio>
#include <string>

#include "engine/trace/text_format.h"
#include "engine/wq/wq_types.h"
#include "imgui.h"
#include "platform/web_bridge.h"
#include "session/demo_scenarios.h"
#include "shell/keyboard_map.h"
#include "shell/number_format.h"
#include "stage/machine_ui.h"
#include "views/names.h"
#include "views/why_bar.h"

namespace wqlab {
namespace {

struct SpeedChoice {
  double speed;  // virtual seconds per wall second
  const char* label;
};
constexpr SpeedChoice kSpeeds[] = {{0.001, "1 ms/s"}, {0.005, "5 ms/s"}, {0.02, "20 ms/s"},
                                   {0.1, "100 ms/s"}, {1.0, "1 s/s"},    {10.0, "10 s/s"}};

const char* speed_label(double s) {
  for (const SpeedChoice& c : kSpeeds)
    if (c.speed == s) return c.label;
  return "custom";
}

}  // namespace

void MachineUi::draw_demo_menu() {
  for (const session::ScenarioDef& d : session_->source().scenarios()) {
    if (d.info.hidden) continue;
    const bool current = recording_ && recording_->scenario.name == d.info.name;
    if (ImGui::MenuItem(d.info.title.c_str(), d.info.name.c_str(), current)) load_demo(d.info.name);
    web_bridge::note_item(("menu:Machine/Demo/" + d.info.name).c_str());
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", d.info.summary.c_str());
  }
}

// Commands a student can send to the running machine (DESIGN.md: commands are the only way
// down). Items run on the driver; flushes sleep, so they run in a "sandbox" kernel thread.
void MachineUi::draw_sandbox_menu() {
  const model::MachineState& s = model_.head();
  if (ImGui::BeginMenu("Queue a 5 ms work item on")) {
    for (const model::WorkqueueInfo& wq : s.workqueues) {
      if (wq.index < 0 || wq.destroyed) continue;
      const std::string name = model_.strings().get(wq.name);
      if (ImGui::MenuItem(name.c_str())) {
        session_->post({"queue sandbox_fn on " + name, false, [name](session::ScenarioContext& c) {
                          if (wq::Workqueue* w = c.find_workqueue(name))
                            c.cmwq.queue_work(
                                w,
                                c.work("sandbox_fn", {session::Step::compute(kernel::msecs(5))}));
                        }});
      }
    }
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("flush_workqueue")) {
    for (const model::WorkqueueInfo& wq : s.workqueues) {
      if (wq.index < 0 || wq.destroyed) continue;
      const std::string name = model_.strings().get(wq.name);
      if (ImGui::MenuItem(name.c_str())) {
        session_->post({"flush " + name, true, [name](session::ScenarioContext& c) {
                          if (wq::Workqueue* w = c.find_workqueue(name)) c.cmwq.flush_workqueue(w);
                        }});
      }
    }
    ImGui::EndMenu();
  }
  bool pressure = s.memory_pressure;
  if (ImGui::MenuItem("Memory pressure", nullptr, &pressure)) {
    session_->post(
        {pressure ? "memory pressure on" : "memory pressure off", false,
         [pressure](session::ScenarioContext& c) { c.k.set_memory_pressure(pressure); }});
  }
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("kmalloc() of new workers fails while it is on: watch the mayday timer");
  ImGui::Separator();
  ImGui::TextDisabled("Commands take effect when the machine runs.");
}

void MachineUi::draw_menus() {
  const bool open = ImGui::BeginMenu("Machine");
  web_bridge::note_item("menu:Machine");
  if (open) {
    draw_machine_menu();
    ImGui::EndMenu();
  }
  lessons_->draw_menu();
  if (sandbox_menu) {
    const bool sandbox_open = ImGui::BeginMenu("Sandbox");
    web_bridge::note_item("menu:Sandbox");
    if (sandbox_open) {
      sandbox_menu();
      ImGui::EndMenu();
    }
  }
}

void MachineUi::draw_machine_menu() {
  const bool demo_open = ImGui::BeginMenu("Demo");
  web_bridge::note_item("menu:Machine/Demo");
  if (demo_open) {
    draw_demo_menu();
    ImGui::EndMenu();
  }
  if (recording_ && ImGui::MenuItem("Restart demo")) load_demo(recording_->scenario.name);
  ImGui::Separator();
  auto item = [this](Command c, const char* label, bool selected = false) {
    const std::string key = shortcut_label(c);
    if (ImGui::MenuItem(label, key.c_str(), selected)) current().run_command(c, 0.0f);
  };
  item(Command::kPlayPause, playing() ? "Pause" : "Play");
  item(Command::kStepForward, "Step one event");
  item(Command::kStepBack, "Step back one event");
  item(Command::kNextCheckpoint, "Next checkpoint");
  item(Command::kPrevCheckpoint, "Previous checkpoint");
  item(Command::kFirstEvent, "First event");
  if (ImGui::MenuItem(lessons_->active() ? "Run to the checkpoint" : "Run until idle")) {
    if (lessons_->active() && lessons_->player()) {
      lessons_->player()->to_next_checkpoint();
    } else {
      selection_.live = true;
      control_->run_until_idle();
    }
  }
  item(Command::kLive, "Back to live", live());
  {
    // Why? acts on the shown stage; whether it can go anywhere is known for the demo's views.
    const bool demo = &current() == this;
    ViewContext ctx = context();
    const std::string why_key = shortcut_label(Command::kWhy);
    const std::string back_key = shortcut_label(Command::kWhyBack);
    if (ImGui::MenuItem("Why? (jump to the cause)", why_key.c_str(), false,
                        !demo || selected_event(ctx).has_value()))
      current().run_command(Command::kWhy, 0.0f);
    if (ImGui::MenuItem("Back along the Why? trail", back_key.c_str(), false,
                        !demo || (why_trail(ctx) != nullptr && why_trail(ctx)->size() > 1)))
      current().run_command(Command::kWhyBack, 0.0f);
  }
  const bool speed_open = ImGui::BeginMenu("Speed");
  web_bridge::note_item("menu:Machine/Speed");
  if (speed_open) {
    for (const SpeedChoice& c : kSpeeds) {
      if (ImGui::MenuItem(c.label, nullptr, speed_ == c.speed)) set_speed(c.speed);
      web_bridge::note_item((std::string("menu:Machine/Speed/") + c.label).c_str());
    }
    ImGui::EndMenu();
  }
  if (ImGui::MenuItem("Skip quiet periods", nullptr, &skip_quiet_)) set_skip_quiet(skip_quiet_);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("While playing, jump ahead when nothing has happened for a second");
  ImGui::MenuItem("Chinese texts (\xe7\xae\x80\xe4\xbd\x93\xe4\xb8\xad\xe6\x96\x87)", nullptr,
                  &lesson_.show_chinese);  // 简体中文
  ImGui::Separator();
  if (!external() && ImGui::BeginMenu("Commands", !lessons_->active())) {
    draw_sandbox_menu();
    ImGui::EndMenu();
  }
}

void MachineUi::draw_status() {
  const ImGuiStyle& style = ImGui::GetStyle();
  ImGui::SetCursorPosY(0.0f);
  ImGui::PushStyleVar(ImGuiStyleVar_FramePadding,
                      ImVec2(style.FramePadding.x * 0.8f, style.FramePadding.y));
  if (ImGui::Button("\xe2\x97\x80")) transport().step_back();  // ◀
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Step back one event (%s)", shortcut_label(Command::kStepBack).c_str());
  ImGui::SameLine(0, 2);
  if (ImGui::Button(playing() ? "\xe2\x80\x96 Pause" : "\xe2\x96\xb6 Play"))
    transport().toggle_play();
  web_bridge::note_item("status:play");
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Play or pause the machine (%s)",
                      shortcut_label(Command::kPlayPause).c_str());
  ImGui::SameLine(0, 2);
  if (ImGui::Button("Step \xe2\x96\xb6")) transport().step_forward();  // ▶
  web_bridge::note_item("status:step");
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Show the next event (%s); at the newest one the machine runs one dispatch",
                      shortcut_label(Command::kStepForward).c_str());
  ImGui::SameLine(0, 2);
  ImGui::BeginDisabled(live());
  if (ImGui::Button("Live")) transport().go_live();
  ImGui::EndDisabled();
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip("Follow the newest event again (%s)", shortcut_label(Command::kLive).c_str());
  ImGui::SameLine();
  ImGui::SetNextItemWidth(ImGui::CalcTextSize("100 ms/s").x + style.FramePadding.x * 2 +
                          ImGui::GetFrameHeight());
  if (ImGui::BeginCombo("##speed", speed_label(speed_))) {
    for (const SpeedChoice& c : kSpeeds)
      if (ImGui::Selectable(c.label, speed_ == c.speed)) set_speed(c.speed);
    ImGui::EndCombo();
  }
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Virtual time per second of wall time while playing");
  ImGui::PopStyleVar();

  ImGui::SameLine(0, style.ItemSpacing.x * 2);
  ImGui::SetCursorPosY((ImGui::GetWindowHeight() - ImGui::GetTextLineHeight()) * 0.5f);
  if (lessons_->active()) {
    lessons_->draw_status_text();
    return;
  }
  const uint64_t moment = selection_.live ? model_.events() : selection_.moment;
  const std::string when = trace::format_time(model_.time_of(moment));
  if (selection_.live) {
    ImGui::Text("t = %s s   %s events", when.c_str(), with_thousands(model_.events()).c_str());
  } else {
    ImGui::Text("t = %s s   event %s of %s", when.c_str(), with_thousands(moment).c_str(),
                with_thousands(model_.events()).c_str());
  }
  ImGui::SameLine(0, style.ItemSpacing.x * 2);
  const char* state = status_.playing          ? "playing"
                      : !status_.error.empty() ? "stopped"
                      : status_.busy           ? "running"
                      : status_.idle           ? "idle"
                                               : "paused";
  ImGui::TextDisabled("%s", state);
  if (!status_.error.empty() && ImGui::IsItemHovered())
    ImGui::SetTooltip("%s", status_.error.c_str());
}

}  // namespace wqlab

// The [wqlab-views][Views] section of the settings file: playback speed, the views' options and
// the lesson player's language,
// kept next to the shell's own section (desktop ini file, or localStorage in the browser).
#include <cstdio>
#include <cstring>
#include <string>

#include "imgui.h"
#include "imgui_internal.h"  // ImGuiSettingsHandler: 1.90.1 has no public API for custom sections
#include "stage/machine_ui.h"

namespace wqlab {
namespace {

void* open_section(ImGuiContext*, ImGuiSettingsHandler* handler, const char* name) {
  return std::strcmp(name, "Views") == 0 ? handler->UserData : nullptr;
}

void read_line(ImGuiContext*, ImGuiSettingsHandler*, void* entry, const char* line) {
  MachineUi& ui = *static_cast<MachineUi*>(entry);
  double d = 0;
  int i = 0;
  if (std::sscanf(line, "Speed=%lf", &d) == 1) {
    ui.set_speed(d);
  } else if (std::sscanf(line, "SkipQuiet=%d", &i) == 1) {
    ui.set_skip_quiet(i != 0);
  } else if (std::sscanf(line, "Chinese=%d", &i) == 1) {
    ui.lesson().show_chinese = i != 0;
  } else if (std::sscanf(line, "LessonChinese=%d", &i) == 1) {
    ui.lessons().chinese = i != 0;
  } else if (std::sscanf(line, "TimelineArrows=%d", &i) == 1) {
    ui.timeline().show_arrows = i != 0;
  } else if (std::sscanf(line, "TimelineStates=%d", &i) == 1) {
    ui.timeline().show_states = i != 0;
  } else if (std::sscanf(line, "RoomAnimate=%d", &i) == 1) {
    ui.machine_room().animate = i != 0;
  } else if (std::sscanf(line, "RoomIdleWorkqueues=%d", &i) == 1) {
    ui.machine_room().show_idle_workqueues = i != 0;
  } else if (std::sscanf(line, "CountersOnlyBusy=%d", &i) == 1) {
    ui.counters().only_busy = i != 0;
  }
}

void write_all(ImGuiContext*, ImGuiSettingsHandler* handler, ImGuiTextBuffer* out) {
  MachineUi& ui = *static_cast<MachineUi*>(handler->UserData);
  out->appendf("[%s][Views]\n", handler->TypeName);
  out->appendf("Speed=%g\n", ui.speed());
  out->appendf("SkipQuiet=%d\n", ui.skip_quiet() ? 1 : 0);
  out->appendf("Chinese=%d\n", ui.lesson().show_chinese ? 1 : 0);
  out->appendf("LessonChinese=%d\n", ui.lessons().chinese ? 1 : 0);
  out->appendf("TimelineArrows=%d\n", ui.timeline().show_arrows ? 1 : 0);
  out->appendf("TimelineStates=%d\n", ui.timeline().show_states ? 1 : 0);
  out->appendf("RoomAnimate=%d\n", ui.machine_room().animate ? 1 : 0);
  out->appendf("RoomIdleWorkqueues=%d\n", ui.machine_room().show_idle_workqueues ? 1 : 0);
  out->appendf("CountersOnlyBusy=%d\n", ui.counters().only_busy ? 1 : 0);
  out->append("\n");
}

}  // namespace

std::string view_settings_signature(MachineUi& ui) {
  ImGuiTextBuffer buf;
  ImGuiSettingsHandler handler;
  handler.TypeName = "wqlab-views";
  handler.UserData = &ui;
  write_all(nullptr, &handler, &buf);
  return buf.c_str();
}

void register_view_settings(MachineUi* ui) {
  ImGuiSettingsHandler handler;
  // Its own type name: ImGui hands each "[type][name]" section to the first handler of that type.
  handler.TypeName = "wqlab-views";
  handler.TypeHash = ImHashStr("wqlab-views");
  handler.ReadOpenFn = open_section;
  handler.ReadLineFn = read_line;
  handler.WriteAllFn = write_all;
  handler.UserData = ui;
  ImGui::AddSettingsHandler(&handler);
}

void unregister_view_settings() {
  ImGui::RemoveSettingsHandler("wqlab-views");
}

}  // namespace wqlab

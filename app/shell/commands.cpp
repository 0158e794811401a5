// The command table: names and descriptions, one row per Command.
#include "shell/commands.h"

namespace wqlab {
namespace {

constexpr CommandInfo kCommands[] = {
    {Command::kPlayPause, "play_pause", "Playback", "Play or pause the machine"},
    {Command::kStepBack, "step_back", "Playback", "Step back one event"},
    {Command::kStepForward, "step_forward", "Playback",
     "Step forward one event (at the newest, the machine runs one dispatch)"},
    {Command::kPrevCheckpoint, "prev_checkpoint", "Playback",
     "Previous checkpoint (demos: the previous highlighted moment)"},
    {Command::kNextCheckpoint, "next_checkpoint", "Playback",
     "Next checkpoint (demos: the next highlighted moment)"},
    {Command::kPrevStep, "prev_step", "Playback",
     "Lessons: the previous step, shown at its checkpoint"},
    {Command::kNextStep, "next_step", "Playback",
     "Lessons: on to the next step (what the panel's main button does)"},
    {Command::kFirstEvent, "first_event", "Playback", "Show the machine before its first event"},
    {Command::kLive, "live", "Playback", "Back to live: follow the newest event"},
    {Command::kWhy, "why", "Why?",
     "Jump to the event that caused the selected one (again: further back)"},
    {Command::kWhyBack, "why_back", "Why?", "Back one step along the Why? trail"},
    {Command::kZoomIn, "zoom_in", "Timeline", "Zoom the timeline in (hold)"},
    {Command::kZoomOut, "zoom_out", "Timeline", "Zoom the timeline out (hold)"},
    {Command::kPanLeft, "pan_left", "Timeline", "Pan the timeline to earlier times (hold)"},
    {Command::kPanRight, "pan_right", "Timeline", "Pan the timeline to later times (hold)"},
    {Command::kFitAll, "fit_all", "Timeline", "Fit the whole run into the timeline"},
    {Command::kRoomPrev, "room_prev", "Machine room",
     "The previous CPU, pool or workqueue (zoomed in, or highlighted)"},
    {Command::kRoomNext, "room_next", "Machine room",
     "The next one (Enter zooms into the highlighted CPU, Esc backs out)"},
    {Command::kOpenTrace, "open_trace", "File",
     "Open a real kernel's workqueue trace (cat trace, trace-cmd report, perf script)"},
    {Command::kExportPerfetto, "export_perfetto", "Export",
     "Export the run as a Perfetto trace (JSON; open it in ui.perfetto.dev)"},
    {Command::kExportFtrace, "export_ftrace", "Export",
     "Export the run as ftrace text (the kernel's workqueue tracepoints)"},
    {Command::kScreenshot, "screenshot", "Export", "Save a screenshot of the window (PNG)"},
    {Command::kExportFolder, "export_folder", "Export",
     "Choose the folder exports are saved in (desktop; the browser downloads them)"},
    {Command::kShareLink, "share_link", "Export",
     "Share a scenario as a link (#s=...): paste scenario text, copy the link"},
    {Command::kShowKeys, "show_keys", "Help", "Show or hide this list of keyboard shortcuts"},
    {Command::kQuit, "quit", "Help", "Quit wqlab (desktop)"},
};
static_assert(std::size(kCommands) == static_cast<size_t>(kCommandCount),
              "every Command needs a row in kCommands");

}  // namespace

std::span<const CommandInfo> command_table() {
  return kCommands;
}

const CommandInfo& command_info(Command c) {
  for (const CommandInfo& info : kCommands)
    if (info.command == c) return info;
  return kCommands[0];  // unreachable while the static_assert and the test hold
}

Command command_by_name(std::string_view name) {
  for (const CommandInfo& info : kCommands)
    if (info.name == name) return info.command;
  return Command::kCount;
}

}  // namespace wqlab

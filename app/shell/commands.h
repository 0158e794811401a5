// The app's named commands: what a key, a menu item or a button asks for. The keymap
// (keyboard_map.h) binds keys to them; a CommandSink (the machine's controls, the exporter, a
// lesson player) carries them out. Plain data, no ImGui, so tests can check the table.
#pragma once

#include <span>
#include <string_view>

namespace wqlab {

enum class Command : int {
  kPlayPause,
  kStepBack,
  kStepForward,
  kPrevCheckpoint,
  kNextCheckpoint,
  kPrevStep,
  kNextStep,
  kFirstEvent,
  kLive,
  kWhy,
  kWhyBack,
  kZoomIn,
  kZoomOut,
  kPanLeft,
  kPanRight,
  kFitAll,
  kRoomPrev,
  kRoomNext,
  kOpenTrace,
  kExportPerfetto,
  kExportFtrace,
  kScreenshot,
  kExportFolder,
  kShareLink,
  kShowKeys,
  kQuit,
  kCount
};
inline constexpr int kCommandCount = static_cast<int>(Command::kCount);

struct CommandInfo {
  Command command;
  std::string_view name;         // stable id for tests and --press: "play_pause"
  std::string_view group;        // heading in the keyboard overlay
  std::string_view description;  // one line a student understands
};

// Every command, in the order the keyboard overlay lists them.
std::span<const CommandInfo> command_table();
const CommandInfo& command_info(Command c);
// The command called `name`, or Command::kCount.
Command command_by_name(std::string_view name);

// Carries out commands. Sinks are asked in turn; the first that returns true has handled it.
class CommandSink {
 public:
  virtual ~CommandSink() = default;
  // `held_seconds`: for commands bound to a held key (zoom, pan), how long it was held this
  // frame; 0 for a single press.
  virtual bool run_command(Command c, float held_seconds) = 0;
};

}  // namespace wqlab

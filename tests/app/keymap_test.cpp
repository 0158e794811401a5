// The keymap: one binding per key chord, a name and description for every command, labels that
// parse back, and the shortcuts the menus and the overlay promise.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "shell/commands.h"
#include "shell/keyboard_map.h"

namespace wqlab::test {
namespace {

TEST(Keymap, EveryCommandHasOneRowWithANameGroupAndDescription) {
  std::set<std::string> names;
  ASSERT_EQ(command_table().size(), static_cast<size_t>(kCommandCount));
  for (size_t i = 0; i < command_table().size(); ++i) {
    const CommandInfo& info = command_table()[i];
    EXPECT_EQ(static_cast<size_t>(info.command), i) << info.name;
    EXPECT_FALSE(info.name.empty());
    EXPECT_FALSE(info.group.empty()) << info.name;
    EXPECT_GE(info.description.size(), 10u) << info.name;
    EXPECT_TRUE(names.insert(std::string(info.name)).second) << "two commands named " << info.name;
    EXPECT_EQ(command_by_name(info.name), info.command);
  }
  EXPECT_EQ(command_by_name("no_such_command"), Command::kCount);
}

TEST(Keymap, NoChordIsBoundTwice) {
  const auto bindings = keymap();
  for (size_t i = 0; i < bindings.size(); ++i) {
    for (size_t j = i + 1; j < bindings.size(); ++j) {
      EXPECT_FALSE(bindings[i].chord == bindings[j].chord)
          << chord_label(bindings[i].chord) << " runs both "
          << command_info(bindings[i].command).name << " and "
          << command_info(bindings[j].command).name;
    }
  }
}

TEST(Keymap, HeldKeysHaveNoModifiersSoTheirChordsStayFree) {
  for (const KeyBinding& b : keymap())
    if (b.trigger == KeyTrigger::kHold) {
      EXPECT_EQ(b.chord.mods, 0) << chord_label(b.chord);
    }
}

TEST(Keymap, EveryCommandButTheMenuOnlyOnesHasAKey) {
  for (const CommandInfo& info : command_table()) {
    if (info.command == Command::kExportFolder) {  // a dialog, rarely used: menu only
      EXPECT_EQ(shortcut_label(info.command), "");
      continue;
    }
    EXPECT_NE(shortcut_label(info.command), "") << info.name << " has no key";
  }
}

TEST(Keymap, TheShortcutsTheBriefPromises) {
  EXPECT_EQ(shortcut_label(Command::kPlayPause), "Space");
  EXPECT_EQ(shortcut_label(Command::kStepBack), "Left");
  EXPECT_EQ(shortcut_label(Command::kStepForward), "Right");
  EXPECT_EQ(shortcut_label(Command::kPrevCheckpoint), "Shift+Left");
  EXPECT_EQ(shortcut_label(Command::kNextCheckpoint), "Shift+Right");
  EXPECT_EQ(shortcut_label(Command::kZoomIn), "W");
  EXPECT_EQ(shortcut_label(Command::kZoomOut), "S");
  EXPECT_EQ(shortcut_label(Command::kPanLeft), "A");
  EXPECT_EQ(shortcut_label(Command::kPanRight), "D");
  EXPECT_EQ(shortcut_label(Command::kFitAll), "F");
  EXPECT_EQ(shortcut_label(Command::kFirstEvent), "Home");
  EXPECT_EQ(shortcut_label(Command::kLive), "End");
  EXPECT_EQ(shortcut_label(Command::kWhy), "Y");
  EXPECT_EQ(shortcut_label(Command::kWhyBack), "Backspace");
  EXPECT_EQ(shortcut_label(Command::kRoomPrev), "[");
  EXPECT_EQ(shortcut_label(Command::kRoomNext), "]");
  EXPECT_EQ(shortcut_label(Command::kOpenTrace), "Ctrl+O");
  EXPECT_EQ(shortcut_label(Command::kExportPerfetto), "Ctrl+E");
  EXPECT_EQ(shortcut_label(Command::kScreenshot), "F12");
  EXPECT_EQ(shortcut_label(Command::kShowKeys), "?");
}

TEST(Keymap, LabelsParseBackAndOtherTextDoesNot) {
  for (const KeyBinding& b : keymap()) {
    const std::optional<KeyChord> again = parse_chord(chord_label(b.chord));
    ASSERT_TRUE(again.has_value()) << chord_label(b.chord);
    EXPECT_TRUE(*again == b.chord) << chord_label(b.chord);
  }
  ASSERT_TRUE(parse_chord("ctrl+shift+e").has_value());
  EXPECT_EQ(chord_label(*parse_chord("ctrl+shift+e")), "Ctrl+Shift+E");
  EXPECT_EQ(chord_label(*parse_chord("Shift+Ctrl+E")), "Ctrl+Shift+E");
  for (const char* bad : {"", "Ctrl+", "Ctrl+Z", "Hyper+E", "Ctrl+Ctrl+E", "E+Ctrl", "Space bar"})
    EXPECT_FALSE(parse_chord(bad).has_value()) << bad;
}

}  // namespace
}  // namespace wqlab::test

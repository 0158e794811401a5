// The keymap: the one table of keyboard shortcuts. Menus print their shortcut from it, the
// keyboard overlay (?) lists it, keyboard_dispatch.cpp acts on it and --press parses its names.
// Plain data, no ImGui: keyboard_dispatch.cpp maps Key to ImGuiKey.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "shell/commands.h"

namespace wqlab {

enum class Key : uint8_t {
  kSpace,
  kLeft,
  kRight,
  kHome,
  kEnd,
  kComma,
  kPeriod,
  kA,
  kD,
  kE,
  kF,
  kL,
  kN,
  kO,
  kP,
  kQ,
  kS,
  kW,
  kY,
  kBackspace,
  kLeftBracket,
  kRightBracket,
  kF1,
  kF12,
  kQuestion,  // the '?' character, whichever keys type it on this keyboard layout
  kCount
};

inline constexpr uint8_t kModCtrl = 1, kModShift = 2, kModAlt = 4;

struct KeyChord {
  Key key = Key::kCount;
  uint8_t mods = 0;  // kMod* bits
  bool operator==(const KeyChord&) const = default;
};

enum class KeyTrigger : uint8_t {
  kPress,   // once per press
  kRepeat,  // once per press, then at the keyboard's repeat rate while held
  kHold,    // every frame while held (zoom, pan)
};

struct KeyBinding {
  Command command;
  KeyChord chord;
  KeyTrigger trigger = KeyTrigger::kPress;
  bool desktop_only = false;  // e.g. Ctrl+Q: a page cannot close its tab
};

std::span<const KeyBinding> keymap();

// "Ctrl+Shift+E", "Left", "Space", "?".
std::string chord_label(KeyChord chord);
// The inverse of chord_label(), case-insensitive ("ctrl+e" works too); nullopt if it is not one.
std::optional<KeyChord> parse_chord(std::string_view text);
// The first key bound to `c`, as a label for menus; "" if none.
std::string shortcut_label(Command c);

}  // namespace wqlab

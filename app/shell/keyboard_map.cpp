// The keymap table and chord names.
#include "shell/keyboard_map.h"

#include <cctype>
#include <vector>

namespace wqlab {
namespace {

using C = Command;
using T = KeyTrigger;

constexpr KeyBinding kBindings[] = {
    {C::kPlayPause, {Key::kSpace}},
    {C::kStepBack, {Key::kLeft}, T::kRepeat},
    {C::kStepBack, {Key::kComma}, T::kRepeat},
    {C::kStepForward, {Key::kRight}, T::kRepeat},
    {C::kStepForward, {Key::kPeriod}, T::kRepeat},
    {C::kPrevCheckpoint, {Key::kLeft, kModShift}},
    {C::kNextCheckpoint, {Key::kRight, kModShift}},
    {C::kPrevStep, {Key::kP}},
    {C::kNextStep, {Key::kN}},
    {C::kFirstEvent, {Key::kHome}},
    {C::kLive, {Key::kEnd}},
    {C::kWhy, {Key::kY}},
    {C::kWhyBack, {Key::kBackspace}},
    {C::kZoomIn, {Key::kW}, T::kHold},
    {C::kZoomOut, {Key::kS}, T::kHold},
    {C::kPanLeft, {Key::kA}, T::kHold},
    {C::kPanRight, {Key::kD}, T::kHold},
    {C::kFitAll, {Key::kF}},
    {C::kRoomPrev, {Key::kLeftBracket}, T::kRepeat},
    {C::kRoomNext, {Key::kRightBracket}, T::kRepeat},
    {C::kOpenTrace, {Key::kO, kModCtrl}},
    {C::kExportPerfetto, {Key::kE, kModCtrl}},
    {C::kExportFtrace, {Key::kE, kModCtrl | kModShift}},
    {C::kScreenshot, {Key::kF12}},
    {C::kShareLink, {Key::kL, kModCtrl | kModShift}},
    {C::kShowKeys, {Key::kQuestion}},
    {C::kShowKeys, {Key::kF1}},
    {C::kQuit, {Key::kQ, kModCtrl}, T::kPress, true},
};

constexpr std::string_view kKeyNames[] = {
    "Space", "Left", "Right", "Home", "End", ",", ".",         "A", "D", "E",  "F",   "L", "N",
    "O",     "P",    "Q",     "S",    "W",   "Y", "Backspace", "[", "]", "F1", "F12", "?"};
static_assert(std::size(kKeyNames) == static_cast<size_t>(Key::kCount), "a name for every Key");

struct ModName {
  uint8_t bit;
  std::string_view name;
};
constexpr ModName kMods[] = {{kModCtrl, "Ctrl"}, {kModShift, "Shift"}, {kModAlt, "Alt"}};

bool equal_nocase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

}  // namespace

std::span<const KeyBinding> keymap() {
  return kBindings;
}

std::string chord_label(KeyChord chord) {
  if (chord.key >= Key::kCount) return "";
  std::string out;
  for (const ModName& m : kMods)
    if (chord.mods & m.bit) out += std::string(m.name) + "+";
  return out + std::string(kKeyNames[static_cast<size_t>(chord.key)]);
}

std::optional<KeyChord> parse_chord(std::string_view text) {
  // Split on '+', but a trailing "+" alone would be a key name none of ours has.
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == '+') {
      parts.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  KeyChord chord;
  for (size_t p = 0; p + 1 < parts.size(); ++p) {
    bool found = false;
    for (const ModName& m : kMods) {
      if (!equal_nocase(parts[p], m.name) || (chord.mods & m.bit)) continue;
      chord.mods |= m.bit;
      found = true;
    }
    if (!found) return std::nullopt;
  }
  for (size_t k = 0; k < std::size(kKeyNames); ++k) {
    if (equal_nocase(parts.back(), kKeyNames[k])) {
      chord.key = static_cast<Key>(k);
      return chord;
    }
  }
  return std::nullopt;
}

std::string shortcut_label(Command c) {
  for (const KeyBinding& b : kBindings)
    if (b.command == c) return chord_label(b.chord);
  return "";
}

}  // namespace wqlab

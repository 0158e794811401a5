// Acts on the keymap (keyboard_map.h) each frame, and plays key presses given with --press.
// Focus rules: nothing fires while a text field takes typing or a menu or popup is open; while
// ImGui's keyboard navigation is in use (Tab moved the focus onto a widget, Esc leaves it), the
// keys it needs (arrows, Space, Home, End) operate the widgets, not the machine.
#pragma once

#include <cstddef>
#include <deque>
#include <vector>

#include "shell/keyboard_map.h"

namespace wqlab {

class Keyboard {
 public:
  // The commands the keys pressed this frame ask for, with hold times (call inside the frame,
  // after everything that may take text input has been drawn in the previous frame).
  struct Fired {
    Command command;
    float held_seconds;
  };
  std::vector<Fired> poll(bool desktop);

  // Simulated presses (--press): one chord per two frames, starting when `ready`.
  void queue_presses(std::vector<KeyChord> chords);
  // Before ImGui::NewFrame(): feeds the next simulated press or release to ImGui.
  void feed_presses(bool ready);
  bool presses_pending() const { return !queued_.empty() || releasing_; }
  size_t presses_done() const { return done_; }

 private:
  static constexpr float kScriptedHoldSeconds = 0.1f;
  std::deque<KeyChord> queued_;
  KeyChord down_;
  bool releasing_ = false;
  size_t done_ = 0;
};

}  // namespace wqlab

// The transport every stage has: play/pause, step, the checkpoints, first event, live. The
// keymap's playback commands map onto it the same way in every stage.
#pragma once

#include "shell/commands.h"

namespace wqlab {

class Playback {
 public:
  virtual ~Playback() = default;
  virtual void toggle_play() = 0;
  virtual void step_forward() = 0;
  virtual void step_back() = 0;
  virtual void go_live() = 0;
  virtual void show_first_event() = 0;
  // False if no checkpoint is left in that direction.
  virtual bool next_checkpoint() = 0;
  virtual bool prev_checkpoint() = 0;
  // A lesson's steps (N, P); a stage without steps has nothing to do.
  virtual bool next_step() { return false; }
  virtual bool prev_step() { return false; }
};

// Carries out `c` if it is a playback command (true), else leaves it (false).
inline bool run_playback_command(Command c, Playback& p) {
  switch (c) {
    case Command::kPlayPause:
      p.toggle_play();
      return true;
    case Command::kStepBack:
      p.step_back();
      return true;
    case Command::kStepForward:
      p.step_forward();
      return true;
    case Command::kNextCheckpoint:
      p.next_checkpoint();
      return true;
    case Command::kPrevCheckpoint:
      p.prev_checkpoint();
      return true;
    case Command::kNextStep:
      p.next_step();
      return true;
    case Command::kPrevStep:
      p.prev_step();
      return true;
    case Command::kFirstEvent:
      p.show_first_event();
      return true;
    case Command::kLive:
      p.go_live();
      return true;
    default:
      return false;
  }
}

}  // namespace wqlab

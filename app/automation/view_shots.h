// --shots DIR (desktop): once the demo has run to its end and shows the chosen moment, saves the
// whole window and then each view alone (the others hidden), one PNG per layout:
// full.png, lesson.png, machine-room.png, timeline.png, counters.png, counters-plots.png,
// counters-pools.png, event-log.png, and machine-room-N.png for the demo's other highlights;
// then it shows every panel again at the first moment for a few frames, and the app exits.
#pragma once

#include <string>
#include <vector>

#include "shell/shell.h"
#include "stage/machine_ui.h"

namespace wqlab {

class ViewShots {
 public:
  // `keep_view`: the moment, selection and zoom were chosen (--why, --zoom): shoot them as they
  // are, without the demo's other highlights.
  ViewShots(std::string dir, Shell* shell, MachineUi* ui, bool keep_view = false);
  // Before each frame: sets up the layout and moment of the current shot.
  void before_frame();
  // After each frame is rendered (before the swap): saves the shot when its layout has
  // settled. Returns true when every shot is saved (or on error).
  bool after_frame(int width, int height, std::string* error);

 private:
  struct Shot {
    std::string file;
    int solo;  // PanelId shown alone, -1 for every panel
    CountersView::Tab tab;
    int highlight;  // index into the demo's highlights, -1: keep the moment
  };

  std::string dir_;
  Shell* shell_;
  MachineUi* ui_;
  std::vector<Shot> shots_;
  bool keep_view_ = false;
  size_t current_ = 0;
  int frames_ = 0;  // frames rendered in the current shot's layout
  int waited_ = 0;  // frames waited for the machine to settle
};

}  // namespace wqlab

// LessonScript: what --lesson with --answers, --to-checkpoint and --back-to-checkpoint ask for
// (on the desktop command line or in the browser's URL query), done the way a student would do
// it at the controls, one command each time the player has settled: open the lesson; for each
// step up to the checkpoint asked for, show it, answer its questions (or skip those not
// listed) and run it to its checkpoint; then go back to the checkpoint asked for. With --shots
// (desktop) it also saves the window at the last checkpoint reached and after going back, in
// English and in Chinese, and the Machine room alone.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "host/cli.h"
#include "shell/shell.h"
#include "stage/lesson_ui.h"

namespace wqlab {

class LessonScript {
 public:
  LessonScript(const Options& options, LessonUi& ui, Shell& shell);
  // Before each frame: the next command, once the player has settled; a shot's layout.
  void before_frame();
  // After each frame is rendered: saves a pending shot once its layout has settled for a few
  // frames (`save` writes the window to a file and returns an error, or "").
  void after_frame(const std::function<std::string(const std::string&)>& save, std::string* error);
  bool done() const { return stage_ == Stage::Done && shots_.empty(); }
  const char* stage_name() const;

 private:
  enum class Stage { Open, Forward, Back, Done };
  struct Shot {
    std::string file;
    bool chinese;
    int solo;  // PanelId shown alone, -1 for every panel
  };
  void forward();
  void queue_shots(size_t checkpoint);

  LessonUi& ui_;
  Shell& shell_;
  Stage stage_ = Stage::Open;
  std::map<std::string, double> answers_;
  int to_checkpoint_;
  int back_to_checkpoint_;
  bool chinese_;
  std::string shots_dir_;
  std::vector<Shot> shots_;
  int shot_frames_ = 0;  // frames rendered in the current shot's layout
  bool saved_show_[kPanelCount] = {};
};

}  // namespace wqlab

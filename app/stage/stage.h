// Stage: the one thing on screen (the demo, the open lesson, the sandbox). It owns its machines
// and its views and carries out the commands the shell routes to it: playback, the timeline's
// zoom and pan, Why?, the machine room's zoom. File > Export writes its machines under its name;
// Share makes a link to its scenario. Nothing acts on a stage that is not shown: the shell asks
// StageHost::current() each time.
#pragma once

#include <string>
#include <vector>

#include "export/run_export.h"
#include "shell/commands.h"

namespace wqlab {

class Stage : public CommandSink {
 public:
  // "demo", "lesson" or "sandbox" (the exposed state's "stage").
  virtual const char* kind() const = 0;
  // What exported files are named after: the demo's name, the lesson's id, "sandbox-ID".
  virtual std::string name() const = 0;
  // The machines on the stage, in the order they are shown; empty while none runs.
  virtual std::vector<exporting::MachineRecording> machines() const = 0;
  // The stage's scenario as text for a share link; empty when it has none (the demos).
  virtual std::string scenario_text() const = 0;
};

// Knows which stage is shown.
class StageHost {
 public:
  virtual ~StageHost() = default;
  virtual Stage& current() = 0;
};

// The shell's sink for the stages' commands: each goes to the stage shown at that moment.
class StageRouter : public CommandSink {
 public:
  explicit StageRouter(StageHost* host) : host_(host) {}
  bool run_command(Command c, float held_seconds) override {
    return host_->current().run_command(c, held_seconds);
  }

 private:
  StageHost* host_;
};

}  // namespace wqlab

// File > Export for the stage on screen (stage/stage.h): Perfetto JSON (one process per
// machine), ftrace text (a section per machine when there are several) and a screenshot, named
// after the stage ("wqlab-rescuer-..."). The desktop
// saves them in a folder (File > Export folder..., remembered in the settings as
// [wqlab-export][Export]; --export-dir overrides it for one run) and says where in the status
// bar; the browser downloads them.
#pragma once

#include <string>

#include "export/run_export.h"
#include "shell/commands.h"
#include "shell/shell.h"
#include "stage/stage.h"

namespace wqlab {

class ExportUi : public CommandSink {
 public:
  ExportUi(Shell* shell, StageHost* stages);

  // The folder chosen in File > Export folder... (saved in the settings); empty: the default.
  std::string saved_dir;
  // --export-dir: used instead of saved_dir for this run, never saved.
  std::string override_dir;

  bool run_command(Command c, float held_seconds) override;
  // The export folder dialog.
  void draw();
  // After a frame is rendered, before the swap: takes a requested screenshot. A screenshot
  // waits two frames, so a menu that asked for it has closed.
  void after_render(int width, int height);
  // Where exports go now: override_dir, else saved_dir, else default_export_dir().
  std::string effective_dir() const;
  // Exposed state for tests, as a JSON object's members: "exports":{count, last, error, dir,
  // machines (in the last export)}.
  std::string state_json_members() const;

 private:
  void export_text(exporting::Format f);
  std::string file_name(exporting::Format f) const;
  void delivered(exporting::Format f, const std::string& where, const std::string& error);

  Shell* shell_;
  StageHost* stages_;
  int screenshot_in_ = 0;  // frames until the screenshot; 0: none asked for
  int count_ = 0;
  std::string last_;
  std::string last_error_;
  size_t last_machines_ = 0;
  bool folder_dialog_ = false;
  char folder_edit_[1024] = {};
};

// Registers the [wqlab-export][Export] settings section (desktop: the export folder).
void register_export_settings(ExportUi* ui);

}  // namespace wqlab

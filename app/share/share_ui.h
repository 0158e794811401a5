// Share links in the app. A link's scenario ("#s=...", share/share_url.h) is opened from the
// page's address (browser: at start-up and on every hashchange), from --open-url (desktop), or
// from File > Share scenario link..., where scenario text can also be turned into a link that
// is copied to the clipboard and shown in a text field.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "share/share_url.h"
#include "shell/commands.h"
#include "shell/shell.h"
#include "stage/stage.h"

namespace wqlab {

class ShareUi : public CommandSink {
 public:
  explicit ShareUi(Shell* shell);

  // "Open this scenario text": the one entry point for a shared scenario. Checks the text
  // (size, UTF-8, parser) and, if it is a valid scenario, hands it to `on_open`; either way the
  // outcome shows in the status bar and the exposed state. `origin` says where it came from
  // ("link", "--open-url", "dialog"). Returns whether the scenario was valid.
  bool open_scenario_text(std::string text, const std::string& origin);
  // Decodes a share URL (or its fragment) first; a damaged link is reported the same way.
  bool open_link(const std::string& url, const std::string& origin);

  // What a valid shared scenario leads to; the lesson player sets it. Unset: the status bar
  // shows its title.
  std::function<void(const scenario::Scenario&, const std::string& text)> on_open;

  // The stages: Share (Ctrl+Shift+L) starts from the shown stage's scenario (a lesson's file,
  // the sandbox's scenario) and makes its link at once. Unset: the dialog starts from the last
  // scenario text opened.
  StageHost* stages = nullptr;

  // Browser: opens the page's #s= fragment when it is new (call once per frame).
  void poll_page();
  // The share dialog.
  void draw();
  bool run_command(Command c, float held_seconds) override;
  // Exposed state for tests: "share":{state, origin, title, error, link, linkStage}.
  std::string state_json_members() const;

 private:
  void report(const share::DecodedLink& d, const std::string& origin);
  void make_link();

  Shell* shell_;
  std::string state_ = "none";  // "none", "ok" or "error"
  std::string origin_;
  std::string title_;
  std::string error_;
  std::string link_;        // the last link made in the dialog
  std::string link_stage_;  // the stage whose scenario link_ carries ("lesson", "sandbox")
  std::string text_;        // the last scenario text opened or typed
  bool dialog_request_ = false;
  std::vector<char> edit_;   // the dialog's scenario text (room for more than the limit)
  std::vector<char> shown_;  // the dialog's link field
  std::string dialog_error_;
};

}  // namespace wqlab

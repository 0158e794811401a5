// MachineUi: the running machine as the app shows it. It owns the MachineSession (the engine
// and its driver thread), the MachineModel folded from the session's recording, the shared
// Selection, and the views; it fills the shell's panels, adds the Machine menu and the
// transport controls in the status bar, and reports its state for tests (--state-json,
// window.wqlabStatus). While a lesson is open, its LessonUi fills the panels instead and the
// transport drives the lesson. It is the demo's Stage, and the StageHost that says which stage
// is shown: the open lesson, else the sandbox while it is shown, else the demo.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "model/machine_model.h"
#include "session/machine_session.h"
#include "shell/commands.h"
#include "shell/shell.h"
#include "stage/lesson_ui.h"
#include "stage/playback.h"
#include "stage/stage.h"
#include "views/counters_view.h"
#include "views/event_log_view.h"
#include "views/lesson_view.h"
#include "views/machine_room_view.h"
#include "views/selection.h"
#include "views/timeline_view.h"

namespace wqlab {

class MachineUi : public ShellContent, public Stage, public Playback, public StageHost {
 public:
  MachineUi();
  ~MachineUi() override;

  // Loads demo `name` (false if unknown), closing an open lesson. `at`: run it to the end, then
  // show that moment (negative: play from the start at the current speed).
  bool load_demo(const std::string& name, model::Nanos at = -1);
  // Once the loaded demo has run (load_demo with `at`): show event `why` (model::EventSpec text)
  // and walk Why? back to its first cause; zoom the machine room into `zoom` (cpu:N, ...).
  void request_view(std::string why, std::string zoom);
  // A lesson has opened: the demo's machine is shut down while the lesson runs.
  void on_lesson_opened();
  bool lesson_active() const { return lessons_->active(); }
  LessonUi& lessons() { return *lessons_; }
  // Once per frame, before ImGui::NewFrame(): picks up a new recording, folds new events and
  // rebuilds the state of the selected moment if it changed.
  void update(float dt);
  // True when the machine has stopped (idle), every event is folded and a requested moment is
  // shown: what screenshots and benchmarks wait for.
  bool settled() const;

  // ShellContent.
  bool draw_panel(PanelId id) override;
  void draw_menus() override;
  void draw_status() override;
  // Stage (the demo; machine_commands.cpp): playback, the views' commands, export, share.
  bool run_command(Command c, float held_seconds) override;
  const char* kind() const override { return "demo"; }
  std::string name() const override;
  std::vector<exporting::MachineRecording> machines() const override;
  std::string scenario_text() const override { return ""; }  // demos are C++ definitions
  // StageHost: the stage on screen.
  Stage& current() override;

  // Exposed state for tests, as a JSON object's members (no braces).
  std::string state_json_members() const;

  // Playback of the demo (and of the sandbox's machine while the views show it); the
  // checkpoints are the demos' highlighted moments.
  void toggle_play() override;
  void step_forward() override;
  void step_back() override;
  void go_live() override;
  void show_first_event() override;
  bool next_checkpoint() override;
  bool prev_checkpoint() override;

  // Shows another session's machine in the views (the sandbox's): its recording comes from
  // `recording`, the transport goes to `control`, `panel` fills the Lesson panel and `stage`
  // becomes the shown stage. Null (no arguments) gives the views back to the demo.
  void show_external(session::SessionControl* control = nullptr,
                     std::function<std::shared_ptr<const session::Recording>()> recording = {},
                     std::function<void()> panel = {}, Stage* stage = nullptr);
  bool external() const { return control_ != session_.get(); }

  // The Sandbox menu's items (the sandbox sets it); unset: no Sandbox menu.
  std::function<void()> sandbox_menu;

  session::MachineSession& session() { return *session_; }
  model::MachineModel& model() { return model_; }
  Selection& selection() { return selection_; }
  TimelineView& timeline() { return timeline_; }
  MachineRoomView& machine_room() { return room_; }
  CountersView& counters() { return counters_; }
  EventLogView& event_log() { return event_log_; }
  LessonView& lesson() { return lesson_; }
  double speed() const { return speed_; }
  void set_speed(double s);
  bool skip_quiet() const { return skip_quiet_; }
  void set_skip_quiet(bool on) {
    skip_quiet_ = on;
    session_->set_skip_quiet(on);
  }
  int glyphs_missing() const;  // characters of the demo's Chinese text the UI font lacks

 private:
  ViewContext context();
  void attach(std::shared_ptr<const session::Recording> rec);
  void draw_machine_menu();
  void draw_demo_menu();
  void draw_sandbox_menu();
  void apply_view_request();

  Playback& transport();  // the shown stage's: the lesson's while one is open, else this
  bool playing() const;
  bool live() const;

  std::unique_ptr<session::MachineSession> session_;
  session::SessionControl* control_ = nullptr;  // the transport's session: session_ or external
  std::function<std::shared_ptr<const session::Recording>()> external_recording_;
  std::function<void()> external_panel_;
  Stage* external_stage_ = nullptr;
  std::shared_ptr<const session::Recording> recording_;
  model::MachineModel model_;
  Selection selection_;
  session::SessionStatus status_;
  model::MachineState past_;  // the state at selection_.moment when not live
  uint64_t past_moment_ = UINT64_MAX;
  bool pending_step_ = false;     // a step ran the machine; show the first event it adds
  model::Nanos pending_at_ = -1;  // --at: the moment to show once the run has ended
  bool pending_play_ = false;
  std::string pending_why_, pending_zoom_;  // request_view(), applied once settled
  double speed_ = session::MachineSession::kDefaultSpeed;
  bool skip_quiet_ = true;
  float dt_ = 0.0f;
  std::string saved_settings_;  // view_settings_signature() when last saved

  LessonView lesson_;
  MachineRoomView room_;
  TimelineView timeline_;
  CountersView counters_;
  EventLogView event_log_;
  std::unique_ptr<LessonUi> lessons_;  // after the views: it borrows their options
};

// Registers the [wqlab-views][Views] settings section (speed and the views' options).
void register_view_settings(MachineUi* ui);
// Removes it again: before the MachineUi goes, since ImGui writes the settings at shutdown.
void unregister_view_settings();
// The section's text for `ui` as it is now: when it changes, the settings are saved.
std::string view_settings_signature(MachineUi& ui);

}  // namespace wqlab

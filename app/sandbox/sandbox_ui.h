// SandboxUi: the sandbox in the app. It owns the sandbox's LessonSession and Sandbox model,
// shows the sandbox machine in the views (MachineUi::show_external) with the transport driving
// the sandbox (play runs it in small slices at the chosen speed), fills the Lesson panel with
// the sandbox's forms (sandbox_panel.cpp), adds the Sandbox menu, saves and loads scenario
// files, and makes share links. As the sandbox's Stage it takes the commands the shell routes to
// the shown stage (the views' commands act on the sandbox machine's views). Exposed state for
// tests: "sandbox":{...}.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "sandbox/sandbox.h"
#include "session/lesson_session.h"
#include "shell/shell.h"
#include "stage/machine_ui.h"
#include "stage/stage.h"

namespace wqlab {

class SandboxUi : public session::SessionControl, public Stage {
 public:
  SandboxUi(Shell* shell, MachineUi* machine);
  ~SandboxUi() override;

  // Shows the sandbox (a fresh one the first time).
  void open();
  // Opens a scenario in the sandbox (a file's text, a share link's); false with the message in
  // the panel and the status bar when it is not a valid one (the sandbox keeps what it had).
  bool open_text(const std::string& text, const std::string& origin);
  bool open_file(const std::string& path);
  bool open_scenario(const scenario::Scenario& s, const std::string& origin);
  bool shown() const { return shown_ && machine_->external(); }

  // Stage: playback and the view commands go to the views showing the sandbox's machine.
  bool run_command(Command c, float held_seconds) override;
  const char* kind() const override { return "sandbox"; }
  std::string name() const override;
  std::vector<exporting::MachineRecording> machines() const override;
  std::string scenario_text() const override;

  // Once per frame, before the views: play pacing and the model's view of the machine.
  void update(float dt);
  std::string state_json_members() const;

  // SessionControl: the transport in the status bar, pointed at the sandbox.
  void play() override { playing_ = true; }
  void pause() override { playing_ = false; }
  void set_speed(double s) override { speed_ = s; }
  void step() override;
  void run_until_idle() override;
  void set_skip_quiet(bool) override {}
  session::SessionStatus status() const override;
  bool wait_until_quiet(std::chrono::milliseconds timeout) override {
    return !session_ || session_->wait_until_quiet(timeout);
  }

 private:
  // sandbox_panel.cpp
  void draw_panel();
  void draw_machine_row();
  void draw_workqueue_form();
  void draw_work_form();
  void draw_actions();
  void draw_run_row();
  void draw_scheduler();
  void draw_history();
  void draw_file_row();
  void draw_menu();

  void show();
  void save();
  void share();
  void report();  // the model's last error or note to the status bar

  Shell* shell_;
  MachineUi* machine_;
  // Made when the sandbox first opens: its driver thread (a Web Worker in the browser) and
  // carriers cost nothing until then.
  std::unique_ptr<session::LessonSession> session_;
  std::unique_ptr<sandbox::Sandbox> sandbox_;
  bool started_ = false;  // sandbox_ holds a sandbox (false: "New" makes a fresh one)
  bool shown_ = false;
  bool playing_ = false;
  double speed_ = session::SessionControl::kDefaultSpeed;
  float dt_ = 0.0f;
  std::vector<session::RunnableTask> runnable_;

  // The forms' fields.
  char wq_name_[41] = "mywq";
  int wq_create_ = 0;
  unsigned wq_flags_ = 0;
  int wq_max_active_ = 0;
  char work_name_[41] = "w1";
  char work_body_[256] = "compute 5ms; sleep 10ms";
  bool work_delayed_ = false;
  int act_work_ = 0;
  int act_wq_ = 0;
  int act_cpu_ = -1;  // -1: WORK_CPU_UNBOUND
  float act_delay_ms_ = 0.0f;
  int hot_cpu_ = 1;
  int cpus_ = 4;
  bool scheduler_ = true;  // "you are the scheduler": list the run queue, pick from it
  char path_[256] = "sandbox.toml";
  std::vector<char> paste_;  // the browser's "load from text" field
  std::string link_;
  std::string last_reported_;
};

}  // namespace wqlab

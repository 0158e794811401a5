// LessonUi: the lesson player as the app shows it. It owns the LessonSession and the
// LessonPlayer (app/player), the catalog behind the Lessons menu, one set of views per machine
// and the error banner. While a lesson is open it fills every panel: the player in the Lesson
// panel, the shown step's machines side by side in the Machine room and the Timeline, one
// machine (tabs to switch) in the Counters and the Event log. MachineUi, the shell's content,
// hands it the panels and the transport while a lesson is open; as the lesson's Stage it takes
// the commands (keys, export, share) the shell routes to the shown stage.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "player/lesson_catalog.h"
#include "player/lesson_player.h"
#include "session/lesson_session.h"
#include "shell/panels.h"
#include "stage/playback.h"
#include "stage/stage.h"
#include "views/counters_view.h"
#include "views/event_log_view.h"
#include "views/lesson_player_view.h"
#include "views/machine_room_view.h"
#include "views/selection.h"
#include "views/timeline_view.h"

namespace wqlab {

class MachineUi;

// One machine's views and selection while a lesson is open.
struct MachinePane {
  Selection selection;
  MachineRoomView room;
  TimelineView timeline;
  CountersView counters;
  EventLogView log;
  session::SessionStatus status;  // this machine's time and events, for the views
  // The step (and whether it had finished) the timeline's range was last fitted to.
  std::pair<size_t, bool> fitted{SIZE_MAX, false};
};

class LessonUi : public Stage, public Playback {
 public:
  explicit LessonUi(MachineUi& host);
  ~LessonUi() override;

  // Stage (lesson_ui_commands.cpp): playback, checkpoints and the view commands (the timeline
  // commands on every shown machine, Why? and the room's zoom on the focused one); the
  // lesson's machines for export, its file for a share link.
  bool run_command(Command c, float held_seconds) override;
  const char* kind() const override { return "lesson"; }
  std::string name() const override;
  std::vector<exporting::MachineRecording> machines() const override;
  std::string scenario_text() const override;

  // A lesson is open (or its machines are booting).
  bool active() const { return player_ && player_->is_open(); }
  // Opens a lesson file, or a catalog lesson by id, file name or stem. A file that does not
  // parse leaves the open lesson as it is and shows the parser's file:line:col errors.
  bool open(const std::string& file_or_name);
  // Opens a lesson already parsed (a share link's).
  void open_scenario(const scenario::Scenario& lesson);
  void restart();
  void close();
  // Once per frame, before ImGui::NewFrame().
  void update(float dt);
  bool settled() const;

  bool draw_panel(PanelId id);
  void draw_menu();         // the Lessons menu (always there)
  void draw_status_text();  // the status bar's right part while a lesson is open

  // Playback: the lesson's transport (the status bar, the Machine menu, the keys).
  void toggle_play() override;
  void step_forward() override;
  void step_back() override;
  void go_live() override;
  void show_first_event() override;
  bool next_checkpoint() override;
  bool prev_checkpoint() override;
  bool next_step() override;
  bool prev_step() override;
  bool playing() const { return player_ && player_->playing(); }
  bool live() const { return player_ && player_->live(); }
  void set_speed(double speed);

  // The "lesson" member of the exposed state (--state-json, window.wqlabStatus).
  std::string state_json() const;

  player::LessonPlayer* player() { return player_.get(); }
  const player::LessonCatalog& catalog() const { return catalog_; }
  const std::string& error() const { return error_; }
  void set_error(std::string e) { error_ = std::move(e); }
  bool chinese = false;  // the lesson's texts in 简体中文 (persisted)

 private:
  void ensure_player();
  void sync_panes();
  void fit_timelines();
  ViewContext pane_context(size_t machine);
  void draw_pane(size_t machine, PanelId id);
  void draw_machines(PanelId id);
  void draw_focused(PanelId id);
  std::vector<size_t> shown_machines() const;
  int glyphs_missing() const;

  MachineUi& host_;
  player::LessonCatalog catalog_;
  std::unique_ptr<session::LessonSession> session_;  // started with the first lesson
  std::unique_ptr<player::LessonPlayer> player_;
  std::vector<std::unique_ptr<MachinePane>> panes_;
  uint64_t panes_generation_ = 0;
  LessonPlayerView view_;
  size_t focus_ = 0;              // the machine in Counters and Event log
  size_t focus_step_ = SIZE_MAX;  // the step focus_ was chosen for
  std::string error_;             // shown in the banner until dismissed or a lesson opens
  float dt_ = 0.0f;
  std::array<char, 512> open_path_{};  // Lessons > Open a lesson file
  int panes_drawn_[kPanelCount] = {};  // machines drawn per panel this frame (exposed state)
};

}  // namespace wqlab

// TraceUi: a real kernel's workqueue trace as a stage (wqlab open FILE, File > Open trace, a
// file dropped on the window, the browser's file picker). The trace is imported and turned into
// the lab's event log (engine/import/open_trace.h); MachineUi's views show it like a simulated
// run, with scrub and step over the recorded events. Nothing runs: play, step past the end and
// "run until idle" have nothing to do. The Lesson panel says it was recorded on a real kernel
// (file, format, CPUs, time span) and holds the wq_monitor-like table, the pools and their
// kworkers, the outliers and what the importer could not use. Exposed state: "trace":{...}.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "engine/import/live_feed.h"
#include "engine/import/open_trace.h"
#include "session/recording.h"
#include "session/session_control.h"
#include "shell/commands.h"
#include "shell/shell.h"
#include "stage/machine_ui.h"
#include "stage/stage.h"
#include "trace/what_if_view.h"

namespace wqlab {

class TraceUi : public session::SessionControl, public Stage {
 public:
  TraceUi(Shell* shell, MachineUi* machine);
  ~TraceUi() override;

  // Opens a trace's text (`origin` names it: a path or a file name) and shows it; false, with
  // the reason in the status bar and last_error(), when it holds no workqueue or scheduler
  // event (what was shown before stays). open_file() waits for the import (start-up, tests);
  // open_text_async() imports on a thread of its own while the window shows its progress
  // (File > Open trace, a dropped or picked file) and update() shows the trace once it is in.
  bool open_text(std::string_view text, const std::string& origin);
  bool open_file(const std::string& path);
  void open_text_async(std::string text, const std::string& origin);
  void open_file_async(const std::string& path);
  bool loading() const { return loading_ != nullptr; }
  // A trace still being written (wqlab --live, --live-from): what has come is imported again
  // every refresh and shown as more of the same run, the views keeping their place. Following
  // pauses while the user looks at an earlier moment, or with Pause (Space); what came
  // meanwhile is shown on Follow. The stage appears with the first workqueue event.
  void open_live(std::unique_ptr<import::LiveFeed> feed);
  bool live() const { return live_ != nullptr; }
  // Once per frame, before the views: adopts an import that has finished.
  void update();
  bool shown() const;
  const std::string& last_error() const { return error_; }
  // Opens What if and compares the shown trace under `policies` ("P" or "P,Q"), returning once
  // the model has run (start-up's --whatif); false if no trace is shown.
  bool what_if_now(const std::vector<whatif::Policy>& policies);

  // File > Open trace (Ctrl+O): a path (desktop) or the page's file picker (browser).
  CommandSink* opener() { return &opener_; }
  // The desktop's "Open trace" dialog, an import's progress and the What if window; call once
  // per frame inside ImGui's frame.
  void draw_dialog();

  // Stage.
  bool run_command(Command c, float held_seconds) override;
  const char* kind() const override { return "trace"; }
  std::string name() const override;
  std::vector<exporting::MachineRecording> machines() const override;
  std::string scenario_text() const override { return ""; }  // a trace is not a scenario

  // SessionControl: a recording of the past; there is nothing to run. Live, play and pause
  // follow the trace as it comes or stop following it.
  void play() override;
  void pause() override;
  void set_speed(double) override {}
  void step() override {}
  void run_until_idle() override {}
  void set_skip_quiet(bool) override {}
  session::SessionStatus status() const override;
  bool wait_until_quiet(std::chrono::milliseconds) override { return true; }

  std::string state_json_members() const;

 private:
  class Opener : public CommandSink {
   public:
    explicit Opener(TraceUi* ui) : ui_(ui) {}
    bool run_command(Command c, float) override;

   private:
    TraceUi* ui_;
  };

  // An import running on its own thread; `result` is written before `finished`.
  struct Loading {
    std::string origin;
    std::atomic<size_t> bytes{0}, total{1};
    std::atomic<bool> finished{false};
    std::unique_ptr<import::OpenedTrace> result;
    std::thread thread;
  };

  // A live trace: its feed, the import of what has come (at most one at a time), what is shown.
  struct Live {
    std::unique_ptr<import::LiveFeed> feed;
    std::unique_ptr<Loading> import;  // of `importing` bytes of the feed's text
    size_t importing = 0, shown = 0;  // bytes of the feed's text
    size_t shown_records = 0;
    bool paused = false;
    bool ended_told = false;  // the status bar has said why it ended
    uint64_t refreshes = 0;
    std::chrono::steady_clock::time_point started_import, next_import;
  };

  // Imports `text` on a thread of its own (a file being opened, or a live refresh).
  static std::unique_ptr<Loading> start_import(std::string text, const std::string& origin);
  // Shows `opened` if it holds events; otherwise says why and keeps what was shown. With
  // `continues`, it is more of the run shown (a live refresh): no notice, views keep their place.
  bool adopt(std::unique_ptr<import::OpenedTrace> opened, const std::string& origin,
             bool continues = false);
  // trace_live.cpp
  void update_live();
  bool following() const;
  void start_live_import();
  void stop_live();
  void draw_live_bar();
  void draw_live_waiting();
  std::string live_state_json() const;
  void draw_progress();
  void show();
  void close();
  // trace_panel.cpp
  void draw_panel();
  void draw_facts();
  void draw_workqueues();
  void draw_pools();
  void draw_outliers();
  void draw_problems();
  void draw_what_if_invite();

  Shell* shell_;
  MachineUi* machine_;
  Opener opener_{this};
  std::unique_ptr<import::OpenedTrace> trace_;
  std::shared_ptr<session::Recording> recording_;
  WhatIfView what_if_;  // after trace_: its runs read the trace, so it goes first
  std::unique_ptr<Loading> loading_;
  std::unique_ptr<Live> live_;
  std::string origin_;  // the path or name it was opened from
  std::string error_;   // why the last open failed
  uint64_t generation_ = 0;
  bool dialog_ = false;           // the desktop's path dialog should open
  bool close_requested_ = false;  // the panel's Close trace, done in update()
  char path_[512] = "";
};

}  // namespace wqlab

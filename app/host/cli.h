// Command-line options of the wqlab app, parsed before any window exists so that a bad flag
// gets a one-line answer even without a display.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/whatif/fit.h"

namespace wqlab {

struct Options {
  int width = 1280;  // initial window size in screen coordinates (desktop)
  int height = 800;
  std::string screenshot;     // PNG written after `frames` frames, then exit; empty: no screenshot
  int frames = 0;             // stop after this many frames; 0: run until the window closes
  std::string demo = "tour";  // the demo scenario loaded at start
  int64_t at_ns = -1;         // run the demo to its end, then show this moment; -1: play it
  std::string state_json;     // desktop: write the exposed state here when the app exits
  std::string shots;          // desktop: save a screenshot of every view in this folder, exit
  std::string why;   // once the demo has run: show this event (KIND[:NAME][#N]) and walk its causes
  std::string zoom;  // once the demo has run: zoom the machine room (cpu:N, pool:N or wq:NAME)
  bool bench_ui = false;           // run the UI benchmark (no window), print a table, exit
  std::string export_dir;          // desktop: File > Export saves here this run (not remembered)
  std::vector<std::string> press;  // keymap chords pressed once the machine settles, then exit
  std::string open_url;            // a share link (#s=...) to open at start (in the sandbox)
  bool sandbox = false;            // open the sandbox at start...
  std::string sandbox_file;        // ...from this scenario file, if given
  std::string trace_file;          // a real kernel's trace to open at start (wqlab open FILE)
  std::vector<whatif::Policy> whatif;  // with trace_file: compare it under P[,Q] at start
  bool live = false;                   // this kernel's trace_pipe, shown as it comes (root)
  bool live_sched = false;             // with live: the scheduler's tracepoints too
  std::string live_from;               // a pipe, FIFO or growing file shown as it comes
  bool press_then_exit = false;        // --press without --frames: exit 3 frames after the last
  // Lessons (the browser's URL query gives the same flags: ?lesson=rescuer&to-checkpoint=last).
  std::string lesson;          // a lesson file, or a lesson's id or file name in lessons/
  std::string answers;         // "question-id=value,...": answers given when their step comes
  int to_checkpoint = 0;       // run the lesson to checkpoint N (-1: the last); 0: do not
  int back_to_checkpoint = 0;  // then show checkpoint N again (-1: the last), from snapshots
  bool chinese = false;        // the lesson's texts in 简体中文
  bool help = false;
  bool version = false;
};

// "27ms", "1.5s", "250us", "900ns" or a number of nanoseconds; -1 if it is none of those.
int64_t parse_duration(const std::string& text);

struct ParseResult {
  Options options;
  std::string error;  // one line naming the flag and the problem; empty when the arguments are fine
};

// `args` excludes the program name.
ParseResult parse_args(const std::vector<std::string>& args);

const char* usage_text();

}  // namespace wqlab

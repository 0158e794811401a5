// `wqlab capture`: recording the workqueue tracepoints (and, with --sched, the scheduler's) from
// tracefs, the way `trace-cmd record -e workqueue` would. It finds tracefs (or mounts it),
// records into a tracing instance of its own (instances/wqlab-PID) so the system's trace buffer
// and settings stay untouched, reads trace_pipe for the time asked, and restores every setting
// it changed: the instance is removed and a tracefs it mounted is unmounted, also after Ctrl+C
// or SIGTERM. Without root, or where tracefs cannot be had, it says what to run instead.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace wqlab::import {

struct CaptureOptions {
  double seconds = 10;
  bool sched = false;   // also sched_switch, sched_wakeup(_new), sched_process_fork/exit
  std::string output;   // the trace file to write
  std::string tracefs;  // where tracefs is mounted; empty: find it (or mount it)
  bool live = false;    // for the app's live view (--live) rather than a file
};

// Returns the exit code: 0 recorded and written; 1 could not record here (the message says what
// to do instead); 2 bad options or the file could not be written.
int run_capture(const CaptureOptions& o, std::ostream& out, std::ostream& err);

// The tracefs files a capture may change, with their values now: the test compares them before
// and after a capture. Empty when tracefs is not mounted.
std::vector<std::pair<std::string, std::string>> tracefs_settings(const std::string& root);
// Where tracefs is mounted ("" if nowhere), from /proc/mounts.
std::string find_tracefs();

// What to run instead when wqlab cannot record (no root, no tracefs).
std::string capture_alternatives(const CaptureOptions& o);

}  // namespace wqlab::import

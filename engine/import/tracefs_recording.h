// Recording from tracefs in an instance of wqlab's own: what `wqlab capture` and the app's live
// view share. start() finds tracefs (or mounts it), makes instances/wqlab-PID, enables the
// workqueue tracepoints (and the scheduler's with `sched`) and turns tracing on; stop(), or the
// destructor, undoes every change in reverse order: the instance goes and a tracefs it mounted
// is unmounted. StopSignals turns Ctrl+C and SIGTERM into a flag so that the undoing still runs.
#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "engine/import/capture.h"

namespace wqlab::import {

class TracefsRecording {
 public:
  // Recording, or nullptr after one message on `err` saying why not and what to run instead
  // (`who` starts it: "wqlab capture", "wqlab --live").
  static std::unique_ptr<TracefsRecording> start(const CaptureOptions& o, const std::string& who,
                                                 std::ostream& err);
  ~TracefsRecording();
  TracefsRecording(const TracefsRecording&) = delete;
  TracefsRecording& operator=(const TracefsRecording&) = delete;

  // The instance (or tracefs itself if no instance could be made) whose trace_pipe to read.
  const std::string& dir() const { return dir_; }
  // trace_pipe opened for non-blocking reads; -1 if it cannot be opened.
  int open_pipe() const;
  // Tracing off and every setting restored; later calls do nothing.
  void stop();

 private:
  TracefsRecording(std::ostream& err, std::string who) : err_(err), who_(std::move(who)) {}
  bool write(const std::string& path, const std::string& value, bool remember = true);

  std::ostream& err_;
  std::string who_;
  std::string dir_;
  std::string instance_;                                    // removed by stop()
  std::string mounted_;                                     // unmounted by stop()
  std::vector<std::pair<std::string, std::string>> saved_;  // (file, value before)
};

// While one exists, SIGINT and SIGTERM set a flag instead of ending the process (nested guards
// share it); the old handlers come back when the last one goes.
class StopSignals {
 public:
  StopSignals();
  ~StopSignals();
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;
  // A stop signal arrived while a guard existed (cleared when the first guard is made).
  static bool requested();
};

}  // namespace wqlab::import

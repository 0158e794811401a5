// A trace that is still being written, read as it comes: tracefs's trace_pipe (`wqlab --live`,
// root), a pipe (`trace-cmd stream -e workqueue | wqlab --live-from -`, or ssh from another
// machine), a FIFO, or a file that grows. A thread of its own reads the source and keeps the
// complete lines; the app re-imports what has come (engine/import/open_trace.h) and shows it.
// What the feed holds is capped (kMaxBytes): past it, reading stops and says so.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>

#include "engine/import/capture.h"
#include "engine/import/tracefs_recording.h"

namespace wqlab::import {

class LiveFeed {
 public:
  static constexpr size_t kMaxBytes = size_t{256} << 20;

  struct Progress {
    size_t bytes = 0;        // of text(): the header and the complete lines received
    size_t lines = 0;        // complete lines received
    bool caught_up = false;  // the last read found nothing more (yet) to read
    bool ended = false;      // no more will come: the source closed, failed, was stopped or full
    std::string end_reason;  // why it ended ("" while it has not)
  };

  // Reads `fd` (the feed closes it), a pipe, FIFO, tty-less stdin, trace_pipe or regular file.
  // `header` goes before what is read (trace_pipe has no "#P:N" line of its own); `tracefs`,
  // if given, is stopped and every setting restored when the feed ends.
  LiveFeed(int fd, std::string origin, std::string header = "",
           std::unique_ptr<TracefsRecording> tracefs = nullptr, size_t max_bytes = kMaxBytes);
  ~LiveFeed();
  LiveFeed(const LiveFeed&) = delete;
  LiveFeed& operator=(const LiveFeed&) = delete;

  // A FIFO or a file that may still grow; "-" is standard input. nullptr with `error`
  // ("PATH: why") when it cannot be opened (or stdin is a terminal).
  static std::unique_ptr<LiveFeed> open_path(const std::string& path, std::string* error);
  // trace_pipe of a tracefs instance of its own (root); nullptr after one message on `err`
  // saying why not and what to run instead.
  static std::unique_ptr<LiveFeed> open_tracefs(const CaptureOptions& o, std::ostream& err);

  const std::string& origin() const { return origin_; }
  Progress progress() const;
  // The header and every complete line received so far.
  std::string text() const;
  // Stops reading now: the source is closed and tracefs (if any) restored. Idempotent.
  void stop();
  // Wait for the reader (tests, start-up): until `lines` lines came or the feed ended, or until
  // it has read all there is for now. False when `timeout` passed first.
  bool wait_for_lines(size_t lines, std::chrono::milliseconds timeout) const;
  bool wait_caught_up(std::chrono::milliseconds timeout) const;

 private:
  void read_loop();
  // Appends what was read; complete lines move into text_. Returns false once the cap is hit.
  bool take(const char* data, size_t n);
  void finish(std::string reason);

  const std::string origin_;
  const size_t max_bytes_;
  int fd_;
  int wake_[2] = {-1, -1};  // a self-pipe: stop() wakes the reader out of poll()
  bool regular_file_ = false;
  std::unique_ptr<TracefsRecording> tracefs_;

  mutable std::mutex mu_;
  mutable std::condition_variable changed_;
  std::string text_;     // header + complete lines
  std::string partial_;  // after the last newline (reader thread only)
  size_t header_bytes_ = 0;
  Progress progress_;
  std::thread reader_;
};

}  // namespace wqlab::import

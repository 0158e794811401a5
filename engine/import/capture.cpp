#include "engine/import/capture.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>

#include "engine/import/tracefs_recording.h"

#if defined(__linux__) && !defined(__EMSCRIPTEN__)
#include <poll.h>
#include <unistd.h>
#define WQLAB_HAVE_TRACEFS 1
#endif

namespace wqlab::import {

namespace {

std::string format_seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", s);
  return buf;
}

}  // namespace

std::string capture_alternatives(const CaptureOptions& o) {
  std::string sched_tc = o.sched ? " -e sched:sched_switch -e sched:sched_wakeup" : "";
  if (o.live)
    return "  as root:     sudo wqlab --live" + std::string(o.sched ? " --sched" : "") +
           "\n  trace-cmd:   sudo trace-cmd stream -e workqueue" + sched_tc +
           " | wqlab --live-from -\n  or record a file and open it:  wqlab capture, then wqlab "
           "open FILE\n";
  const std::string secs = format_seconds(o.seconds);
  const std::string file = o.output.empty() ? "trace.txt" : o.output;
  std::string sched_perf = o.sched ? " -e 'sched:sched_switch' -e 'sched:sched_wakeup'" : "";
  return "  as root:     sudo wqlab capture --seconds " + secs + (o.sched ? " --sched" : "") +
         " -o " + file + "\n  trace-cmd:   sudo trace-cmd record -e workqueue" + sched_tc +
         " sleep " + secs + " && trace-cmd report > " + file +
         "\n  perf:        sudo perf record -e 'workqueue:*'" + sched_perf + " -a -- sleep " +
         secs + " && sudo perf script > " + file + "\n  then:        wqlab open " + file +
         " --summary\n";
}

#ifdef WQLAB_HAVE_TRACEFS

namespace {

// Reads trace_pipe until `seconds` pass or a signal asks to stop; then whatever is left.
std::string record(const TracefsRecording& tracefs, double seconds, std::ostream& out) {
  std::string text;
  const int fd = tracefs.open_pipe();
  if (fd < 0) return text;
  out << "recording for " << format_seconds(seconds) << " s (Ctrl+C stops early)..." << std::endl;
  const auto end = std::chrono::steady_clock::now() +
                   std::chrono::microseconds(static_cast<int64_t>(seconds * 1e6));
  char buf[1 << 16];
  auto drain = [&] {
    for (;;) {
      const ssize_t n = ::read(fd, buf, sizeof buf);
      if (n <= 0) return;
      text.append(buf, static_cast<size_t>(n));
    }
  };
  while (!StopSignals::requested() && std::chrono::steady_clock::now() < end) {
    pollfd p{fd, POLLIN, 0};
    ::poll(&p, 1, 100);
    drain();
  }
  ::close(fd);
  return text;
}

}  // namespace

int run_capture(const CaptureOptions& o, std::ostream& out, std::ostream& err) {
  if (o.output.empty()) {
    err << "wqlab capture: -o FILE is required\n";
    return 2;
  }
  if (!(o.seconds > 0 && o.seconds <= 24 * 3600)) {
    err << "wqlab capture: --seconds must be between 0 and 86400\n";
    return 2;
  }
  StopSignals signals;
  std::unique_ptr<TracefsRecording> tracefs = TracefsRecording::start(o, "wqlab capture", err);
  if (!tracefs) return 1;
  std::string body = record(*tracefs, o.seconds, out);
  const std::string dir = tracefs->dir();
  const bool stopped = StopSignals::requested();
  tracefs->stop();
  size_t lines = static_cast<size_t>(std::count(body.begin(), body.end(), '\n'));
  const long cpus = ::sysconf(_SC_NPROCESSORS_CONF);
  std::ofstream f(o.output, std::ios::binary);
  f << "# tracer: nop\n#\n# entries-in-buffer/entries-written: " << lines << "/" << lines
    << "   #P:" << cpus << "\n#\n# recorded by wqlab capture from " << dir << " for "
    << format_seconds(o.seconds) << " s" << (stopped ? " (stopped early)" : "")
    << (o.sched ? ", with scheduler events" : "") << "\n#\n"
    << body;
  f.close();
  if (!f) {
    err << "wqlab capture: cannot write " << o.output << "\n";
    return 2;
  }
  out << "wrote " << lines << " events to " << o.output << (stopped ? " (stopped early)" : "")
      << "; every tracefs setting is back as it was\n";
  return 0;
}

#else

int run_capture(const CaptureOptions& o, std::ostream&, std::ostream& err) {
  err << "wqlab capture: recording needs Linux and its tracefs. On a Linux machine, one of:\n"
      << capture_alternatives(o);
  return 1;
}

#endif

}  // namespace wqlab::import

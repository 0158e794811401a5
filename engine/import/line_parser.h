// Splitting one event line of ftrace-like text into its columns. All three tools print the same
// columns in slightly different dress:
//   ftrace / trace_pipe:  "    bash-17289   (  17289) [001] d..2.  8393.189180: sched_switch: ..."
//   trace-cmd report:     "    bash-17289   [001]  8393.189180: sched_switch: ..."
//   perf script:          " kworker/0:1H-kb    46 [000]  8417.619814: workqueue:workqueue_...: ..."
// The tgid column ("(  17289)") and the irq-info column ("d..2.") are optional.
#pragma once

#include <cstdint>
#include <string_view>

namespace wqlab::import {

struct LineFields {
  std::string_view comm;
  std::string_view event;  // without a "system:" prefix
  std::string_view body;
  std::string_view flags;  // the irq-info column, empty when absent
  int64_t time_ns = 0;
  int32_t pid = 0;
  int16_t cpu = -1;
  bool perf_style = false;  // "comm pid" rather than "comm-pid", or a "system:event" name
};

// Parses `line` (no newline). On failure returns false and sets `why` to a short reason.
bool split_event_line(std::string_view line, LineFields& out, const char** why);

// Small scanners shared with tracepoints.cpp.
bool parse_int(std::string_view s, int64_t& out);
// A pointer as the kernel prints %p: hex digits, with or without "0x".
bool parse_pointer(std::string_view s, uint64_t& out);
// Seconds with a fraction ("8393.189180", up to nanoseconds) as nanoseconds.
bool parse_timestamp(std::string_view s, int64_t& out);
std::string_view trim(std::string_view s);

}  // namespace wqlab::import

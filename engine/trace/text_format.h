// ftrace-style text for events: "  kworker/0:1-7     [000]     0.005000: task_run: pid=7".
// Feed events in log order; the formatter remembers each pid's name from task_create events.
#pragma once

#include <string>
#include <unordered_map>

#include "engine/trace/event.h"
#include "engine/trace/string_table.h"

namespace wqlab::trace {

class TextFormatter {
 public:
  explicit TextFormatter(const StringTable& strings) : strings_(strings) {}

  std::string line(const Event& ev);
  // "arg=value arg=value" only.
  std::string args(const Event& ev) const;
  std::string comm(int32_t pid) const;

 private:
  const StringTable& strings_;
  std::unordered_map<int32_t, std::string> comms_;
};

std::string format_time(int64_t ns);  // seconds with microseconds: "12.345678"

}  // namespace wqlab::trace

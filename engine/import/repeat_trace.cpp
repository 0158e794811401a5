#include "engine/import/repeat_trace.h"

#include <string>
#include <vector>

namespace wqlab::import {

std::string repeat_trace(std::string_view ftrace_text, size_t lines, long shift_seconds,
                         size_t* count) {
  std::vector<std::string_view> body;
  for (size_t at = 0; at < ftrace_text.size();) {
    size_t end = ftrace_text.find('\n', at);
    if (end == std::string_view::npos) end = ftrace_text.size();
    const std::string_view line = ftrace_text.substr(at, end - at);
    // An event line has "secs.usecs: " after its CPU and flags columns.
    if (!line.empty() && line[0] != '#' && line.find(": ") != std::string_view::npos)
      body.push_back(line);
    at = end + 1;
  }
  std::string out =
      "# tracer: nop\n#\n# entries-in-buffer/entries-written: " + std::to_string(lines) + "/" +
      std::to_string(lines) + "   #P:2\n";
  size_t n = 0;
  for (long copy = 0; n < lines && !body.empty(); ++copy) {
    for (std::string_view l : body) {
      if (n == lines) break;
      // "... [001] d..2.  8393.189180: ..." -> the seconds plus shift_seconds * copy
      const size_t colon = l.find(": ");
      const size_t dot = l.rfind('.', colon);
      const size_t sp = dot == std::string_view::npos ? dot : l.rfind(' ', dot);
      if (sp == std::string_view::npos) continue;
      const long secs =
          std::stol(std::string(l.substr(sp + 1, dot - sp - 1))) + shift_seconds * copy;
      out.append(l.substr(0, sp + 1));
      out += std::to_string(secs);
      out.append(l.substr(dot));
      out += '\n';
      ++n;
    }
  }
  *count = n;
  return out;
}

}  // namespace wqlab::import

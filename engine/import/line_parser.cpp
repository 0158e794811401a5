#include "engine/import/line_parser.h"

namespace wqlab::import {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

bool parse_int(std::string_view s, int64_t& out) {
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.empty() || s.size() > 18) return false;
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  out = neg ? -v : v;
  return true;
}

bool parse_pointer(std::string_view s, uint64_t& out) {
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) s.remove_prefix(2);
  if (s.empty() || s.size() > 16) return false;
  uint64_t v = 0;
  for (char c : s) {
    int d;
    if (c >= '0' && c <= '9') {
      d = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      d = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      d = c - 'A' + 10;
    } else {
      return false;
    }
    v = (v << 4) | static_cast<uint64_t>(d);
  }
  out = v;
  return true;
}

bool parse_timestamp(std::string_view s, int64_t& out) {
  const size_t dot = s.find('.');
  int64_t secs = 0;
  if (dot == std::string_view::npos) return false;
  if (!parse_int(s.substr(0, dot), secs) || secs < 0 || secs > 9'000'000'000LL) return false;
  std::string_view frac = s.substr(dot + 1);
  if (frac.empty() || frac.size() > 9) return false;
  int64_t f = 0;
  for (char c : frac) {
    if (c < '0' || c > '9') return false;
    f = f * 10 + (c - '0');
  }
  for (size_t i = frac.size(); i < 9; ++i) f *= 10;
  out = secs * 1'000'000'000LL + f;
  return true;
}

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// The "[001]" CPU column: the first '[' followed by digits and ']' with a blank after it.
size_t find_cpu_column(std::string_view line, size_t& close) {
  for (size_t i = line.find('['); i != std::string_view::npos; i = line.find('[', i + 1)) {
    size_t j = i + 1;
    while (j < line.size() && is_digit(line[j])) ++j;
    if (j > i + 1 && j < line.size() && line[j] == ']' &&
        (j + 1 == line.size() || line[j + 1] == ' ' || line[j + 1] == '\t')) {
      close = j;
      return i;
    }
  }
  return std::string_view::npos;
}

// The irq-info column: "d..2.", "dNh4.", "...." (4 or 5 characters of flags and digits).
bool looks_like_flags(std::string_view t) {
  if (t.size() < 4 || t.size() > 6) return false;
  for (char c : t) {
    if (!(c == '.' || is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-'))
      return false;
  }
  return t.find('.') != std::string_view::npos || t.find('d') != std::string_view::npos;
}

}  // namespace

bool split_event_line(std::string_view line, LineFields& out, const char** why) {
  size_t close = 0;
  const size_t open = find_cpu_column(line, close);
  if (open == std::string_view::npos) {
    *why = "no [CPU] column";
    return false;
  }
  int64_t cpu = 0;
  if (!parse_int(line.substr(open + 1, close - open - 1), cpu) || cpu > 4095) {
    *why = "bad CPU number";
    return false;
  }
  out.cpu = static_cast<int16_t>(cpu);

  // Left of the CPU: "comm-pid", "comm-pid (tgid)", "comm pid" or "comm pid/tid".
  std::string_view left = trim(line.substr(0, open));
  if (!left.empty() && left.back() == ')') {
    const size_t paren = left.rfind('(');
    if (paren == std::string_view::npos) {
      *why = "unbalanced tgid column";
      return false;
    }
    left = trim(left.substr(0, paren));
  }
  size_t d = left.size();
  while (d > 0 && is_digit(left[d - 1])) --d;
  if (d == left.size()) {
    *why = "no pid before the CPU column";
    return false;
  }
  int64_t pid = 0;
  parse_int(left.substr(d), pid);
  if (d > 0 && left[d - 1] == '/') {  // perf's "pid/tid": the tid is the task
    size_t p = d - 1;
    while (p > 0 && is_digit(left[p - 1])) --p;
    d = p;
  }
  if (d == 0) {
    *why = "no task name before the pid";
    return false;
  }
  out.perf_style = left[d - 1] == ' ' || left[d - 1] == '\t';
  if (left[d - 1] != '-' && !out.perf_style) {
    *why = "no task name before the pid";
    return false;
  }
  out.comm = trim(left.substr(0, d - 1));
  out.pid = static_cast<int32_t>(pid);

  // Right of the CPU: [flags] timestamp: event: body
  std::string_view rest = trim(line.substr(close + 1));
  size_t sp = rest.find(' ');
  std::string_view tok = rest.substr(0, sp);
  out.flags = {};
  if (tok.empty() || tok.back() != ':') {
    if (!looks_like_flags(tok) || sp == std::string_view::npos) {
      *why = "no timestamp after the CPU column";
      return false;
    }
    out.flags = tok;
    rest = trim(rest.substr(sp));
    sp = rest.find(' ');
    tok = rest.substr(0, sp);
  }
  if (tok.size() < 2 || tok.back() != ':' ||
      !parse_timestamp(tok.substr(0, tok.size() - 1), out.time_ns)) {
    *why = "bad timestamp";
    return false;
  }
  rest = sp == std::string_view::npos ? std::string_view{} : trim(rest.substr(sp));
  // The event name ends at the first ": " (or a ':' ending the line); perf adds "system:".
  size_t end = rest.find(": ");
  if (end == std::string_view::npos) {
    if (rest.empty() || rest.back() != ':') {
      *why = "no event name";
      return false;
    }
    end = rest.size() - 1;
  }
  std::string_view event = rest.substr(0, end);
  if (const size_t colon = event.rfind(':'); colon != std::string_view::npos) {
    event = event.substr(colon + 1);
    out.perf_style = true;
  }
  if (event.empty() || event.find(' ') != std::string_view::npos) {
    *why = "no event name";
    return false;
  }
  out.event = event;
  out.body = end + 1 < rest.size() ? trim(rest.substr(end + 1)) : std::string_view{};
  return true;
}

}  // namespace wqlab::import

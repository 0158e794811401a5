#include "engine/import/importer.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <sstream>
#include <unordered_map>

#include "engine/import/line_parser.h"
#include "engine/import/tracepoints.h"

namespace wqlab::import {

const char* format_name(TraceFormat f) {
  switch (f) {
    case TraceFormat::Ftrace:
      return "ftrace (cat trace)";
    case TraceFormat::TracePipe:
      return "ftrace (trace_pipe, no header)";
    case TraceFormat::TraceCmd:
      return "trace-cmd report";
    case TraceFormat::PerfScript:
      return "perf script";
    case TraceFormat::Unknown:
      break;
  }
  return "unknown";
}

namespace {

// A line's fingerprint for finding lines printed twice: eight bytes at a time (a byte-wise hash
// was a third of the importer's time).
uint64_t line_hash(std::string_view s) {
  uint64_t h = 0x9e3779b97f4a7c15ull ^ s.size();
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    h = (h ^ w) * 0xff51afd7ed558ccdull;
    h ^= h >> 32;
  }
  uint64_t tail = 0;
  std::memcpy(&tail, s.data() + i, s.size() - i);
  h = (h ^ tail) * 0xc4ceb9fe1a85ec53ull;
  return h ^ (h >> 29);
}

class Importer {
 public:
  explicit Importer(ParsedTrace& t) : t_(t) {}

  void line(std::string_view text, uint32_t number) {
    ++t_.report.lines;
    std::string_view s = trim(text);
    if (s.empty()) return;
    if (s[0] == '#') return header(s);
    LineFields f;
    const char* why = "";
    if (!split_event_line(text, f, &why)) {
      // Not an event line: one of the tools' other lines, or a problem.
      if (tool_header(s) || lost_line(s)) return;
      return problem(number, why, text);
    }
    Record r;
    r.time_ns = f.time_ns;
    r.line = number;
    r.pid = f.pid;
    r.cpu = f.cpu;
    r.comm = comm_id(f.comm);
    r.irq = f.flags.size() >= 3 && (f.flags[2] == 'h' || f.flags[2] == 's' || f.flags[2] == 'H');
    switch (parse_tracepoint(f.event, f.body, r, t_.names, &why)) {
      case BodyResult::Unknown:
        ++t_.report.unknown;
        ++unknown_[f.event];
        return;
      case BodyResult::Malformed:
        return problem(number, why, text);
      case BodyResult::Ok:
        break;
    }
    if (f.perf_style) saw_perf_ = true;
    r.hash = line_hash(s);
    if (r.cpu > t_.max_cpu_seen) t_.max_cpu_seen = r.cpu;
    t_.records.push_back(r);
  }

  void finish() {
    for (auto& [name, n] : unknown_) t_.report.unknown_kinds[std::string(name)] = n;
    if (saw_perf_) {
      t_.report.format = TraceFormat::PerfScript;
    } else if (trace_cmd_) {
      t_.report.format = TraceFormat::TraceCmd;
    } else if (!t_.records.empty() || t_.report.malformed == 0) {
      t_.report.format = ftrace_header_ ? TraceFormat::Ftrace : TraceFormat::TracePipe;
    }
    order_and_dedupe();
    t_.report.records = t_.records.size();
  }

 private:
  // Comms repeat on almost every line; a small cache in front of Names saves the hashing.
  int32_t comm_id(std::string_view comm) {
    if (comm == last_comm_) return last_comm_id_;
    last_comm_id_ = t_.names.intern(comm);
    last_comm_ = t_.names.get(last_comm_id_);
    return last_comm_id_;
  }

  void header(std::string_view s) {
    if (s.substr(0, 8) == "# tracer") ftrace_header_ = true;
    // "# entries-in-buffer/entries-written: 4371/9000": the ring overwrote the oldest 4629.
    if (const size_t e = s.find("entries-written: "); e != std::string_view::npos) {
      std::string_view v = s.substr(e + 17);
      v = v.substr(0, v.find(' '));
      const size_t slash = v.find('/');
      int64_t kept = 0, written = 0;
      if (slash != std::string_view::npos && parse_int(v.substr(0, slash), kept) &&
          parse_int(v.substr(slash + 1), written) && written > kept)
        t_.report.overwritten = static_cast<uint64_t>(written - kept);
    }
    const size_t p = s.find("#P:");
    int64_t n = 0;
    if (p != std::string_view::npos && parse_int(trim(s.substr(p + 3)), n) && n > 0 && n < 4096)
      t_.nr_cpus = static_cast<int>(n);
  }

  // trace-cmd report's preamble: "version = 6", "cpus=2", "CPU 0 is empty", "CPU0 data
  // recorded at offset=...", and its per-buffer banner lines.
  bool tool_header(std::string_view s) {
    if (s.substr(0, 5) == "cpus=") {
      int64_t n = 0;
      if (parse_int(s.substr(5), n) && n > 0 && n < 4096) t_.nr_cpus = static_cast<int>(n);
      trace_cmd_ = true;
      return true;
    }
    if (s.substr(0, 10) == "version = " || s.substr(0, 4) == "CPU " ||
        (s.substr(0, 3) == "CPU" && s.find("data recorded") != std::string_view::npos)) {
      trace_cmd_ = true;
      return true;
    }
    return false;
  }

  // "CPU:1 [LOST 123 EVENTS]" (trace_pipe and trace-cmd after a buffer overrun).
  bool lost_line(std::string_view s) {
    const size_t p = s.find("[LOST ");
    if (p == std::string_view::npos || s.find(" EVENTS]") == std::string_view::npos) return false;
    std::string_view n = s.substr(p + 6);
    n = n.substr(0, n.find(' '));
    int64_t v = 0;
    if (parse_int(n, v) && v > 0) t_.report.lost_events += static_cast<uint64_t>(v);
    return true;
  }

  void problem(uint32_t number, const char* why, std::string_view text) {
    ++t_.report.malformed;
    if (t_.report.problems.size() >= ImportReport::kMaxProblems) return;
    std::string shown(text.substr(0, 200));
    for (char& c : shown)
      if (static_cast<unsigned char>(c) < 0x20 && c != '\t') c = '?';
    t_.report.problems.push_back({number, why, std::move(shown)});
  }

  // Records of one CPU arrive in order; across CPUs, `cat trace` merges by time but a reader
  // racing the writers (or perf) may not. A stable sort keeps each CPU's order. A line printed
  // twice lands next to its twin (same time, same CPU, same text) and is dropped.
  void order_and_dedupe() {
    std::vector<Record>& v = t_.records;
    std::unordered_map<int16_t, int64_t> last;
    for (const Record& r : v) {
      auto [it, fresh] = last.emplace(r.cpu, r.time_ns);
      if (!fresh) {
        if (r.time_ns < it->second) ++t_.report.out_of_order;
        it->second = std::max(it->second, r.time_ns);
      }
    }
    if (!std::is_sorted(v.begin(), v.end(), by_time)) std::stable_sort(v.begin(), v.end(), by_time);
    size_t out = 0;
    for (size_t i = 0; i < v.size(); ++i) {
      bool dup = false;
      for (size_t j = out; j > 0 && v[j - 1].time_ns == v[i].time_ns; --j) {
        if (v[j - 1].cpu == v[i].cpu && v[j - 1].hash == v[i].hash) {
          dup = true;
          break;
        }
      }
      if (dup) {
        ++t_.report.duplicates;
        continue;
      }
      if (out != i) v[out] = v[i];
      ++out;
    }
    v.resize(out);
  }

  static bool by_time(const Record& a, const Record& b) { return a.time_ns < b.time_ns; }

  ParsedTrace& t_;
  bool ftrace_header_ = false;
  bool trace_cmd_ = false;
  bool saw_perf_ = false;
  std::string_view last_comm_ = "\x01";
  int32_t last_comm_id_ = 0;
  std::unordered_map<std::string_view, uint64_t> unknown_;  // views into the imported text
};

}  // namespace

ParsedTrace import_trace_text(std::string_view text, const ImportOptions& options) {
  ParsedTrace t;
  t.source = options.source;
  t.records.reserve(text.size() / 120);
  Importer im(t);
  uint32_t number = 0;
  size_t pos = 0, next_progress = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    if (number < UINT32_MAX) ++number;
    im.line(text.substr(pos, nl - pos), number);
    pos = nl + 1;
    if (options.progress && pos >= next_progress) {
      options.progress(std::min(pos, text.size()), text.size());
      next_progress = pos + (size_t{1} << 20);
    }
  }
  im.finish();
  if (options.progress) options.progress(text.size(), text.size());
  return t;
}

std::optional<std::string> read_trace_file(const std::string& path, std::string* error) {
  std::ifstream f(path, std::ios::binary | std::ios::ate);
  if (!f) {
    if (error) *error = path + ": cannot open the file";
    return std::nullopt;
  }
  // One read into a buffer of the file's size: a stringstream copies a large file several times.
  const std::streamoff size = f.tellg();
  std::string text;
  if (size > 0) {
    text.resize(static_cast<size_t>(size));
    f.seekg(0);
    f.read(text.data(), size);
    text.resize(static_cast<size_t>(f.gcount()));
  } else {
    std::ostringstream ss;  // a pipe or /proc file: no size to ask for
    ss << f.rdbuf();
    text = std::move(ss).str();
  }
  if (f.bad()) {
    if (error) *error = path + ": cannot read the file";
    return std::nullopt;
  }
  return text;
}

std::optional<ParsedTrace> import_trace_file(const std::string& path, std::string* error) {
  std::optional<std::string> text = read_trace_file(path, error);
  if (!text) return std::nullopt;
  ImportOptions o;
  o.source = path;
  return import_trace_text(*text, o);
}

std::string problems_text(const ParsedTrace& t) {
  const ImportReport& r = t.report;
  std::string out;
  for (const Problem& p : r.problems)
    out += t.source + ":" + std::to_string(p.line) + ": " + p.reason + ": " + p.text + "\n";
  if (r.malformed > r.problems.size())
    out += t.source + ": ... and " + std::to_string(r.malformed - r.problems.size()) +
           " more malformed lines\n";
  return out;
}

}  // namespace wqlab::import

#include "engine/trace/exporters.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <map>
#include <vector>

#include "engine/trace/json_escape.h"

namespace wqlab::trace {
namespace {

// Microseconds with nanosecond precision, as Chrome's "ts" wants.
std::string micros(int64_t ns) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%" PRId64 ".%03" PRId64, ns / 1000, ns % 1000);
  return buf;
}

}  // namespace

std::string work_pointer(int64_t work_id) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%016" PRIx64,
                uint64_t{0xffff888100000000ull} + static_cast<uint64_t>(work_id) * 64);
  return buf;
}

std::string export_ftrace(const EventLog& log, const StringTable& strings, const ExportInfo& info) {
  std::map<int32_t, std::string> comms;
  std::vector<std::string> lines;
  auto str = [&](int64_t id) { return std::string(strings.get(id)); };
  const size_t count = std::min(log.size(), info.max_events);
  for (size_t i = 0; i < count; ++i) {
    const Event& e = log[i];
    if (e.kind == EventKind::TaskCreate) comms[static_cast<int32_t>(e.args[0])] = str(e.args[1]);
    std::string body;
    char buf[256];
    switch (e.kind) {
      case EventKind::WqQueueWork:
        std::snprintf(
            buf, sizeof buf,
            "workqueue_queue_work: work struct=%s function=%s workqueue=%s req_cpu=%d cpu=%d",
            work_pointer(e.args[0]).c_str(), str(e.args[1]).c_str(), str(e.args[2]).c_str(),
            static_cast<int>(e.args[3]), static_cast<int>(e.args[4]));
        body = buf;
        break;
      case EventKind::WqActivateWork:
        std::snprintf(buf, sizeof buf, "workqueue_activate_work: work struct %s function=%s",
                      work_pointer(e.args[0]).c_str(), str(e.args[1]).c_str());
        body = buf;
        break;
      case EventKind::WqExecuteStart:
      case EventKind::WqExecuteEnd:
        std::snprintf(buf, sizeof buf, "%s: work struct %s: function %s",
                      e.kind == EventKind::WqExecuteStart ? "workqueue_execute_start"
                                                          : "workqueue_execute_end",
                      work_pointer(e.args[0]).c_str(), str(e.args[1]).c_str());
        body = buf;
        break;
      case EventKind::LegacyInsertion:
      case EventKind::LegacyExecution: {
        int pid = static_cast<int>(e.args[0]);
        std::snprintf(
            buf, sizeof buf, "%s: thread=%s:%d func=%s",
            e.kind == EventKind::LegacyInsertion ? "workqueue_insertion" : "workqueue_execution",
            comms[pid].c_str(), pid, str(e.args[2]).c_str());
        body = buf;
        break;
      }
      case EventKind::LegacyCreate: {
        int pid = static_cast<int>(e.args[1]);
        std::snprintf(buf, sizeof buf, "workqueue_creation: thread=%s:%d cpu=%d",
                      comms[pid].c_str(), pid, static_cast<int>(e.args[2]));
        body = buf;
        break;
      }
      default:
        continue;
    }
    std::string comm = e.pid == 0 ? "<idle>" : comms[e.pid];
    if (comm.empty()) comm = "<...>";
    char head[96];
    std::snprintf(head, sizeof head, "%16s-%-7d [%03d] ..... %6" PRId64 ".%06" PRId64 ": ",
                  comm.c_str(), e.pid, e.cpu < 0 ? 0 : e.cpu, e.time_ns / 1000000000,
                  (e.time_ns % 1000000000) / 1000);
    lines.push_back(head + body + "\n");
  }
  std::string out =
      "# tracer: nop\n#\n# entries-in-buffer/entries-written: " + std::to_string(lines.size()) +
      "/" + std::to_string(lines.size()) + "   #P:" + std::to_string(info.nr_cpus) + "\n";
  out +=
      "#\n"
      "#                                _-----=> irqs-off/BH-disabled\n"
      "#                               / _----=> need-resched\n"
      "#                              | / _---=> hardirq/softirq\n"
      "#                              || / _--=> preempt-depth\n"
      "#                              ||| / _-=> migrate-disable\n"
      "#                              |||| /     delay\n"
      "#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION\n"
      "#              | |         |   |||||     |         |\n";
  for (auto& l : lines) out += l;
  return out;
}

namespace {

// One machine's traceEvents entries, comma-separated, without the surrounding brackets.
std::string perfetto_events(const EventLog& log, const StringTable& strings,
                            const ExportInfo& info) {
  std::string out;
  auto add = [&](const std::string& json) {
    if (!out.empty()) out += ",\n";
    out += json;
  };
  auto str = [&](int64_t id) { return json_escape(strings.get(id)); };
  const std::string pid = std::to_string(info.process_id);
  add("{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":" + pid + ",\"args\":{\"name\":\"" +
      json_escape(info.process_name) + "\"}}");
  std::map<int64_t, int64_t> flow_of_work;  // work id -> flow id of its latest queue_work
  std::map<std::pair<int64_t, int>, std::pair<int64_t, int64_t>>
      running;  // (work, tid) -> (start, flow)
  int64_t next_flow = 1;
  const size_t count = std::min(log.size(), info.max_events);
  for (size_t i = 0; i < count; ++i) {
    const Event& e = log[i];
    std::string tid = std::to_string(e.pid);
    switch (e.kind) {
      case EventKind::TaskCreate:
        add("{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":" + pid + ",\"tid\":" +
            std::to_string(e.args[0]) + ",\"args\":{\"name\":\"" + str(e.args[1]) + "\"}}");
        break;
      case EventKind::WqQueueWork:
      case EventKind::LegacyInsertion: {
        bool legacy = e.kind == EventKind::LegacyInsertion;
        int64_t work = legacy ? e.args[1] : e.args[0];
        int64_t flow = next_flow++;
        flow_of_work[work] = flow;
        add("{\"name\":\"queue_work " + str(legacy ? e.args[2] : e.args[1]) +
            "\",\"cat\":\"workqueue\",\"ph\":\"X\",\"pid\":" + pid + ",\"tid\":" + tid +
            ",\"ts\":" + micros(e.time_ns) + ",\"dur\":0.001,\"bind_id\":" + std::to_string(flow) +
            ",\"flow_out\":true,\"args\":{\"work\":\"" + work_pointer(work) +
            "\",\"workqueue\":\"" + str(legacy ? e.args[3] : e.args[2]) + "\"}}");
        break;
      }
      case EventKind::WqExecuteStart:
      case EventKind::LegacyExecution: {
        int64_t work = e.kind == EventKind::WqExecuteStart ? e.args[0] : e.args[1];
        auto f = flow_of_work.find(work);
        running[{work, e.pid}] = {e.time_ns, f == flow_of_work.end() ? 0 : f->second};
        if (f != flow_of_work.end()) flow_of_work.erase(f);
        break;
      }
      case EventKind::WqExecuteEnd:
      case EventKind::LegacyExecutionEnd: {
        bool legacy = e.kind == EventKind::LegacyExecutionEnd;
        int64_t work = legacy ? e.args[1] : e.args[0];
        auto it = running.find({work, e.pid});
        if (it == running.end()) break;
        auto [start, flow] = it->second;
        running.erase(it);
        std::string json = "{\"name\":\"" + str(legacy ? e.args[2] : e.args[1]) +
                           "\",\"cat\":\"workqueue\",\"ph\":\"X\",\"pid\":" + pid +
                           ",\"tid\":" + tid + ",\"ts\":" + micros(start) +
                           ",\"dur\":" + micros(e.time_ns - start);
        if (flow != 0) json += ",\"bind_id\":" + std::to_string(flow) + ",\"flow_in\":true";
        json += ",\"args\":{\"work\":\"" + work_pointer(work) + "\"}}";
        add(json);
        break;
      }
      case EventKind::WqMayday:
      case EventKind::WqRescue:
      case EventKind::WqLockup:
      case EventKind::WqCpuIntensive:
      case EventKind::WqWarn:
      case EventKind::PidExhausted:
      case EventKind::TaskCreateFail:
        add("{\"name\":\"" + std::string(event_kind_info(e.kind).name) +
            "\",\"cat\":\"event\",\"ph\":\"i\",\"s\":\"t\",\"pid\":" + pid + ",\"tid\":" + tid +
            ",\"ts\":" + micros(e.time_ns) + "}");
        break;
      default:
        break;
    }
  }
  return out;
}

}  // namespace

std::string export_perfetto(const EventLog& log, const StringTable& strings,
                            const ExportInfo& info) {
  const TraceSource source{&log, &strings, info, ""};
  return export_perfetto(std::span<const TraceSource>(&source, 1));
}

std::string export_perfetto(std::span<const TraceSource> sources) {
  std::string events;
  for (const TraceSource& s : sources) {
    std::string part = perfetto_events(*s.log, *s.strings, s.info);
    if (!events.empty() && !part.empty()) events += ",\n";
    events += part;
  }
  return "{\"displayTimeUnit\":\"ms\",\"traceEvents\":[\n" + events + "\n]}\n";
}

std::string export_ftrace(std::span<const TraceSource> sources) {
  std::string out;
  for (const TraceSource& s : sources) {
    if (sources.size() > 1) out += "# machine: " + s.machine + "\n";
    out += export_ftrace(*s.log, *s.strings, s.info);
  }
  return out;
}

}  // namespace wqlab::trace

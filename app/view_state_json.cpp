// The Why? and machine-room parts of the exposed state.
#include "view_state_json.h"

#include <cstdio>

#include "model/why.h"
#include "shell/json_escape.h"

namespace wqlab {
namespace {

// "workqueue_execute_start w1": kind and function (or workqueue).
std::string event_label(const model::MachineModel& m, uint64_t event) {
  const trace::Event& e = (*m.log())[event];
  const trace::EventKindInfo& info = trace::event_kind_info(e.kind);
  std::string out(info.name);
  for (int i = 0; i < trace::kMaxEventArgs; ++i) {
    if (info.args[i].type == trace::ArgType::Str &&
        (info.args[i].label == "function" || info.args[i].label == "workqueue"))
      return out + " " + m.strings().get(e.args[i]);
  }
  return out;
}

}  // namespace

std::string why_state_json(const model::MachineModel& m, const Selection& selection) {
  const bool has = !selection.live && selection.moment > 0 && selection.moment <= m.events();
  if (!has) return "\"why\":{\"event\":-1,\"trail\":[],\"chain\":[],\"explanation\":\"\"}";
  const uint64_t event = selection.moment - 1;
  std::string out = "\"why\":{\"event\":" + std::to_string(event) + ",\"trail\":[";
  // The trail only counts while the moment is its last step.
  const std::vector<uint64_t>& trail = selection.why_trail;
  const bool trail_holds = !trail.empty() && trail.back() == event;
  for (size_t i = 0; trail_holds && i < trail.size(); ++i)
    out += (i ? ",\"" : "\"") + json_escape(event_label(m, trail[i])) + "\"";
  out += "],\"chain\":[";
  const std::vector<uint64_t> chain = model::why_chain(m, event);
  for (size_t i = 0; i < chain.size(); ++i) {
    const model::Cause c = model::cause_of(m, chain[i]);
    out += (i ? ",\"" : "\"") + json_escape(event_label(m, chain[i])) +
           (c ? std::string(" <- ") + model::cause_rule_name(c.rule) : std::string()) + "\"";
  }
  // The explanation of the last step taken (why the event before it happened).
  const uint64_t explained = trail_holds && trail.size() >= 2 ? trail[trail.size() - 2] : event;
  return out + "],\"explanation\":\"" + json_escape(model::explain_why(m, explained)) + "\"}";
}

std::string room_state_json(const MachineRoomView& room, const model::MachineModel& m,
                            const model::MachineState& s) {
  const LegacyRoomStats& l = room.legacy_stats();
  char buf[512];
  std::snprintf(buf, sizeof buf,
                "\"zoom\":\"%s\",\"legacy\":{\"rows\":%d,\"columns\":%d,\"cpusPerColumn\":%d,"
                "\"singlethread\":%d,\"threads\":%d,\"chips\":%d,\"failed\":%d,\"pidsInUse\":%d,"
                "\"pidMax\":%d,\"otherThreads\":%d}",
                json_escape(room.zoom_text(s, m.strings())).c_str(), l.rows, l.columns,
                l.cpus_per_column, l.singlethread, l.threads, l.chips, l.failed, l.pids_in_use,
                l.pid_max, l.other_threads);
  return buf;
}

}  // namespace wqlab

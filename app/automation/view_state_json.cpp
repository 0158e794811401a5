// The Why? and machine-room parts of the exposed state.
#include "automation/view_state_json.h"

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
  const std::string hint = "\"hint\":\"" + json_escape(selection.why_hint_now()) + "\",";
  if (!has)
    return "\"why\":{" + hint + "\"event\":-1,\"trail\":[],\"chain\":[],\"explanation\":\"\"}";
  const uint64_t event = selection.moment - 1;
  std::string out = "\"why\":{" + hint + "\"event\":" + std::to_string(event) + ",\"trail\":[";
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

nlohmann::ordered_json room_state(const MachineRoomView& room, const model::MachineModel& m,
                                  const model::MachineState& s) {
  const LegacyRoomStats& l = room.legacy_stats();
  nlohmann::ordered_json j;
  j["drawnItems"] = room.drawn_items();
  j["tokens"] = room.tokens();
  j["mode"] = room.mode();
  j["zoom"] = room.zoom_text(s, m.strings());
  j["focusCpu"] = room.focus_cpu;
  j["legacy"] = {{"rows", l.rows},
                 {"columns", l.columns},
                 {"cpusPerColumn", l.cpus_per_column},
                 {"singlethread", l.singlethread},
                 {"threads", l.threads},
                 {"chips", l.chips},
                 {"failed", l.failed},
                 {"pidsInUse", l.pids_in_use},
                 {"pidMax", l.pid_max},
                 {"otherThreads", l.other_threads}};
  return j;
}

}  // namespace wqlab

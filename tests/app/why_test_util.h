// Helpers for the "Why?" tests: an event's short name ("workqueue_execute_start w2"), a cause
// chain as "event", "<- rule", "event", ..., and finding the Nth event of a kind by name.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "app_test_util.h"
#include "model/why.h"

namespace wqlab::test {

// "workqueue_execute_start w2": the kind, and the function (or workqueue) it concerns.
inline std::string short_name(const model::MachineModel& m, uint64_t e) {
  const trace::Event& ev = (*m.log())[e];
  const trace::EventKindInfo& info = trace::event_kind_info(ev.kind);
  std::string out(info.name);
  for (int i = 0; i < trace::kMaxEventArgs; ++i) {
    if (info.args[i].type == trace::ArgType::Str &&
        (info.args[i].label == "function" || info.args[i].label == "workqueue")) {
      out += " " + m.strings().get(ev.args[i]);
      break;
    }
  }
  return out;
}

// The chain from `e` as "event", "<- rule", "event", "<- rule", ...
inline std::vector<std::string> chain(const model::MachineModel& m, uint64_t e) {
  std::vector<std::string> out;
  const std::vector<uint64_t> events = model::why_chain(m, e);
  for (size_t i = 0; i < events.size(); ++i) {
    out.push_back(short_name(m, events[i]));
    if (i + 1 < events.size())
      out.push_back(std::string("<- ") +
                    model::cause_rule_name(model::cause_of(m, events[i]).rule));
  }
  return out;
}

// The index of the `nth` event of `kind` whose short name is `name` (or that merely has that
// kind when `name` is empty).
inline uint64_t find(const model::MachineModel& m, trace::EventKind kind, const std::string& name,
                     int nth = 0) {
  for (uint64_t i = 0; i < m.events(); ++i) {
    if ((*m.log())[i].kind != kind) continue;
    if (!name.empty() &&
        short_name(m, i) != std::string(trace::event_kind_info(kind).name) + " " + name)
      continue;
    if (nth-- == 0) return i;
  }
  ADD_FAILURE() << "no " << trace::event_kind_info(kind).name << " " << name;
  return 0;
}

inline model::MachineModel& folded(RecordedMachine& rm, model::MachineModel& m) {
  rm.run_until_idle();
  rm.fold(m);
  return m;
}

using Chain = std::vector<std::string>;

}  // namespace wqlab::test

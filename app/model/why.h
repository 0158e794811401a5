// "Why?": the cause of any event of a recording, as the head fold found it (model/causes.h),
// walked backwards one rule at a time, and told in one line of kernel terms. Model-only: the
// views show the answers and move the selected moment.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/causes.h"
#include "model/machine_model.h"

namespace wqlab::model {

// The earlier event that made `event` happen, or an empty Cause when nothing in the recording
// did (a call made by a task, or the start of the run).
Cause cause_of(const MachineModel& m, uint64_t event);

// `event`, its cause, the cause's cause, ... : at most `max_steps` steps back.
std::vector<uint64_t> why_chain(const MachineModel& m, uint64_t event, size_t max_steps = 64);

// What the event is, in a few words: "workqueue_execute_start w1 on kworker/0:1".
std::string describe_event(const MachineModel& m, uint64_t event);

// One line: why `event` happened (its cause's rule in kernel terms), or that nothing earlier in
// the recording explains it.
std::string explain_why(const MachineModel& m, uint64_t event);

// An event named on the command line: "KIND[:NAME][#N]", the Nth (from 0) event of the ftrace
// kind KIND whose function or workqueue is NAME, e.g. "workqueue_execute_start:w1".
struct EventSpec {
  trace::EventKind kind = trace::EventKind::None;
  std::string name;
  int nth = 0;
};
// The spec, or nullopt with a one-line `error`.
std::optional<EventSpec> parse_event_spec(std::string_view text, std::string* error);
std::optional<uint64_t> find_event(const MachineModel& m, const EventSpec& spec);

// "12.5 ms": durations in the explanations.
std::string why_duration(Nanos ns);

}  // namespace wqlab::model

// Fitting a scenario to a real trace: its workqueues with the flags the trace shows (WQ_UNBOUND
// from cpu=-1 or a kworker/uP pool, WQ_HIGHPRI from an ...H pool, WQ_MEM_RECLAIM from a rescuer,
// max_active where items waited for it) and one work item per execution that the trace saw from
// queue_work() to its end, queued at its measured time with its measured run time (on-CPU time
// and sleep when the scheduler events tell them apart). The policy replays the same workload on
// another kernel or workqueue setting: Linux 2.6.24, ordered workqueues, another max_active.
#pragma once

#include <string>
#include <vector>

#include "engine/import/machine.h"
#include "engine/import/records.h"
#include "engine/scenario/spec.h"

namespace wqlab::whatif {

struct Policy {
  enum class Kind { AsTraced, Legacy, Ordered, MaxActive } kind = Kind::AsTraced;
  int max_active = 0;        // MaxActive
  std::string name() const;  // "cmwq", "legacy", "ordered", "max_active=1"
};

// "cmwq", "legacy" (or "2.6.24"), "ordered", "max_active=N"; false with `error` otherwise.
bool parse_policy(const std::string& text, Policy& out, std::string* error);
// "P" or "P,Q" (what --compare and --whatif take); `out` may be null to only check.
bool parse_policies(const std::string& text, std::vector<Policy>* out, std::string* error);

struct FitOptions {
  Policy policy;
  size_t max_items = 20000;  // the first N executions (a scenario file stays readable)
};

struct FitResult {
  scenario::Scenario scenario;
  std::vector<std::string> notes;  // what the fit assumed or left out, for the file's header
  size_t items = 0;                // executions replayed
  int64_t first_queue_ns = 0;      // the trace time that is the step's time 0
};

// The executions a fit replays: queued, started and ended inside the trace, the first
// `max_items` of them; and how many were left out for each reason.
struct Replayable {
  std::vector<const import::TraceItem*> items;
  size_t queued_before = 0, unfinished = 0, superseded = 0, over_limit = 0;
};
Replayable replayable_items(const import::TraceMachine& m, size_t max_items);

FitResult fit_scenario(const import::ParsedTrace& t, const import::TraceMachine& m,
                       const FitOptions& options = {});

// The scenario as TOML (engine/scenario/writer), with the notes as comments on top.
std::string fitted_scenario_text(const FitResult& fit, const std::string& source);

}  // namespace wqlab::whatif

// What a run produced, as text for a terminal, as JSON for graders (checkpoints, the full event
// log, wq_monitor counters and final state), and as Perfetto/ftrace for other tools.
#pragma once

#include <string>
#include <vector>

#include "engine/scenario/runner.h"

namespace wqlab::scenario {

struct ScenarioRun {
  const Scenario* scenario = nullptr;
  Runner* runner = nullptr;
  std::vector<StepResult> steps;
  int passed() const;
  int failed() const;
};

// Runs every step; `progress` (may be null) hears "step i of n".
ScenarioRun run_scenario(const Scenario& s, Runner& runner,
                         void (*progress)(size_t, size_t, const Step&) = nullptr);

std::string report_text(const ScenarioRun& run, bool chinese = false);
std::string report_json(const ScenarioRun& run);
std::string report_perfetto(const ScenarioRun& run);
std::string report_ftrace(const ScenarioRun& run);

}  // namespace wqlab::scenario

// Schedule exploration of a scenario or lesson: one run of the parsed scenario with every
// deterministic machine's tie-break given to a SeededChooser(seed) and every cmwq machine watched
// by an InvariantChecker. A seed fails when an invariant breaks or a checkpoint, question or
// runner note of the scenario fails under that schedule. Machines boot before the chooser is set
// (booting is not explored).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/explore/invariant_checker.h"
#include "engine/explore/seeded_chooser.h"
#include "engine/scenario/spec.h"

namespace wqlab::explore {

struct SeedOutcome {
  uint64_t seed = 0;
  Strategy strategy = Strategy::Uniform;
  std::optional<Violation> violation;
  std::string violation_machine;
  std::vector<std::string> failed_checks;  // "step 2 [id] m: field expected (measured ...)"
  uint64_t decisions = 0;                  // tie-breaks with two or more candidates
  uint64_t deviations = 0;                 // of which the chooser changed the default order
  bool ok() const { return !violation && failed_checks.empty(); }
};

SeedOutcome explore_scenario(const scenario::Scenario& s, uint64_t seed);

// The report of a failed seed: the seed, the invariant or checks, the event log, how to replay.
std::string describe_failure(const std::string& file, const SeedOutcome& o);

}  // namespace wqlab::explore

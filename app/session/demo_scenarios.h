// The built-in demo scenarios, written in C++ against the wq::Cmwq API until lesson files
// exist: "tour" (every mechanism, the default), "doc" (Documentation/core-api/workqueue.rst's
// w0/w1/w2 example), "mayday" (the rescuer under memory pressure), "wave" (256 CPUs), the legacy
// model's "legacy" and "legacy-256" (legacy_demos.cpp) and the hidden "bench-1m" (a million
// executions for --bench-ui).
#pragma once

#include "session/scenario.h"

namespace wqlab::session {

inline constexpr const char* kDefaultDemo = "tour";

const ScenarioSource& demo_scenarios();
// legacy_demos.cpp: the demos on the legacy (pre-2.6.36) model.
void add_legacy_demos(std::vector<ScenarioDef>& demos);

// bench-1m's size, exposed so the benchmark can say what it measured.
inline constexpr int kBenchExecutions = 1'000'000;

}  // namespace wqlab::session

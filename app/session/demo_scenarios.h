// The built-in demo scenarios, written in C++ against the wq::Cmwq API until lesson files
// exist: "tour" (every mechanism, the default), "doc" (Documentation/core-api/workqueue.rst's
// w0/w1/w2 example), "mayday" (the rescuer under memory pressure), "wave" (256 CPUs) and the
// hidden "bench-1m" (a million executions for --bench-ui).
#pragma once

#include "session/scenario.h"

namespace wqlab::session {

inline constexpr const char* kDefaultDemo = "tour";

const ScenarioSource& demo_scenarios();

// bench-1m's size, exposed so the benchmark can say what it measured.
inline constexpr int kBenchExecutions = 1'000'000;

}  // namespace wqlab::session

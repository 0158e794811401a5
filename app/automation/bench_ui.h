// --bench-ui: the UI benchmark. Records the hidden "bench-1m" demo (a million executions),
// then builds frames of the whole window at 1280 x 800 without a GPU (ImGui's frame building
// is what the goal bounds: p99 <= 8 ms) while the timeline fits everything, zooms and pans,
// and times showing arbitrary past moments (goal: <= 50 ms). Prints a table; also prints
// "RESULT name=value" lines that bench/ui_bench.cpp reads.
#pragma once

#include "host/cli.h"

namespace wqlab {

int run_ui_bench(const Options& options);

}  // namespace wqlab

// The split view's two runs of one real workload: the trace beside the scenario fitted to it and
// run under a policy, or the fitted scenario under two policies (what `wqlab open FILE --compare
// P[,Q]` prints and the trace stage's What if window draws).
#pragma once

#include <cstddef>
#include <vector>

#include "engine/import/open_trace.h"
#include "engine/whatif/compare.h"
#include "engine/whatif/fit.h"

namespace wqlab::whatif {

// The fitted scenario run under `p` (deterministic); its run is named "<policy> model".
// carrier_budget: the OS threads the model's tasks may hold at once (0: any; the browser's pool).
RunSeries run_policy(const import::OpenedTrace& o, const Policy& p, size_t carrier_budget = 0);

// One policy: the trace (run "trace") and the model under it; two: the model under each.
Comparison what_if(const import::OpenedTrace& o, const std::vector<Policy>& policies,
                   size_t carrier_budget = 0);

}  // namespace wqlab::whatif

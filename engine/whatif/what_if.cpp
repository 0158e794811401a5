#include "engine/whatif/what_if.h"

namespace wqlab::whatif {

RunSeries run_policy(const import::OpenedTrace& o, const Policy& p, size_t carrier_budget) {
  FitOptions fo;
  fo.policy = p;
  FitResult fit = fit_scenario(o.trace, o.machine, fo);
  return run_scenario_series(fit.scenario, p.name() + " model", carrier_budget);
}

Comparison what_if(const import::OpenedTrace& o, const std::vector<Policy>& policies,
                   size_t carrier_budget) {
  RunSeries first = policies.size() == 1 ? series_from_trace(o.trace, o.machine, "trace")
                                         : run_policy(o, policies.front(), carrier_budget);
  RunSeries second = run_policy(o, policies.back(), carrier_budget);
  return compare_runs(std::move(first), std::move(second));
}

}  // namespace wqlab::whatif

// fold_event(): routes each event kind to the file that folds its family, then updates the plots.
#include "model/fold.h"

#include "model/fold_internal.h"

namespace wqlab::model {

MachineState initial_state(const MachineConfig& config) {
  MachineState s;
  s.cpus.resize(static_cast<size_t>(config.nr_cpus > 0 ? config.nr_cpus : 1));
  return s;
}

namespace {

void update_plots(const MachineState& s, RunHistory& h, Nanos now) {
  h.plots.threads.add(now, s.threads);
  h.plots.pids.add(now, s.pids_in_use);
  h.plots.kworkers.add(now, s.kworkers);
  h.plots.active.add(now, s.active_items());
  h.plots.pending.add(now, s.pending_items());
}

}  // namespace

bool fold_event(MachineState& state, const trace::Event& ev, const MachineConfig& config,
                RunHistory* history) {
  FoldStep f{state, ev, state.events, config, history};
  if (ev.time_ns > state.now) state.now = ev.time_ns;
  if (history) fold_causes(f);  // first: it reads the state just before the event
  if (state.legacy.active()) fold_legacy_side_effects(f);
  const bool known = fold_kernel_event(f) || fold_work_event(f) || fold_pool_event(f) ||
                     fold_workqueue_event(f) || fold_legacy_event(f);
  ++state.events;
  if (history) {
    history->end_time = state.now;
    update_plots(state, *history, state.now);
  }
  return known;
}

}  // namespace wqlab::model

// Folding: applies one event of the log to a MachineState (and, when given, appends what it
// means to the RunHistory). The only place that knows what each event kind does to the picture;
// every kind of engine/trace/event_kind.cpp is handled or deliberately ignored in fold.cpp.
#pragma once

#include <cstdint>

#include "engine/trace/event.h"
#include "model/machine_state.h"
#include "model/run_history.h"

namespace wqlab::model {

// Facts about the machine that no event carries (the session knows them from KernelConfig).
struct MachineConfig {
  int nr_cpus = 4;
  int hz = 1000;  // scheduler ticks per second: CPU time is charged per tick
  int pid_max = 32768;
};

// A state with the machine's CPUs and nothing else, ready for the first event.
MachineState initial_state(const MachineConfig& config);

// Applies `ev` (the state's next event, index == state.events) to `state`; `history` may be null
// (seeking back only needs the state). Returns false for kinds the model does not fold.
bool fold_event(MachineState& state, const trace::Event& ev, const MachineConfig& config,
                RunHistory* history);

}  // namespace wqlab::model

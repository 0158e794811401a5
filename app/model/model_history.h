// ModelHistory: MachineState snapshots taken every `interval` events while the model folds, so
// that any past moment is the nearest snapshot plus at most `interval` folded events (the chips
// emulators rewind the same way). When there are too many snapshots, every other one is dropped
// and the interval doubles, which bounds memory on long runs.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/trace/event_log.h"
#include "model/fold.h"

namespace wqlab::model {

class ModelHistory {
 public:
  explicit ModelHistory(uint64_t interval = 8192, size_t max_snapshots = 256);

  void reset(const MachineState& initial);
  // Called after each folded event; copies `head` when its event count is due.
  void note(const MachineState& head) {
    if (head.events % interval_ == 0) take(head);
  }
  // The state after the first `events` events of `log` (clamped to what the log holds).
  MachineState state_at(uint64_t events, const trace::EventLog& log,
                        const MachineConfig& config) const;

  uint64_t interval() const { return interval_; }
  size_t snapshots() const { return snaps_.size(); }

 private:
  void take(const MachineState& head);

  uint64_t interval_;
  size_t max_snapshots_;
  MachineState initial_;
  std::vector<MachineState> snaps_;  // increasing event counts, all multiples of interval_
};

}  // namespace wqlab::model

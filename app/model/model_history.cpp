// Snapshot taking, thinning, and reconstruction by snapshot + fold-forward.
#include "model/model_history.h"

#include <algorithm>

namespace wqlab::model {

ModelHistory::ModelHistory(uint64_t interval, size_t max_snapshots)
    : interval_(std::max<uint64_t>(interval, 1)),
      max_snapshots_(std::max<size_t>(max_snapshots, 2)) {}

void ModelHistory::reset(const MachineState& initial) {
  initial_ = initial;
  snaps_.clear();
}

void ModelHistory::take(const MachineState& head) {
  if (head.events == 0 || (!snaps_.empty() && snaps_.back().events >= head.events)) return;
  snaps_.push_back(head);
  if (snaps_.size() <= max_snapshots_) return;
  // Keep the snapshots on multiples of twice the interval.
  interval_ *= 2;
  std::vector<MachineState> kept;
  kept.reserve(snaps_.size() / 2 + 1);
  for (MachineState& s : snaps_)
    if (s.events % interval_ == 0) kept.push_back(std::move(s));
  snaps_ = std::move(kept);
}

MachineState ModelHistory::state_at(uint64_t events, const trace::EventLog& log,
                                    const MachineConfig& config) const {
  events = std::min<uint64_t>(events, log.size());
  auto it = std::upper_bound(snaps_.begin(), snaps_.end(), events,
                             [](uint64_t n, const MachineState& s) { return n < s.events; });
  MachineState state = it == snaps_.begin() ? initial_ : *(it - 1);
  for (uint64_t i = state.events; i < events; ++i) fold_event(state, log[i], config, nullptr);
  return state;
}

}  // namespace wqlab::model

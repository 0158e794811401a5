// MachineModel: attaching to a log, folding new events, looking up past moments.
#include "model/machine_model.h"

#include <algorithm>

namespace wqlab::model {

void MachineModel::attach(const trace::Recorder* recorder, const MachineConfig& config,
                          uint64_t snapshot_interval) {
  recorder_ = recorder;
  log_ = recorder ? &recorder->log() : nullptr;
  config_ = config;
  head_ = initial_state(config);
  history_ = RunHistory{};
  history_.cpus.resize(head_.cpus.size());
  strings_.clear();
  snapshots_ = ModelHistory{snapshot_interval};
  snapshots_.reset(head_);
}

size_t MachineModel::update(size_t max_events) {
  if (!log_) return 0;
  // Read the log's size before the strings: every string an event names was interned before
  // the event was emitted.
  const uint64_t end = std::min<uint64_t>(log_->size(), head_.events + max_events);
  if (end <= head_.events) return 0;
  strings_.sync(recorder_->strings());
  const uint64_t begin = head_.events;
  for (uint64_t i = begin; i < end; ++i) {
    fold_event(head_, (*log_)[i], config_, &history_);
    snapshots_.note(head_);
  }
  return static_cast<size_t>(end - begin);
}

MachineState MachineModel::state_at(uint64_t events) const {
  if (!log_ || events >= head_.events) return head_;
  return snapshots_.state_at(events, *log_, config_);
}

uint64_t MachineModel::events_at_time(Nanos t) const {
  // Events are in time order: a deterministic run emits them one at a time.
  uint64_t lo = 0, hi = head_.events;
  while (lo < hi) {
    const uint64_t mid = lo + (hi - lo) / 2;
    if ((*log_)[mid].time_ns <= t) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

Nanos MachineModel::time_of(uint64_t events) const {
  if (!log_ || events == 0) return 0;
  return (*log_)[std::min<uint64_t>(events, head_.events) - 1].time_ns;
}

}  // namespace wqlab::model

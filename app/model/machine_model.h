// MachineModel: the app's picture of one recorded machine, folded from its event log only
// (DESIGN.md: engine -> ring -> log -> model -> views). It holds the state at the log's head, the
// run's history (timeline, plots, markers) and snapshots for showing any past moment.
// Not thread-safe: one thread (the UI's) calls update() and reads; the log itself may grow
// concurrently.
#pragma once

#include <cstddef>
#include <cstdint>

#include "engine/trace/recorder.h"
#include "model/fold.h"
#include "model/model_history.h"
#include "model/model_strings.h"

namespace wqlab::model {

class MachineModel {
 public:
  MachineModel() = default;

  // Starts over on `recorder`'s log (which must outlive the model or the next attach()),
  // snapshotting every `snapshot_interval` events.
  void attach(const trace::Recorder* recorder, const MachineConfig& config,
              uint64_t snapshot_interval = 8192);
  void detach() { attach(nullptr, config_); }
  // Folds at most `max_events` new events; returns how many it folded.
  size_t update(size_t max_events = SIZE_MAX);
  // True when every event recorded so far has been folded.
  bool caught_up() const { return !log_ || head_.events >= log_->size(); }

  const MachineState& head() const { return head_; }
  const RunHistory& history() const { return history_; }
  const ModelStrings& strings() const { return strings_; }
  const MachineConfig& config() const { return config_; }
  const trace::EventLog* log() const { return log_; }
  const trace::Recorder* recorder() const { return recorder_; }
  const ModelHistory& snapshots() const { return snapshots_; }
  uint64_t events() const { return head_.events; }

  // The machine after its first `events` events (at most events()).
  MachineState state_at(uint64_t events) const;
  // How many events had happened by virtual time `t` (events with time <= t).
  uint64_t events_at_time(Nanos t) const;
  // The virtual time of the moment after `events` events (0 before the first).
  Nanos time_of(uint64_t events) const;

 private:
  const trace::Recorder* recorder_ = nullptr;
  const trace::EventLog* log_ = nullptr;
  MachineConfig config_;
  MachineState head_;
  RunHistory history_;
  ModelStrings strings_;
  ModelHistory snapshots_;
};

}  // namespace wqlab::model

// An incremental index over a machine's event log: executions per work item (queued, start,
// end, worker), event counts per kind, kernel messages and task names. Checkpoints and
// triggers read it; update() folds whatever was appended since the last call.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "engine/trace/event_kind.h"
#include "engine/trace/recorder.h"

namespace wqlab::scenario {

struct ExecRecord {
  int64_t queued = -1;  // virtual ns of the queue_work that led to this execution
  int64_t start = -1;
  int64_t end = -1;
  int pid = 0;
  int cpu = -1;
};

class LogIndex {
 public:
  explicit LogIndex(trace::Recorder* rec = nullptr) : rec_(rec) {}
  void attach(trace::Recorder* rec) { rec_ = rec; }

  void update();  // drains the recorder and folds the new events
  uint64_t size() const { return folded_; }

  const std::vector<ExecRecord>& executions(int64_t work_id) const;
  uint64_t count(trace::EventKind kind) const { return counts_[static_cast<size_t>(kind)]; }
  bool printed(const std::string& needle) const;
  bool noted(const std::string& needle) const;  // a lab_note holds `needle`
  std::string comm(int pid) const;
  const std::vector<std::string>& messages() const { return messages_; }
  uint64_t executions_of_wq(const std::string& wq) const;  // started executions

 private:
  trace::Recorder* rec_;
  uint64_t folded_ = 0;
  std::map<int64_t, std::vector<ExecRecord>> execs_;
  std::map<int64_t, int64_t> queued_at_;  // work id -> time of its latest queue
  std::array<uint64_t, static_cast<size_t>(trace::EventKind::Count)> counts_{};
  std::vector<std::string> messages_;
  std::vector<std::string> notes_;  // lab_note texts
  std::map<int, std::string> comms_;
  std::map<std::string, uint64_t> wq_execs_;
};

}  // namespace wqlab::scenario

#include "engine/scenario/log_index.h"

namespace wqlab::scenario {

using trace::EventKind;

void LogIndex::update() {
  if (rec_ == nullptr) return;
  rec_->drain();
  const trace::EventLog& log = rec_->log();
  size_t n = log.size();
  for (; folded_ < n; ++folded_) {
    const trace::Event& e = log[folded_];
    ++counts_[static_cast<size_t>(e.kind)];
    switch (e.kind) {
      case EventKind::TaskCreate:
        comms_[static_cast<int>(e.args[0])] = std::string(rec_->strings().get(e.args[1]));
        break;
      case EventKind::Printk:
        messages_.emplace_back(rec_->strings().get(e.args[1]));
        break;
      case EventKind::LabNote:
        notes_.emplace_back(rec_->strings().get(e.args[0]));
        break;
      case EventKind::WqQueueWork:
        queued_at_[e.args[0]] = e.time_ns;
        break;
      case EventKind::LegacyInsertion:
        queued_at_[e.args[1]] = e.time_ns;
        break;
      case EventKind::WqExecuteStart:
      case EventKind::LegacyExecution: {
        int64_t work = e.kind == EventKind::WqExecuteStart ? e.args[0] : e.args[1];
        ++wq_execs_[std::string(
            rec_->strings().get(e.kind == EventKind::WqExecuteStart ? e.args[2] : e.args[3]))];
        ExecRecord r;
        auto q = queued_at_.find(work);
        r.queued = q == queued_at_.end() ? -1 : q->second;
        r.start = e.time_ns;
        r.pid = e.pid;
        r.cpu = e.cpu;
        execs_[work].push_back(r);
        break;
      }
      case EventKind::WqExecuteEnd:
      case EventKind::LegacyExecutionEnd: {
        int64_t work = e.kind == EventKind::WqExecuteEnd ? e.args[0] : e.args[1];
        auto& runs = execs_[work];
        for (auto it = runs.rbegin(); it != runs.rend(); ++it) {
          if (it->pid == e.pid && it->end < 0) {
            it->end = e.time_ns;
            break;
          }
        }
        break;
      }
      default:
        break;
    }
  }
}

const std::vector<ExecRecord>& LogIndex::executions(int64_t work_id) const {
  static const std::vector<ExecRecord> none;
  auto it = execs_.find(work_id);
  return it == execs_.end() ? none : it->second;
}

bool LogIndex::printed(const std::string& needle) const {
  for (auto& m : messages_)
    if (m.find(needle) != std::string::npos) return true;
  return false;
}

bool LogIndex::noted(const std::string& needle) const {
  for (auto& m : notes_)
    if (m.find(needle) != std::string::npos) return true;
  return false;
}

uint64_t LogIndex::executions_of_wq(const std::string& wq) const {
  auto it = wq_execs_.find(wq);
  return it == wq_execs_.end() ? 0 : it->second;
}

std::string LogIndex::comm(int pid) const {
  auto it = comms_.find(pid);
  return it == comms_.end() ? std::string() : it->second;
}

}  // namespace wqlab::scenario

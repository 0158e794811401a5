// Matching events against the filter, using each kind's argument labels from event_kind.cpp.
#include "model/event_filter.h"

#include <algorithm>
#include <string_view>

namespace wqlab::model {

using trace::ArgType;
using trace::EventKind;

bool EventFilter::passes_everything() const {
  return workqueue < 0 && function < 0 && cpu < 0 &&
         std::all_of(kinds.begin(), kinds.end(), [](bool b) { return b; });
}

void FilteredEvents::set_filter(const EventFilter& filter) {
  filter_ = filter;
  everything_ = filter.passes_everything();
  scanned_ = 0;
  indices_.clear();
  work_wq_.clear();
  work_func_.clear();
}

namespace {

// Whether an argument is a workqueue name.
bool is_workqueue_arg(const trace::ArgInfo& a) {
  return a.type == ArgType::Str && a.label == "workqueue";
}

}  // namespace

void FilteredEvents::learn(const trace::Event& ev) {
  // The events that name a work item together with its function and workqueue.
  switch (ev.kind) {
    case EventKind::WqQueueWork:
    case EventKind::WqExecuteStart:
    case EventKind::WqDelayedArm:
    case EventKind::WqRescue:
      work_func_[ev.args[0]] = ev.args[1];
      work_wq_[ev.args[0]] = ev.args[2];
      break;
    default:
      break;
  }
}

bool FilteredEvents::matches(const trace::Event& ev) const {
  const auto k = static_cast<size_t>(ev.kind);
  if (k >= filter_.kinds.size() || !filter_.kinds[k]) return false;
  const trace::EventKindInfo& info = trace::event_kind_info(ev.kind);
  bool wq_ok = filter_.workqueue < 0, func_ok = filter_.function < 0, cpu_ok = filter_.cpu < 0;
  if (!cpu_ok && ev.cpu == filter_.cpu) cpu_ok = true;
  for (int i = 0; i < trace::kMaxEventArgs; ++i) {
    const trace::ArgInfo& a = info.args[i];
    const int64_t v = ev.args[i];
    if (is_workqueue_arg(a) && v == filter_.workqueue) wq_ok = true;
    if (a.type == ArgType::Str && a.label == "function" && v == filter_.function) func_ok = true;
    if (a.type == ArgType::Cpu && v == filter_.cpu) cpu_ok = true;
    if (a.type == ArgType::Obj && a.label == "work") {
      if (!wq_ok) {
        auto it = work_wq_.find(v);
        wq_ok = it != work_wq_.end() && it->second == filter_.workqueue;
      }
      if (!func_ok) {
        auto it = work_func_.find(v);
        func_ok = it != work_func_.end() && it->second == filter_.function;
      }
    }
  }
  return wq_ok && func_ok && cpu_ok;
}

void FilteredEvents::update(const trace::EventLog& log, uint64_t available, uint64_t budget) {
  const uint64_t end = std::min<uint64_t>(available, scanned_ + budget);
  if (everything_) {
    scanned_ = std::max(scanned_, end);
    return;
  }
  for (; scanned_ < end; ++scanned_) {
    const trace::Event& ev = log[scanned_];
    learn(ev);
    if (matches(ev)) indices_.push_back(scanned_);
  }
}

uint64_t FilteredEvents::row_at_or_after(uint64_t event) const {
  if (everything_) return std::min(event, scanned_);
  return static_cast<uint64_t>(std::lower_bound(indices_.begin(), indices_.end(), event) -
                               indices_.begin());
}

}  // namespace wqlab::model

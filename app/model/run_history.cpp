// RunHistory helpers: step series, track look-up, names of spans and markers.
#include "model/run_history.h"

#include <algorithm>

namespace wqlab::model {

const char* span_kind_name(SpanKind k) {
  switch (k) {
    case SpanKind::Sleeping:
      return "sleeping";
    case SpanKind::Waiting:
      return "waiting";
    case SpanKind::Runnable:
      return "runnable";
    case SpanKind::Computing:
      return "computing";
  }
  return "?";
}

const char* marker_kind_name(MarkerKind k) {
  switch (k) {
    case MarkerKind::Mayday:
      return "mayday";
    case MarkerKind::MaydayTimer:
      return "mayday timer (pool starved)";
    case MarkerKind::Rescue:
      return "rescue";
    case MarkerKind::Warning:
      return "warning";
    case MarkerKind::Printk:
      return "printk";
    case MarkerKind::LabNote:
      return "lab note";
    case MarkerKind::Lockup:
      return "watchdog: pool stuck";
    case MarkerKind::CpuOnline:
      return "CPU online";
    case MarkerKind::CpuOffline:
      return "CPU offline";
    case MarkerKind::MemPressureOn:
      return "memory pressure on";
    case MarkerKind::MemPressureOff:
      return "memory pressure off";
    case MarkerKind::FlushStart:
      return "flush_workqueue starts";
    case MarkerKind::FlushDone:
      return "flush_workqueue done";
    case MarkerKind::CreateFail:
      return "thread creation failed";
    case MarkerKind::PidExhausted:
      return "PIDs exhausted";
    case MarkerKind::CpuIntensive:
      return "flagged CPU-intensive";
    case MarkerKind::Cancel:
      return "cancelled";
    case MarkerKind::Freeze:
      return "freezer on";
    case MarkerKind::Thaw:
      return "thawed";
    case MarkerKind::Rejected:
      return "queueing rejected";
    case MarkerKind::EventsLost:
      return "events lost";
    case MarkerKind::CarrierExhausted:
      return "out of carrier threads";
    case MarkerKind::Count:
      break;
  }
  return "?";
}

void StepSeries::add(Nanos time, int32_t value) {
  if (!v.empty()) {
    if (v.back() == value) return;
    if (t.back() == time) {
      v.back() = value;  // several changes at one instant: keep the last
      if (v.size() >= 2 && v[v.size() - 2] == value) {
        t.pop_back();
        v.pop_back();
      }
      max = std::max(max, value);
      return;
    }
  }
  t.push_back(time);
  v.push_back(value);
  max = std::max(max, value);
}

int32_t StepSeries::value_at(Nanos time) const {
  auto it = std::upper_bound(t.begin(), t.end(), time);
  if (it == t.begin()) return 0;
  return v[static_cast<size_t>(it - t.begin()) - 1];
}

TaskTrack* RunHistory::track_for(int32_t pid) {
  auto it = track_of.find(pid);
  return it == track_of.end() ? nullptr : &tracks[it->second];
}

const TaskTrack* RunHistory::track_for(int32_t pid) const {
  auto it = track_of.find(pid);
  return it == track_of.end() ? nullptr : &tracks[it->second];
}

size_t RunHistory::memory_bytes() const {
  size_t n = executions.capacity() * sizeof(ExecutionRecord) + markers.capacity() * sizeof(Marker);
  for (const TaskTrack& t : tracks)
    n += sizeof t + t.execs.capacity() * sizeof(ExecSpan) + t.states.capacity() * sizeof(StateSpan);
  for (const auto& c : cpus) n += c.capacity() * sizeof(CpuSpan);
  auto series = [](const StepSeries& s) {
    return s.t.capacity() * sizeof(Nanos) + s.v.capacity() * sizeof(int32_t);
  };
  n += series(plots.threads) + series(plots.pids) + series(plots.kworkers) + series(plots.active) +
       series(plots.pending);
  for (const StepSeries& s : plots.nr_running) n += series(s);
  return n + causes.memory_bytes();
}

}  // namespace wqlab::model

// Folding the legacy (pre-2.6.36) workqueue's events: threads created per CPU (or one for a
// single-threaded workqueue), creation failures, items inserted on a thread's own list, run and
// finished there; threads leaving when they exit. Executions also go to the run's history, so
// the timeline shows them like cmwq's.
#include <algorithm>

#include "model/fold_internal.h"

namespace wqlab::model {

int32_t LegacyState::wq_of(int32_t pid) const {
  auto it = std::lower_bound(thread_of.begin(), thread_of.end(), std::make_pair(pid, INT32_MIN));
  return it != thread_of.end() && it->first == pid ? it->second : -1;
}

namespace {

// The workqueue being created under `name`: the latest one, unless that one is finished with.
LegacyWqInfo& creating(FoldStep& f, int64_t name, bool singlethread) {
  LegacyState& l = f.s.legacy;
  auto it = l.by_name.find(name);
  if (it != l.by_name.end()) {
    LegacyWqInfo& wq = l.workqueues[static_cast<size_t>(it->second)];
    if (!wq.destroyed && !wq.failed) return wq;
  }
  LegacyWqInfo wq;
  wq.index = static_cast<int32_t>(l.workqueues.size());
  wq.name = name;
  wq.singlethread = singlethread;
  wq.threads.assign(singlethread ? 1 : static_cast<size_t>(std::max(f.cfg.nr_cpus, 1)), 0);
  l.by_name[name] = wq.index;
  l.workqueues.push_back(std::move(wq));
  return l.workqueues.back();
}

void thread_created(FoldStep& f) {
  LegacyState& l = f.s.legacy;
  const int32_t pid = f.arg32(1), cpu = f.arg32(2);
  const bool st = f.arg(3) != 0;
  LegacyWqInfo& wq = creating(f, f.arg(0), st);
  const size_t slot = st ? 0 : static_cast<size_t>(std::max(cpu, 0));
  if (slot < wq.threads.size()) wq.threads[slot] = pid;
  ++wq.created;
  ++wq.live;
  ++l.wq_threads;
  const auto at =
      std::lower_bound(l.thread_of.begin(), l.thread_of.end(), std::make_pair(pid, INT32_MIN));
  l.thread_of.insert(at, {pid, wq.index});
  if (f.h) {
    if (TaskTrack* t = f.h->track_for(pid)) {
      t->legacy = true;
      t->cpu = static_cast<int16_t>(st ? -1 : cpu);
    }
  }
}

void creation_failed(FoldStep& f) {
  LegacyState& l = f.s.legacy;
  LegacyWqInfo& wq = creating(f, f.arg(0), false);
  wq.failed = true;
  wq.fail_cpu = static_cast<int16_t>(f.arg(1));
  wq.fail_err = f.arg32(2);
  l.failures.push_back({f.index, wq.index, wq.fail_cpu, wq.fail_err, f.s.pids_in_use});
}

void execution_start(FoldStep& f, const LegacyQueued* queued) {
  LegacyState& l = f.s.legacy;
  const int32_t thread = f.arg32(0);
  LegacyThreadWork& w = l.work[thread];
  if (w.queued > 0) --w.queued;
  ++f.s.executions_started;
  w.current_func = f.arg(2);
  w.current_work = f.arg(1);
  if (!f.h) return;
  ExecutionRecord r;
  r.work = f.arg(1);
  r.func = f.arg(2);
  r.wq = l.wq_of(thread);
  r.pid = thread;
  r.flags = kExecLegacy;
  r.queued_at = f.ev.time_ns;
  r.start = f.ev.time_ns;
  r.queue_event = queued ? queued->event : f.index;
  r.start_event = f.index;
  if (queued) r.queued_at = queued->time;
  const auto exec = static_cast<uint32_t>(f.h->executions.size());
  f.h->executions.push_back(r);
  f.h->work_execs[r.work].push_back(exec);
  if (TaskTrack* t = f.h->track_for(thread)) t->execs.push_back({r.start, kOpen, exec});
}

void execution_end(FoldStep& f) {
  LegacyState& l = f.s.legacy;
  const int32_t thread = f.arg32(0);
  auto it = l.work.find(thread);
  if (it != l.work.end() && it->second.current_func != 0) ++f.s.executions_done;
  if (it != l.work.end()) {
    it->second.current_func = 0;
    it->second.current_work = 0;
    if (it->second.queued == 0) l.work.erase(it);
  }
  if (!f.h) return;
  TaskTrack* t = f.h->track_for(thread);
  if (t && !t->execs.empty() && t->execs.back().end == kOpen) {
    t->execs.back().end = f.ev.time_ns;
    ExecutionRecord& r = f.h->executions[t->execs.back().exec];
    r.end = f.ev.time_ns;
    r.end_event = f.index;
  }
}

}  // namespace

bool fold_legacy_event(FoldStep& f) {
  LegacyState& l = f.s.legacy;
  switch (f.ev.kind) {
    case EventKind::LegacyCreate:
      thread_created(f);
      return true;
    case EventKind::LegacyCreateFail:
      creation_failed(f);
      return true;
    case EventKind::LegacyInsertion:
      ++l.work[f.arg32(0)].queued;
      l.queued[f.arg(1)] = {f.arg32(0), f.index, f.ev.time_ns};
      return true;
    case EventKind::LegacyExecution: {
      auto q = l.queued.find(f.arg(1));
      execution_start(f, q == l.queued.end() ? nullptr : &q->second);
      if (q != l.queued.end()) l.queued.erase(q);
      return true;
    }
    case EventKind::LegacyExecutionEnd:
      execution_end(f);
      return true;
    case EventKind::LegacyDestroy: {
      auto it = l.by_name.find(f.arg(0));
      if (it != l.by_name.end()) l.workqueues[static_cast<size_t>(it->second)].destroyed = true;
      return true;
    }
    default:
      return false;
  }
}

void fold_legacy_side_effects(FoldStep& f) {
  LegacyState& l = f.s.legacy;
  if (f.ev.kind == EventKind::WqWorkDequeue) {
    // try_to_grab_pending() stole a queued item from a thread's list.
    auto q = l.queued.find(f.arg(0));
    if (q == l.queued.end()) return;
    auto w = l.work.find(q->second.thread);
    if (w != l.work.end() && w->second.queued > 0 && --w->second.queued == 0 &&
        w->second.current_func == 0)
      l.work.erase(w);
    l.queued.erase(q);
    return;
  }
  if (f.ev.kind != EventKind::TaskExit) return;
  const int32_t pid = f.arg32(0);
  auto it =
      std::lower_bound(l.thread_of.begin(), l.thread_of.end(), std::make_pair(pid, INT32_MIN));
  if (it == l.thread_of.end() || it->first != pid) return;
  if (LegacyWqInfo* wq = it->second < static_cast<int32_t>(l.workqueues.size())
                             ? &l.workqueues[static_cast<size_t>(it->second)]
                             : nullptr) {
    std::replace(wq->threads.begin(), wq->threads.end(), pid, 0);
    --wq->live;
  }
  --l.wq_threads;
  l.thread_of.erase(it);
  l.work.erase(pid);
}

}  // namespace wqlab::model

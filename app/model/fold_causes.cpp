// Finding each event's cause while the head folds the log (before the event changes the state,
// so the state is the machine just before it). The rules follow kernel/workqueue.c: what wakes
// a worker (kick_pool() from __queue_work() or wq_worker_sleeping()), who creates workers
// (maybe_create_worker() of the pool's manager), what sends a mayday (pool_mayday_timeout()
// after failed creations), what completes a flush, and what the watchdog measures from.
#include "model/fold_internal.h"

namespace wqlab::model {
namespace {

using Recent = CauseTracker::Recent;
constexpr uint64_t kNone = CauseTracker::kNone;
// An activation this close to its queue_work is found again by scanning back (why.cpp).
constexpr uint64_t kScanBack = 8;

// Whether a task's event is a step that may explain what the task does next (wake someone).
bool significant(EventKind k) {
  switch (k) {
    case EventKind::TaskRun:
    case EventKind::TaskBlock:
    case EventKind::TaskPark:
    case EventKind::TaskWake:
    case EventKind::TaskPreempt:
    case EventKind::TaskCreate:
    case EventKind::TaskExit:
    case EventKind::CpuRun:
    case EventKind::ComputeBegin:
    case EventKind::ComputeEnd:
    case EventKind::TimerArm:
    case EventKind::TimerDel:
    case EventKind::PidAlloc:
    case EventKind::PidFree:
    case EventKind::Printk:
    case EventKind::LabNote:
    case EventKind::MachineBoot:
    case EventKind::WqNrRunning:
    case EventKind::WqWorkerIdle:
    case EventKind::WqWorkerBusy:
    case EventKind::WqActivateWork:
    case EventKind::WqWorkInactive:
    case EventKind::WqCmWakeup:
    case EventKind::WqPoolAssoc:
    case EventKind::WqRescuerAttach:
    case EventKind::WqRescuerDetach:
      return false;
    default:
      return true;
  }
}

template <typename Map, typename Key>
uint64_t take(Map& m, const Key& k) {
  auto it = m.find(k);
  if (it == m.end()) return kNone;
  const uint64_t v = it->second;
  m.erase(it);
  return v;
}

template <typename Map, typename Key>
uint64_t get(const Map& m, const Key& k) {
  auto it = m.find(k);
  return it == m.end() ? kNone : it->second;
}

struct CauseStep {
  FoldStep& f;
  CauseIndex& c;
  CauseTracker& t;

  void link(uint64_t cause, CauseRule rule) const {
    if (cause != kNone && cause < f.index) c.add(f.index, cause, rule);
  }
  Recent recent(int32_t pid) const {
    auto it = t.last_by_pid.find(pid);
    return it == t.last_by_pid.end() ? Recent{} : it->second;
  }
  // The pool's track, or a scratch one for an event without a pool (id -1).
  CauseTracker::PoolTrack& pool(int32_t id) const {
    if (id < 0) return t.no_pool = {};
    return slot(t.pools, static_cast<size_t>(id));
  }
  const Instance* pending(int64_t work) const {
    auto p = f.s.pending.find(work);
    return p == f.s.pending.end() ? nullptr : f.s.instance(p->second);
  }
  // The execute_start of the item that worker `pid` runs now, or kNone.
  uint64_t running_start(int32_t pid) const {
    const WorkerInfo* w = f.s.worker(pid);
    const Instance* inst = w ? f.s.instance(w->current) : nullptr;
    return inst ? inst->start_event : kNone;
  }
  void forget_work(int64_t work) const {
    t.activated.erase(work);
    t.rescued.erase(work);
    t.mayday_of.erase(work);
    t.inserted.erase(work);
  }
};

void work_events(const CauseStep& x) {
  FoldStep& f = x.f;
  CauseTracker& t = x.t;
  const int64_t work = f.arg(0);
  switch (f.ev.kind) {
    case EventKind::WqQueueWork: {
      const Instance* inst = x.pending(work);
      const Recent timer = x.recent(0);
      if (inst && inst->where == WorkWhere::Delayed && f.ev.pid == 0 &&
          timer.kind == EventKind::TimerFire)
        x.link(timer.event, CauseRule::TimerQueued);
      x.forget_work(work);
      break;
    }
    case EventKind::WqActivateWork: {
      const Instance* inst = x.pending(work);
      if (!inst) break;
      if (inst->where == WorkWhere::Inactive) {
        x.link(inst->queue_event, CauseRule::ActivatedLater);
        t.activated[work] = f.index;
      } else if (f.index - inst->queue_event > kScanBack) {
        x.link(inst->queue_event, CauseRule::ActivatedAtQueue);
      }
      // __queue_work() sets pool->watchdog_ts when the worklist was empty.
      const PoolInfo* pool = f.s.pool(f.arg32(2));
      if (pool && pool->worklist.empty() && inst->where != WorkWhere::Inactive)
        x.pool(f.arg32(2)).progress = f.index;
      break;
    }
    case EventKind::WqExecuteStart:
      if (uint64_t r = take(t.rescued, work); r != kNone) {
        x.link(r, CauseRule::Rescued);
      } else if (uint64_t a = take(t.activated, work); a != kNone) {
        x.link(a, CauseRule::Activated);
      }
      t.mayday_of.erase(work);
      x.pool(f.arg32(3)).progress = f.index;  // process_scheduled_works() touches watchdog_ts
      break;
    case EventKind::WqExecuteEnd:
      t.last_end[work] = f.index;
      break;
    case EventKind::WqWorkDequeue:
    case EventKind::WqCancel:
      x.forget_work(work);
      break;
    case EventKind::WqCpuIntensive:
      x.link(x.running_start(f.ev.pid), CauseRule::CpuHog);
      break;
    case EventKind::WqWorkerSleep:
      x.link(x.running_start(f.ev.pid), CauseRule::SleptInWork);
      break;
    case EventKind::WqCmWakeup: {
      const Recent r = x.recent(f.ev.pid);
      if (r.kind == EventKind::WqWorkerSleep || r.kind == EventKind::WqCpuIntensive)
        x.link(r.event, CauseRule::CmWakeup);
      break;
    }
    default:
      break;
  }
}

void worker_events(const CauseStep& x) {
  FoldStep& f = x.f;
  CauseTracker& t = x.t;
  const int32_t self = f.ev.pid;
  switch (f.ev.kind) {
    case EventKind::WqPoolCreate:
      x.pool(f.arg32(0)).created = f.index;
      break;
    case EventKind::WqManagerStart: {
      CauseTracker::PoolTrack& p = x.pool(f.arg32(0));
      p.manager = f.index;
      p.first_fail = kNone;
      x.link(get(t.last_wake, self), CauseRule::ManagerWoke);
      break;
    }
    case EventKind::WqManagerEnd:
      x.pool(f.arg32(0)).manager = kNone;
      break;
    case EventKind::WqWorkerCreate: {
      const CauseTracker::PoolTrack& p = x.pool(f.arg32(0));
      if (p.manager != kNone) {
        x.link(p.manager, CauseRule::CreatedByManager);
      } else {
        x.link(p.created, CauseRule::CreatedWithPool);
      }
      break;
    }
    case EventKind::WqWorkerCreateFail:
    case EventKind::LegacyCreateFail: {
      const Recent r = x.recent(self);
      if (r.kind == EventKind::TaskCreateFail) x.link(r.event, CauseRule::KthreadFailed);
      if (r.kind == EventKind::AllocFail) x.link(r.event, CauseRule::NoMemory);
      if (f.ev.kind == EventKind::WqWorkerCreateFail) {
        CauseTracker::PoolTrack& p = x.pool(f.arg32(0));
        if (p.manager != kNone && p.first_fail == kNone) p.first_fail = f.index;
      }
      break;
    }
    case EventKind::TaskCreateFail: {
      const Recent r = x.recent(self);
      if (r.kind == EventKind::PidExhausted) x.link(r.event, CauseRule::NoPid);
      if (r.kind == EventKind::AllocFail) x.link(r.event, CauseRule::NoMemory);
      break;
    }
    case EventKind::AllocFail:
      if (f.arg(2)) x.link(t.pressure_on, CauseRule::UnderPressure);
      break;
    case EventKind::MemPressure:
      t.pressure_on = f.arg(0) ? f.index : kNone;
      break;
    case EventKind::WqRescuerCreate: {
      const Recent r = x.recent(self);
      if (r.kind == EventKind::WqAlloc) x.link(r.event, CauseRule::RescuerOfWq);
      break;
    }
    case EventKind::WqMaydayTimer: {
      CauseTracker::PoolTrack& p = x.pool(f.arg32(0));
      if (p.first_fail != kNone) {
        x.link(p.first_fail, CauseRule::MaydayAfterFail);
      } else if (p.manager != kNone) {
        x.link(p.manager, CauseRule::MaydaySlow);
      }
      p.mayday_timer = f.index;
      break;
    }
    case EventKind::WqMayday:
      x.link(x.pool(f.arg32(2)).mayday_timer, CauseRule::Mayday);
      t.mayday_of[f.arg(3)] = f.index;
      t.mayday_at[{f.arg(0), f.arg32(2)}] = f.index;
      break;
    case EventKind::WqRescue: {
      uint64_t m = get(t.mayday_of, f.arg(0));
      if (m == kNone) m = get(t.mayday_at, std::make_pair(f.arg(2), f.arg32(3)));
      x.link(m, CauseRule::Rescue);
      t.rescued[f.arg(0)] = f.index;
      break;
    }
    case EventKind::WqRescuerRun:
      x.link(get(t.mayday_at, std::make_pair(f.arg(0), f.arg32(1))), CauseRule::Rescue);
      break;
    case EventKind::WqLockup:
      x.link(x.pool(f.arg32(0)).progress, CauseRule::Lockup);
      break;
    default:
      break;
  }
}

void flush_and_warn_events(const CauseStep& x) {
  FoldStep& f = x.f;
  CauseTracker& t = x.t;
  const int32_t self = f.ev.pid;
  switch (f.ev.kind) {
    case EventKind::WqFlushStart:
    case EventKind::WqFlushWorkStart:
      t.flushing[self] = f.index;
      break;
    case EventKind::WqFlushDone: {
      const uint64_t start = take(t.flushing, self);
      const uint64_t wake = get(t.last_wake, self);
      if (start != kNone && wake != kNone && wake > start) {
        const Cause waker = x.c.stored(wake);
        x.link(waker ? waker.event : wake, CauseRule::FlushWaited);
      } else {
        x.link(start, CauseRule::FlushImmediate);
      }
      break;
    }
    case EventKind::WqFlushWorkDone: {
      const uint64_t start = take(t.flushing, self);
      const uint64_t end = get(t.last_end, f.arg(0));
      if (start != kNone && end != kNone && end > start) {
        x.link(end, CauseRule::FlushWorkWaited);
      } else {
        x.link(start, CauseRule::FlushImmediate);
      }
      break;
    }
    case EventKind::WqDrainStart:
      t.draining[f.arg(0)] = f.index;
      break;
    case EventKind::WqDrainDone:
      t.draining.erase(f.arg(0));
      break;
    case EventKind::WqQueueRejected:
      x.link(get(t.draining, f.arg(2)), CauseRule::WhileDraining);
      break;
    case EventKind::WqWarn:
      if (uint64_t d = get(t.draining, f.arg(1)); d != kNone) {
        x.link(d, CauseRule::WhileDraining);
      } else {
        x.link(x.running_start(self), CauseRule::WarnInWork);
      }
      break;
    default:
      break;
  }
}

void kernel_and_legacy_events(const CauseStep& x) {
  FoldStep& f = x.f;
  CauseTracker& t = x.t;
  const int32_t self = f.ev.pid;
  switch (f.ev.kind) {
    case EventKind::TaskWake: {
      const Recent r = x.recent(self);
      // Outside a task only what happened at this very instant can explain a wake-up.
      const bool fresh = r.event != kNone && (self != 0 || r.time == f.ev.time_ns);
      if (fresh)
        x.link(r.event,
               r.kind == EventKind::TimerFire ? CauseRule::WokenByTimer : CauseRule::WokenBy);
      t.last_wake[f.arg32(0)] = f.index;
      break;
    }
    case EventKind::TaskRun:
    case EventKind::TaskBlock:
    case EventKind::TaskPark:
      t.last_by_pid.erase(self);  // a new dispatch starts from a clean slate
      break;
    case EventKind::TaskExit: {
      const int32_t pid = f.arg32(0);  // pids are reused after pid_max wraps
      t.last_by_pid.erase(pid);
      t.last_wake.erase(pid);
      t.flushing.erase(pid);
      t.creating.erase(pid);
      t.executing.erase(pid);
      break;
    }
    case EventKind::TimerArm: {
      const Recent r = x.recent(self);
      const bool delayed = r.kind == EventKind::WqDelayedArm && r.event + 1 == f.index;
      t.timers[f.arg(0)] = delayed ? r.event : f.index;
      break;
    }
    case EventKind::TimerDel:
      t.timers.erase(f.arg(0));
      break;
    case EventKind::TimerFire:
      x.link(take(t.timers, f.arg(0)), CauseRule::TimerArmed);
      break;
    case EventKind::PidExhausted: {
      auto it = t.creating.find(self);
      if (it != t.creating.end()) x.link(it->second.second, CauseRule::PidSpaceFilled);
      break;
    }
    case EventKind::LegacyCreate: {
      auto it = t.creating.find(self);
      if (it == t.creating.end() || it->second.first != f.arg(0))
        t.creating[self] = {f.arg(0), f.index};
      break;
    }
    case EventKind::LegacyInsertion:
      t.inserted[f.arg(1)] = f.index;
      break;
    case EventKind::LegacyExecution:
      x.link(take(t.inserted, f.arg(1)), CauseRule::LegacyQueued);
      t.executing[f.arg32(0)] = f.index;
      break;
    case EventKind::LegacyExecutionEnd:
      x.link(take(t.executing, f.arg32(0)), CauseRule::LegacyRan);
      break;
    default:
      break;
  }
}

}  // namespace

void fold_causes(FoldStep& f) {
  CauseIndex& c = f.h->causes;
  const CauseStep x{f, c, c.track};
  work_events(x);
  worker_events(x);
  flush_and_warn_events(x);
  kernel_and_legacy_events(x);
  if (significant(f.ev.kind)) x.t.last_by_pid[f.ev.pid] = {f.index, f.ev.kind, f.ev.time_ns};
}

}  // namespace wqlab::model

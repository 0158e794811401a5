// Folding worker pools, kworkers and workqueues: creation, idle/busy, the manager, dying,
// nr_running, pwqs, max_active, flushing, draining, the freezer, the watchdog and warnings.
#include "engine/wq/wq_types.h"
#include "model/fold_internal.h"

namespace wqlab::model {
namespace {

WorkerInfo* worker_of(FoldStep& f, int32_t pid) {
  auto it = f.s.workers.find(pid);
  return it == f.s.workers.end() ? nullptr : &it->second;
}

void pool_create(FoldStep& f) {
  const int32_t id = f.arg32(0);
  if (id < 0) return;
  PoolInfo& p = slot(f.s.pools, static_cast<size_t>(id));
  p = PoolInfo{};
  p.id = id;
  p.cpu = static_cast<int16_t>(f.arg(1));
  p.nice = static_cast<int16_t>(f.arg(2));
  p.unbound = f.arg(3) != 0;
  p.bh = f.arg(4) != 0;
  if (f.h) slot(f.h->plots.nr_running, static_cast<size_t>(id));
}

void worker_create(FoldStep& f) {
  MachineState& s = f.s;
  const int32_t pool_id = f.arg32(0), pid = f.arg32(2);
  if (pid == 0) {  // a BH pool's worker: a struct with no task
    if (PoolInfo* pool = f.s.pool(pool_id)) pool->nr_workers = f.arg32(3);
    return;
  }
  WorkerInfo w;
  w.pid = pid;
  w.pool = pool_id;
  w.id = f.arg32(1);
  s.workers[pid] = w;
  ++s.kworkers;
  if (auto t = s.tasks.find(pid); t != s.tasks.end()) t->second.is_worker = true;
  PoolInfo* pool = s.pool(pool_id);
  if (pool) {
    pool->workers.push_back(pid);
    pool->nr_workers = f.arg32(3);
  }
  if (f.h) {
    if (TaskTrack* t = f.h->track_for(pid)) {
      t->worker = true;
      t->pool = pool_id;
      t->cpu = pool ? pool->cpu : -1;
    }
  }
}

void set_nr_idle(FoldStep& f, bool idle) {
  if (PoolInfo* pool = f.s.pool(f.arg32(0))) pool->nr_idle = f.arg32(2);
  if (WorkerInfo* w = worker_of(f, f.arg32(1))) w->idle = idle;
}

void worker_die(FoldStep& f) {
  PoolInfo* pool = f.s.pool(f.arg32(0));
  WorkerInfo* w = worker_of(f, f.arg32(1));
  if (pool) {
    pool->nr_workers = f.arg32(2);
    if (w && w->idle) --pool->nr_idle;  // set_worker_dying() takes it off the idle list
  }
  if (w) {
    w->dying = true;
    w->idle = false;
  }
}

void wq_alloc(FoldStep& f) {
  MachineState& s = f.s;
  const int32_t index = f.arg32(3);
  if (index < 0) return;
  WorkqueueInfo& wq = slot(s.workqueues, static_cast<size_t>(index));
  wq = WorkqueueInfo{};
  wq.index = index;
  wq.name = f.arg(0);
  wq.flags = static_cast<uint32_t>(f.arg(1));
  wq.max_active = f.arg32(2);
  wq.min_active = std::min(wq.max_active, wq::WQ_DFL_MIN_ACTIVE);
  // alloc_and_link_pwqs() reports the pwqs before the workqueue itself.
  auto pending = s.unlinked_pwqs.find(wq.name);
  if (pending != s.unlinked_pwqs.end()) {
    wq.pwqs = std::move(pending->second);
    s.unlinked_pwqs.erase(pending);
    for (int32_t id : wq.pwqs)
      if (PwqInfo* pwq = s.pwq(id)) pwq->wq = index;
  }
  s.wq_by_name[wq.name] = index;
  if (wq.flags & wq::WQ_MEM_RECLAIM) {
    s.rescuer_for_wq = index;
    s.rescuer_creator = f.ev.pid;
  }
}

}  // namespace

bool fold_pool_event(FoldStep& f) {
  MachineState& s = f.s;
  switch (f.ev.kind) {
    case EventKind::WqPoolCreate:
      pool_create(f);
      return true;
    // The model infers these itself (the rescuer from its workqueue's creation, association
    // from CPU hotplug); the events make the log self-explanatory.
    case EventKind::WqRescuerCreate:
    case EventKind::WqRescuerAttach:
    case EventKind::WqRescuerDetach:
    case EventKind::WqPoolAssoc:
      return true;
    case EventKind::WqWorkerCreate:
      worker_create(f);
      return true;
    case EventKind::WqWorkerCreateFail:
      f.marker(MarkerKind::CreateFail, f.ev.pid, f.arg32(0));
      return true;
    case EventKind::WqWorkerIdle:
      set_nr_idle(f, true);
      return true;
    case EventKind::WqWorkerBusy:
      set_nr_idle(f, false);
      return true;
    case EventKind::WqWorkerDie:
      worker_die(f);
      return true;
    case EventKind::WqWorkerSleep:
    case EventKind::WqWorkerWake:
      if (WorkerInfo* w = worker_of(f, f.arg32(1)))
        w->sleeping = f.ev.kind == EventKind::WqWorkerSleep;
      return true;
    case EventKind::WqNrRunning:
      if (PoolInfo* pool = s.pool(f.arg32(0))) {
        pool->nr_running = f.arg32(1);
        if (f.h)
          slot(f.h->plots.nr_running, static_cast<size_t>(pool->id))
              .add(f.ev.time_ns, pool->nr_running);
      }
      return true;
    case EventKind::WqManagerStart:
      if (PoolInfo* pool = s.pool(f.arg32(0))) pool->manager = f.ev.pid;
      return true;
    case EventKind::WqManagerEnd:
      if (PoolInfo* pool = s.pool(f.arg32(0))) pool->manager = 0;
      return true;
    default:
      return false;
  }
}

bool fold_workqueue_event(FoldStep& f) {
  MachineState& s = f.s;
  WorkqueueInfo* named = nullptr;  // the workqueue named by args[0], for the kinds that have one
  switch (f.ev.kind) {
    case EventKind::WqDestroy:
    case EventKind::WqFlushStart:
    case EventKind::WqFlushDone:
    case EventKind::WqDrainStart:
    case EventKind::WqDrainDone:
    case EventKind::WqMaxActive:
      named = s.workqueue(s.workqueue_index(f.arg(0)));
      break;
    default:
      break;
  }
  const int32_t named_index = named ? named->index : -1;
  switch (f.ev.kind) {
    case EventKind::WqAlloc:
      wq_alloc(f);
      return true;
    case EventKind::WqPwqCreate: {
      const int32_t id = f.arg32(1);
      if (id < 0) return true;
      PwqInfo& pwq = slot(s.pwqs, static_cast<size_t>(id));
      pwq = PwqInfo{};
      pwq.id = id;
      pwq.pool = f.arg32(2);
      pwq.cpu = static_cast<int16_t>(f.arg(3));
      // CPU hotplug re-picks an unbound workqueue's pwqs long after alloc_workqueue().
      WorkqueueInfo* live = s.workqueue(s.workqueue_index(f.arg(0)));
      if (live != nullptr && !live->destroyed) {
        pwq.wq = live->index;
        live->pwqs.push_back(id);
      } else {
        s.unlinked_pwqs[f.arg(0)].push_back(id);
      }
      return true;
    }
    case EventKind::WqPwqInstall:  // a CPU slot now uses another (already folded) pwq
      return true;
    case EventKind::WqDestroy:
      if (named && f.arg(1) == 0) named->destroyed = true;
      return true;
    case EventKind::WqFlushStart:
      if (named) ++named->flushing;
      f.marker(MarkerKind::FlushStart, f.ev.pid, -1, named_index);
      return true;
    case EventKind::WqFlushDone:
      if (named && named->flushing > 0) --named->flushing;
      f.marker(MarkerKind::FlushDone, f.ev.pid, -1, named_index);
      return true;
    case EventKind::WqDrainStart:
    case EventKind::WqDrainDone:
      if (named) named->draining = f.ev.kind == EventKind::WqDrainStart;
      return true;
    case EventKind::WqMaxActive:
      if (named) {
        named->max_active = f.arg32(1);
        named->min_active = f.arg32(2);
      }
      return true;
    case EventKind::WqFreeze:
    case EventKind::WqThaw:
      s.frozen = f.ev.kind == EventKind::WqFreeze;
      f.marker(s.frozen ? MarkerKind::Freeze : MarkerKind::Thaw, f.ev.pid);
      return true;
    case EventKind::WqLockup:
      f.marker(MarkerKind::Lockup, 0, f.arg32(0));
      return true;
    case EventKind::WqWarn:
      f.marker(MarkerKind::Warning, f.ev.pid, -1, s.workqueue_index(f.arg(1)), f.arg(0));
      return true;
    default:
      return false;
  }
}

}  // namespace wqlab::model

// Folding the life of a work item: queue_work() (or a delayed_work timer), the pwq's inactive
// list or the pool's worklist, a worker's scheduled list, execution, and cancel; plus the
// rescuer's hand-offs and the counters wq_monitor.py shows.
#include "model/fold_internal.h"

namespace wqlab::model {

void unlink_instance(MachineState& s, Instance& inst) {
  switch (inst.where) {
    case WorkWhere::Inactive:
      if (PwqInfo* pwq = s.pwq(inst.pwq)) erase_value(pwq->inactive, inst.id);
      break;
    case WorkWhere::Worklist:
      if (PoolInfo* pool = s.pool(inst.pool)) erase_value(pool->worklist, inst.id);
      break;
    case WorkWhere::Scheduled: {
      auto w = s.workers.find(inst.owner);
      if (w != s.workers.end()) erase_value(w->second.scheduled, inst.id);
      break;
    }
    case WorkWhere::Delayed:
    case WorkWhere::Running:
      break;
  }
}

namespace {

// The instance queued for `work`, or nullptr.
Instance* pending_instance(MachineState& s, int64_t work) {
  auto p = s.pending.find(work);
  if (p == s.pending.end()) return nullptr;
  auto it = s.instances.find(p->second);
  return it == s.instances.end() ? nullptr : &it->second;
}

Instance& new_instance(FoldStep& f, int64_t work, int64_t func, int32_t wq) {
  MachineState& s = f.s;
  Instance inst;
  inst.id = s.next_instance++;
  inst.work = work;
  inst.func = func;
  inst.wq = wq;
  inst.queuer = f.ev.pid;
  inst.queued_at = f.ev.time_ns;
  inst.queue_event = f.index;
  return s.instances[inst.id] = inst;
}

// Removes an instance that left the machine without running (cancelled, rejected).
void drop_instance(MachineState& s, Instance& inst) {
  unlink_instance(s, inst);
  if (inst.activated) {
    if (PwqInfo* pwq = s.pwq(inst.pwq)) --pwq->nr_active;
    --s.nr_active_total;
  }
  auto p = s.pending.find(inst.work);
  if (p != s.pending.end() && p->second == inst.id) s.pending.erase(p);
  s.instances.erase(inst.id);
}

void queue_work(FoldStep& f) {
  MachineState& s = f.s;
  const int64_t work = f.arg(0);
  const int32_t wq = s.workqueue_index(f.arg(2));
  Instance* inst = pending_instance(s, work);
  if (inst == nullptr || inst->where != WorkWhere::Delayed) {
    inst = &new_instance(f, work, f.arg(1), wq);
  } else {
    inst->queue_event = f.index;  // a delayed item's timer fired: it joins the queue now
  }
  inst->wq = wq;
  inst->queue_cpu = static_cast<int16_t>(f.arg(4));
  inst->where = WorkWhere::Worklist;  // placed by the activate/inactive event that follows
  inst->pool = -1;
  s.pending[work] = inst->id;
  if (WorkqueueInfo* w = s.workqueue(wq)) ++w->counters.queued;
}

void activate_work(FoldStep& f) {
  MachineState& s = f.s;
  const int32_t pool_id = f.arg32(2), pwq_id = f.arg32(3);
  Instance* inst = pending_instance(s, f.arg(0));
  if (inst == nullptr) {
    const PwqInfo* pwq = s.pwq(pwq_id);
    inst = &new_instance(f, f.arg(0), f.arg(1), pwq ? pwq->wq : -1);
    s.pending[inst->work] = inst->id;
  }
  unlink_instance(s, *inst);
  inst->pwq = pwq_id;
  inst->pool = pool_id;
  if (const PwqInfo* pwq = s.pwq(pwq_id)) inst->wq = pwq->wq;
  inst->where = WorkWhere::Worklist;
  inst->activated = true;
  inst->activated_at = f.ev.time_ns;
  if (PoolInfo* pool = s.pool(pool_id)) pool->worklist.push_back(inst->id);
  if (PwqInfo* pwq = s.pwq(pwq_id)) ++pwq->nr_active;
  ++s.nr_active_total;
}

void work_inactive(FoldStep& f) {
  MachineState& s = f.s;
  Instance* inst = pending_instance(s, f.arg(0));
  PwqInfo* pwq = s.pwq(f.arg32(2));
  if (inst == nullptr || pwq == nullptr) return;
  inst->pwq = pwq->id;
  inst->pool = pwq->pool;
  inst->where = WorkWhere::Inactive;
  inst->was_inactive = true;
  pwq->inactive.push_back(inst->id);
}

void execute_start(FoldStep& f) {
  MachineState& s = f.s;
  const int32_t pid = f.ev.pid;
  const int32_t wq = s.workqueue_index(f.arg(2));
  Instance* inst = pending_instance(s, f.arg(0));
  if (inst != nullptr && inst->where != WorkWhere::Delayed && inst->where != WorkWhere::Running) {
    unlink_instance(s, *inst);
  } else {
    // Not queued through queue_work(): a flush barrier, inserted straight behind its target.
    inst = &new_instance(f, f.arg(0), f.arg(1), wq);
    inst->barrier = true;
    inst->pool = f.arg32(3);
  }
  s.pending.erase(inst->work);
  inst->where = WorkWhere::Running;
  inst->owner = pid;
  inst->wq = wq;
  inst->started_at = f.ev.time_ns;
  inst->start_event = f.index;
  ++s.running_items;
  ++s.executions_started;
  if (WorkqueueInfo* w = s.workqueue(wq)) ++w->counters.started;
  auto w = s.workers.find(pid);
  if (w != s.workers.end()) {
    w->second.current = inst->id;
    w->second.sleeping = false;
    w->second.desc = f.arg(2);
  }
  if (!f.h) return;
  ExecutionRecord r;
  r.work = inst->work;
  r.func = inst->func;
  r.wq = wq;
  r.pool = f.arg32(3);
  r.pid = pid;
  r.queuer = inst->queuer;
  r.instance = inst->id;
  r.flags = static_cast<uint16_t>(
      (inst->rescued ? kExecRescued : 0) | (inst->mayday ? kExecMayday : 0) |
      (inst->barrier ? kExecBarrier : 0) | (inst->was_inactive ? kExecWasInactive : 0));
  r.queued_at = inst->queued_at;
  r.start = f.ev.time_ns;
  r.queue_event = inst->queue_event;
  r.start_event = f.index;
  const auto exec = static_cast<uint32_t>(f.h->executions.size());
  f.h->executions.push_back(r);
  f.h->work_execs[r.work].push_back(exec);
  if (TaskTrack* t = f.h->track_for(pid)) t->execs.push_back({r.start, kOpen, exec});
}

void execute_end(FoldStep& f) {
  MachineState& s = f.s;
  const int32_t pid = f.ev.pid;
  auto w = s.workers.find(pid);
  auto it = s.instances.end();
  if (w != s.workers.end()) {
    if (w->second.current < 0) return;
    it = s.instances.find(w->second.current);
    w->second.current = -1;
    w->second.sleeping = false;
  } else {
    // A BH item: it ran in softirq context on a task that is not a worker.
    for (auto i = s.instances.begin(); i != s.instances.end(); ++i)
      if (i->second.owner == pid && i->second.where == WorkWhere::Running &&
          i->second.work == f.arg(0))
        it = i;
  }
  if (it == s.instances.end()) return;
  Instance& inst = it->second;
  if (inst.activated) {
    if (PwqInfo* pwq = s.pwq(inst.pwq)) --pwq->nr_active;
    --s.nr_active_total;
  }
  if (WorkqueueInfo* wq = s.workqueue(inst.wq)) ++wq->counters.completed;
  --s.running_items;
  ++s.executions_done;
  if (f.h) {
    if (TaskTrack* t = f.h->track_for(pid);
        t && !t->execs.empty() && t->execs.back().end == kOpen) {
      t->execs.back().end = f.ev.time_ns;
      ExecutionRecord& r = f.h->executions[t->execs.back().exec];
      r.end = f.ev.time_ns;
      r.end_event = f.index;
      if (inst.cpu_intensive) r.flags |= kExecCpuIntensive;
    }
  }
  s.instances.erase(it);
}

void delayed_arm(FoldStep& f) {
  MachineState& s = f.s;
  Instance& inst = new_instance(f, f.arg(0), f.arg(1), s.workqueue_index(f.arg(2)));
  inst.where = WorkWhere::Delayed;
  inst.queue_cpu = static_cast<int16_t>(f.arg(4));
  s.pending[inst.work] = inst.id;
}

// The item moves to worker `pid`'s scheduled list (assign_work(): rescuer or collision).
void schedule_on(FoldStep& f, Instance& inst, int32_t pid) {
  unlink_instance(f.s, inst);
  inst.where = WorkWhere::Scheduled;
  inst.owner = pid;
  auto w = f.s.workers.find(pid);
  if (w != f.s.workers.end()) w->second.scheduled.push_back(inst.id);
}

void rescue(FoldStep& f) {
  MachineState& s = f.s;
  const int32_t pid = f.ev.pid, pool_id = f.arg32(3);
  const int32_t wq = s.workqueue_index(f.arg(2));
  auto w = s.workers.find(pid);
  if (w != s.workers.end() && w->second.pool != pool_id) {
    // worker_attach_to_pool(): the rescuer joins the starving pool.
    if (PoolInfo* old = s.pool(w->second.pool)) erase_value(old->workers, pid);
    w->second.pool = pool_id;
    if (PoolInfo* pool = s.pool(pool_id)) pool->workers.push_back(pid);
  }
  if (Instance* inst = pending_instance(s, f.arg(0))) {
    schedule_on(f, *inst, pid);
    inst->rescued = true;
  }
  f.marker(MarkerKind::Rescue, pid, pool_id, wq);
}

}  // namespace

bool fold_work_event(FoldStep& f) {
  MachineState& s = f.s;
  switch (f.ev.kind) {
    case EventKind::WqQueueWork:
      queue_work(f);
      return true;
    case EventKind::WqActivateWork:
      activate_work(f);
      return true;
    case EventKind::WqWorkInactive:
      work_inactive(f);
      return true;
    case EventKind::WqExecuteStart:
      execute_start(f);
      return true;
    case EventKind::WqExecuteEnd:
      execute_end(f);
      return true;
    case EventKind::WqDelayedArm:
      delayed_arm(f);
      return true;
    case EventKind::WqWorkDequeue: {
      // try_to_grab_pending() took the item off its list (or its timer): it leaves now.
      Instance* inst = pending_instance(s, f.arg(0));
      if (inst != nullptr && inst->where != WorkWhere::Running) drop_instance(s, *inst);
      return true;
    }
    case EventKind::WqCancel: {
      Instance* inst = f.arg(2) ? pending_instance(s, f.arg(0)) : nullptr;
      if (inst != nullptr && inst->where != WorkWhere::Running) {
        f.marker(MarkerKind::Cancel, f.ev.pid, inst->pool, inst->wq, inst->func);
        drop_instance(s, *inst);
        ++s.cancelled;
      } else if (f.arg(2)) {
        f.marker(MarkerKind::Cancel, f.ev.pid, -1, -1, f.arg(1));  // already off its list
        ++s.cancelled;
      }
      return true;
    }
    case EventKind::WqQueueRejected: {
      const int32_t wq = s.workqueue_index(f.arg(2));
      if (Instance* inst = pending_instance(s, f.arg(0)); inst && inst->where == WorkWhere::Delayed)
        drop_instance(s, *inst);
      f.marker(MarkerKind::Rejected, f.ev.pid, -1, wq, f.arg(1));
      return true;
    }
    case EventKind::WqCollision:
      if (Instance* inst = pending_instance(s, f.arg(0))) schedule_on(f, *inst, f.arg32(2));
      return true;
    case EventKind::WqRescue:
      rescue(f);
      return true;
    case EventKind::WqRescuerRun: {
      WorkqueueInfo* wq = s.workqueue(s.workqueue_index(f.arg(0)));
      if (!wq) return true;
      wq->counters.rescued += static_cast<uint64_t>(f.arg(2));
      for (int32_t id : wq->pwqs) {
        if (PwqInfo* pwq = s.pwq(id); pwq && pwq->pool == f.arg32(1)) pwq->mayday = false;
      }
      return true;
    }
    case EventKind::WqMayday: {
      const int32_t wq = s.workqueue_index(f.arg(0));
      if (WorkqueueInfo* w = s.workqueue(wq)) ++w->counters.mayday;
      if (PwqInfo* pwq = s.pwq(f.arg32(1))) pwq->mayday = true;
      if (Instance* inst = pending_instance(s, f.arg(3))) inst->mayday = true;
      f.marker(MarkerKind::Mayday, 0, f.arg32(2), wq);
      return true;
    }
    case EventKind::WqMaydayTimer:
      if (f.arg(1)) f.marker(MarkerKind::MaydayTimer, 0, f.arg32(0));
      return true;
    case EventKind::WqCpuIntensive: {
      const int32_t wq = s.workqueue_index(f.arg(2));
      if (WorkqueueInfo* w = s.workqueue(wq)) ++w->counters.cpu_intensive;
      auto worker = s.workers.find(f.ev.pid);
      if (worker != s.workers.end()) {
        auto inst = s.instances.find(worker->second.current);
        if (inst != s.instances.end()) inst->second.cpu_intensive = true;
      }
      f.marker(MarkerKind::CpuIntensive, f.ev.pid, -1, wq, f.arg(1));
      return true;
    }
    case EventKind::WqCmWakeup:
      if (WorkqueueInfo* w = s.workqueue(s.workqueue_index(f.arg(1)))) ++w->counters.cm_wakeup;
      return true;
    case EventKind::WqRepatriate:
      if (PwqInfo* pwq = s.pwq(f.arg32(4)))
        if (WorkqueueInfo* w = s.workqueue(pwq->wq)) ++w->counters.repatriated;
      return true;
    case EventKind::WqBarrierRun:
    case EventKind::WqFlushWorkStart:
    case EventKind::WqFlushWorkDone:
      return true;  // the barrier shows up as its own execution
    default:
      return false;
  }
}

}  // namespace wqlab::model

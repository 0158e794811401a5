// Folding the simulated kernel's events: tasks and their states, CPUs, PIDs, memory pressure,
// hotplug, kernel messages. Also charges CPU time to workqueues the way wq_worker_tick() does.
#include "model/fold_internal.h"

namespace wqlab::model {

void open_span(FoldStep& f, int32_t pid, SpanKind kind, int8_t reason) {
  if (!f.h) return;
  TaskTrack* t = f.h->track_for(pid);
  if (!t) return;
  if (t->open_state >= 0) t->states[static_cast<size_t>(t->open_state)].end = f.ev.time_ns;
  t->open_state = static_cast<int32_t>(t->states.size());
  t->states.push_back({f.ev.time_ns, kOpen, kind, reason});
}

void close_span(FoldStep& f, int32_t pid) {
  if (!f.h) return;
  TaskTrack* t = f.h->track_for(pid);
  if (!t || t->open_state < 0) return;
  t->states[static_cast<size_t>(t->open_state)].end = f.ev.time_ns;
  t->open_state = -1;
}

namespace {

// Mirrors the accounting of wq_worker_tick(): every scheduler tick that finds a worker computing
// inside a work item adds one jiffy to its workqueue's PWQ_STAT_CPU_TIME. A tick lands on each
// multiple of the jiffy in (since, now].
void charge_cpu_time(FoldStep& f, const CpuInfo& cpu) {
  if (cpu.running == 0) return;
  auto w = f.s.workers.find(cpu.running);
  if (w == f.s.workers.end() || w->second.current < 0) return;
  auto inst = f.s.instances.find(w->second.current);
  if (inst == f.s.instances.end()) return;
  WorkqueueInfo* wq = f.s.workqueue(inst->second.wq);
  if (!wq) return;
  const Nanos jiffy = 1'000'000'000LL / (f.cfg.hz > 0 ? f.cfg.hz : 1000);
  const Nanos ticks = f.ev.time_ns / jiffy - cpu.since / jiffy;
  if (ticks > 0) wq->counters.cpu_time_us += static_cast<uint64_t>(ticks * jiffy / 1000);
}

void task_create(FoldStep& f) {
  MachineState& s = f.s;
  const int32_t pid = f.arg32(0);
  TaskInfo t;
  t.pid = pid;
  t.comm = f.arg(1);
  t.cpu = static_cast<int16_t>(f.arg(2));
  t.nice = static_cast<int16_t>(f.arg(3));
  t.created = f.ev.time_ns;
  s.tasks[pid] = t;
  ++s.threads;
  if (f.h) {
    f.h->track_of[pid] = static_cast<uint32_t>(f.h->tracks.size());
    TaskTrack track;
    track.pid = pid;
    track.comm = t.comm;
    track.created = t.created;
    track.create_event = f.index;
    f.h->tracks.push_back(std::move(track));
  }
  // init_rescuer() creates the rescuer right after wq_alloc of a WQ_MEM_RECLAIM workqueue.
  if (s.rescuer_for_wq >= 0 && f.ev.pid == s.rescuer_creator) {
    WorkerInfo w;
    w.pid = pid;
    w.rescuer = true;
    w.rescue_wq = s.rescuer_for_wq;
    s.workers[pid] = w;
    s.tasks[pid].is_worker = true;
    if (WorkqueueInfo* wq = s.workqueue(s.rescuer_for_wq)) wq->rescuer = pid;
    if (f.h) f.h->tracks.back().rescuer = true;
    s.rescuer_for_wq = -1;
  }
}

void task_exit(FoldStep& f) {
  MachineState& s = f.s;
  const int32_t pid = f.arg32(0);
  close_span(f, pid);
  if (s.tasks.erase(pid)) --s.threads;
  auto w = s.workers.find(pid);
  if (w != s.workers.end()) {
    if (PoolInfo* pool = s.pool(w->second.pool)) {
      erase_value(pool->workers, pid);
      if (pool->manager == pid) pool->manager = 0;
    }
    if (w->second.rescuer) {
      if (WorkqueueInfo* wq = s.workqueue(w->second.rescue_wq); wq && wq->rescuer == pid)
        wq->rescuer = 0;
    } else {
      --s.kworkers;
    }
    s.workers.erase(w);
  }
  if (f.h) {
    if (TaskTrack* t = f.h->track_for(pid)) t->exited = f.ev.time_ns;
  }
}

void set_state(FoldStep& f, int32_t pid, TaskRunState state) {
  auto it = f.s.tasks.find(pid);
  if (it != f.s.tasks.end()) it->second.state = state;
}

// A parked rescuer has left the pool it was helping (worker_detach_from_pool()).
void rescuer_parks(FoldStep& f, int32_t pid) {
  auto w = f.s.workers.find(pid);
  if (w == f.s.workers.end() || !w->second.rescuer || w->second.pool < 0) return;
  if (PoolInfo* pool = f.s.pool(w->second.pool)) erase_value(pool->workers, pid);
  w->second.pool = -1;
}

void cpu_run(FoldStep& f) {
  const int32_t cpu = f.arg32(0);
  if (cpu < 0) return;
  CpuInfo& c = slot(f.s.cpus, static_cast<size_t>(cpu));
  charge_cpu_time(f, c);
  if (f.h) {
    auto& lane = slot(f.h->cpus, static_cast<size_t>(cpu));
    if (!lane.empty() && lane.back().end == kOpen) lane.back().end = f.ev.time_ns;
    if (f.arg32(1) != 0) lane.push_back({f.ev.time_ns, kOpen, f.arg32(1)});
  }
  c.running = f.arg32(1);
  c.since = f.ev.time_ns;
  // A computing task that was preempted gets its CPU back.
  if (auto it = f.s.tasks.find(f.arg32(1));
      it != f.s.tasks.end() && it->second.state == TaskRunState::Runnable) {
    it->second.state = TaskRunState::Computing;
    open_span(f, f.arg32(1), SpanKind::Computing);
  }
}

}  // namespace

bool fold_kernel_event(FoldStep& f) {
  MachineState& s = f.s;
  const int32_t self = f.ev.pid;
  switch (f.ev.kind) {
    case EventKind::TaskCreate:
      task_create(f);
      return true;
    case EventKind::TaskCreateFail:
      f.marker(MarkerKind::CreateFail, self, -1, -1, f.arg(0));
      return true;
    case EventKind::TaskExit:
      task_exit(f);
      return true;
    case EventKind::TaskRun: {
      const int32_t pid = f.arg32(0);
      auto it = s.tasks.find(pid);
      if (it == s.tasks.end()) return true;
      // A computing task is dispatched again when its compute ends; its span ends at compute_end.
      if (it->second.state != TaskRunState::Computing) {
        it->second.state = TaskRunState::OnCpu;
        close_span(f, pid);
      }
      if (f.ev.cpu >= 0) it->second.cpu = f.ev.cpu;
      return true;
    }
    case EventKind::TaskBlock: {
      set_state(f, self, TaskRunState::Blocked);
      if (auto it = s.tasks.find(self); it != s.tasks.end())
        it->second.block_reason = static_cast<int8_t>(f.arg(0));
      const bool sleep = f.arg(0) == static_cast<int64_t>(trace::BlockReason::Sleep);
      open_span(f, self, sleep ? SpanKind::Sleeping : SpanKind::Waiting,
                static_cast<int8_t>(f.arg(0)));
      return true;
    }
    case EventKind::TaskPark:
      set_state(f, self, TaskRunState::Parked);
      close_span(f, self);
      rescuer_parks(f, self);
      return true;
    case EventKind::TaskWake: {
      const int32_t pid = f.arg32(0);
      auto it = s.tasks.find(pid);
      if (it == s.tasks.end()) return true;
      TaskRunState st = it->second.state;
      if (st == TaskRunState::Blocked || st == TaskRunState::Parked || st == TaskRunState::New) {
        it->second.state = TaskRunState::Runnable;
        it->second.cpu = static_cast<int16_t>(f.arg(1));
        open_span(f, pid, SpanKind::Runnable);
      }
      return true;
    }
    case EventKind::ComputeBegin:
      set_state(f, self, TaskRunState::Computing);
      open_span(f, self, SpanKind::Computing);
      return true;
    case EventKind::ComputeEnd:
      set_state(f, self, TaskRunState::OnCpu);
      close_span(f, self);
      return true;
    case EventKind::CpuRun:
      cpu_run(f);
      return true;
    case EventKind::MachineBoot:  // the session hands the model the machine's shape
    case EventKind::TimerArm:
    case EventKind::TimerDel:
    case EventKind::TimerFire:
    case EventKind::AllocFail:     // the failure that matters is reported by its caller
    case EventKind::SoftirqRaise:  // BH items show up as executions on ksoftirqd
    case EventKind::SoftirqEntry:
    case EventKind::SoftirqExit:
      return true;
    case EventKind::PidAlloc:
    case EventKind::PidFree:
      s.pids_in_use = f.arg32(1);
      return true;
    case EventKind::PidExhausted:
      f.marker(MarkerKind::PidExhausted, self);
      return true;
    case EventKind::MemPressure:
      s.memory_pressure = f.arg(0) != 0;
      f.marker(s.memory_pressure ? MarkerKind::MemPressureOn : MarkerKind::MemPressureOff, self);
      return true;
    case EventKind::CpuOnline:
    case EventKind::CpuOffline: {
      const bool online = f.ev.kind == EventKind::CpuOnline;
      if (f.arg(0) >= 0) slot(s.cpus, static_cast<size_t>(f.arg(0))).online = online;
      f.marker(online ? MarkerKind::CpuOnline : MarkerKind::CpuOffline, self);
      return true;
    }
    case EventKind::Printk:
      f.marker(MarkerKind::Printk, self, -1, -1, f.arg(1));
      return true;
    case EventKind::LabNote:
      f.marker(MarkerKind::LabNote, self, -1, -1, f.arg(0));
      return true;
    case EventKind::TaskPreempt:  // it waits for its CPU again
      set_state(f, f.arg32(0), TaskRunState::Runnable);
      open_span(f, f.arg32(0), SpanKind::Runnable);
      return true;
    case EventKind::CarrierExhausted:
      f.marker(MarkerKind::CarrierExhausted, f.arg32(1));
      return true;
    case EventKind::EventsLost:
      f.marker(MarkerKind::EventsLost);
      return true;
    default:
      return false;
  }
}

}  // namespace wqlab::model

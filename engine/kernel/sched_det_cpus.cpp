// Deterministic mode's CPUs under EEVDF: what kernel/sched/core.c does around the fair class
// (sched_fair.h) — where a woken task is queued, who gets each CPU, wake-up preemption, the tick,
// compute_for() time, idle pulls and CPU hotplug.
// Each CPU's cfs.curr holds it. Its zero-time code runs from the dispatch queue
// (scheduler_det.cpp); virtual time passes only while a curr computes. A resched asked for while
// the curr runs zero-time code takes effect at its next preemption point: compute_for(), blocking,
// or cond_resched() (the lab's kernel is fully preemptible, and code between two events takes no
// time, so only the order of events at one instant could differ).
#include <algorithm>

#include "engine/kernel/kernel.h"

namespace wqlab::kernel {

using trace::EventKind;

namespace {
constexpr Nanos kMigrationCost = 500'000;  // sysctl_sched_migration_cost: a task run this recently
                                           // is cache-hot and stays where it is
}  // namespace

bool Kernel::cpu_busy_locked(int cpu) const {
  const CpuState& cs = cpus_[static_cast<size_t>(cpu)];
  if (!cs.online) return false;
  if (!cs.driver_queue.empty()) return true;
  const Task* curr = cs.cfs.curr;
  return curr != nullptr && curr->where == TaskWhere::Computing && curr->compute_left > 0;
}

// The next event of a busy CPU: its owner's compute ends, or the next tick.
void Kernel::cpu_segment_locked(int cpu) {
  CpuState& cs = cpus_[static_cast<size_t>(cpu)];
  Nanos now = now_.load(std::memory_order_relaxed);
  if (!cpu_busy_locked(cpu)) {
    cs.seg_end = kForever;
    return;
  }
  const Task* owner = cs.driver_queue.empty() ? cs.cfs.curr : cs.driver_queue.front();
  Nanos next_tick = (now / jiffy_ns_ + 1) * jiffy_ns_;
  cs.seg_end = std::min(now + owner->compute_left, next_tick);
}

// cpu_run: which task burns this CPU (0: none). Reported when a compute ends, and otherwise when
// virtual time is about to move on, so that a switch between two computing tasks (a preemption)
// is one event.
void Kernel::cpu_show_locked(int cpu) {
  CpuState& cs = cpus_[static_cast<size_t>(cpu)];
  Task* owner = nullptr;
  if (cpu_busy_locked(cpu)) owner = cs.driver_queue.empty() ? cs.cfs.curr : cs.driver_queue.front();
  int32_t pid = owner != nullptr ? owner->pid : 0;
  if (pid == cs.shown) return;
  cs.shown = pid;
  emit_as(owner, EventKind::CpuRun, cpu, pid);
}

// Mirrors select_task_rq_fair() for a wake-up, reduced to select_idle_sibling(): the previous CPU
// if it is idle, else the next idle allowed CPU that shares its last-level cache (select_idle_cpu()
// scans sd_llc only), else the previous.
int Kernel::select_task_rq_locked(Task& t, int prev_cpu) {
  auto allowed = [&](int c) {
    return cpus_[static_cast<size_t>(c)].online && t.cpus_allowed.test(static_cast<size_t>(c));
  };
  auto idle = [&](int c) {
    const CpuState& cs = cpus_[static_cast<size_t>(c)];
    return cs.cfs.curr == nullptr && cs.cfs.nr_running == 0 && cs.driver_queue.empty();
  };
  int prev = pick_cpu_locked(t, prev_cpu);  // the caller has run select_fallback_rq_locked()
  if (t.cpus_allowed.count() == 1 || idle(prev)) return prev;
  const CpuTopology& topo = cfg_.topology;
  for (int i = 1; i < cfg_.nr_cpus; ++i) {
    int c = (prev + i) % cfg_.nr_cpus;
    if (topo.llc_of(c) == topo.llc_of(prev) && allowed(c) && idle(c)) return c;
  }
  return prev;
}

void Kernel::det_enqueue_fair_locked(Task& t, int cpu, unsigned flags) {
  t.cpu = cpu;
  if (t.where != TaskWhere::Computing && t.where != TaskWhere::OnCpu) t.where = TaskWhere::Runnable;
  enqueue_entity(cpus_[static_cast<size_t>(cpu)].cfs, t, flags, now_.load());
}

// Mirrors wakeup_preempt(): an idle CPU picks at once; a busy one asks the fair class.
void Kernel::wakeup_preempt_locked(int cpu, Task& p) {
  CpuState& cs = cpus_[static_cast<size_t>(cpu)];
  if (!cs.online || !cs.driver_queue.empty()) return;  // a driver holds it, as SCHED_FIFO would
  if (cs.cfs.curr == nullptr) {
    det_schedule_cpu_locked(cpu);
    return;
  }
  // A computing curr is preempted now; one running zero-time code at its next preemption point.
  if (check_preempt_wakeup_fair(cs.cfs, p, now_.load()) && cpu_busy_locked(cpu))
    det_schedule_cpu_locked(cpu);
}

// Mirrors try_to_wake_up() (ttwu_runnable() for a delayed task, else select_task_rq() and
// ttwu_do_activate()) for a task that is asleep.
void Kernel::det_wake_locked(Task& t) {
  Task* waker = current();
  if (t.sched_class == SchedClass::Driver) {
    t.cpu = pick_cpu_locked(t, t.where == TaskWhere::New && waker ? waker->cpu : t.cpu);
    emit_as(waker, EventKind::TaskWake, t.pid, t.cpu);
    det_enqueue_locked(t);
    return;
  }
  if (t.se.sched_delayed) {  // still queued on its CPU: it competes on from where it was
    requeue_delayed_entity(cpus_[static_cast<size_t>(t.cpu)].cfs, t);
    t.where = TaskWhere::Runnable;
    emit_as(waker, EventKind::TaskWake, t.pid, t.cpu);
    wakeup_preempt_locked(t.cpu, t);
    return;
  }
  int prev = t.where == TaskWhere::New && waker ? waker->cpu : t.cpu;
  prev = select_fallback_rq_locked(t, prev);
  int cpu = select_task_rq_locked(t, prev);
  emit_as(waker, EventKind::TaskWake, t.pid, cpu);
  det_enqueue_fair_locked(t, cpu, ENQUEUE_WAKEUP);
  wakeup_preempt_locked(cpu, t);
}

// The CPU's new curr starts: resume its compute, or let it run its code (the dispatch queue).
void Kernel::det_run_curr_locked(int cpu) {
  Task* curr = cpus_[static_cast<size_t>(cpu)].cfs.curr;
  if (curr->compute_left > 0) {
    curr->where = TaskWhere::Computing;
  } else if (curr == current() && curr->where == TaskWhere::OnCpu) {
    // Migrated while it runs (hotplug, a new affinity): it simply goes on.
  } else {
    det_enqueue_locked(*curr);
  }
  cpu_segment_locked(cpu);
}

// Mirrors __schedule() -> pick_next_task_fair() for one CPU whose curr has just blocked, or is
// still queued and being preempted. DELAY_DEQUEUE'd entities that come up are dequeued for good.
void Kernel::det_schedule_cpu_locked(int cpu) {
  CpuState& cs = cpus_[static_cast<size_t>(cpu)];
  CfsRq& cfs = cs.cfs;
  Nanos now = now_.load(std::memory_order_relaxed);
  if (!cs.online || !cs.driver_queue.empty()) return;
  Task* prev = cfs.curr;
  Task* next = nullptr;
  for (;;) {  // pick_task_fair()
    if (prev != nullptr && prev->se.on_rq) update_curr(cfs, now);
    if (cfs.nr_running == 0) break;
    next = pick_eevdf(cfs);
    if (Task* buddy = cfs.next; buddy != nullptr) {  // pick_next_entity()'s next buddy
      cfs.next = nullptr;
      if (buddy->se.on_rq && !buddy->se.sched_delayed) next = buddy;
    }
    if (!next->se.sched_delayed) break;
    dequeue_entity(cfs, *next, DEQUEUE_SLEEP | DEQUEUE_DELAYED, now);
    next = nullptr;
  }
  cfs.need_resched = false;
  if (next != nullptr && next == prev) {  // it keeps the CPU (no set_next_entity: no new mark)
    cpu_segment_locked(cpu);
    return;
  }
  if (prev != nullptr) {
    put_prev_entity(cfs, *prev, now);
    if (prev->se.on_rq && !prev->se.sched_delayed) {  // preempted: it waits here, runnable
      auto it = std::find_if(rq_.begin(), rq_.end(), [&](auto& e) { return e.second == prev; });
      if (it != rq_.end()) rq_.erase(it);
      if (prev->where != TaskWhere::Computing) prev->where = TaskWhere::Runnable;
      emit_as(prev, EventKind::TaskPreempt, prev->pid, cpu, next != nullptr ? next->pid : 0);
    }
  }
  if (next != nullptr) {
    set_next_entity(cfs, *next, now);
    det_run_curr_locked(cpu);
    return;
  }
  cpu_segment_locked(cpu);
  det_idle_balance_locked(cpu);
}

// A fair task leaves its CPU: it blocks, parks or exits (dequeue_task(DEQUEUE_SLEEP)).
void Kernel::det_leave_cpu_locked(Task& t, unsigned flags) {
  if (t.sched_class != SchedClass::Fair || !t.se.on_rq || t.se.sched_delayed) return;
  CpuState& cs = cpus_[static_cast<size_t>(t.cpu)];
  bool was_curr = cs.cfs.curr == &t;
  dequeue_entity(cs.cfs, t, flags, now_.load());
  if (was_curr) det_schedule_cpu_locked(t.cpu);
}

// A preemption point of the running task `t`: if its CPU asked for a resched, the CPU picks.
// Afterwards t may no longer be curr; then it waits, runnable, and its caller switches away.
void Kernel::det_preempt_locked(Task& t) {
  if (t.sched_class != SchedClass::Fair) return;
  CpuState& cs = cpus_[static_cast<size_t>(t.cpu)];
  if (cs.cfs.curr == &t && cs.cfs.need_resched) det_schedule_cpu_locked(t.cpu);
}

// Moves a runnable (or computing) fair task to another CPU, as move_queued_task() does: dequeued
// keeping its lag, enqueued there, and the CPU it left picks again. Returns whether it is the
// new CPU's curr.
bool Kernel::det_migrate_locked(Task& t, int to_cpu) {
  int from = t.cpu;
  CpuState& fs = cpus_[static_cast<size_t>(from)];
  Nanos now = now_.load(std::memory_order_relaxed);
  bool was_curr = fs.cfs.curr == &t;
  if (was_curr) {
    auto it = std::find_if(rq_.begin(), rq_.end(), [&](auto& e) { return e.second == &t; });
    if (it != rq_.end()) rq_.erase(it);
  }
  dequeue_entity(fs.cfs, t, 0, now);
  bool running = t.where == TaskWhere::OnCpu;
  if (was_curr) det_schedule_cpu_locked(from);
  det_enqueue_fair_locked(t, to_cpu, ENQUEUE_MIGRATED);
  wakeup_preempt_locked(to_cpu, t);
  bool curr = cpus_[static_cast<size_t>(to_cpu)].cfs.curr == &t;
  if (running && !curr) t.where = TaskWhere::Runnable;  // it waits there; its caller yields
  return curr;
}

// Mirrors sched_balance_newidle(), reduced: a CPU going idle pulls the waiting task (not
// cache-hot) that has waited longest from the busiest CPU. The periodic balancer is reduced to
// the nohz kick (det_nohz_balance_locked()).
void Kernel::det_idle_balance_locked(int cpu) {
  CpuState& cs = cpus_[static_cast<size_t>(cpu)];
  if (!cs.online || cs.cfs.nr_running != 0 || !cs.driver_queue.empty()) return;
  Nanos now = now_.load(std::memory_order_relaxed);
  Task* best = nullptr;
  unsigned busiest = 1;
  for (int c = 0; c < cfg_.nr_cpus; ++c) {
    const CfsRq& src = cpus_[static_cast<size_t>(c)].cfs;
    if (c == cpu || src.nr_running <= busiest) continue;
    Task* pick = nullptr;
    for (Task* t : src.tasks_timeline) {
      if (t->se.sched_delayed || !t->cpus_allowed.test(static_cast<size_t>(cpu))) continue;
      if (t->se.exec_start != 0 && now - t->se.exec_start < kMigrationCost) continue;  // task_hot()
      if (pick == nullptr || t->se.last_ran < pick->se.last_ran) pick = t;
    }
    if (pick != nullptr) {
      best = pick;
      busiest = src.nr_running;
    }
  }
  if (best != nullptr) det_migrate_locked(*best, cpu);
}

// Mirrors nohz_balancer_kick() at a busy CPU's tick: when tasks wait there and some CPU idles,
// the idle CPUs balance (each pulls one waiting task, as in det_idle_balance_locked()).
void Kernel::det_nohz_balance_locked() {
  for (int cpu = 0; cpu < cfg_.nr_cpus; ++cpu) det_idle_balance_locked(cpu);
}

// Wake-up preemptions of computing tasks that came from this instant's ticks and timers.
void Kernel::det_resched_cpus_locked() {
  for (int cpu = 0; cpu < cfg_.nr_cpus; ++cpu) {
    CpuState& cs = cpus_[static_cast<size_t>(cpu)];
    if (cs.cfs.need_resched && cs.driver_queue.empty() && cpu_busy_locked(cpu))
      det_schedule_cpu_locked(cpu);
  }
}

Nanos Kernel::next_cpu_event_locked() const {
  Nanos next = kForever;
  for (const CpuState& cs : cpus_)
    if (cs.online) next = std::min(next, cs.seg_end);
  return next;
}

// Virtual time has reached now_: charge every busy CPU's owner, run the tick (sched_tick():
// update_curr(), then wq_worker_tick() for a kworker) and finish the computes that are done.
void Kernel::advance_cpus_locked(Lock& lk) {
  Nanos now = now_.load(std::memory_order_relaxed);
  bool tick = now % jiffy_ns_ == 0;
  bool kick = false;
  for (int cpu = 0; cpu < cfg_.nr_cpus; ++cpu) {
    CpuState& cs = cpus_[static_cast<size_t>(cpu)];
    if (!cs.online || cs.seg_end > now) continue;
    if (!cs.driver_queue.empty()) {
      Task* d = cs.driver_queue.front();
      Nanos ran = now - cs.seg_start;
      d->compute_left -= ran;
      d->sum_exec_runtime += ran;
      cs.seg_start = now;
      if (d->compute_left <= 0) {
        d->compute_left = 0;
        cs.driver_queue.erase(cs.driver_queue.begin());
        det_enqueue_locked(*d);
        cpu_show_locked(cpu);
        if (cs.driver_queue.empty()) {
          det_schedule_cpu_locked(cpu);
        } else {
          det_driver_take_cpu_locked(cpu);
        }
      }
      cpu_segment_locked(cpu);
      continue;
    }
    Task* curr = cs.cfs.curr;
    Nanos ran = update_curr(cs.cfs, now);  // task_tick_fair() at a tick
    kick = kick || (tick && cs.cfs.nr_running >= 2);
    if (ran > 0 && tick && curr->hooks != nullptr) {
      Task* saved = current_task_raw();
      set_current_task_raw(curr);  // the tick interrupts the task it charges
      lk.unlock();
      curr->hooks->tick(*curr);
      lk.lock();
      set_current_task_raw(saved);
    }
    if (cs.cfs.curr == curr && curr->compute_left == 0 && curr->where == TaskWhere::Computing) {
      det_enqueue_locked(*curr);  // done: it goes on with its code, still holding the CPU
      cpu_segment_locked(cpu);
      cpu_show_locked(cpu);
      continue;
    }
    cpu_segment_locked(cpu);
  }
  if (kick) det_nohz_balance_locked();
}

// A driver becomes the head of a CPU's driver queue: it takes the CPU as a SCHED_FIFO task
// would, and the fair curr waits (put_prev_entity()) until the drivers are done.
void Kernel::det_driver_take_cpu_locked(int cpu) {
  CpuState& cs = cpus_[static_cast<size_t>(cpu)];
  Nanos now = now_.load(std::memory_order_relaxed);
  if (Task* curr = cs.cfs.curr; curr != nullptr) {
    auto it = std::find_if(rq_.begin(), rq_.end(), [&](auto& e) { return e.second == curr; });
    if (it != rq_.end()) rq_.erase(it);
    put_prev_entity(cs.cfs, *curr, now);
    if (curr->where != TaskWhere::Computing) curr->where = TaskWhere::Runnable;
    emit_as(curr, EventKind::TaskPreempt, curr->pid, cpu, cs.driver_queue.front()->pid);
  }
  cs.cfs.need_resched = false;
  cs.seg_start = now;
  cpu_segment_locked(cpu);
}

// A CPU goes offline: every task queued there moves to an online CPU it may use (or any, as
// select_fallback_rq() breaks affinity); tasks asleep on it are woken elsewhere later.
void Kernel::migrate_cpu_locked(int from_cpu) {
  CpuState& from = cpus_[static_cast<size_t>(from_cpu)];
  Nanos now = now_.load(std::memory_order_relaxed);
  std::vector<Task*> drivers;
  drivers.swap(from.driver_queue);
  if (!drivers.empty()) {
    drivers.front()->compute_left -= now - from.seg_start;
    drivers.front()->sum_exec_runtime += now - from.seg_start;
  }
  if (Task* curr = from.cfs.curr; curr != nullptr) {
    auto it = std::find_if(rq_.begin(), rq_.end(), [&](auto& e) { return e.second == curr; });
    if (it != rq_.end()) rq_.erase(it);
    put_prev_entity(from.cfs, *curr, now);
  }
  from.cfs.need_resched = false;
  std::vector<Task*> fair(from.cfs.tasks_timeline.begin(), from.cfs.tasks_timeline.end());
  for (Task* t : fair) {
    int to = select_fallback_rq_locked(*t, t->cpu);
    if (t->se.sched_delayed) {
      dequeue_entity(from.cfs, *t, DEQUEUE_SLEEP | DEQUEUE_DELAYED, now);
      t->cpu = to;
      continue;
    }
    bool running = t->where == TaskWhere::OnCpu;
    dequeue_entity(from.cfs, *t, 0, now);
    det_enqueue_fair_locked(*t, to, ENQUEUE_MIGRATED);
    wakeup_preempt_locked(to, *t);
    if (running && cpus_[static_cast<size_t>(to)].cfs.curr != t) t->where = TaskWhere::Runnable;
  }
  for (Task* d : drivers) {
    d->cpu = pick_cpu_locked(*d, d->cpu);
    CpuState& to = cpus_[static_cast<size_t>(d->cpu)];
    to.driver_queue.push_back(d);
    if (to.driver_queue.size() == 1) det_driver_take_cpu_locked(d->cpu);
  }
  from.seg_end = kForever;
  det_nohz_balance_locked();  // what landed on one CPU spreads to the idle ones
}

// The running task was migrated (its CPU went offline, or its affinity changed) and is not the
// curr of its new CPU: it waits there for its turn, as a task moved by the stopper does.
void Kernel::det_yield_if_moved() {
  Task* t = current();
  if (!deterministic() || t == nullptr || t->sched_class != SchedClass::Fair) return;
  Lock lk(lock_);
  if (t->where == TaskWhere::Runnable && cpus_[static_cast<size_t>(t->cpu)].cfs.curr != t)
    det_switch_away_locked(lk, t->carrier);
}

// Mirrors update_sysctl() as rq_online_fair()/rq_offline_fair() call it.
void Kernel::update_base_slice_locked() {
  int online = 0;
  for (const CpuState& cs : cpus_) online += cs.online ? 1 : 0;
  Nanos slice = cfg_.slice > 0 ? cfg_.slice : kernel::sched_base_slice(online);
  for (CpuState& cs : cpus_) {
    cs.cfs.base_slice = slice;
    cs.cfs.tick_nsec = jiffy_ns_;
  }
}

Nanos Kernel::sched_base_slice() const {
  std::lock_guard lk(lock_);
  return cpus_.front().cfs.base_slice;
}

}  // namespace wqlab::kernel

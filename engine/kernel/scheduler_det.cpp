// Deterministic mode: one baton, held by exactly one OS thread (a carrier or the driver).
// The holder runs engine code; when its task blocks, parks or computes, it runs the dispatcher
// itself and hands the baton straight to the next task's carrier (one OS-level switch per task
// switch). The dispatch queue holds the tasks that may run their code now (each CPU's EEVDF curr,
// sched_det_cpus.cpp, and Driver-class tasks); the next is the least (virtual time, CPU,
// sequence) unless a chooser picks another (det_pick_locked(): the one place where tasks runnable
// at the same virtual time are ordered). When nothing can run, virtual time jumps to the next
// timer, compute end or tick.
#include <algorithm>
#include <utility>

#include "engine/kernel/futex.h"
#include "engine/kernel/kernel.h"

#if defined(__linux__) && !defined(__EMSCRIPTEN__)
#include <pthread.h>
#include <sched.h>
#endif

namespace wqlab::kernel {

using trace::EventKind;

namespace {
void pin_to_core(int core) {
#if defined(__linux__) && !defined(__EMSCRIPTEN__)
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(core, &set);
  pthread_setaffinity_np(pthread_self(), sizeof set, &set);  // best effort
#else
  (void)core;
#endif
}
}  // namespace

void Kernel::det_enqueue_locked(Task& t) {
  t.where = TaskWhere::Runnable;
  rq_.emplace(RqKey{now_.load(std::memory_order_relaxed), t.cpu, rq_seq_++}, &t);
}

// The pick among the tasks that may run their code at this virtual time (on different CPUs, or
// Driver-class tasks): by (time, CPU, sequence), or as the chooser says.
Task* Kernel::det_pick_locked() {
  auto it = rq_.begin();
  if (next_pick_ != nullptr) {  // pick_next(): the sandbox's choice
    auto found =
        std::find_if(rq_.begin(), rq_.end(), [&](auto& e) { return e.second == next_pick_; });
    next_pick_ = nullptr;
    if (found != rq_.end()) {
      Task* t = found->second;
      rq_.erase(found);
      return t;
    }
  }
  if (chooser_ && rq_.size() > 1) {
    std::vector<Runnable> options;
    options.reserve(rq_.size());
    for (auto& [key, t] : rq_) options.push_back({t, key.time, key.cpu, key.seq});
    size_t pick = std::min(chooser_(options), options.size() - 1);
    std::advance(it, static_cast<long>(pick));
  }
  Task* t = it->second;
  rq_.erase(it);
  return t;
}

// Picks what runs next, advancing virtual time as needed. Returns the carrier that should hold
// the baton, or nullptr to give it back to the driver (stop_ says why).
Carrier* Kernel::det_dispatch_locked(Lock& lk) {
  for (;;) {
    if (shutting_down_) return nullptr;
    if (!error_.empty()) {
      stop_ = RunStop::Error;
      return nullptr;
    }
    if (switches_ - run_switches_start_ >= limit_.max_switches) {
      stop_ = RunStop::SwitchLimit;
      return nullptr;
    }
    det_resched_cpus_locked();
    if (!rq_.empty()) {
      // A CPU wakes: deferrable timers that came due while the machine was idle run first.
      if (deferrable_overdue_locked()) {
        fire_due_timers_locked(lk, true);
        continue;
      }
      Task* t = det_pick_locked();
      Carrier* c = t->carrier;
      if (c == nullptr) {
        c = carriers_->acquire();
        if (c == nullptr) {
          det_enqueue_locked(*t);  // keep it runnable; the run cannot go on
          error_ = "this scenario needs more than " + std::to_string(carriers_->cap()) +
                   " tasks blocked mid-body at once (the browser's thread pool size); " + t->comm +
                   " could not run";
          emit_as(t, EventKind::CarrierExhausted, static_cast<int64_t>(carriers_->cap()), t->pid);
          stop_ = RunStop::Error;
          return nullptr;
        }
        c->task = t;
        t->carrier = c;
      }
      ++switches_;
      t->where = TaskWhere::OnCpu;
      emit_as(t, EventKind::TaskRun, t->pid, t->fresh_stack);
      return c;
    }
    for (int cpu = 0; cpu < cfg_.nr_cpus; ++cpu) cpu_show_locked(cpu);
    bool bounded = limit_.until != kForever;
    bool idle_stops = !bounded || limit_.stop_when_idle;
    // Deferrable timers wait while every CPU is idle (NOHZ): only a busy CPU's tick runs them.
    Nanos cpu_event = next_cpu_event_locked();
    Nanos next = std::min(next_timer_locked(cpu_event != kForever), cpu_event);
    Nanos now = now_.load(std::memory_order_relaxed);
    if (next == kForever && idle_stops) {
      stop_ = RunStop::Idle;
      return nullptr;
    }
    if (next == kForever || next > limit_.until) {
      if (bounded) {
        now_.store(std::max(now, limit_.until), std::memory_order_relaxed);
        stop_ = RunStop::TimeLimit;
      } else {
        stop_ = RunStop::Idle;
      }
      return nullptr;
    }
    now_.store(std::max(now, next), std::memory_order_relaxed);
    advance_cpus_locked(lk);
    fire_due_timers_locked(lk, true);
  }
}

// Hands the baton over. The new holder is woken by the caller's det_wait_locked() once the
// scheduler lock is dropped, so it does not wake only to block on that lock.
void Kernel::det_hand_locked(Carrier* next) {
  baton_ = next;
  std::atomic<uint32_t>& go = next == nullptr ? driver_.go : next->go;
  go.store(1, std::memory_order_release);
  det_wake_ = &go;
}

// Waits (lock dropped) until done() holds. `mine` is the waiter's own word: whoever makes done()
// true sets it under the lock, and it is cleared under the lock before done() is checked, so a
// wake-up cannot be lost. One futex wake and one futex wait per deterministic task switch.
template <typename Pred>
void Kernel::det_wait_locked(Lock& lk, std::atomic<uint32_t>& mine, Pred done) {
  std::atomic<uint32_t>* wake = std::exchange(det_wake_, nullptr);
  for (;;) {
    mine.store(0, std::memory_order_relaxed);
    if (done()) break;
    lk.unlock();
    if (wake != nullptr) {
      futex_wake(*wake, 1);
      wake = nullptr;
    }
    futex_wait(mine, 0u);
    lk.lock();
  }
  if (wake != nullptr) futex_wake(*wake, 1);  // handed to ourselves: nobody sleeps on it
}

// The current task stops running here (it blocked or computes): dispatch, hand over, and wait
// until the dispatcher gives this carrier the baton again.
void Kernel::det_switch_away_locked(Lock& lk, Carrier* self) {
  Carrier* next = det_dispatch_locked(lk);
  if (next != self) {
    det_hand_locked(next);
    det_wait_locked(lk, self->go, [&] { return baton_ == self; });
  }
  if (shutting_down_) throw TaskKilled{};
}

void Kernel::det_schedule(Task& t, Lock& lk) {
  t.where = TaskWhere::Blocked;
  det_leave_cpu_locked(t, DEQUEUE_SLEEP);
  det_switch_away_locked(lk, t.carrier);
}

void Kernel::det_compute(Task& t, Nanos d, Lock& lk) {
  t.compute_left = d;
  t.where = TaskWhere::Computing;
  if (t.sched_class == SchedClass::Driver) {
    CpuState& cs = cpus_[static_cast<size_t>(t.cpu)];
    cs.driver_queue.push_back(&t);
    if (cs.driver_queue.size() == 1) det_driver_take_cpu_locked(t.cpu);
  } else {
    det_preempt_locked(t);  // starting to compute is a preemption point
    if (cpus_[static_cast<size_t>(t.cpu)].cfs.curr == &t) cpu_segment_locked(t.cpu);
  }
  det_switch_away_locked(lk, t.carrier);
}

void Kernel::det_carrier_main(Carrier* c) {
  if (cfg_.pin_carriers) pin_to_core(pin_core_);
  Lock lk(lock_);
  for (;;) {
    det_wait_locked(lk, c->go, [&] { return baton_ == c || c->exit; });
    if (c->exit) return;
    run_task_body(c, lk);
    c->task = nullptr;
    carriers_->release(c);
    det_hand_locked(det_dispatch_locked(lk));
  }
}

RunResult Kernel::det_run(const RunLimit& limit) {
  Lock lk(lock_);
  RunResult r;
  if (shut_down_) {
    r.stop = RunStop::Error;
    r.error = "the kernel has been shut down";
    return r;
  }
  limit_ = limit;
  run_switches_start_ = switches_;
  stop_ = RunStop::Idle;
  Carrier* next = det_dispatch_locked(lk);
  if (next != nullptr) {
    det_hand_locked(next);
    det_wait_locked(lk, driver_.go, [&] { return baton_ == nullptr; });
  }
  r.stop = stop_;
  r.now = now_.load(std::memory_order_relaxed);
  r.switches = switches_ - run_switches_start_;
  r.error = error_;
  return r;
}

// Unwinds every task that holds a carrier, one at a time: each wakes in det_switch_away_locked,
// throws TaskKilled, exits, and hands the baton back.
void Kernel::det_shutdown(Lock& lk) {
  shutting_down_ = true;
  rq_.clear();
  for (CpuState& cs : cpus_) {
    cs.driver_queue.clear();
    cs.cfs = CfsRq{};
    cs.seg_end = kForever;
  }
  for (auto& t : tasks_) t->se.on_rq = t->se.sched_delayed = false;
  for (auto& t : tasks_) {
    if (t->carrier == nullptr || t->where == TaskWhere::Dead) continue;
    det_hand_locked(t->carrier);
    det_wait_locked(lk, driver_.go, [&] { return baton_ == nullptr; });
  }
}

}  // namespace wqlab::kernel

// Realtime mode: tasks run freely on their carriers; blocking waits on the carrier's condition
// variable; virtual time is host time times the speed factor; a timer thread plays the timer
// interrupt; compute_for() burns host CPU and calls the tick hook once per virtual jiffy.
// The lab's simplification: virtual CPUs are not exclusive here; the host schedules the threads.
#include <algorithm>
#include <chrono>

#include "engine/kernel/kernel.h"

namespace wqlab::kernel {

using trace::EventKind;

namespace {
std::chrono::steady_clock::time_point host_time(int64_t epoch_ns, double speed, Nanos virt) {
  auto host_ns = epoch_ns + static_cast<int64_t>(static_cast<double>(virt) / speed);
  return std::chrono::steady_clock::time_point(std::chrono::nanoseconds(host_ns));
}
}  // namespace

void Kernel::rt_note_activity_locked() {
  rt_driver_cv_.notify_all();
}

bool Kernel::rt_idle_locked() const {
  // A timer callback in flight may still wake someone.
  return rt_busy_ == 0 && ready_.empty() && rt_timers_running_ == 0 &&
         next_timer_locked(false) == kForever;
}

void Kernel::rt_make_ready_locked(Task& t) {
  set_where_locked(t, TaskWhere::Runnable);
  ready_.push_back(&t);
  rt_kick_ready_locked();
}

size_t Kernel::rt_carrier_soft_limit() const {
  return std::max<size_t>(4, 2 * std::max(1u, std::thread::hardware_concurrency()));
}

// Gives ready tasks carriers: a free one, or a new one while fewer tasks than the soft limit are
// actually running (tasks blocked mid-body hold a carrier but no CPU, so they do not count).
void Kernel::rt_kick_ready_locked() {
  while (!ready_.empty()) {
    size_t running = rt_busy_ - ready_.size();
    Carrier* c = nullptr;
    if (carriers_->has_free() || running < rt_carrier_soft_limit()) c = carriers_->acquire();
    if (c == nullptr) break;
    Task* t = ready_.front();
    ready_.erase(ready_.begin());
    c->task = t;
    t->carrier = c;
    set_where_locked(*t, TaskWhere::OnCpu);
    ++switches_;
    emit_as(t, EventKind::TaskRun, t->pid, t->fresh_stack);
    c->cv.notify_one();
  }
  if (ready_.empty() || !error_.empty() || carriers_->cap() == 0) return;
  // At the cap with every carrier held by a task blocked mid-body, nobody will free one.
  size_t blocked = 0;
  for (auto& [pid, task] : live_)
    if (task->where == TaskWhere::Blocked && task->carrier) ++blocked;
  if (blocked >= carriers_->cap()) {
    Task* t = ready_.front();
    error_ = "this scenario needs more than " + std::to_string(carriers_->cap()) +
             " tasks blocked mid-body at once (the browser's thread pool size); " + t->comm +
             " could not run";
    emit_as(t, EventKind::CarrierExhausted, static_cast<int64_t>(carriers_->cap()), t->pid);
    rt_note_activity_locked();
  }
}

void Kernel::rt_carrier_main(Carrier* c) {
  Lock lk(lock_);
  for (;;) {
    c->cv.wait(lk, [&] { return c->task != nullptr || c->exit; });
    if (c->task == nullptr) return;
    run_task_body(c, lk);
    c->task = nullptr;
    carriers_->release(c);
    if (!shutting_down_) rt_kick_ready_locked();  // most likely hands this carrier the next task
    rt_note_activity_locked();
  }
}

void Kernel::rt_schedule(Task& t, Lock& lk) {
  set_where_locked(t, TaskWhere::Blocked);
  rt_kick_ready_locked();  // a CPU just became free for a ready task
  Carrier* self = t.carrier;
  self->cv.wait(lk, [&] { return t.where != TaskWhere::Blocked || shutting_down_; });
  if (shutting_down_) throw TaskKilled{};
}

void Kernel::rt_compute(Task& t, Nanos d) {
  Nanos start = now();
  Nanos end = start + d;
  Nanos next_tick = (start / jiffy_ns_ + 1) * jiffy_ns_;
  for (;;) {
    if (shutting_down_) throw TaskKilled{};
    Nanos n = now();
    if (n >= end) break;
    if (n >= next_tick) {
      if (t.hooks) t.hooks->tick(t);
      next_tick = (n / jiffy_ns_ + 1) * jiffy_ns_;
    }
  }
  std::lock_guard lk(lock_);
  t.sum_exec_runtime += d;
}

void Kernel::rt_timer_main() {
  Lock lk(lock_);
  while (!shutting_down_) {
    if (timers_.empty()) {
      rt_timer_cv_.wait(lk);
      continue;
    }
    auto [key, t] = *timers_.begin();
    if (key.first > now()) {
      rt_timer_cv_.wait_until(lk, host_time(rt_epoch_ns_, cfg_.speed, key.first));
      continue;
    }
    detach_timer_locked(*t);
    t->running = true;
    ++rt_timers_running_;
    emit_as(nullptr, EventKind::TimerFire, t->id, intern(t->name));
    lk.unlock();
    t->fn();
    lk.lock();
    t->running = false;
    --rt_timers_running_;
    rt_timer_cv_.notify_all();
    rt_note_activity_locked();
  }
}

RunResult Kernel::rt_run(const RunLimit& limit) {
  Lock lk(lock_);
  RunResult r;
  uint64_t start = switches_;
  for (;;) {
    if (shut_down_) {
      r.stop = RunStop::Error;
      r.error = "the kernel has been shut down";
      break;
    }
    if (!error_.empty()) {
      r.stop = RunStop::Error;
      r.error = error_;
      break;
    }
    if (limit.until != kForever && now() >= limit.until) {
      r.stop = RunStop::TimeLimit;
      break;
    }
    if ((limit.until == kForever || limit.stop_when_idle) && rt_idle_locked()) {
      r.stop = RunStop::Idle;
      break;
    }
    if (limit.until != kForever) {
      rt_driver_cv_.wait_until(lk, host_time(rt_epoch_ns_, cfg_.speed, limit.until));
    } else {
      rt_driver_cv_.wait(lk);
    }
  }
  r.now = now();
  r.switches = switches_ - start;
  return r;
}

// Wakes every blocked task (each throws TaskKilled from schedule() and exits) and waits until
// every carrier is free.
void Kernel::rt_shutdown(Lock& lk) {
  shutting_down_ = true;
  ready_.clear();
  rt_timer_cv_.notify_all();
  for (auto& t : tasks_)
    if (t->carrier) t->carrier->cv.notify_all();
  rt_driver_cv_.wait(lk, [&] { return carriers_->busy() == 0; });
}

}  // namespace wqlab::kernel

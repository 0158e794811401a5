// Timers (timer_list): one ordered set for both modes. In deterministic mode the dispatcher fires
// them when virtual time reaches them; in realtime mode a timer thread does.
#include "engine/kernel/kernel.h"

namespace wqlab::kernel {

using trace::EventKind;

void Kernel::arm_timer_locked(Timer& t, Nanos expires) {
  if (t.id == 0) t.id = next_timer_id_++;
  t.expires = expires;
  t.seq = timer_seq_++;
  t.pending = true;
  timers_.emplace(std::make_pair(expires, t.seq), &t);
  emit_as(current(), EventKind::TimerArm, t.id, expires, intern(t.name), t.deferrable);
  if (!deterministic()) rt_timer_cv_.notify_all();
}

bool Kernel::detach_timer_locked(Timer& t) {
  if (!t.pending) return false;
  timers_.erase(std::make_pair(std::make_pair(t.expires, t.seq), &t));
  t.pending = false;
  return true;
}

// Mirrors kernel/time/timer.c: mod_timer(). Returns whether the timer was pending.
bool Kernel::mod_timer(Timer& t, uint64_t expires_jiffies) {
  return mod_timer_ns(t, static_cast<Nanos>(expires_jiffies) * jiffy_ns_);
}

bool Kernel::mod_timer_ns(Timer& t, Nanos expires) {
  std::lock_guard lk(lock_);
  bool was = detach_timer_locked(t);
  arm_timer_locked(t, expires);
  return was;
}

// Mirrors kernel/time/timer.c: timer_delete() (del_timer()).
bool Kernel::del_timer(Timer& t) {
  std::lock_guard lk(lock_);
  bool was = detach_timer_locked(t);
  if (was) {
    emit_as(current(), EventKind::TimerDel, t.id, intern(t.name));
    if (!deterministic()) rt_note_activity_locked();
  }
  return was;
}

// Mirrors timer_delete_sync(): also waits until a callback running elsewhere has returned.
bool Kernel::del_timer_sync(Timer& t) {
  Lock lk(lock_);
  bool was = detach_timer_locked(t);
  if (was) {
    emit_as(current(), EventKind::TimerDel, t.id, intern(t.name));
    if (!deterministic()) rt_note_activity_locked();
  }
  rt_timer_cv_.wait(lk, [&] { return !t.running; });
  return was;
}

bool Kernel::timer_pending(const Timer& t) const {
  std::lock_guard lk(lock_);
  return t.pending;
}

Nanos Kernel::next_timer_locked(bool include_deferrable) const {
  for (auto& [key, t] : timers_) {
    if (include_deferrable || !t->deferrable) return key.first;
  }
  return kForever;
}

// Deterministic: fires, in (expiry, arming order), every timer due at now_. Callbacks run in timer
// context (no current task) without the lock.
void Kernel::fire_due_timers_locked(Lock& lk) {
  Nanos now = now_.load(std::memory_order_relaxed);
  while (!timers_.empty() && timers_.begin()->first.first <= now) {
    Timer* t = timers_.begin()->second;
    detach_timer_locked(*t);
    emit_as(nullptr, EventKind::TimerFire, t->id, intern(t->name));
    Task* saved = current_task_raw();
    set_current_task_raw(nullptr);
    lk.unlock();
    t->fn();
    lk.lock();
    set_current_task_raw(saved);
  }
}

}  // namespace wqlab::kernel

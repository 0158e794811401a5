// Timers (timer_list): one ordered set for both modes. In deterministic mode the dispatcher fires
// them when virtual time reaches them; in realtime mode a timer thread does.
#include <algorithm>

#include "engine/kernel/kernel.h"

namespace wqlab::kernel {

using trace::EventKind;

namespace {
constexpr int LVL_CLK_SHIFT = 3;
constexpr int LVL_BITS = 6;
constexpr uint64_t LVL_SIZE = uint64_t{1} << LVL_BITS;

constexpr int LVL_SHIFT(int n) {
  return n * LVL_CLK_SHIFT;
}
constexpr uint64_t LVL_GRAN(int n) {
  return uint64_t{1} << LVL_SHIFT(n);
}
constexpr uint64_t LVL_START(int n) {
  return (LVL_SIZE - 1) << ((n - 1) * LVL_CLK_SHIFT);
}

// Mirrors calc_index(): "the timer wheel has to guarantee that a timer does not fire early".
uint64_t calc_index(uint64_t expires, int lvl) {
  expires = (expires >> LVL_SHIFT(lvl)) + 1;
  return expires << LVL_SHIFT(lvl);
}
}  // namespace

WheelSlot calc_wheel_index(uint64_t expires, uint64_t clk, int hz) {
  const int LVL_DEPTH = hz > 100 ? 9 : 8;
  const uint64_t WHEEL_TIMEOUT_CUTOFF = LVL_START(LVL_DEPTH);
  const uint64_t WHEEL_TIMEOUT_MAX = WHEEL_TIMEOUT_CUTOFF - LVL_GRAN(LVL_DEPTH - 1);
  uint64_t delta = expires - clk;
  if (static_cast<int64_t>(delta) < 0) return {0, clk};  // already due: the next tick runs it
  for (int lvl = 0; lvl < LVL_DEPTH - 1; ++lvl)
    if (delta < LVL_START(lvl + 1)) return {lvl, calc_index(expires, lvl)};
  // Force expire obscene large timeouts to expire at the capacity limit of the wheel.
  if (delta >= WHEEL_TIMEOUT_CUTOFF) expires = clk + WHEEL_TIMEOUT_MAX;
  return {LVL_DEPTH - 1, calc_index(expires, LVL_DEPTH - 1)};
}

void Kernel::arm_timer_locked(Timer& t, Nanos expires, Nanos fires) {
  if (t.id == 0) t.id = next_timer_id_++;
  t.expires = expires;
  t.fires = fires;
  t.seq = timer_seq_++;
  t.pending = true;
  timers_.emplace(std::make_pair(fires, t.seq), &t);
  emit_as(current(), EventKind::TimerArm, t.id, expires, intern(t.name), t.deferrable, fires);
  if (!deterministic()) rt_timer_cv_.notify_all();
}

bool Kernel::detach_timer_locked(Timer& t) {
  if (!t.pending) return false;
  timers_.erase(std::make_pair(std::make_pair(t.fires, t.seq), &t));
  t.pending = false;
  return true;
}

// Mirrors kernel/time/timer.c: mod_timer() (__mod_timer() with calc_wheel_index() against the
// base clock, here jiffies). Returns whether the timer was pending.
bool Kernel::mod_timer(Timer& t, uint64_t expires_jiffies) {
  std::lock_guard lk(lock_);
  auto expires = static_cast<Nanos>(expires_jiffies) * jiffy_ns_;
  if (t.pending && t.expires == expires) return true;  // __mod_timer(): nothing to change
  bool was = detach_timer_locked(t);
  Nanos fires = expires;
  if (!cfg_.cascading_timer_wheel) {
    WheelSlot slot = calc_wheel_index(expires_jiffies, jiffies(), cfg_.hz);
    fires = static_cast<Nanos>(slot.bucket_expiry) * jiffy_ns_;
  }
  arm_timer_locked(t, expires, std::max(fires, now()));
  return was;
}

// An hrtimer: it fires at `expires` exactly.
bool Kernel::mod_timer_ns(Timer& t, Nanos expires) {
  std::lock_guard lk(lock_);
  bool was = detach_timer_locked(t);
  arm_timer_locked(t, expires, expires);
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

bool Kernel::deferrable_overdue_locked() const {
  Nanos now = now_.load(std::memory_order_relaxed);
  for (auto& [key, t] : timers_) {
    if (key.first >= now) return false;
    if (t->deferrable) return true;
  }
  return false;
}

// Deterministic: fires every timer due at now_, in (expiry, arming order), the deferrable ones
// last (run_timer_softirq() runs BASE_DEF after the local and global bases). Callbacks run in
// timer context (no current task) without the lock.
void Kernel::fire_due_timers_locked(Lock& lk, bool include_deferrable) {
  Nanos now = now_.load(std::memory_order_relaxed);
  for (bool deferrable : {false, true}) {
    if (deferrable && !include_deferrable) break;
    for (;;) {
      Timer* t = nullptr;
      for (auto& [key, timer] : timers_) {
        if (key.first > now) break;
        if (timer->deferrable == deferrable) {
          t = timer;
          break;
        }
      }
      if (t == nullptr) break;
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
}

}  // namespace wqlab::kernel

// Spinlocks, wait queues, mutexes and completions on top of Kernel::schedule().
#include "engine/kernel/sync.h"

#include <cstdio>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace wqlab::kernel {

namespace {
inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  _mm_pause();
#endif
}

// Removes a wait-queue entry even when the waiter unwinds (shutdown throws TaskKilled).
struct FinishWait {
  WaitQueue& wq;
  WaitQueue::Entry& e;
  ~FinishWait() { wq.finish_wait(e); }
};
}  // namespace

// ---- SpinLock ----

// Test-and-test-and-set for a bounded number of rounds, then park until unlock() wakes us.
void SpinLock::lock_slow() {
  constexpr int kSpins = 128;
  for (int i = 0; i < kSpins; ++i) {
    cpu_relax();
    if (word_.load(std::memory_order_relaxed) == 0) {
      int expected = 0;
      if (word_.compare_exchange_weak(expected, 1, std::memory_order_acquire)) return;
    }
  }
  // Marked 2: whoever unlocks next wakes a parked thread. We hold it once the exchange sees 0.
  while (word_.exchange(2, std::memory_order_acquire) != 0)
    word_.wait(2, std::memory_order_relaxed);
}

// ---- WaitQueue ----

void WaitQueue::prepare_to_wait(Entry& e, TaskState state) {
  {
    SpinLockGuard g(lock_);
    if (!e.queued) {
      e.prev = tail_;
      e.next = nullptr;
      (tail_ ? tail_->next : head_) = &e;
      tail_ = &e;
      e.queued = true;
    }
  }
  if (e.task) e.task->kernel->set_current_state(state);
}

void WaitQueue::unlink_locked(Entry& e) {
  if (!e.queued) return;
  (e.prev ? e.prev->next : head_) = e.next;
  (e.next ? e.next->prev : tail_) = e.prev;
  e.prev = e.next = nullptr;
  e.queued = false;
}

void WaitQueue::finish_wait(Entry& e) {
  if (e.task) e.task->kernel->set_current_state(TaskState::Running);
  SpinLockGuard g(lock_);
  unlink_locked(e);
}

int WaitQueue::wake_up(int nr_exclusive) {
  SpinLockGuard g(lock_);
  int woken = 0;
  for (Entry* e = head_; e != nullptr;) {
    Entry* next = e->next;
    if (e->task && e->task->kernel->wake_up_process(*e->task)) ++woken;
    if (e->exclusive && --nr_exclusive <= 0) break;
    e = next;
  }
  return woken;
}

bool WaitQueue::active() {
  SpinLockGuard g(lock_);
  return head_ != nullptr;
}

int64_t WaitQueue::id(Kernel& k) {
  SpinLockGuard g(lock_);
  if (id_ == 0) id_ = k.new_object_id();
  return id_;
}

// ---- Mutex ----

// Mirrors kernel/locking/mutex.c: __mutex_lock_common(), without optimistic spinning.
void Mutex::lock() {
  Task* t = current_task_raw();
  if (t == nullptr) {
    // Outside a task nothing can sleep: take it if it is free, else say so (unlock() then
    // leaves the real owner alone).
    if (!try_lock())
      std::fprintf(stderr, "wqlab: BUG: mutex_lock() outside a task on a held mutex\n");
    return;
  }
  WaitQueue::Entry e;
  e.task = t;
  e.exclusive = true;
  FinishWait finish{waiters_, e};
  wait_lock_.lock();
  if (id_ == 0) id_ = t->kernel->new_object_id();
  while (owner_ != nullptr) {
    waiters_.prepare_to_wait(e, TaskState::Uninterruptible);
    wait_lock_.unlock();
    t->kernel->schedule(trace::BlockReason::Mutex, id_);
    wait_lock_.lock();
  }
  owner_ = t;
  wait_lock_.unlock();
}

// The wake-up happens under wait_lock_, so a waiter that then takes and drops the mutex cannot
// destroy it while unlock() is still touching it.
void Mutex::unlock() {
  SpinLockGuard g(wait_lock_);
  // Outside a task, only a lock taken outside a task is released (a failed lock() leaves the
  // real owner alone).
  if (current_task_raw() == nullptr && owner_ != reinterpret_cast<Task*>(this)) return;
  owner_ = nullptr;
  waiters_.wake_up(1);
}

bool Mutex::try_lock() {
  SpinLockGuard g(wait_lock_);
  if (owner_ != nullptr) return false;
  Task* t = current_task_raw();
  owner_ = t ? t : reinterpret_cast<Task*>(this);  // a non-task owner still marks it held
  return true;
}

bool Mutex::is_locked() {
  SpinLockGuard g(wait_lock_);
  return owner_ != nullptr;
}

Task* Mutex::owner() {
  SpinLockGuard g(wait_lock_);
  return owner_;
}

// ---- Completion ----

// Mirrors kernel/sched/completion.c: done and the wake-up under one lock, which the waiter
// takes again before it returns, so a completion on the waiter's stack outlives complete().
void Completion::complete() {
  SpinLockGuard g(lock_);
  if (done_ != UINT32_MAX) ++done_;
  wait_.wake_up(1);
}

void Completion::complete_all() {
  SpinLockGuard g(lock_);
  done_ = UINT32_MAX;
  wait_.wake_up_all();
}

void Completion::wait_for_completion() {
  Task* t = current_task_raw();
  lock_.lock();
  if (done_ == 0 && t != nullptr) {
    WaitQueue::Entry e;
    e.task = t;
    e.exclusive = true;
    FinishWait finish{wait_, e};
    int64_t id = wait_.id(*t->kernel);
    while (done_ == 0) {
      wait_.prepare_to_wait(e, TaskState::Uninterruptible);
      lock_.unlock();
      t->kernel->schedule(trace::BlockReason::Completion, id);
      lock_.lock();
    }
  }
  if (done_ != 0 && done_ != UINT32_MAX) --done_;
  lock_.unlock();
}

bool Completion::try_wait_for_completion() {
  SpinLockGuard g(lock_);
  if (done_ == 0) return false;
  if (done_ != UINT32_MAX) --done_;
  return true;
}

bool Completion::completion_done() {
  SpinLockGuard g(lock_);
  return done_ != 0;
}

void Completion::reinit() {
  SpinLockGuard g(lock_);
  done_ = 0;
}

}  // namespace wqlab::kernel

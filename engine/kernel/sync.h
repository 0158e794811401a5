// Locks and waiting, the only ones engine code may use: spinlock, mutex, wait queue, completion.
// Blocking goes through Kernel::schedule(), so cmwq's sleeping/running hooks fire as in Linux.
#pragma once

#include <atomic>
#include <cstdint>

#include "engine/kernel/kernel.h"

namespace wqlab::kernel {

// raw_spinlock_t: never sleeps; blocking while holding one is reported as a bug.
// The host side: one atomic word (0 free, 1 held, 2 held with a host thread parked on it); a
// contended lock() spins a little (the holder is usually on another core for a few hundred
// cycles) and then parks the host thread on the word, so a holder the host preempted costs the
// waiters no CPU.
class SpinLock {
 public:
  void lock() {
    int expected = 0;
    if (!word_.compare_exchange_strong(expected, 1, std::memory_order_acquire)) [[unlikely]]
      lock_slow();
    if (Task* t = current_task_raw()) ++t->atomic_depth;
  }
  void unlock() {
    if (Task* t = current_task_raw()) --t->atomic_depth;
    if (word_.exchange(0, std::memory_order_release) == 2) [[unlikely]]
      word_.notify_one();
  }
  bool try_lock() {
    int expected = 0;
    if (!word_.compare_exchange_strong(expected, 1, std::memory_order_acquire)) return false;
    if (Task* t = current_task_raw()) ++t->atomic_depth;
    return true;
  }

 private:
  void lock_slow();
  std::atomic<int> word_{0};
};

class SpinLockGuard {
 public:
  explicit SpinLockGuard(SpinLock& l) : l_(l) { l_.lock(); }
  ~SpinLockGuard() { l_.unlock(); }
  SpinLockGuard(const SpinLockGuard&) = delete;
  SpinLockGuard& operator=(const SpinLockGuard&) = delete;

 private:
  SpinLock& l_;
};

// wait_queue_head_t with exclusive and non-exclusive waiters, FIFO.
class WaitQueue {
 public:
  struct Entry {
    Task* task = nullptr;
    bool exclusive = false;
    bool queued = false;
    Entry* prev = nullptr;
    Entry* next = nullptr;
  };

  // Adds `e` (if not queued) and sets the current state: prepare_to_wait().
  void prepare_to_wait(Entry& e, TaskState state);
  // Removes `e` and sets TASK_RUNNING: finish_wait().
  void finish_wait(Entry& e);
  // Wakes every non-exclusive waiter and up to nr_exclusive exclusive ones: __wake_up().
  int wake_up(int nr_exclusive = 1);
  int wake_up_all() { return wake_up(INT32_MAX); }
  bool active();
  int64_t id(Kernel& k);

 private:
  void unlink_locked(Entry& e);

  SpinLock lock_;
  Entry* head_ = nullptr;
  Entry* tail_ = nullptr;
  int64_t id_ = 0;
};

// wait_event(wq, cond): blocks until cond() holds. cond must be safe to evaluate while others
// change what it reads (an atomic, or its own locking).
template <typename Cond>
void wait_event(WaitQueue& wq, Cond cond, TaskState state = TaskState::Uninterruptible) {
  Task* t = current_task_raw();
  if (t == nullptr) return;
  WaitQueue::Entry e;
  e.task = t;
  struct Finish {
    WaitQueue& wq;
    WaitQueue::Entry& e;
    ~Finish() { wq.finish_wait(e); }
  } finish{wq, e};
  for (;;) {
    wq.prepare_to_wait(e, state);
    if (cond()) break;
    t->kernel->schedule(trace::BlockReason::WaitQueue, wq.id(*t->kernel));
  }
}

// struct mutex: a sleeping lock. Waiters block (the sleeping hook fires).
class Mutex {
 public:
  void lock();
  void unlock();
  bool try_lock();
  bool is_locked();
  Task* owner();

 private:
  SpinLock wait_lock_;
  Task* owner_ = nullptr;
  WaitQueue waiters_;
  int64_t id_ = 0;
};

class MutexGuard {
 public:
  explicit MutexGuard(Mutex& m) : m_(m) { m_.lock(); }
  ~MutexGuard() { m_.unlock(); }
  MutexGuard(const MutexGuard&) = delete;
  MutexGuard& operator=(const MutexGuard&) = delete;

 private:
  Mutex& m_;
};

// struct completion.
class Completion {
 public:
  void complete();
  void complete_all();
  void wait_for_completion();
  bool try_wait_for_completion();
  bool completion_done();
  void reinit();

 private:
  SpinLock lock_;
  unsigned done_ = 0;
  WaitQueue wait_;
};

}  // namespace wqlab::kernel

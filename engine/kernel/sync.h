// Locks and waiting, the only ones engine code may use: spinlock, mutex, wait queue, completion.
// Blocking goes through Kernel::schedule(), so cmwq's sleeping/running hooks fire as in Linux.
#pragma once

#include <cstdint>
#include <mutex>

#include "engine/kernel/kernel.h"

namespace wqlab::kernel {

// raw_spinlock_t: never sleeps; blocking while holding one is reported as a bug.
class SpinLock {
 public:
  void lock();
  void unlock();
  bool try_lock();

 private:
  std::mutex m_;
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

// The OS threads that tasks run on. Unbounded but reused on the desktop; capped in the browser,
// where every thread is a Web Worker and the pool is pre-spawned (PTHREAD_POOL_SIZE).
// A carrier is busy while its task runs or is blocked mid-body; a parked task gives it back.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

namespace wqlab::kernel {

struct Task;

struct Carrier {
  int id = 0;
  std::thread thread;
  std::condition_variable cv;  // realtime: waits with the scheduler lock
  // Deterministic: 1 once the baton (or exit) was handed to it; set and cleared under the
  // scheduler lock, waited on without it (Kernel::det_wait_locked()).
  std::atomic<uint32_t> go{0};
  Task* task = nullptr;  // S: the task it carries
  bool exit = false;     // S: leave the loop
};

// OS threads that several kernels share: the browser's pre-spawned pthreads, split between a
// lesson's machines as each needs them. Any kernel's scheduler lock may be held: atomics only.
class CarrierBudget {
 public:
  explicit CarrierBudget(size_t cap) : cap_(cap) {}
  bool try_take();
  void give_back(size_t n) { used_.fetch_sub(n, std::memory_order_acq_rel); }
  size_t cap() const { return cap_; }
  size_t used() const { return used_.load(std::memory_order_acquire); }

 private:
  const size_t cap_;
  std::atomic<size_t> used_{0};
};

class CarrierPool {
 public:
  // cap 0 = unbounded. `body` is the loop each new OS thread runs. With a `budget`, a new
  // thread also needs one of its places, given back when the thread is joined.
  CarrierPool(size_t cap, std::function<void(Carrier*)> body,
              std::shared_ptr<CarrierBudget> budget = nullptr)
      : cap_(cap), body_(std::move(body)), budget_(std::move(budget)) {}

  // A free carrier (most recently freed first), a new one, or nullptr at the cap. S: caller holds
  // the scheduler lock.
  Carrier* acquire();
  void release(Carrier* c) { free_.push_back(c); }
  bool has_free() const { return !free_.empty(); }

  size_t live() const { return all_.size(); }  // OS threads created so far (none exit early)
  size_t busy() const { return all_.size() - free_.size(); }
  size_t peak_busy() const { return peak_busy_; }
  // The most OS threads it may have: its own cap, or its budget's when that is smaller.
  size_t cap() const;
  // Pops every carrier, for shutdown; the caller joins them without the lock.
  std::vector<std::unique_ptr<Carrier>> take_all();
  // Pops the carriers no task holds, so the caller can join them without the lock.
  std::vector<std::unique_ptr<Carrier>> take_free();
  CarrierBudget* budget() const { return budget_.get(); }

 private:
  size_t cap_;
  std::function<void(Carrier*)> body_;
  std::shared_ptr<CarrierBudget> budget_;
  std::vector<std::unique_ptr<Carrier>> all_;
  std::vector<Carrier*> free_;
  size_t peak_busy_ = 0;
  int next_id_ = 0;
};

}  // namespace wqlab::kernel

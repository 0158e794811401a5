// The OS threads that tasks run on. Unbounded but reused on the desktop; capped in the browser,
// where every thread is a Web Worker and the pool is pre-spawned (PTHREAD_POOL_SIZE).
// A carrier is busy while its task runs or is blocked mid-body; a parked task gives it back.
#pragma once

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
  std::condition_variable cv;  // waits with the scheduler lock
  Task* task = nullptr;        // S: the task it carries
  bool exit = false;           // S: leave the loop
};

class CarrierPool {
 public:
  // cap 0 = unbounded. `body` is the loop each new OS thread runs.
  CarrierPool(size_t cap, std::function<void(Carrier*)> body) : cap_(cap), body_(std::move(body)) {}

  // A free carrier (most recently freed first), a new one, or nullptr at the cap. S: caller holds
  // the scheduler lock.
  Carrier* acquire();
  void release(Carrier* c) { free_.push_back(c); }
  bool has_free() const { return !free_.empty(); }

  size_t live() const { return all_.size(); }  // OS threads created so far (none exit early)
  size_t busy() const { return all_.size() - free_.size(); }
  size_t peak_busy() const { return peak_busy_; }
  size_t cap() const { return cap_; }
  // Pops every carrier, for shutdown; the caller joins them without the lock.
  std::vector<std::unique_ptr<Carrier>> take_all();

 private:
  size_t cap_;
  std::function<void(Carrier*)> body_;
  std::vector<std::unique_ptr<Carrier>> all_;
  std::vector<Carrier*> free_;
  size_t peak_busy_ = 0;
};

}  // namespace wqlab::kernel

// One producer thread's events on their way to the log: a single-producer, single-consumer ring.
// The producer writes a slot and publishes it with one release store to its own counter; no
// other thread writes that cache line, so recording takes no shared atomic read-modify-write.
// The slot's seq field carries the merge key (see Recorder) until the consumer replaces it with
// the event's position in the log.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <new>

#include "engine/trace/event.h"

namespace wqlab::trace {

class ThreadBuffer {
 public:
  // capacity is rounded up to a power of two.
  explicit ThreadBuffer(size_t capacity) {
    size_t cap = 1;
    while (cap < capacity) cap <<= 1;
    mask_ = cap - 1;
    // Left uninitialised: a page is first touched by the push that needs it.
    slots_.reset(static_cast<Event*>(std::malloc(cap * sizeof(Event))));
    if (!slots_) throw std::bad_alloc();
  }
  ThreadBuffer(const ThreadBuffer&) = delete;
  ThreadBuffer& operator=(const ThreadBuffer&) = delete;

  size_t capacity() const { return mask_ + 1; }

  // Producer only. False when full (nothing is written).
  bool try_push(const Event& ev, uint64_t key) {
    uint64_t h = head_.load(std::memory_order_relaxed);
    if (h - tail_cache_ > mask_) {
      tail_cache_ = tail_.load(std::memory_order_acquire);
      if (h - tail_cache_ > mask_) return false;
    }
    Event* slot = new (&slots_[h & mask_]) Event(ev);
    slot->seq = key;
    head_.store(h + 1, std::memory_order_release);
    return true;
  }

  // Consumer only (one at a time): published events are [tail(), published()).
  uint64_t published() const { return head_.load(std::memory_order_acquire); }
  uint64_t tail() const { return tail_.load(std::memory_order_relaxed); }
  const Event& at(uint64_t pos) const { return slots_[pos & mask_]; }
  void release_to(uint64_t pos) { tail_.store(pos, std::memory_order_release); }

 private:
  size_t mask_ = 0;
  struct Free {
    void operator()(Event* p) const { std::free(p); }
  };
  std::unique_ptr<Event[], Free> slots_;
  alignas(64) std::atomic<uint64_t> head_{0};
  uint64_t tail_cache_ = 0;  // producer's last look at tail_
  alignas(64) std::atomic<uint64_t> tail_{0};
};

}  // namespace wqlab::trace

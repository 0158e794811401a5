// A bounded lock-free ring: many producers (tasks on any OS thread), one consumer at a time.
// Each slot carries a turn counter (Vyukov's bounded queue), so a producer claims a slot with one
// CAS and publishes it with one release store; the ticket it claimed becomes the event's seq.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "engine/trace/event.h"

namespace wqlab::trace {

class EventRing {
 public:
  // capacity is rounded up to a power of two.
  explicit EventRing(size_t capacity = size_t{1} << 16) {
    size_t cap = 1;
    while (cap < capacity) cap <<= 1;
    mask_ = cap - 1;
    slots_ = std::make_unique<Slot[]>(cap);
    for (size_t i = 0; i < cap; ++i) slots_[i].turn.store(i, std::memory_order_relaxed);
  }

  EventRing(const EventRing&) = delete;
  EventRing& operator=(const EventRing&) = delete;

  size_t capacity() const { return mask_ + 1; }

  // Copies `ev` in with seq set to its ticket. False when the ring is full (nothing is written).
  bool try_push(const Event& ev) {
    uint64_t pos = head_.load(std::memory_order_relaxed);
    for (;;) {
      Slot& slot = slots_[pos & mask_];
      uint64_t turn = slot.turn.load(std::memory_order_acquire);
      auto diff = static_cast<int64_t>(turn - pos);
      if (diff == 0) {
        if (head_.compare_exchange_weak(pos, pos + 1, std::memory_order_relaxed)) {
          slot.ev = ev;
          slot.ev.seq = pos;
          slot.turn.store(pos + 1, std::memory_order_release);
          return true;
        }
      } else if (diff < 0) {
        return false;
      } else {
        pos = head_.load(std::memory_order_relaxed);
      }
    }
  }

  // Consumer side (one thread at a time): moves every published event, in ticket order, to `sink`.
  // Stops at the first slot whose producer has claimed but not yet published it.
  template <typename Sink>
  size_t drain(Sink&& sink) {
    size_t n = 0;
    for (;;) {
      Slot& slot = slots_[tail_ & mask_];
      if (slot.turn.load(std::memory_order_acquire) != tail_ + 1) return n;
      sink(slot.ev);
      slot.turn.store(tail_ + mask_ + 1, std::memory_order_release);
      ++tail_;
      ++n;
    }
  }

 private:
  struct alignas(64) Slot {
    std::atomic<uint64_t> turn{0};
    Event ev;
  };

  size_t mask_ = 0;
  std::unique_ptr<Slot[]> slots_;
  alignas(64) std::atomic<uint64_t> head_{0};
  alignas(64) uint64_t tail_ = 0;  // consumer only
};

}  // namespace wqlab::trace

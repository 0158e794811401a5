// The recorder: each producer thread emits into its own buffer (ThreadBuffer: no shared atomic
// on the hot path); a consumer (a background thread, or whoever calls drain()) merges the
// buffers into the log in order. With nobody recording, the kernel holds a null Recorder* and an
// event costs one branch.
//
// The order of the merged log:
//  - serial (deterministic mode: producers take turns, one at a time): each event takes the next
//    number of a plain counter; the merge appends them in that order and waits for a number that
//    is not yet published, so the log is the emit order exactly, whatever the drain timing;
//  - concurrent (realtime mode, or a Recorder used on its own): each event is stamped with
//    host_ticks() and the merge appends what is published in stamp order; each thread's events
//    stay in its own order.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "engine/trace/clock.h"
#include "engine/trace/event_log.h"
#include "engine/trace/string_table.h"
#include "engine/trace/thread_buffer.h"

namespace wqlab::trace {

enum class OverflowPolicy : uint8_t {
  DrainInline,  // a producer that finds its buffer full drains it itself: nothing is lost
  Drop,         // the event is dropped and counted; the log gets an events_lost record
};

// This thread's buffer for the last recorder it emitted into.
struct RecorderThreadCache {
  uint64_t owner = 0;  // Recorder::id_ of the buffer below; ids are never reused
  ThreadBuffer* buf = nullptr;
};

class Recorder {
 public:
  // Each producer thread's buffer holds min(capacity, kMaxThreadCapacity) events.
  static constexpr size_t kMaxThreadCapacity = 4096;

  explicit Recorder(size_t capacity = size_t{1} << 16,
                    OverflowPolicy policy = OverflowPolicy::DrainInline);
  ~Recorder();
  Recorder(const Recorder&) = delete;
  Recorder& operator=(const Recorder&) = delete;

  void set_policy(OverflowPolicy p) { policy_.store(p, std::memory_order_relaxed); }
  // Serial order (see above). Set before the first event; the kernel sets it in deterministic
  // mode.
  void set_serial(bool on) { serial_.store(on, std::memory_order_relaxed); }
  bool serial() const { return serial_.load(std::memory_order_relaxed); }

  // Producer side; any thread.
  void emit(const Event& ev) { emit_at(ev, serial() ? 0 : host_ticks()); }
  // The same with the caller's host_ticks() reading (ignored in serial order).
  void emit_at(const Event& ev, uint64_t ticks) {
    ThreadBuffer* b = buffer();
    if (serial()) {
      uint64_t n = serial_next_.load(std::memory_order_relaxed);
      if (b->try_push(ev, n)) [[likely]] {
        serial_next_.store(n + 1, std::memory_order_relaxed);
        return;
      }
    } else if (b->try_push(ev, ticks)) [[likely]] {
      return;
    }
    on_full(*b, ev, ticks);
  }

  // Consumer side: moves everything published so far into the log. Returns how many.
  size_t drain();
  // Starts a thread that drains every `period_us`; stop_consumer() (or the destructor) ends it.
  void start_consumer(int period_us = 1000);
  void stop_consumer();

  const EventLog& log() const { return log_; }
  StringTable& strings() { return strings_; }
  const StringTable& strings() const { return strings_; }
  // Events that never reached the log (a buffer full under Drop, or the log full).
  uint64_t lost() const { return lost_.load(std::memory_order_relaxed); }
  // How many times a producer found its buffer full (drained inline or dropped).
  uint64_t overflows() const { return overflows_.load(std::memory_order_relaxed); }
  size_t producer_threads() const;

 private:
  ThreadBuffer* buffer() {
    Cache& c = cache_;
    if (c.owner == id_) [[likely]]
      return c.buf;
    return attach_thread();
  }
  ThreadBuffer* attach_thread();
  void on_full(ThreadBuffer& b, const Event& ev, uint64_t ticks);
  size_t drain_locked();

  using Cache = RecorderThreadCache;
  inline static thread_local Cache cache_{};

  const uint64_t id_;
  const size_t thread_capacity_;
  std::atomic<bool> serial_{false};       // read by producers and the consumer thread
  std::atomic<uint64_t> serial_next_{0};  // serial: producers take turns, so load + store
  uint64_t serial_drained_ = 0;           // serial: the next number the log takes; consumer_mu_

  mutable std::mutex buffers_mu_;  // attaching a thread, listing the buffers
  std::unordered_map<std::thread::id, ThreadBuffer*> by_thread_;
  std::vector<std::unique_ptr<ThreadBuffer>> buffers_;
  std::vector<ThreadBuffer*> scratch_;  // consumer_mu_: the buffers one drain looks at

  EventLog log_;
  StringTable strings_;
  std::atomic<OverflowPolicy> policy_;
  std::atomic<uint64_t> lost_{0};
  std::atomic<uint64_t> overflows_{0};
  uint64_t lost_reported_ = 0;  // guarded by consumer_mu_
  std::mutex consumer_mu_;      // one consumer at a time

  std::mutex thread_mu_;
  std::condition_variable thread_cv_;
  bool thread_stop_ = false;
  std::thread consumer_;
};

}  // namespace wqlab::trace

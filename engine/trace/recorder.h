// The recorder: producers emit into the ring; a consumer (a background thread, or whoever calls
// drain()) appends to the log. With nobody recording, the kernel holds a null Recorder* and an
// event costs one branch.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include "engine/trace/event_log.h"
#include "engine/trace/event_ring.h"
#include "engine/trace/string_table.h"

namespace wqlab::trace {

enum class OverflowPolicy : uint8_t {
  DrainInline,  // a producer that finds the ring full drains it itself: nothing is lost
  Drop,         // the event is dropped and counted; the log gets an events_lost record
};

class Recorder {
 public:
  explicit Recorder(size_t ring_capacity = size_t{1} << 16,
                    OverflowPolicy policy = OverflowPolicy::DrainInline);
  ~Recorder();
  Recorder(const Recorder&) = delete;
  Recorder& operator=(const Recorder&) = delete;

  void set_policy(OverflowPolicy p) { policy_.store(p, std::memory_order_relaxed); }

  // Producer side; any thread.
  void emit(const Event& ev) {
    if (ring_.try_push(ev)) [[likely]]
      return;
    on_full(ev);
  }

  // Consumer side: moves everything published so far into the log. Returns how many.
  size_t drain();
  // Starts a thread that drains every `period_us`; stop_consumer() (or the destructor) ends it.
  void start_consumer(int period_us = 1000);
  void stop_consumer();

  const EventLog& log() const { return log_; }
  StringTable& strings() { return strings_; }
  const StringTable& strings() const { return strings_; }
  // Events that never reached the log (ring full under Drop, or log full).
  uint64_t lost() const { return lost_.load(std::memory_order_relaxed); }

 private:
  void on_full(const Event& ev);
  size_t drain_locked();

  EventRing ring_;
  EventLog log_;
  StringTable strings_;
  std::atomic<OverflowPolicy> policy_;
  std::atomic<uint64_t> lost_{0};
  uint64_t lost_reported_ = 0;  // guarded by consumer_mu_
  std::mutex consumer_mu_;      // one consumer at a time

  std::mutex thread_mu_;
  std::condition_variable thread_cv_;
  bool thread_stop_ = false;
  std::thread consumer_;
};

}  // namespace wqlab::trace

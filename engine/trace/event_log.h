// The append-only, in-memory event log: one writer (the ring's consumer), any number of readers.
// Stored in fixed chunks so appending never moves an event a reader may be looking at.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <memory>
#include <string>

#include "engine/trace/event.h"

namespace wqlab::trace {

class EventLog {
 public:
  static constexpr size_t kChunkBits = 15;  // 32768 events (2 MiB) per chunk
  static constexpr size_t kChunkSize = size_t{1} << kChunkBits;
  static constexpr size_t kMaxChunks = size_t{1} << 15;  // about a billion events

  EventLog();
  ~EventLog();
  EventLog(const EventLog&) = delete;
  EventLog& operator=(const EventLog&) = delete;

  // Writer only. False when the log is full (the caller counts it as lost).
  bool append(const Event& ev);
  // Readers: events [0, size()) are complete and never change.
  size_t size() const { return size_.load(std::memory_order_acquire); }
  const Event& operator[](size_t i) const {
    return chunks_[i >> kChunkBits].load(std::memory_order_acquire)[i & (kChunkSize - 1)];
  }
  // The raw bytes of events [0, size()): what "byte-identical" compares.
  std::string bytes() const;

 private:
  std::unique_ptr<std::atomic<Event*>[]> chunks_;
  std::atomic<size_t> size_{0};
};

}  // namespace wqlab::trace

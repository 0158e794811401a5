#include "engine/trace/event_log.h"

#include <cstring>

namespace wqlab::trace {

EventLog::EventLog() : chunks_(std::make_unique<std::atomic<Event*>[]>(kMaxChunks)) {
  for (size_t i = 0; i < kMaxChunks; ++i) chunks_[i].store(nullptr, std::memory_order_relaxed);
}

EventLog::~EventLog() {
  for (size_t i = 0; i < kMaxChunks; ++i) delete[] chunks_[i].load(std::memory_order_relaxed);
}

bool EventLog::append(const Event& ev) {
  size_t n = size_.load(std::memory_order_relaxed);
  size_t chunk = n >> kChunkBits;
  if (chunk >= kMaxChunks) return false;
  Event* block = chunks_[chunk].load(std::memory_order_relaxed);
  if (block == nullptr) {
    block = new Event[kChunkSize];
    chunks_[chunk].store(block, std::memory_order_release);
  }
  block[n & (kChunkSize - 1)] = ev;
  size_.store(n + 1, std::memory_order_release);
  return true;
}

std::string EventLog::bytes() const {
  size_t n = size();
  std::string out;
  out.resize(n * sizeof(Event));
  for (size_t i = 0; i < n; ++i)
    std::memcpy(out.data() + i * sizeof(Event), &(*this)[i], sizeof(Event));
  return out;
}

}  // namespace wqlab::trace

#include "engine/trace/event_log.h"

#include <cstdlib>
#include <cstring>
#include <new>

namespace wqlab::trace {

namespace {
constexpr size_t kChunkBytes = EventLog::kChunkSize * sizeof(Event);

// Left uninitialised: the writer fills each slot before size_ publishes it, so a page is first
// touched (and cleared by the OS) by the append that needs it, not all at once here. Huge pages
// were tried: the OS's compaction on first touch made recording slower, not faster.
Event* new_chunk() {
  void* p = std::malloc(kChunkBytes);
  if (p == nullptr) throw std::bad_alloc();
  return static_cast<Event*>(p);
}
}  // namespace

EventLog::EventLog() : chunks_(std::make_unique<std::atomic<Event*>[]>(kMaxChunks)) {
  for (size_t i = 0; i < kMaxChunks; ++i) chunks_[i].store(nullptr, std::memory_order_relaxed);
}

EventLog::~EventLog() {
  for (size_t i = 0; i < kMaxChunks; ++i) std::free(chunks_[i].load(std::memory_order_relaxed));
}

bool EventLog::append(const Event& ev) {
  size_t n = size_.load(std::memory_order_relaxed);
  size_t chunk = n >> kChunkBits;
  if (chunk >= kMaxChunks) return false;
  Event* block = chunks_[chunk].load(std::memory_order_relaxed);
  if (block == nullptr) {
    block = new_chunk();
    chunks_[chunk].store(block, std::memory_order_release);
  }
  new (&block[n & (kChunkSize - 1)]) Event(ev);
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

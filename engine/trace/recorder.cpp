#include "engine/trace/recorder.h"

#include <algorithm>
#include <chrono>

#include "engine/trace/buffer_merge.h"

namespace wqlab::trace {

namespace {
std::atomic<uint64_t> g_next_recorder_id{1};
}  // namespace

Recorder::Recorder(size_t capacity, OverflowPolicy policy)
    : id_(g_next_recorder_id.fetch_add(1, std::memory_order_relaxed)),
      thread_capacity_(std::clamp<size_t>(capacity, 1, kMaxThreadCapacity)),
      policy_(policy) {}

Recorder::~Recorder() {
  stop_consumer();
  drain();
}

ThreadBuffer* Recorder::attach_thread() {
  std::lock_guard lock(buffers_mu_);
  ThreadBuffer*& b = by_thread_[std::this_thread::get_id()];
  if (b == nullptr) {
    buffers_.push_back(std::make_unique<ThreadBuffer>(thread_capacity_));
    b = buffers_.back().get();
  }
  cache_.owner = id_;
  cache_.buf = b;
  return b;
}

size_t Recorder::producer_threads() const {
  std::lock_guard lock(buffers_mu_);
  return buffers_.size();
}

void Recorder::on_full(ThreadBuffer& b, const Event& ev, uint64_t ticks) {
  overflows_.fetch_add(1, std::memory_order_relaxed);
  if (policy_.load(std::memory_order_relaxed) == OverflowPolicy::Drop) {
    lost_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  // Draining empties this thread's buffer (everything in it is published).
  for (;;) {
    drain();
    if (serial()) {
      uint64_t n = serial_next_.load(std::memory_order_relaxed);
      if (b.try_push(ev, n)) {
        serial_next_.store(n + 1, std::memory_order_relaxed);
        return;
      }
    } else {
      // Stamped again: the events drained just now may be newer than `ticks`.
      if (b.try_push(ev, std::max(ticks, host_ticks()))) return;
    }
  }
}

size_t Recorder::drain() {
  std::lock_guard lock(consumer_mu_);
  return drain_locked();
}

size_t Recorder::drain_locked() {
  {
    std::lock_guard lock(buffers_mu_);
    scratch_.clear();
    for (auto& b : buffers_) scratch_.push_back(b.get());
  }
  size_t n = merge_published(scratch_, serial(), serial_drained_, [this](const Event& slot) {
    Event copy = slot;
    copy.seq = log_.size();
    if (!log_.append(copy)) lost_.fetch_add(1, std::memory_order_relaxed);
  });
  // Report losses in the stream itself, at the point where the consumer noticed them.
  uint64_t lost = lost_.load(std::memory_order_relaxed);
  if (lost != lost_reported_) {
    Event note;
    note.kind = EventKind::EventsLost;
    note.args[0] = static_cast<int64_t>(lost - lost_reported_);
    if (log_.size() > 0) note.time_ns = log_[log_.size() - 1].time_ns;
    note.seq = log_.size();
    log_.append(note);
    lost_reported_ = lost;
  }
  return n;
}

void Recorder::start_consumer(int period_us) {
  std::lock_guard lock(thread_mu_);
  if (consumer_.joinable()) return;
  thread_stop_ = false;
  consumer_ = std::thread([this, period_us] {
    std::unique_lock lk(thread_mu_);
    while (!thread_stop_) {
      lk.unlock();
      drain();
      lk.lock();
      thread_cv_.wait_for(lk, std::chrono::microseconds(period_us),
                          [this] { return thread_stop_; });
    }
  });
}

void Recorder::stop_consumer() {
  std::thread t;
  {
    std::lock_guard lock(thread_mu_);
    thread_stop_ = true;
    t = std::move(consumer_);
  }
  thread_cv_.notify_all();
  if (t.joinable()) t.join();
}

}  // namespace wqlab::trace

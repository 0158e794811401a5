#include "engine/trace/recorder.h"

#include <chrono>

namespace wqlab::trace {

Recorder::Recorder(size_t ring_capacity, OverflowPolicy policy)
    : ring_(ring_capacity), policy_(policy) {}

Recorder::~Recorder() {
  stop_consumer();
  drain();
}

void Recorder::on_full(const Event& ev) {
  if (policy_.load(std::memory_order_relaxed) == OverflowPolicy::Drop) {
    lost_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  // Draining makes room unless another producer refills it first; then drain again.
  while (!ring_.try_push(ev)) drain();
}

size_t Recorder::drain() {
  std::lock_guard lock(consumer_mu_);
  return drain_locked();
}

size_t Recorder::drain_locked() {
  size_t n = ring_.drain([this](const Event& ev) {
    Event copy = ev;
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

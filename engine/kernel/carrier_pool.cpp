#include "engine/kernel/carrier_pool.h"

#include <algorithm>

namespace wqlab::kernel {

bool CarrierBudget::try_take() {
  size_t used = used_.load(std::memory_order_acquire);
  do {
    if (used >= cap_) return false;
  } while (!used_.compare_exchange_weak(used, used + 1, std::memory_order_acq_rel));
  return true;
}

size_t CarrierPool::cap() const {
  if (!budget_) return cap_;
  return cap_ == 0 ? budget_->cap() : std::min(cap_, budget_->cap());
}

Carrier* CarrierPool::acquire() {
  Carrier* c = nullptr;
  if (!free_.empty()) {
    c = free_.back();
    free_.pop_back();
  } else if ((cap_ == 0 || all_.size() < cap_) && (!budget_ || budget_->try_take())) {
    auto fresh = std::make_unique<Carrier>();
    fresh->id = next_id_++;
    c = fresh.get();
    all_.push_back(std::move(fresh));
    c->thread = std::thread(body_, c);
  } else {
    return nullptr;
  }
  if (busy() > peak_busy_) peak_busy_ = busy();
  return c;
}

std::vector<std::unique_ptr<Carrier>> CarrierPool::take_all() {
  free_.clear();
  return std::move(all_);
}

std::vector<std::unique_ptr<Carrier>> CarrierPool::take_free() {
  std::vector<std::unique_ptr<Carrier>> out;
  for (Carrier* c : free_) {
    auto it = std::find_if(all_.begin(), all_.end(), [c](const auto& p) { return p.get() == c; });
    out.push_back(std::move(*it));
    all_.erase(it);
  }
  free_.clear();
  return out;
}

}  // namespace wqlab::kernel

#include "engine/kernel/carrier_pool.h"

namespace wqlab::kernel {

Carrier* CarrierPool::acquire() {
  Carrier* c = nullptr;
  if (!free_.empty()) {
    c = free_.back();
    free_.pop_back();
  } else if (cap_ == 0 || all_.size() < cap_) {
    auto fresh = std::make_unique<Carrier>();
    fresh->id = static_cast<int>(all_.size());
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

}  // namespace wqlab::kernel

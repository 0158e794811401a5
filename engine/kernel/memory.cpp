#include "engine/kernel/memory.h"

namespace wqlab::kernel {

bool MemoryBudget::try_alloc(int64_t bytes) {
  std::lock_guard lock(mu_);
  if (pressure_ || bytes < 0 || used_ + bytes > budget_) return false;
  used_ += bytes;
  return true;
}

void MemoryBudget::free(int64_t bytes) {
  std::lock_guard lock(mu_);
  used_ -= bytes;
  if (used_ < 0) used_ = 0;
}

void MemoryBudget::set_pressure(bool on) {
  std::lock_guard lock(mu_);
  pressure_ = on;
}

bool MemoryBudget::pressure() const {
  std::lock_guard lock(mu_);
  return pressure_;
}

int64_t MemoryBudget::used() const {
  std::lock_guard lock(mu_);
  return used_;
}

}  // namespace wqlab::kernel

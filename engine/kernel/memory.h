// The machine's memory budget and the pressure switch that makes allocations fail.
// Models only what workqueues feel: kmalloc()/kthread creation returning -ENOMEM under pressure.
#pragma once

#include <cstdint>
#include <mutex>

namespace wqlab::kernel {

class MemoryBudget {
 public:
  explicit MemoryBudget(int64_t budget_bytes) : budget_(budget_bytes) {}

  // False (and nothing charged) under pressure or when the budget would be exceeded.
  bool try_alloc(int64_t bytes);
  void free(int64_t bytes);
  void set_pressure(bool on);
  bool pressure() const;
  int64_t used() const;
  int64_t budget() const { return budget_; }

 private:
  mutable std::mutex mu_;
  int64_t budget_;
  int64_t used_ = 0;
  bool pressure_ = false;
};

}  // namespace wqlab::kernel

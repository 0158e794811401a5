// The PID space: cyclic allocation below pid_max, as alloc_pid() does with idr_alloc_cyclic().
// Mirrors kernel/pid.c: alloc_pid(), free_pid(); pid 0 is the idle task and never allocated.
#pragma once

#include <cstdint>
#include <vector>

namespace wqlab::kernel {

class PidAllocator {
 public:
  explicit PidAllocator(int pid_max);

  // A free pid, or -kEAGAIN when every pid in [1, pid_max) is in use.
  int alloc();
  void free(int pid);
  bool in_use(int pid) const;
  int nr_in_use() const { return nr_in_use_; }
  int pid_max() const { return pid_max_; }
  // Pids that can ever be in use at once.
  int capacity() const { return pid_max_ - 1; }

 private:
  std::vector<uint8_t> used_;
  int pid_max_;
  int last_ = 0;  // the most recently allocated pid; the search continues after it
  int nr_in_use_ = 0;
};

}  // namespace wqlab::kernel

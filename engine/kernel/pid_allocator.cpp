#include "engine/kernel/pid_allocator.h"

#include "engine/kernel/types.h"

namespace wqlab::kernel {

PidAllocator::PidAllocator(int pid_max)
    : used_(static_cast<size_t>(pid_max), 0), pid_max_(pid_max) {}

int PidAllocator::alloc() {
  if (nr_in_use_ >= capacity()) return -kEAGAIN;
  // Cyclic search from last_+1; after wrapping, skip the low pids (RESERVED_PIDS) like Linux.
  int pid = last_ + 1;
  for (int tries = 0; tries < pid_max_; ++tries, ++pid) {
    if (pid >= pid_max_) pid = pid_max_ > RESERVED_PIDS + 1 ? RESERVED_PIDS : 1;
    if (!used_[static_cast<size_t>(pid)]) {
      used_[static_cast<size_t>(pid)] = 1;
      last_ = pid;
      ++nr_in_use_;
      return pid;
    }
  }
  // Every pid above RESERVED_PIDS is taken but some low one is free: Linux fails here too.
  return -kEAGAIN;
}

void PidAllocator::free(int pid) {
  if (pid <= 0 || pid >= pid_max_ || !used_[static_cast<size_t>(pid)]) return;
  used_[static_cast<size_t>(pid)] = 0;
  --nr_in_use_;
}

bool PidAllocator::in_use(int pid) const {
  return pid > 0 && pid < pid_max_ && used_[static_cast<size_t>(pid)];
}

}  // namespace wqlab::kernel

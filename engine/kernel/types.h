// Basic vocabulary of the simulated kernel: time, CPU masks, errno values, limits.
#pragma once

#include <bitset>
#include <cstdint>
#include <limits>

namespace wqlab::kernel {

using Nanos = int64_t;  // virtual time in nanoseconds
constexpr Nanos kForever = std::numeric_limits<Nanos>::max();

constexpr Nanos usecs(int64_t us) {
  return us * 1'000;
}
constexpr Nanos msecs(int64_t ms) {
  return ms * 1'000'000;
}
constexpr Nanos secs(int64_t s) {
  return s * 1'000'000'000;
}

constexpr int NR_CPUS = 256;       // the lab's CONFIG_NR_CPUS
constexpr int TASK_COMM_LEN = 16;  // include/linux/sched.h: 15 characters and the NUL
using CpuMask = std::bitset<NR_CPUS>;

// Linux errno values, independent of the host C library (Emscripten's differ).
enum Errno : int {
  kENOENT = 2,
  kEINTR = 4,
  kEAGAIN = 11,
  kENOMEM = 12,
  kEBUSY = 16,
  kEINVAL = 22,
};

// Linux's RESERVED_PIDS: after pid_max wraps, allocation restarts here.
constexpr int RESERVED_PIDS = 300;
constexpr int PID_MAX_DEFAULT = 32768;
constexpr int PID_MAX_LIMIT = 4 * 1024 * 1024;

}  // namespace wqlab::kernel

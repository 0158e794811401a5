// The trace layer's cheap clock: the CPU's time-stamp counter where there is one (x86: RDTSC
// after LFENCE, so it is not read ahead of earlier loads), the steady clock elsewhere. Ticks
// order events from different threads; ticks_to_ns() turns them into host nanoseconds with a
// rate calibrated once per process against the steady clock.
#pragma once

#include <chrono>
#include <cstdint>

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#define WQLAB_HAVE_TSC 1
#else
#define WQLAB_HAVE_TSC 0
#endif

namespace wqlab::trace {

inline int64_t steady_now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Monotonic on one thread; comparable across threads (an invariant, synchronised TSC).
inline uint64_t host_ticks() {
#if WQLAB_HAVE_TSC
  _mm_lfence();
  return __rdtsc();
#else
  return static_cast<uint64_t>(steady_now_ns());
#endif
}

// Host nanoseconds on the steady clock's scale for a host_ticks() reading.
int64_t ticks_to_ns(uint64_t ticks);
// The calibrated rate (1.0 without a TSC).
double ns_per_tick();

}  // namespace wqlab::trace

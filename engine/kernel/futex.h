// Parking a host thread on a 32-bit atomic word: the Linux futex directly, Emscripten's futex
// (Atomics.wait/notify) in the browser, std::atomic::wait elsewhere. libstdc++'s atomic::wait first
// spins with sched_yield(), which on a loaded host hands the core to other processes for whole time
// slices; a futex sleeps at once and the waker's futex wake puts the sleeper straight back on its
// core.
#pragma once

#include <atomic>
#include <cstdint>

#if defined(__linux__) && !defined(__EMSCRIPTEN__)
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>
#define WQLAB_HAVE_FUTEX 1
#else
#define WQLAB_HAVE_FUTEX 0
#endif
#if defined(__EMSCRIPTEN__)
#include <emscripten/threading.h>

#include <cmath>
#endif

namespace wqlab::kernel {

// Sleeps while `word` holds `old` (may return spuriously; callers re-check).
template <typename T>
inline void futex_wait(std::atomic<T>& word, T old) {
  static_assert(sizeof(T) == 4);
#if WQLAB_HAVE_FUTEX
  syscall(SYS_futex, reinterpret_cast<uint32_t*>(&word), FUTEX_WAIT_PRIVATE,
          static_cast<uint32_t>(old), nullptr, nullptr, 0);
#elif defined(__EMSCRIPTEN__)
  // libc++'s atomic::wait polls with backoff here (measured: a ring of 8 tasks passed ~50
  // batons a second); the futex parks the worker until the notify.
  emscripten_futex_wait(reinterpret_cast<volatile void*>(&word), static_cast<uint32_t>(old),
                        INFINITY);
#else
  word.wait(old, std::memory_order_acquire);
#endif
}

template <typename T>
inline void futex_wake(std::atomic<T>& word, int count) {
  static_assert(sizeof(T) == 4);
#if WQLAB_HAVE_FUTEX
  syscall(SYS_futex, reinterpret_cast<uint32_t*>(&word), FUTEX_WAKE_PRIVATE, count, nullptr,
          nullptr, 0);
#elif defined(__EMSCRIPTEN__)
  emscripten_futex_wake(reinterpret_cast<volatile void*>(&word), count);
#else
  if (count == 1) {
    word.notify_one();
  } else {
    word.notify_all();
  }
#endif
}

}  // namespace wqlab::kernel

// One-shot timers, as timer_list: mod_timer()/del_timer()/del_timer_sync(), optionally deferrable,
// and the timer wheel's rule for when one fires (kernel/time/timer.c). Callbacks run in timer
// (softirq) context: no current task, must not block.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>

#include "engine/kernel/types.h"

namespace wqlab::kernel {

class Kernel;

struct Timer {
  Timer() = default;
  Timer(std::function<void()> fn, std::string_view name, bool deferrable = false)
      : fn(std::move(fn)), name(name), deferrable(deferrable) {}
  Timer(const Timer&) = delete;
  Timer& operator=(const Timer&) = delete;

  std::function<void()> fn;
  std::string_view name;  // the callback's name in traces, e.g. "pool_mayday_timeout"
  // TIMER_DEFERRABLE: while every CPU is idle it waits; it runs when a CPU is next busy.
  bool deferrable = false;

  // S: scheduler lock.
  bool pending = false;
  bool running = false;  // callback in progress (realtime mode)
  Nanos expires = 0;     // timer->expires (a jiffy boundary for a timer_list)
  Nanos fires = 0;       // when it runs: its wheel bucket's expiry (hrtimer-style: expires)
  uint64_t seq = 0;
  int64_t id = 0;  // stable id for traces, assigned on first arm
};

// Where the timer wheel files a timer (kernel/time/timer.c, HZ > 100: 9 levels of 64 buckets).
struct WheelSlot {
  int level = 0;               // level n has a granularity of 8^n jiffies
  uint64_t bucket_expiry = 0;  // the jiffy its bucket is run: after `expires`, never before
};
// Mirrors calc_wheel_index() and calc_index(): the level follows the distance to `expires`, and
// the expiry is rounded up to the next granule of that level.
WheelSlot calc_wheel_index(uint64_t expires, uint64_t clk, int hz);

}  // namespace wqlab::kernel

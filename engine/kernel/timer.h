// One-shot timers, as timer_list: mod_timer()/del_timer()/del_timer_sync(), optionally deferrable.
// Callbacks run in timer (softirq) context: no current task, must not block.
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
  std::string_view name;    // the callback's name in traces, e.g. "pool_mayday_timeout"
  bool deferrable = false;  // TIMER_DEFERRABLE: does not keep an idle machine awake

  // S: scheduler lock.
  bool pending = false;
  bool running = false;  // callback in progress (realtime mode)
  Nanos expires = 0;
  uint64_t seq = 0;
  int64_t id = 0;  // stable id for traces, assigned on first arm
};

}  // namespace wqlab::kernel

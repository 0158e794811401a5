// One compact event record: what every engine step reports, in the order it happened.
// Models the kernel's trace ring entries (a tracepoint's fixed fields), not their text form.
#pragma once

#include <cstdint>

#include "engine/trace/event_kind.h"

namespace wqlab::trace {

// 64 bytes; strings travel as ids into the StringTable so the record stays fixed-size.
struct Event {
  uint64_t seq = 0;     // position in the stream, dense from 0
  int64_t time_ns = 0;  // virtual time
  int32_t pid = 0;      // task that emitted it; 0 = no task (timer/IRQ context or the driver)
  int16_t cpu = -1;     // virtual CPU of that task; -1 = none
  EventKind kind = EventKind::None;
  int64_t args[5] = {0, 0, 0, 0, 0};
};

static_assert(sizeof(Event) == 64, "keep Event compact: it is copied through the ring");

}  // namespace wqlab::trace

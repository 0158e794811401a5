#include "engine/trace/event_kind.h"

#include <array>

namespace wqlab::trace {
namespace {

#define WQLAB_ARG(pair) \
  ArgInfo {             \
    WQLAB_UNPACK pair   \
  }
#define WQLAB_UNPACK(type, label) type, label
#define WQLAB_X(name, text, a0, a1, a2, a3) \
  EventKindInfo{text, {WQLAB_ARG(a0), WQLAB_ARG(a1), WQLAB_ARG(a2), WQLAB_ARG(a3)}},

constexpr size_t kKinds = static_cast<size_t>(EventKind::Count);
const std::array<EventKindInfo, kKinds> kInfo = {
    {EventKindInfo{"none", {}}, WQLAB_EVENT_KINDS(WQLAB_X)}};

#undef WQLAB_X
#undef WQLAB_UNPACK
#undef WQLAB_ARG

}  // namespace

const EventKindInfo& event_kind_info(EventKind kind) {
  auto index = static_cast<size_t>(kind);
  return index < kKinds ? kInfo[index] : kInfo[0];
}

EventKind event_kind_by_name(std::string_view name) {
  for (size_t i = 1; i < kKinds; ++i) {
    if (kInfo[i].name == name) return static_cast<EventKind>(i);
  }
  return EventKind::None;
}

std::string_view block_reason_name(int64_t reason) {
  switch (static_cast<BlockReason>(reason)) {
    case BlockReason::Sleep:
      return "sleep";
    case BlockReason::WaitQueue:
      return "wait";
    case BlockReason::Mutex:
      return "mutex";
    case BlockReason::Completion:
      return "completion";
    case BlockReason::Stop:
      return "stop";
  }
  return "?";
}

}  // namespace wqlab::trace

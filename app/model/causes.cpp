// CauseIndex: the stored links, kept in event order for a binary search; and the rules' names.
#include "model/causes.h"

#include <algorithm>

namespace wqlab::model {

const char* cause_rule_name(CauseRule r) {
  switch (r) {
    case CauseRule::None:
      return "none";
    case CauseRule::Queued:
      return "queued";
    case CauseRule::Activated:
      return "activated";
    case CauseRule::Rescued:
      return "rescued";
    case CauseRule::Ran:
      return "ran";
    case CauseRule::ActivatedAtQueue:
      return "activated-at-queue";
    case CauseRule::ActivatedLater:
      return "activated-later";
    case CauseRule::TimerQueued:
      return "timer-queued";
    case CauseRule::TimerArmed:
      return "timer-armed";
    case CauseRule::WokenByTimer:
      return "woken-by-timer";
    case CauseRule::WokenBy:
      return "woken-by";
    case CauseRule::CmWakeup:
      return "cm-wakeup";
    case CauseRule::SleptInWork:
      return "slept-in-work";
    case CauseRule::ManagerWoke:
      return "manager-woke";
    case CauseRule::CreatedByManager:
      return "created-by-manager";
    case CauseRule::CreatedWithPool:
      return "created-with-pool";
    case CauseRule::RescuerOfWq:
      return "rescuer-of-wq";
    case CauseRule::KthreadFailed:
      return "kthread-failed";
    case CauseRule::NoMemory:
      return "no-memory";
    case CauseRule::NoPid:
      return "no-pid";
    case CauseRule::UnderPressure:
      return "under-pressure";
    case CauseRule::MaydayAfterFail:
      return "mayday-after-fail";
    case CauseRule::MaydaySlow:
      return "mayday-slow";
    case CauseRule::Mayday:
      return "mayday";
    case CauseRule::Rescue:
      return "rescue";
    case CauseRule::FlushWaited:
      return "flush-waited";
    case CauseRule::FlushImmediate:
      return "flush-immediate";
    case CauseRule::FlushWorkWaited:
      return "flush-work-waited";
    case CauseRule::Lockup:
      return "lockup";
    case CauseRule::WhileDraining:
      return "while-draining";
    case CauseRule::WarnInWork:
      return "warn-in-work";
    case CauseRule::CpuHog:
      return "cpu-hog";
    case CauseRule::PidSpaceFilled:
      return "pid-space-filled";
    case CauseRule::LegacyQueued:
      return "legacy-queued";
    case CauseRule::LegacyRan:
      return "legacy-ran";
    case CauseRule::Count:
      break;
  }
  return "?";
}

void CauseIndex::add(uint64_t event, uint64_t cause, CauseRule rule) {
  if (cause >= event || rule == CauseRule::None) return;
  if (!links_.empty() && links_.back().event == event) {
    links_.back() = {event, static_cast<uint32_t>(event - cause), rule};  // the last rule wins
    return;
  }
  links_.push_back({event, static_cast<uint32_t>(event - cause), rule});
}

Cause CauseIndex::stored(uint64_t event) const {
  auto it = std::lower_bound(links_.begin(), links_.end(), event,
                             [](const Link& l, uint64_t e) { return l.event < e; });
  if (it == links_.end() || it->event != event) return {};
  return {it->event - it->back, it->rule};
}

}  // namespace wqlab::model

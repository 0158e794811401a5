// Pacer: while a session plays, how far virtual time should have got by now (where it started
// plus wall time elapsed × speed), when pacing starts over (the machine cannot keep up, or time
// jumped), and when nothing has happened for so long that playing should jump to the next event.
// Driver thread only; one per session.
#pragma once

#include <chrono>

#include "engine/kernel/types.h"

namespace wqlab::session {

class Pacer {
 public:
  using Clock = std::chrono::steady_clock;

  // Starts over at the next target() (after a pause, a step, a jump).
  void reset() { anchored_ = false; }
  // The virtual time to run to at `wall`; the first call after reset() anchors at `now`.
  kernel::Nanos target(Clock::time_point wall, kernel::Nanos now, double speed);
  // After a slice that stopped at `reached` while aiming at `target`: `behind` when it stopped
  // early (its dispatch budget ran out), `active` when it recorded events. Returns true when
  // the caller should jump to the next event: nothing happened for a second of wall time.
  bool after_slice(Clock::time_point wall, kernel::Nanos target, kernel::Nanos reached, bool behind,
                   bool active, bool skip_quiet, double speed);

 private:
  bool anchored_ = false;
  Clock::time_point anchor_wall_;
  kernel::Nanos anchor_virtual_ = 0;
  Clock::time_point last_activity_;
};

}  // namespace wqlab::session

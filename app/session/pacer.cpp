// Pacer: wall time to virtual time while playing.
#include "session/pacer.h"

namespace wqlab::session {
namespace {
// How far behind the wall clock the machine may fall before pacing starts over.
constexpr double kMaxLagWallSeconds = 0.25;
constexpr auto kQuietBeforeSkip = std::chrono::seconds(1);
}  // namespace

kernel::Nanos Pacer::target(Clock::time_point wall, kernel::Nanos now, double speed) {
  if (!anchored_) {
    anchored_ = true;
    anchor_wall_ = wall;
    anchor_virtual_ = now;
    last_activity_ = wall;
  }
  const double elapsed = std::chrono::duration<double>(wall - anchor_wall_).count();
  return anchor_virtual_ + static_cast<kernel::Nanos>(elapsed * speed * 1e9);
}

bool Pacer::after_slice(Clock::time_point wall, kernel::Nanos target, kernel::Nanos reached,
                        bool behind, bool active, bool skip_quiet, double speed) {
  if (behind && static_cast<double>(target - reached) > kMaxLagWallSeconds * speed * 1e9)
    anchored_ = false;  // the machine cannot keep up at this speed: drop the backlog
  if (active) {
    last_activity_ = wall;
    return false;
  }
  if (!skip_quiet || wall - last_activity_ <= kQuietBeforeSkip) return false;
  anchored_ = false;  // after the jump, pacing starts from where it landed
  return true;
}

}  // namespace wqlab::session

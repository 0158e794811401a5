// The view commands every stage shares.
#include "stage/view_commands.h"

#include <cmath>

#include "views/why_bar.h"

namespace wqlab {
namespace {

// Held W/S: the span shrinks (grows) 5x per second; held A/D: 1.5 spans per second.
constexpr double kZoomPerSecond = 5.0;
constexpr double kPanPerSecond = 1.5;

}  // namespace

bool is_timeline_command(Command c) {
  return c == Command::kZoomIn || c == Command::kZoomOut || c == Command::kPanLeft ||
         c == Command::kPanRight || c == Command::kFitAll;
}

void run_timeline_command(Command c, float held_seconds, TimelineView& timeline) {
  switch (c) {
    case Command::kZoomIn:
      timeline.zoom_by(std::pow(kZoomPerSecond, -held_seconds));
      break;
    case Command::kZoomOut:
      timeline.zoom_by(std::pow(kZoomPerSecond, held_seconds));
      break;
    case Command::kPanLeft:
      timeline.pan_by(-kPanPerSecond * held_seconds);
      break;
    case Command::kPanRight:
      timeline.pan_by(kPanPerSecond * held_seconds);
      break;
    case Command::kFitAll:
      timeline.fit_all();
      break;
    default:
      break;
  }
}

bool run_machine_command(Command c, ViewContext& ctx, MachineRoomView& room) {
  switch (c) {
    case Command::kWhy:
      why_step(ctx);
      return true;
    case Command::kWhyBack:
      why_back(ctx);
      return true;
    case Command::kRoomPrev:
    case Command::kRoomNext:
      room.step_zoom(ctx, c == Command::kRoomNext ? 1 : -1);
      return true;
    default:
      return false;
  }
}

}  // namespace wqlab

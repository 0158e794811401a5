// The keymap's commands on one machine's views, the same in every stage: the timeline's zoom,
// pan and fit (W/S/A/D/F), Why? and back (Y/Backspace), the machine room's zoom ([/]).
#pragma once

#include "shell/commands.h"
#include "views/machine_room_view.h"
#include "views/timeline_view.h"
#include "views/view_context.h"

namespace wqlab {

// True if `c` is the timeline's zoom, pan or fit.
bool is_timeline_command(Command c);
// Zoom, pan or fit `timeline` (`held_seconds`: how long W/S/A/D was held this frame).
void run_timeline_command(Command c, float held_seconds, TimelineView& timeline);
// Why?, Why? back, or the room's previous/next zoom on the machine `ctx` shows; false for any
// other command.
bool run_machine_command(Command c, ViewContext& ctx, MachineRoomView& room);

}  // namespace wqlab

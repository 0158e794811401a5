// Pieces of the exposed state that describe what the views point at: the Why? trail and chain
// of the selected event, and the machine room's zoom and legacy layout.
#pragma once

#include <string>

#include "model/machine_model.h"
#include "views/machine_room_view.h"
#include "views/selection.h"

namespace wqlab {

// "why":{"event":N,"trail":[...],"chain":[...],"explanation":"..."} (event -1 while live).
std::string why_state_json(const model::MachineModel& m, const Selection& selection);
// "zoom":"...","legacy":{...} members of views.machineRoom.
std::string room_state_json(const MachineRoomView& room, const model::MachineModel& m,
                            const model::MachineState& s);

}  // namespace wqlab

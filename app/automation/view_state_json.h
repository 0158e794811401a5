// Pieces of the exposed state that describe what the views point at: the Why? trail and chain
// of the selected event, and the machine room's zoom and legacy layout.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "model/machine_model.h"
#include "views/machine_room_view.h"
#include "views/selection.h"

namespace wqlab {

// "why":{"event":N,"trail":[...],"chain":[...],"explanation":"..."} (event -1 while live).
std::string why_state_json(const model::MachineModel& m, const Selection& selection);
// views.machineRoom: what it drew, its mode, zoom and highlighted CPU, the legacy layout.
nlohmann::ordered_json room_state(const MachineRoomView& room, const model::MachineModel& m,
                                  const model::MachineState& s);

}  // namespace wqlab

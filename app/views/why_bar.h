// "Why?" in the views: the event at the selected moment, a button that jumps the shared moment
// (and selection) back to the event that caused it, the trail walked so far with Back, and the
// rule linking each step in one line. The causes themselves come from the model (model/why.h).
#pragma once

#include <cstdint>
#include <optional>

#include "views/view_context.h"

namespace wqlab {

// The event the views point at: the last one folded at the selected moment (none while live).
std::optional<uint64_t> selected_event(const ViewContext& ctx);
// The work item, worker, pool or workqueue `event` concerns (none if it concerns no object).
ObjectRef object_of_event(const model::MachineModel& m, const model::MachineState& s,
                          uint64_t event);
// Shows the machine right after `event` and selects what it concerns.
void show_event(ViewContext& ctx, uint64_t event);
// The walked trail if it still matches the moment shown, else nullptr.
const std::vector<uint64_t>* why_trail(const ViewContext& ctx);
// Jumps to the cause of the selected event (extending the trail); false if it has none.
bool why_step(ViewContext& ctx);
// Back to the previous step of the trail; false if there is none.
bool why_back(ViewContext& ctx);

// Why? and Back buttons, the trail as clickable crumbs, and the explanation of the last step.
// `compact`: one line of crumbs and the explanation, no buttons' captions (the event log).
void draw_why_bar(ViewContext& ctx, bool compact);
// A small "Why?" button for `event` (the event log's rows, the timeline): selects it and asks.
// `id` must be unique in the window. Returns true if it was pressed.
bool why_button(ViewContext& ctx, const char* id, uint64_t event);

}  // namespace wqlab

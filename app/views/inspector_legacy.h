// The inspector's pages for the legacy (pre-2.6.36) model: a workqueue thread (its
// cpu_workqueue_struct) and a workqueue_struct, field by field.
#pragma once

#include <cstdint>

#include "views/view_context.h"

namespace wqlab {

// Each draws the page and returns true if `pid` / `index` names a legacy thread / workqueue.
bool inspect_legacy_thread(ViewContext& ctx, int32_t pid);
bool inspect_legacy_workqueue(ViewContext& ctx, int32_t index);

}  // namespace wqlab

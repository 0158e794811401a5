// Escaping a string for the JSON the app exposes to tests (--state-json, window.wqlabStatus):
// the engine's one escaper.
#pragma once

#include "engine/trace/json_escape.h"

namespace wqlab {

using trace::json_escape;

}  // namespace wqlab

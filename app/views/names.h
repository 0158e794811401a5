// How the views name things: durations, pools, workqueue flags.
#pragma once

#include <cstdint>
#include <string>

#include "model/machine_state.h"

namespace wqlab {

// 0.0125 s -> "12.5 ms"; picks ns, us, ms or s.
std::string format_duration(model::Nanos ns);
// "pool 2 (CPU 0)", "pool 3 (CPU 0, highpri)", "pool 16 (unbound)".
std::string pool_name(const model::PoolInfo& p);
// "WQ_UNBOUND | WQ_MEM_RECLAIM", or "none".
std::string wq_flags_text(uint32_t flags);

}  // namespace wqlab

// Reconstructing the machine from an imported trace: which kworker belongs to which pool, which
// workqueue each item went through and which pool ran it, every item's queued -> activated ->
// started -> ended times, kworker run and sleep from the scheduler events, concurrency per pool,
// wq_monitor-like sums per workqueue, and the outliers. Nothing is invented: see machine.h.
#pragma once

#include "engine/import/machine.h"
#include "engine/import/records.h"

namespace wqlab::import {

TraceMachine reconstruct(const ParsedTrace& trace);

// The lab's pool id for a per-CPU pool (Linux 6.9+ numbering: two BH pools come first).
inline int32_t percpu_pool_id(int cpu, bool highpri) {
  return cpu * 4 + 2 + (highpri ? 1 : 0);
}

// Durations' count, min, median, 99th percentile, max and sum (sorts `v`).
Stats stats_of(std::vector<int64_t>& v);

}  // namespace wqlab::import

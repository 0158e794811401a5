// The pool predicates worker_thread() and bh_worker() share (kernel/workqueue.c).
// LOCKING: pool->lock.
#pragma once

#include "engine/wq/structs.h"

namespace wqlab::wq {

// need_more_worker(): work is pending and nobody in the pool is running it.
inline bool need_more_worker(const WorkerPool* pool) {
  return !pool->worklist.empty() && pool->nr_running == 0;
}

// keep_working(): go on with the next item while at most this worker runs.
inline bool keep_working(const WorkerPool* pool) {
  return !pool->worklist.empty() && pool->nr_running <= 1;
}

}  // namespace wqlab::wq

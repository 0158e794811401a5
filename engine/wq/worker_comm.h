// The name ps and /proc/PID/comm show for a kworker (kernel/workqueue.c: wq_worker_comm()):
// the task's comm, then "+<wq>" while it runs an item of <wq> or "-<wq>" for the last one it ran.
// Shared by the engine (live structures) and the views (folded events).
#pragma once

#include <string>
#include <string_view>

#include "engine/wq/wq_types.h"

namespace wqlab::wq {

// `desc` is worker->desc (empty: the worker never ran an item); proc_task_name() passes 64 bytes.
inline std::string worker_comm_with_desc(std::string_view comm, std::string_view desc,
                                         bool running) {
  std::string out(comm);
  if (desc.empty()) return out;
  out += running ? '+' : '-';
  out += desc.substr(0, WORKER_DESC_LEN - 1);
  if (out.size() > 63) out.resize(63);
  return out;
}

}  // namespace wqlab::wq

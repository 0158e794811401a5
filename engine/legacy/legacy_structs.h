// The two structures of the Linux 2.6.24 workqueue (kernel/workqueue.c): cpu_workqueue_struct, one
// per CPU of a workqueue, each with its own list and its own worker thread; and workqueue_struct,
// the array of them. There is no worker pool, no pool_workqueue, no max_active, no rescuer.
// Field tags follow the kernel's comments:
//   I: set at init, read-only after    L: cwq->lock    M: workqueue_mutex (the lab's registry)
// Not modelled: lockdep_map, the freezer (freezeable is recorded but never acted on).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/kernel/sync.h"
#include "engine/kernel/task.h"
#include "engine/wq/list.h"
#include "engine/wq/work.h"

namespace wqlab::legacy {

struct LegacyWorkqueue;

// The work_struct data word with 2.6.24's meaning: bit 0 is WORK_STRUCT_PENDING, the rest points
// at the cwq the item was last queued on (get_wq_data()). The lab stores the cwq's id in the high
// half instead of a pointer, so a fresh INIT_WORK() (payload 0xffffffff) means "no cwq".
constexpr uint64_t WORK_STRUCT_PENDING = wq::WORK_STRUCT_PENDING;  // bit 0, as in 2.6.24
constexpr uint64_t WORK_STRUCT_FLAG_MASK = 3;
constexpr int kCwqShift = wq::WORK_PAYLOAD_SHIFT;
constexpr uint32_t kNoCwq = wq::WORK_OFFQ_POOL_NONE;

inline int64_t data_cwq_id(uint64_t data) {
  auto id = static_cast<uint32_t>(data >> kCwqShift);
  return id == kNoCwq ? -1 : static_cast<int64_t>(id);
}

// struct cpu_workqueue_struct.
struct CpuWorkqueue {
  CpuWorkqueue() : worklist(this) {}
  CpuWorkqueue(const CpuWorkqueue&) = delete;
  CpuWorkqueue& operator=(const CpuWorkqueue&) = delete;

  kernel::SpinLock lock;
  wq::ListHead worklist;                       // L: queued items, run strictly in order
  kernel::WaitQueue more_work;                 // the thread sleeps here when worklist is empty
  wq::Work* current_work = nullptr;            // L: the item being run (wait_on_cpu_work)
  LegacyWorkqueue* wq = nullptr;               // I
  std::atomic<kernel::Task*> thread{nullptr};  // M: the worker thread; null when none
  int run_depth = 0;                           // L: run_workqueue() recursion depth

  // Lab additions.
  int cpu = 0;                    // I: the CPU slot (singlethread_cpu for ST)
  int id = -1;                    // I: stands in for the cwq pointer in work->data
  kernel::WaitQueue::Entry wait;  // worker_thread()'s DEFINE_WAIT, kept while it is parked
  bool stop_when_empty = false;   // L: asked to stop from outside a task (see cleanup)
};

// struct workqueue_struct.
struct LegacyWorkqueue {
  LegacyWorkqueue() : list(this) {}
  LegacyWorkqueue(const LegacyWorkqueue&) = delete;
  LegacyWorkqueue& operator=(const LegacyWorkqueue&) = delete;

  std::vector<std::unique_ptr<CpuWorkqueue>> cpu_wq;  // I: alloc_percpu(): one per possible CPU
  wq::ListHead list;                                  // M: on `workqueues` (MT only)
  std::string name;                                   // I
  int64_t name_id = 0;                                // I: interned for traces
  bool singlethread = false;                          // I
  bool freezeable = false;                            // I: recorded only
  int id = 0;                                         // I: creation order (lab)
  std::atomic<bool> destroyed{false};                 // lab: destroy_workqueue() has finished
};

}  // namespace wqlab::legacy

// The cmwq structures of kernel/workqueue.c and kernel/workqueue_internal.h: worker_pool,
// pool_workqueue, workqueue_struct, worker. Field tags follow the kernel's legend:
//   I: set at init, read-only after     L: pool->lock
//   WQ: wq->mutex                       MD: the mayday lock      A: the attach mutex
// Not modelled: per-node max_active (one node counter), sysfs files, lockdep (a recursion check
// stands in).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/kernel/sync.h"
#include "engine/kernel/task.h"
#include "engine/kernel/timer.h"
#include "engine/wq/list.h"
#include "engine/wq/work.h"
#include "engine/wq/wq_types.h"

namespace wqlab::wq {

class Cmwq;
struct Worker;
struct Workqueue;

// struct workqueue_attrs.
struct WorkqueueAttrs {
  int nice = 0;
  kernel::CpuMask cpumask;      // allowed CPUs
  kernel::CpuMask pod_cpumask;  // __pod_cpumask: the pod this pool serves
  bool affn_strict = false;
  int affn_scope = WQ_AFFN_DFL;  // workqueue attrs only; pools ignore it
  bool ordered = false;
  bool operator==(const WorkqueueAttrs& o) const {
    return nice == o.nice && cpumask == o.cpumask && pod_cpumask == o.pod_cpumask &&
           affn_strict == o.affn_strict;  // wqattrs_equal() ignores `ordered` and the scope
  }
};

// struct wq_pod_type: the CPUs grouped by one affinity scope.
struct WqPodType {
  int nr_pods = 0;
  std::vector<kernel::CpuMask> pod_cpus;  // pod -> its CPUs
  std::vector<int> cpu_pod;               // CPU -> its pod
};

// An ida: the smallest free id.
class IdAllocator {
 public:
  int alloc();
  void free(int id);

 private:
  std::vector<bool> used_;
};

// struct worker_pool.
struct WorkerPool {
  WorkerPool() : worklist(this), idle_list(this), workers(this) {}
  static size_t busy_bucket(const Work* work) {
    return (reinterpret_cast<uintptr_t>(work) >> 4) & ((size_t{1} << BUSY_WORKER_HASH_ORDER) - 1);
  }

  kernel::SpinLock lock;
  int cpu = -1;              // I: -1 for unbound pools
  int node = 0;              // I
  int id = -1;               // I
  unsigned flags = 0;        // L (X in Linux)
  uint64_t watchdog_ts = 0;  // L: jiffies of the last forward progress
  bool cpu_stall = false;    // the watchdog found this per-CPU pool stuck

  ListHead worklist;   // L: active work items of every wq that maps here
  int nr_workers = 0;  // L
  int nr_idle = 0;     // L
  int nr_running = 0;  // L (the lab always takes pool->lock for it)

  ListHead idle_list;          // L: LIFO
  kernel::Timer idle_timer;    // L: deferrable
  kernel::Timer mayday_timer;  // L
  Work idle_cull_work;

  static constexpr int BUSY_WORKER_HASH_ORDER = 6;
  std::array<ListHead, 1 << BUSY_WORKER_HASH_ORDER> busy_hash;  // L: busy workers by work address
  Worker* manager = nullptr;                                    // L
  ListHead workers;                                             // A: attached workers
  IdAllocator worker_ida;
  WorkqueueAttrs attrs;  // I
  int refcnt = 1;

  Cmwq* cmwq = nullptr;  // I
};

// struct pool_workqueue: one workqueue's link to one pool.
struct PoolWorkqueue {
  PoolWorkqueue() : inactive_works(this), pending_node(this), pwqs_node(this), mayday_node(this) {}

  WorkerPool* pool = nullptr;             // I
  Workqueue* wq = nullptr;                // I
  int id = -1;                            // I: stands in for the pointer bits in work->data
  int cpu = -1;                           // I: the CPU slot it serves (-1: dfl_pwq)
  int work_color = 0;                     // L
  int flush_color = -1;                   // L
  int refcnt = 1;                         // L
  int nr_in_flight[WORK_NR_COLORS] = {};  // L
  bool plugged = false;                   // L
  int nr_active = 0;                      // L
  ListHead inactive_works;                // L
  ListHead pending_node;                  // LN: on nna->pending_pwqs
  ListHead pwqs_node;                     // WR: on wq->pwqs
  ListHead mayday_node;                   // MD: on wq->maydays
  uint64_t stats[PWQ_NR_STATS] = {};      // L
};

// struct wq_flusher.
struct WqFlusher {
  WqFlusher() : list(this) {}
  ListHead list;  // WQ
  int flush_color = -1;
  kernel::Completion done;
};

// struct wq_node_nr_active: unbound max_active, shared by the wq's pwqs (one node here).
struct WqNodeNrActive {
  WqNodeNrActive() : pending_pwqs(this) {}
  std::atomic<int> max{0};
  std::atomic<int> nr{0};
  kernel::SpinLock lock;
  ListHead pending_pwqs;  // LN
};

// struct workqueue_struct.
struct Workqueue {
  Workqueue()
      : pwqs(this), list(this), flusher_queue(this), flusher_overflow(this), maydays(this) {}

  ListHead pwqs;  // WR: all pwqs, oldest first
  ListHead list;  // PR: on the global workqueues list
  kernel::Mutex mutex;
  int work_color = 0;   // WQ
  int flush_color = 0;  // WQ
  std::atomic<int> nr_pwqs_to_flush{0};
  std::atomic<WqFlusher*> first_flusher{nullptr};  // WQ
  ListHead flusher_queue;                          // WQ
  ListHead flusher_overflow;                       // WQ
  ListHead maydays;                                // MD
  Worker* rescuer = nullptr;                       // MD (I once set)
  int nr_drainers = 0;                             // WQ
  std::atomic<int> max_active{0};
  std::atomic<int> min_active{0};
  int saved_max_active = 0;          // WQ
  int saved_min_active = 0;          // WQ
  WorkqueueAttrs unbound_attrs;      // PW
  PoolWorkqueue* dfl_pwq = nullptr;  // PW
  std::string name;                  // I
  int64_t name_id = 0;               // I: interned for traces
  std::atomic<unsigned> flags{0};    // WQ
  int id = 0;                        // I: creation order
  // PWR: per-CPU slot (bound and unbound); hotplug re-picks unbound slots while others queue.
  std::unique_ptr<std::atomic<PoolWorkqueue*>[]> cpu_pwq;
  std::unique_ptr<WqNodeNrActive> node_nr_active;  // I: unbound only
  Cmwq* cmwq = nullptr;                            // I
  std::atomic<bool> destroyed{false};              // lab: set after destroy_workqueue()

  PoolWorkqueue* pwq_of(int cpu) const {
    return cpu_pwq[static_cast<size_t>(cpu)].load(std::memory_order_acquire);
  }
};

// struct worker (kernel/workqueue_internal.h).
struct Worker {
  Worker() : entry(this), hentry(this), scheduled(this), node(this) {}

  ListHead entry;                              // L: on the idle list, or the dying list
  ListHead hentry;                             // L: in pool->busy_hash while running a work item
  Work* current_work = nullptr;                // L
  std::shared_ptr<const WorkFn> current_func;  // L: the function being run
  PoolWorkqueue* current_pwq = nullptr;        // L
  kernel::Nanos current_at = 0;  // runtime at start or last wake-up (CPU-hog detection)
  int current_color = 0;         // L
  std::atomic<int> sleeping{0};
  bool traced_sleep = false;  // lab: a wq_worker_sleeping event was emitted for the current block
  int64_t last_func = 0;      // L
  ListHead scheduled;         // L: items this worker runs next
  kernel::Task* task = nullptr;    // I
  WorkerPool* pool = nullptr;      // A
  ListHead node;                   // A: on pool->workers
  uint64_t last_active = 0;        // L: jiffies
  unsigned flags = 0;              // L
  int id = -1;                     // I
  Workqueue* desc = nullptr;       // L: the workqueue whose name ps shows after the comm
  Workqueue* rescue_wq = nullptr;  // I: rescuers only
};

}  // namespace wqlab::wq

// Flags, limits and bit layouts of the Linux 6.12 workqueue (include/linux/workqueue.h,
// kernel/workqueue.c's enums), with the kernel's names and values.
#pragma once

#include <cstdint>

namespace wqlab::wq {

// enum wq_flags
enum : unsigned {
  WQ_BH = 1u << 0,  // run in softirq context on the queueing CPU (tasklets' successor, v6.9+)
  WQ_UNBOUND = 1u << 1,
  WQ_FREEZABLE = 1u << 2,
  WQ_MEM_RECLAIM = 1u << 3,
  WQ_HIGHPRI = 1u << 4,
  WQ_CPU_INTENSIVE = 1u << 5,
  WQ_SYSFS = 1u << 6,
  WQ_POWER_EFFICIENT = 1u << 7,
  __WQ_DESTROYING = 1u << 15,
  __WQ_DRAINING = 1u << 16,
  __WQ_ORDERED = 1u << 17,
  __WQ_LEGACY = 1u << 18,
  __WQ_BH_ALLOWS = WQ_BH | WQ_HIGHPRI,  // the only flags a BH workqueue may have
};

// enum wq_affn_scope: how unbound workqueues group CPUs into pods (v6.5+).
enum WqAffnScope : int {
  WQ_AFFN_DFL,  // follow the workqueue.default_affinity_scope parameter
  WQ_AFFN_CPU,
  WQ_AFFN_SMT,
  WQ_AFFN_CACHE,
  WQ_AFFN_NUMA,
  WQ_AFFN_SYSTEM,
  WQ_AFFN_NR_TYPES,
};
// wq_affn_names[]: the names sysfs and the boot parameter use; -1 for an unknown name.
const char* wq_affn_name(int scope);
int parse_affn_scope(const char* name);

// enum wq_consts
constexpr int WQ_MAX_ACTIVE = 512;
constexpr int WQ_UNBOUND_MAX_ACTIVE = WQ_MAX_ACTIVE;
constexpr int WQ_DFL_ACTIVE = WQ_MAX_ACTIVE / 2;
constexpr int WQ_DFL_MIN_ACTIVE = 8;
constexpr int WQ_NAME_LEN = 32;

// enum work_bits / work_flags: the low bits of work_struct->data.
enum : uint64_t {
  WORK_STRUCT_PENDING = 1u << 0,   // owned by the queueing machinery
  WORK_STRUCT_INACTIVE = 1u << 1,  // on pwq->inactive_works, held back by max_active
  WORK_STRUCT_PWQ = 1u << 2,       // data holds a pwq (queued) rather than a pool id
  WORK_STRUCT_LINKED = 1u << 3,    // the next work must run right after this one
  WORK_STRUCT_FLAG_MASK = 0xf,
};
constexpr int WORK_STRUCT_COLOR_SHIFT = 4;
constexpr int WORK_STRUCT_COLOR_BITS = 4;
constexpr int WORK_NR_COLORS = 1 << WORK_STRUCT_COLOR_BITS;  // 16 flush colors
// Off-queue layout: disable depth above the flags, pool id in the high half.
constexpr int WORK_OFFQ_DISABLE_SHIFT = 8;
constexpr int WORK_OFFQ_DISABLE_BITS = 16;
constexpr uint64_t WORK_OFFQ_LEFT_MASK = (uint64_t{1} << WORK_OFFQ_DISABLE_BITS) - 1;
constexpr int WORK_PAYLOAD_SHIFT = 32;  // pwq id (queued) or pool id (off queue)
constexpr uint32_t WORK_OFFQ_POOL_NONE = 0xffffffffu;

constexpr int WORK_CPU_UNBOUND = 256;  // NR_CPUS: "local CPU preferred"

// enum wq_internal_consts and pool/worker flags (kernel/workqueue.c).
enum : unsigned {
  POOL_BH = 1u << 0,  // a per-CPU BH pool: always DISASSOCIATED, run from softirq
  POOL_MANAGER_ACTIVE = 1u << 1,
  POOL_DISASSOCIATED = 1u << 2,
};
enum : unsigned {
  WORKER_DIE = 1u << 1,
  WORKER_IDLE = 1u << 2,
  WORKER_PREP = 1u << 3,
  WORKER_CPU_INTENSIVE = 1u << 6,
  WORKER_UNBOUND = 1u << 7,
  WORKER_REBOUND = 1u << 8,
  WORKER_NOT_RUNNING = WORKER_PREP | WORKER_CPU_INTENSIVE | WORKER_UNBOUND | WORKER_REBOUND,
};
constexpr int NR_STD_WORKER_POOLS = 2;
constexpr int MAX_IDLE_WORKERS_RATIO = 4;
constexpr int HIGHPRI_NICE_LEVEL = -20;  // MIN_NICE
constexpr int RESCUER_NICE_LEVEL = -20;
// Per-CPU pool ids: Linux 6.12 gives each CPU its two BH pools first (workqueue_init_early()),
// then the normal and highpri pools.
constexpr int POOLS_PER_CPU_IDS = 4;
// bh_worker()'s budget per softirq run: "We don't want to trap softirq for too long".
constexpr int64_t BH_WORKER_MSECS = 2;  // BH_WORKER_JIFFIES = msecs_to_jiffies(2)
constexpr int BH_WORKER_RESTARTS = 10;
constexpr int WORKER_DESC_LEN = 32;  // worker->desc: the workqueue name ps shows after the comm

// Time constants in jiffies depend on HZ; see Cmwq::idle_worker_timeout() and friends.
constexpr int IDLE_WORKER_TIMEOUT_SECS = 300;
constexpr int WQ_WATCHDOG_THRESH_SECS = 30;
constexpr int64_t WQ_CPU_INTENSIVE_THRESH_US = 10000;

// enum pool_workqueue_stats (what wq_monitor.py reads).
enum PwqStat : int {
  PWQ_STAT_STARTED,
  PWQ_STAT_COMPLETED,
  PWQ_STAT_CPU_TIME,
  PWQ_STAT_CPU_INTENSIVE,
  PWQ_STAT_CM_WAKEUP,
  PWQ_STAT_REPATRIATED,
  PWQ_STAT_MAYDAY,
  PWQ_STAT_RESCUED,
  PWQ_NR_STATS,
};

// work_busy() bits.
enum : unsigned { WORK_BUSY_PENDING = 1u << 0, WORK_BUSY_RUNNING = 1u << 1 };

// cancel flags.
enum : unsigned { WORK_CANCEL_DELAYED = 1u << 0, WORK_CANCEL_DISABLE = 1u << 1 };

}  // namespace wqlab::wq

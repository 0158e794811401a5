// EEVDF, the fair scheduling class of Linux 6.12 (kernel/sched/fair.c), on one CPU's run queue:
// weights from nice, vruntime, lag and eligibility, virtual deadlines, RUN_TO_PARITY,
// PREEMPT_SHORT's slice check, DELAY_DEQUEUE with DELAY_ZERO, and wake-up preemption. Plain data
// and functions with the kernel's names; the deterministic scheduler (sched_det_cpus.cpp) decides
// when to call them, as kernel/sched/core.c does.
// Not modelled: task groups (cgroups), PELT load averages, custom slices (sched_attr), the
// NEXT_BUDDY feature (off by default), SCHED_BATCH and SCHED_IDLE.
#pragma once

#include <cstdint>
#include <set>

#include "engine/kernel/task.h"

namespace wqlab::kernel {

constexpr uint32_t NICE_0_LOAD = 1024;

// sched_prio_to_weight[] and sched_prio_to_wmult[] (kernel/sched/core.c), indexed by nice.
uint32_t nice_to_weight(int nice);
uint32_t nice_to_wmult(int nice);
// Mirrors kernel/sched/core.c: set_load_weight(), from p.nice.
void set_load_weight(Task& p);

// sysctl_sched_base_slice after update_sysctl(): 0.75 ms * (1 + ilog2(min(online CPUs, 8)))
// (SCHED_TUNABLESCALING_LOG, the default).
Nanos sched_base_slice(int nr_online_cpus);

// Mirrors kernel/sched/fair.c: calc_delta_fair(): delta * NICE_0_LOAD / weight, with the rounding
// of __calc_delta()'s fixed-point multiply.
uint64_t calc_delta_fair(uint64_t delta, const SchedEntity& se);

// enqueue_task()/dequeue_task() flags that matter here (kernel/sched/sched.h).
enum : unsigned {
  ENQUEUE_WAKEUP = 1u << 0,
  ENQUEUE_MIGRATED = 1u << 1,
  DEQUEUE_SLEEP = 1u << 0,
  DEQUEUE_SPECIAL = 1u << 1,  // a dying task: never delayed
  DEQUEUE_DELAYED = 1u << 2,  // finishing a DELAY_DEQUEUE
};

// struct cfs_rq, one per CPU (no task groups, so it is also the rq's only fair queue).
struct CfsRq {
  struct ByDeadline {
    bool operator()(const Task* a, const Task* b) const;
  };
  std::set<Task*, ByDeadline> tasks_timeline;  // the rb-tree: queued entities except curr
  Task* curr = nullptr;                        // the entity that has the CPU (cfs_rq->curr)
  unsigned nr_running = 0;                     // entities on_rq, curr and delayed ones included
  uint64_t min_vruntime = 0;                   // monotonic base of the avg_vruntime sums
  int64_t avg_vruntime = 0;                    // \Sum (v_i - min_vruntime) * w_i over the tree
  int64_t avg_load = 0;                        // \Sum w_i over the tree
  Nanos base_slice = 750'000;                  // sysctl_sched_base_slice
  Nanos tick_nsec = 1'000'000;                 // TICK_NSEC: the lag limit's floor
  bool need_resched = false;                   // TIF_NEED_RESCHED on the CPU's current fair task
  Task* next = nullptr;  // the next buddy: the lab's sandbox sets it (Kernel::pick_next())
  uint64_t next_seq = 0;
};

// V, the weighted average vruntime of the queue, curr included (kernel/sched/fair.c).
uint64_t avg_vruntime(const CfsRq& cfs_rq);
bool vruntime_eligible(const CfsRq& cfs_rq, uint64_t vruntime);
bool entity_eligible(const CfsRq& cfs_rq, const Task& se);
void update_entity_lag(const CfsRq& cfs_rq, Task& se);
void update_min_vruntime(CfsRq& cfs_rq);

// The entity pick_eevdf() chooses: curr while RUN_TO_PARITY protects it, otherwise the eligible
// entity with the earliest virtual deadline. Null only for an empty queue.
Task* pick_eevdf(const CfsRq& cfs_rq);

// Charges curr for the time since it was last charged (its runtime, vruntime and what is left of
// its compute_for()), gives it a new slice once its deadline has passed and asks for a resched
// when another entity should run. Returns the time charged.
Nanos update_curr(CfsRq& cfs_rq, Nanos now);

void place_entity(CfsRq& cfs_rq, Task& se, unsigned flags);
void enqueue_entity(CfsRq& cfs_rq, Task& se, unsigned flags, Nanos now);
// False when DELAY_DEQUEUE keeps a sleeping, not eligible entity queued (se.sched_delayed).
bool dequeue_entity(CfsRq& cfs_rq, Task& se, unsigned flags, Nanos now);
// A delayed entity is woken: it competes on from where it is, with positive lag dropped.
void requeue_delayed_entity(CfsRq& cfs_rq, Task& se);
void set_next_entity(CfsRq& cfs_rq, Task& se, Nanos now);
void put_prev_entity(CfsRq& cfs_rq, Task& prev, Nanos now);
// True when `p`, just enqueued, should take the CPU from curr (it also sets need_resched).
bool check_preempt_wakeup_fair(CfsRq& cfs_rq, Task& p, Nanos now);

}  // namespace wqlab::kernel

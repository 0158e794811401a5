// EEVDF's arithmetic and run-queue operations, as kernel/sched/fair.c of Linux 6.12 has them.
#include "engine/kernel/sched_fair.h"

#include <algorithm>

namespace wqlab::kernel {

namespace {

// kernel/sched/core.c, five nice levels a row from -20 to 19.
// clang-format off
constexpr uint32_t kPrioToWeight[40] = {
 /* -20 */     88761,     71755,     56483,     46273,     36291,
 /* -15 */     29154,     23254,     18705,     14949,     11916,
 /* -10 */      9548,      7620,      6100,      4904,      3906,
 /*  -5 */      3121,      2501,      1991,      1586,      1277,
 /*   0 */      1024,       820,       655,       526,       423,
 /*   5 */       335,       272,       215,       172,       137,
 /*  10 */       110,        87,        70,        56,        45,
 /*  15 */        36,        29,        23,        18,        15,
};
constexpr uint32_t kPrioToWmult[40] = {
 /* -20 */     48388,     59856,     76040,     92818,    118348,
 /* -15 */    147320,    184698,    229616,    287308,    360437,
 /* -10 */    449829,    563644,    704093,    875809,   1099582,
 /*  -5 */   1376151,   1717300,   2157191,   2708050,   3363326,
 /*   0 */   4194304,   5237765,   6557202,   8165337,  10153587,
 /*   5 */  12820798,  15790321,  19976592,  24970740,  31350126,
 /*  10 */  39045157,  49367440,  61356676,  76695844,  95443717,
 /*  15 */ 119304647, 148102320, 186737708, 238609294, 286331153,
};
// clang-format on
constexpr Nanos kNormalizedBaseSlice = 750'000;  // normalized_sysctl_sched_base_slice

size_t prio(int nice) {
  return static_cast<size_t>(std::clamp(nice, -20, 19) + 20);
}

int fls32(uint32_t x) {
  int n = 0;
  while (x != 0) {
    ++n;
    x >>= 1;
  }
  return n;
}

// Mirrors kernel/sched/fair.c: __calc_delta(delta_exec, weight, lw).
uint64_t calc_delta(uint64_t delta_exec, uint32_t weight, uint32_t inv_weight) {
  uint64_t fact = weight;
  int shift = 32;  // WMULT_SHIFT
  fact = fact * inv_weight;
  if (auto hi = static_cast<uint32_t>(fact >> 32); hi != 0) {
    int fs = fls32(hi);
    shift -= fs;
    fact >>= fs;
  }
  // mul_u64_u32_shr()
  return static_cast<uint64_t>((static_cast<unsigned __int128>(delta_exec) * fact) >> shift);
}

int64_t entity_key(const CfsRq& cfs_rq, const Task& se) {
  return static_cast<int64_t>(se.se.vruntime - cfs_rq.min_vruntime);
}

void avg_vruntime_add(CfsRq& cfs_rq, const Task& se) {
  cfs_rq.avg_vruntime += entity_key(cfs_rq, se) * se.se.weight;
  cfs_rq.avg_load += se.se.weight;
}

void avg_vruntime_sub(CfsRq& cfs_rq, const Task& se) {
  cfs_rq.avg_vruntime -= entity_key(cfs_rq, se) * se.se.weight;
  cfs_rq.avg_load -= se.se.weight;
}

void __enqueue_entity(CfsRq& cfs_rq, Task& se) {
  avg_vruntime_add(cfs_rq, se);
  se.se.rb_seq = cfs_rq.next_seq++;
  cfs_rq.tasks_timeline.insert(&se);
}

void __dequeue_entity(CfsRq& cfs_rq, Task& se) {
  cfs_rq.tasks_timeline.erase(&se);
  avg_vruntime_sub(cfs_rq, se);
}

// Mirrors entity_lag(): the lag is limited to two slices (at least a tick), in virtual time.
int64_t entity_lag(const CfsRq& cfs_rq, uint64_t avruntime, const Task& se) {
  auto vlag = static_cast<int64_t>(avruntime - se.se.vruntime);
  auto limit = static_cast<int64_t>(calc_delta_fair(
      static_cast<uint64_t>(std::max<Nanos>(2 * se.se.slice, cfs_rq.tick_nsec)), se.se));
  return std::clamp(vlag, -limit, limit);
}

// Mirrors update_deadline(): once vruntime reaches the deadline, a new slice (request).
bool update_deadline(const CfsRq& cfs_rq, Task& se) {
  if (static_cast<int64_t>(se.se.vruntime - se.se.deadline) < 0) return false;
  se.se.slice = cfs_rq.base_slice;
  se.se.deadline = se.se.vruntime + calc_delta_fair(static_cast<uint64_t>(se.se.slice), se.se);
  return true;
}

// Mirrors did_preempt_short() (PREEMPT_SHORT): curr has lost its RUN_TO_PARITY protection and is
// no longer eligible.
bool did_preempt_short(const CfsRq& cfs_rq, const Task& curr) {
  if (curr.se.vlag == static_cast<int64_t>(curr.se.deadline)) return false;
  return !entity_eligible(cfs_rq, curr);
}

// Mirrors finish_delayed_dequeue_entity() with DELAY_ZERO: positive lag does not survive.
void finish_delayed_dequeue_entity(Task& se) {
  se.se.sched_delayed = false;
  if (se.se.vlag > 0) se.se.vlag = 0;
}

}  // namespace

bool CfsRq::ByDeadline::operator()(const Task* a, const Task* b) const {
  // entity_before(); equal deadlines keep their insertion order (the rb-tree puts them right).
  auto d = static_cast<int64_t>(a->se.deadline - b->se.deadline);
  if (d != 0) return d < 0;
  return a->se.rb_seq < b->se.rb_seq;
}

uint32_t nice_to_weight(int nice) {
  return kPrioToWeight[prio(nice)];
}

uint32_t nice_to_wmult(int nice) {
  return kPrioToWmult[prio(nice)];
}

void set_load_weight(Task& p) {
  p.se.weight = nice_to_weight(p.nice);
  p.se.inv_weight = nice_to_wmult(p.nice);
}

// Mirrors get_update_sysctl_factor() and update_sysctl().
Nanos sched_base_slice(int nr_online_cpus) {
  int cpus = std::clamp(nr_online_cpus, 1, 8);
  int ilog2 = 0;
  while ((2 << ilog2) <= cpus) ++ilog2;
  return kNormalizedBaseSlice * (1 + ilog2);
}

uint64_t calc_delta_fair(uint64_t delta, const SchedEntity& se) {
  if (se.weight != NICE_0_LOAD) delta = calc_delta(delta, NICE_0_LOAD, se.inv_weight);
  return delta;
}

// Mirrors avg_vruntime(): the division has a left bias, so avg_vruntime() + 0 is eligible.
uint64_t avg_vruntime(const CfsRq& cfs_rq) {
  int64_t avg = cfs_rq.avg_vruntime;
  int64_t load = cfs_rq.avg_load;
  if (const Task* curr = cfs_rq.curr; curr != nullptr && curr->se.on_rq) {
    avg += entity_key(cfs_rq, *curr) * curr->se.weight;
    load += curr->se.weight;
  }
  if (load != 0) {
    if (avg < 0) avg -= load - 1;  // sign flips effective floor / ceil
    avg /= load;
  }
  return cfs_rq.min_vruntime + static_cast<uint64_t>(avg);
}

// Mirrors vruntime_eligible(): lag >= 0, compared without the division's rounding.
bool vruntime_eligible(const CfsRq& cfs_rq, uint64_t vruntime) {
  int64_t avg = cfs_rq.avg_vruntime;
  int64_t load = cfs_rq.avg_load;
  if (const Task* curr = cfs_rq.curr; curr != nullptr && curr->se.on_rq) {
    avg += entity_key(cfs_rq, *curr) * curr->se.weight;
    load += curr->se.weight;
  }
  return avg >= static_cast<int64_t>(vruntime - cfs_rq.min_vruntime) * load;
}

bool entity_eligible(const CfsRq& cfs_rq, const Task& se) {
  return vruntime_eligible(cfs_rq, se.se.vruntime);
}

void update_entity_lag(const CfsRq& cfs_rq, Task& se) {
  se.se.vlag = entity_lag(cfs_rq, avg_vruntime(cfs_rq), se);
}

// Mirrors update_min_vruntime(): follows the smallest vruntime queued, never backwards.
void update_min_vruntime(CfsRq& cfs_rq) {
  Task* curr = cfs_rq.curr;
  uint64_t vruntime = cfs_rq.min_vruntime;
  if (curr != nullptr) {
    if (curr->se.on_rq) {
      vruntime = curr->se.vruntime;
    } else {
      curr = nullptr;
    }
  }
  if (!cfs_rq.tasks_timeline.empty()) {
    uint64_t tree_min = (*cfs_rq.tasks_timeline.begin())->se.vruntime;  // the root's min_vruntime
    for (const Task* t : cfs_rq.tasks_timeline)
      if (static_cast<int64_t>(t->se.vruntime - tree_min) < 0) tree_min = t->se.vruntime;
    if (curr == nullptr || static_cast<int64_t>(tree_min - vruntime) < 0) vruntime = tree_min;
  }
  // __update_min_vruntime(): keep the sums relative to the new base.
  auto delta = static_cast<int64_t>(vruntime - cfs_rq.min_vruntime);
  if (delta > 0) {
    cfs_rq.avg_vruntime -= cfs_rq.avg_load * delta;
    cfs_rq.min_vruntime = vruntime;
  }
}

// Mirrors pick_eevdf(). The rb-tree's heap search finds the eligible entity with the earliest
// deadline; the tree is small here, so the lab walks it in deadline order.
Task* pick_eevdf(const CfsRq& cfs_rq) {
  Task* se = cfs_rq.tasks_timeline.empty() ? nullptr : *cfs_rq.tasks_timeline.begin();
  Task* curr = cfs_rq.curr;
  if (cfs_rq.nr_running == 1) return curr != nullptr && curr->se.on_rq ? curr : se;
  if (curr != nullptr && (!curr->se.on_rq || !entity_eligible(cfs_rq, *curr))) curr = nullptr;
  // RUN_TO_PARITY: once picked, run until not eligible or a new slice (set_next_entity's mark).
  if (curr != nullptr && curr->se.vlag == static_cast<int64_t>(curr->se.deadline)) return curr;
  Task* best = nullptr;
  for (Task* t : cfs_rq.tasks_timeline) {
    if (entity_eligible(cfs_rq, *t)) {
      best = t;
      break;
    }
  }
  // entity_before(curr, best): strictly the earlier deadline.
  if (best == nullptr ||
      (curr != nullptr && static_cast<int64_t>(curr->se.deadline - best->se.deadline) < 0))
    best = curr;
  return best;
}

// Mirrors update_curr() (with update_curr_se()).
Nanos update_curr(CfsRq& cfs_rq, Nanos now) {
  Task* curr = cfs_rq.curr;
  if (curr == nullptr) return 0;
  Nanos delta_exec = now - curr->se.exec_start;
  if (delta_exec <= 0) return 0;
  curr->se.exec_start = now;
  curr->sum_exec_runtime += delta_exec;
  // Lab: only compute_for() takes time, so the time charged is also compute done.
  curr->compute_left = std::max<Nanos>(0, curr->compute_left - delta_exec);
  curr->se.vruntime += calc_delta_fair(static_cast<uint64_t>(delta_exec), curr->se);
  bool resched = update_deadline(cfs_rq, *curr);
  update_min_vruntime(cfs_rq);
  if (cfs_rq.nr_running == 1) return delta_exec;
  if (resched || did_preempt_short(cfs_rq, *curr)) cfs_rq.need_resched = true;
  return delta_exec;
}

// Mirrors place_entity(): a woken entity joins at V minus the lag it kept (PLACE_LAG), scaled so
// that its arrival does not move V, with a full slice as its request.
void place_entity(CfsRq& cfs_rq, Task& se, unsigned flags) {
  (void)flags;  // ENQUEUE_INITIAL (half a slice for a new fork) has no counterpart here
  uint64_t vruntime = avg_vruntime(cfs_rq);
  int64_t lag = 0;
  se.se.slice = cfs_rq.base_slice;
  uint64_t vslice = calc_delta_fair(static_cast<uint64_t>(se.se.slice), se.se);
  if (cfs_rq.nr_running != 0 && se.se.vlag != 0) {
    lag = se.se.vlag;
    int64_t load = cfs_rq.avg_load;
    if (const Task* curr = cfs_rq.curr; curr != nullptr && curr->se.on_rq) load += curr->se.weight;
    lag *= load + se.se.weight;
    if (load == 0) load = 1;
    lag /= load;  // div_s64() truncates
  }
  se.se.vruntime = vruntime - static_cast<uint64_t>(lag);
  se.se.deadline = se.se.vruntime + vslice;
}

// Mirrors enqueue_entity() for an entity that is not curr.
void enqueue_entity(CfsRq& cfs_rq, Task& se, unsigned flags, Nanos now) {
  update_curr(cfs_rq, now);
  place_entity(cfs_rq, se, flags);
  ++cfs_rq.nr_running;  // account_entity_enqueue()
  __enqueue_entity(cfs_rq, se);
  se.se.on_rq = true;
}

// Mirrors dequeue_entity(), DELAY_DEQUEUE included.
bool dequeue_entity(CfsRq& cfs_rq, Task& se, unsigned flags, Nanos now) {
  update_curr(cfs_rq, now);
  if (cfs_rq.next == &se) cfs_rq.next = nullptr;  // clear_buddies()
  if (!(flags & DEQUEUE_DELAYED)) {
    bool delay = (flags & DEQUEUE_SLEEP) && !(flags & DEQUEUE_SPECIAL);
    if (delay && !entity_eligible(cfs_rq, se)) {
      se.se.sched_delayed = true;
      return false;
    }
  }
  update_entity_lag(cfs_rq, se);
  if (&se != cfs_rq.curr) __dequeue_entity(cfs_rq, se);
  se.se.on_rq = false;
  --cfs_rq.nr_running;  // account_entity_dequeue()
  update_min_vruntime(cfs_rq);
  if (flags & DEQUEUE_DELAYED) finish_delayed_dequeue_entity(se);
  return true;
}

// Mirrors requeue_delayed_entity() with DELAY_ZERO.
void requeue_delayed_entity(CfsRq& cfs_rq, Task& se) {
  update_entity_lag(cfs_rq, se);
  if (se.se.vlag > 0) {
    --cfs_rq.nr_running;
    if (&se != cfs_rq.curr) __dequeue_entity(cfs_rq, se);
    se.se.vlag = 0;
    place_entity(cfs_rq, se, 0);
    if (&se != cfs_rq.curr) __enqueue_entity(cfs_rq, se);
    ++cfs_rq.nr_running;
  }
  se.se.sched_delayed = false;
}

// Mirrors set_next_entity(): curr leaves the tree; vlag stashes the deadline at the pick, the
// RUN_TO_PARITY mark.
void set_next_entity(CfsRq& cfs_rq, Task& se, Nanos now) {
  if (cfs_rq.next == &se) cfs_rq.next = nullptr;  // clear_buddies()
  if (se.se.on_rq) {
    __dequeue_entity(cfs_rq, se);
    se.se.vlag = static_cast<int64_t>(se.se.deadline);
  }
  se.se.exec_start = now;
  cfs_rq.curr = &se;
}

// Mirrors put_prev_entity(): a prev still queued goes back into the tree.
void put_prev_entity(CfsRq& cfs_rq, Task& prev, Nanos now) {
  if (prev.se.on_rq) {
    update_curr(cfs_rq, now);
    __enqueue_entity(cfs_rq, prev);
  }
  prev.se.last_ran = now;
  cfs_rq.curr = nullptr;
}

// Mirrors check_preempt_wakeup_fair(): `p` preempts when pick_eevdf() would now choose it.
bool check_preempt_wakeup_fair(CfsRq& cfs_rq, Task& p, Nanos now) {
  Task* curr = cfs_rq.curr;
  if (curr == nullptr) {  // the idle task always yields (wakeup_preempt() across classes)
    cfs_rq.need_resched = true;
    return true;
  }
  if (curr == &p || cfs_rq.need_resched) return false;
  update_curr(cfs_rq, now);
  // do_preempt_short() needs a shorter slice than curr's; every task here has the base slice.
  if (pick_eevdf(cfs_rq) != &p) return false;
  cfs_rq.need_resched = true;
  return true;
}

}  // namespace wqlab::kernel

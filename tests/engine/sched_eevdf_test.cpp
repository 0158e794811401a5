// EEVDF as kernel/sched/fair.c of Linux 6.12 has it: weights from sched_prio_to_weight[], the base
// slice scaled by the CPU count, eligibility and virtual deadlines in pick_eevdf(), RUN_TO_PARITY
// and DELAY_DEQUEUE; and what that means for kworkers: a nice -20 highpri worker preempts a
// nice-0 hog at once, a woken nice-0 kworker waits for the rest of the running task's slice.
#include <gtest/gtest.h>

#include "engine/kernel/sched_fair.h"
#include "wq_test_util.h"

namespace wqlab::test {
namespace {

using kernel::CfsRq;
using kernel::SchedClass;
using kernel::Task;
using kernel::usecs;
using trace::EventKind;
using wq::Work;

Task fair_task(int nice) {
  Task t;
  t.nice = nice;
  kernel::set_load_weight(t);
  return t;
}

// kernel/sched/core.c: sched_prio_to_weight[] and sched_prio_to_wmult[].
TEST(SchedFair, WeightsComeFromSchedPrioToWeight) {
  EXPECT_EQ(kernel::nice_to_weight(0), 1024u);
  EXPECT_EQ(kernel::nice_to_weight(-5), 3121u);    // 2.6.24's workqueue threads
  EXPECT_EQ(kernel::nice_to_weight(-20), 88761u);  // HIGHPRI_NICE_LEVEL, RESCUER_NICE_LEVEL
  EXPECT_EQ(kernel::nice_to_weight(19), 15u);
  EXPECT_EQ(kernel::nice_to_wmult(0), 4194304u);
  EXPECT_EQ(kernel::nice_to_wmult(-20), 48388u);
}

// calc_delta_fair() = __calc_delta(delta, NICE_0_LOAD, &se->load): virtual time runs
// 1024 / weight as fast as real time, with the fixed-point rounding of the kernel.
TEST(SchedFair, CalcDeltaFairScalesByNiceZeroLoadOverWeight) {
  EXPECT_EQ(kernel::calc_delta_fair(1'000'000, fair_task(0).se), 1'000'000u);
  EXPECT_EQ(kernel::calc_delta_fair(1'000'000, fair_task(-20).se), 11'536u);
  EXPECT_EQ(kernel::calc_delta_fair(750'000, fair_task(-20).se), 8'652u);        // a nice -20 slice
  EXPECT_EQ(kernel::calc_delta_fair(1'000'000, fair_task(19).se), 68'266'666u);  // fact >> 32
}

// update_sysctl(): sysctl_sched_base_slice = 0.75 ms * (1 + ilog2(min(online CPUs, 8))).
TEST(SchedFair, BaseSliceIsScaledByTheOnlineCpus) {
  EXPECT_EQ(kernel::sched_base_slice(1), usecs(750));
  EXPECT_EQ(kernel::sched_base_slice(2), usecs(1500));
  EXPECT_EQ(kernel::sched_base_slice(3), usecs(1500));
  EXPECT_EQ(kernel::sched_base_slice(4), usecs(2250));
  EXPECT_EQ(kernel::sched_base_slice(8), usecs(3000));
  EXPECT_EQ(kernel::sched_base_slice(256), usecs(3000));
  RecordedKernel rk(det_config(4));
  EXPECT_EQ(rk.k->sched_base_slice(), usecs(2250));
  ASSERT_EQ(rk.k->set_cpu_online(3, false), 0);  // rq_offline_fair() calls update_sysctl()
  EXPECT_EQ(rk.k->sched_base_slice(), usecs(1500));
}

// pick_eevdf(): among eligible entities (vruntime not after the weighted average V), the one
// with the earliest virtual deadline; one that has had more than its share waits, whatever its
// deadline.
TEST(SchedFair, PickEevdfSkipsAnEntityThatIsNotEligible) {
  CfsRq cfs;
  Task x = fair_task(19);  // weight 15: a 0.75 ms slice is 51.2 ms of virtual time
  Task y = fair_task(0);
  kernel::enqueue_entity(cfs, x, kernel::ENQUEUE_WAKEUP, 0);
  kernel::enqueue_entity(cfs, y, kernel::ENQUEUE_WAKEUP, 0);
  EXPECT_EQ(x.se.deadline, 51'199'999u);  // 750 000 * 1024 / 15, as __calc_delta() rounds it
  kernel::set_next_entity(cfs, y, 0);
  kernel::update_curr(cfs, 1'000'000);  // y runs 1 ms: a new slice, and a resched
  EXPECT_TRUE(cfs.need_resched);
  kernel::put_prev_entity(cfs, y, 1'000'000);
  EXPECT_EQ(y.se.vruntime, 1'000'000u);
  EXPECT_EQ(y.se.deadline, 1'750'000u);  // earlier than x's
  // V = (0 * 15 + 1 000 000 * 1024) / 1039 = 985 563 ns: y is past it, x is not.
  EXPECT_EQ(kernel::avg_vruntime(cfs), 985'563u);
  EXPECT_FALSE(kernel::entity_eligible(cfs, y));
  EXPECT_TRUE(kernel::entity_eligible(cfs, x));
  EXPECT_EQ(kernel::pick_eevdf(cfs), &x);
}

// RUN_TO_PARITY: once picked (set_next_entity() marks vlag = deadline), an eligible task keeps
// the CPU until its slice is used, even against a nice -20 task placed with zero lag.
TEST(SchedFair, RunToParityProtectsAJustPickedTask) {
  CfsRq cfs;
  Task hog = fair_task(0);
  Task hi = fair_task(-20);
  kernel::enqueue_entity(cfs, hog, kernel::ENQUEUE_WAKEUP, 0);
  kernel::set_next_entity(cfs, hog, 0);
  kernel::update_curr(cfs, 300'000);
  kernel::enqueue_entity(cfs, hi, kernel::ENQUEUE_WAKEUP, 300'000);
  EXPECT_LT(hi.se.deadline, hog.se.deadline);
  EXPECT_FALSE(kernel::check_preempt_wakeup_fair(cfs, hi, 300'000));
  // At the 1 ms tick the hog's 0.75 ms request is used up: a new deadline, no protection, and
  // it is past V, so the nice -20 task runs.
  kernel::update_curr(cfs, 1'000'000);
  EXPECT_TRUE(cfs.need_resched);
  EXPECT_EQ(kernel::pick_eevdf(cfs), &hi);
}

// DELAY_DEQUEUE: a task that sleeps while not eligible stays queued (sched_delayed) until it
// would be picked; DELAY_ZERO then drops any positive lag it built up.
TEST(SchedFair, DelayDequeueKeepsANotEligibleSleeperQueued) {
  CfsRq cfs;
  Task a = fair_task(0);
  Task b = fair_task(0);
  kernel::enqueue_entity(cfs, a, kernel::ENQUEUE_WAKEUP, 0);
  kernel::enqueue_entity(cfs, b, kernel::ENQUEUE_WAKEUP, 0);
  kernel::set_next_entity(cfs, a, 0);
  kernel::update_curr(cfs, 2'000'000);  // a has had 2 ms, b none: a is past V
  EXPECT_FALSE(kernel::dequeue_entity(cfs, a, kernel::DEQUEUE_SLEEP, 2'000'000));
  EXPECT_TRUE(a.se.sched_delayed);
  EXPECT_TRUE(a.se.on_rq);
  EXPECT_EQ(cfs.nr_running, 2u);
  // A dying task is never delayed.
  Task c = fair_task(0);
  kernel::enqueue_entity(cfs, c, kernel::ENQUEUE_WAKEUP, 2'000'000);
  EXPECT_TRUE(
      kernel::dequeue_entity(cfs, c, kernel::DEQUEUE_SLEEP | kernel::DEQUEUE_SPECIAL, 2'000'000));
  EXPECT_FALSE(c.se.on_rq);
}

// Weights at work: two CPU-bound tasks on one CPU get shares in the ratio of their weights.
TEST(SchedEevdf, ComputeTasksShareACpuInProportionToTheirWeights) {
  RecordedKernel rk(det_config(1));
  auto& k = *rk.k;
  auto burn = [&k] {
    k.compute_for(msecs(500));
    return kernel::TaskStep::Exit;
  };
  Task* nice0 = k.kthread_run(burn, "nice0", 0, 0).task;
  Task* nice5 = k.kthread_run(burn, "nice-5", 0, -5).task;
  k.run_for(msecs(100));
  // 3121 / (3121 + 1024) of 100 ms is 75.3 ms; the shares are settled at ticks.
  EXPECT_NEAR(static_cast<double>(nice5->sum_exec_runtime), 75.3e6, 2e6);
  EXPECT_NEAR(static_cast<double>(nice0->sum_exec_runtime), 24.7e6, 2e6);
}

struct HogAndUrgent {
  explicit HogAndUrgent(CmwqMachine& m) : m(m) {
    hog = make_work("hog_fn", [&m](Work*) { m.k().compute_for(msecs(100)); });
    urgent = make_work("urgent_fn", [&m](Work*) { m.k().compute_for(msecs(10)); });
  }
  // The hog on events at 0, the urgent item on `wq` at 20.3 ms (from outside the CPUs).
  void run(wq::Workqueue* wq) {
    m.k().spawn(
        "driver",
        [this, wq] {
          m.cmwq->queue_work_on(0, m.cmwq->system_wq, hog.get());
          m.k().sleep_for(usecs(20'300));
          m.cmwq->queue_work_on(0, wq, urgent.get());
        },
        0, SchedClass::Driver);
    m.k().run_until_idle();
  }
  CmwqMachine& m;
  std::unique_ptr<Work> hog, urgent;
};

// check_preempt_wakeup_fair(): the highpri worker is placed at V (place_entity()) with a nice -20
// request, 8.65 us of virtual time, so its deadline comes first and it preempts the hog (past its
// first slice, so unprotected) at once. update_curr() at the 22 ms tick gives it a new slice; it
// has then had a little more than its share since it arrived, so the hog, owed that much, gets
// one tick (22-23 ms); after that the hog would wait ~85 ms, and urgent is done at 31.3 ms.
TEST(SchedEevdf, HighpriWorkerPreemptsANiceZeroHogOnOneCpu) {
  CmwqMachine m(det_config(1));
  HogAndUrgent h(m);
  h.run(m.cmwq->system_highpri_wq);
  EXPECT_EQ(m.run("urgent_fn").start, usecs(20'300));
  EXPECT_EQ(m.run("urgent_fn").end, usecs(31'300));
  EXPECT_EQ(m.run("hog_fn").end, msecs(110));
  bool preempted = false;  // the hog's worker lost the CPU the moment urgent was queued
  for (auto& e : m.events(EventKind::TaskPreempt))
    preempted = preempted || (e.time_ns == usecs(20'300) && e.args[0] == m.run("hog_fn").pid &&
                              e.args[2] == m.run("urgent_fn").pid);
  EXPECT_TRUE(preempted);
}

// The same item on a nice-0 (unbound) worker: its deadline is later than the hog's, so it waits
// for the next tick, where the hog is no longer eligible (did_preempt_short()); then the two
// take turns every tick and 10 ms of work take 19 ms.
TEST(SchedEevdf, NiceZeroWorkerTakesTurnsWithTheHog) {
  CmwqMachine m(det_config(1));
  HogAndUrgent h(m);
  h.run(m.cmwq->system_unbound_wq);
  EXPECT_EQ(m.run("urgent_fn").start, msecs(21));
  EXPECT_EQ(m.run("urgent_fn").end, msecs(40));
  EXPECT_EQ(m.run("hog_fn").end, msecs(110));
}

// A CPU-bound user task (nice 0) on CPU 2 of 4; a kworker of CPU 2's pool is woken at `at`.
Execution woken_kworker_next_to_hog(kernel::Nanos at) {
  CmwqMachine m(det_config(4));
  auto w = make_work("w_fn", [&m](Work*) { m.k().compute_for(msecs(1)); });
  m.k().spawn(
      "hog", [&m] { m.k().compute_for(msecs(20)); }, 2);
  m.k().spawn(
      "driver",
      [&] {
        m.k().sleep_for(at);
        m.cmwq->queue_work_on(2, m.cmwq->system_wq, w.get());
      },
      0, SchedClass::Driver);
  m.k().run_until_idle();
  return m.run("w_fn");
}

// Four CPUs: a 2.25 ms base slice. Woken at 1.5 ms, during the hog's first slice, the kworker
// waits until update_deadline() ends that slice at the 3 ms tick (RUN_TO_PARITY in pick_eevdf()).
TEST(SchedEevdf, WokenKworkerWaitsForTheRestOfASameNiceHogsSliceOnFourCpus) {
  EXPECT_EQ(woken_kworker_next_to_hog(usecs(1500)).start, msecs(3));
}

// Woken at 3.5 ms, after the hog renewed its slice without a switch (so without protection): the
// hog keeps the earlier deadline, but at the 4 ms tick it is past V and did_preempt_short()
// reschedules.
TEST(SchedEevdf, WokenKworkerWaitsOnlyUntilTheNextTickOnceTheHogHadItsSlice) {
  EXPECT_EQ(woken_kworker_next_to_hog(usecs(3500)).start, msecs(4));
}

// select_task_rq(): a woken task that may run anywhere goes to an idle CPU rather than queue.
TEST(SchedEevdf, AWokenUnboundWorkerPicksAnIdleCpu) {
  CmwqMachine m(det_config(4));
  auto hog = make_work("hog_fn", [&m](Work*) { m.k().compute_for(msecs(20)); });
  auto u = make_work("u_fn", [&m](Work*) { m.k().compute_for(msecs(1)); });
  m.scenario([&] {
    m.cmwq->queue_work_on(0, m.cmwq->system_wq, hog.get());
    m.cmwq->queue_work(m.cmwq->system_unbound_wq, u.get());
  });
  EXPECT_EQ(m.run("u_fn").start, 0);
  EXPECT_EQ(m.run("u_fn").end, msecs(1));
}

}  // namespace
}  // namespace wqlab::test

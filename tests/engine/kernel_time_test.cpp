// Virtual time: compute slices on shared and separate CPUs, timer order, deferrable timers.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_util.h"

namespace wqlab::test {
namespace {

using kernel::msecs;
using kernel::Nanos;
using kernel::RunStop;
using trace::EventKind;

struct Finish {
  std::string who;
  Nanos at;
  bool operator==(const Finish&) const = default;
};

std::vector<Finish> two_computers(kernel::KernelConfig cfg, int cpu_a, int cpu_b, Nanos each) {
  RecordedKernel rk(cfg);
  auto& k = *rk.k;
  std::vector<Finish> done;
  k.spawn(
      "a",
      [&] {
        k.compute_for(each);
        done.push_back({"a", k.now()});
      },
      cpu_a);
  k.spawn(
      "b",
      [&] {
        k.compute_for(each);
        done.push_back({"b", k.now()});
      },
      cpu_b);
  EXPECT_EQ(k.run_until_idle().stop, RunStop::Idle);
  return done;
}

TEST(KernelTime, ComputeOnSeparateCpusRunsInParallel) {
  auto done = two_computers(det_config(2), 0, 1, msecs(5));
  EXPECT_EQ(done, (std::vector<Finish>{{"a", msecs(5)}, {"b", msecs(5)}}));
}

// EEVDF (kernel/sched/fair.c: update_curr() -> update_deadline(), pick_eevdf()): on one CPU the
// base slice is 0.75 ms, so at every 1 ms tick the running task has used up its request and the
// other, now the eligible one, takes over.
TEST(KernelTime, ComputeSharingACpuAlternatesEveryTick) {
  auto done = two_computers(det_config(1), 0, 0, msecs(5));
  // a: 0-1, 2-3, 4-5, 6-7, 8-9; b: 1-2, ..., 9-10.
  EXPECT_EQ(done, (std::vector<Finish>{{"a", msecs(9)}, {"b", msecs(10)}}));
}

TEST(KernelTime, ALongerBaseSliceLetsATaskRunLonger) {
  auto cfg = det_config(1);
  cfg.slice = msecs(5);
  auto done = two_computers(cfg, 0, 0, msecs(5));
  // a's first request (5 ms) covers its whole compute: a 0-5, then b 5-10.
  EXPECT_EQ(done, (std::vector<Finish>{{"a", msecs(5)}, {"b", msecs(10)}}));
}

TEST(KernelTime, SliceRotationIsVisibleAsCpuRunEvents) {
  auto cfg = det_config(1);
  cfg.slice = msecs(2);
  RecordedKernel rk(cfg);
  auto& k = *rk.k;
  auto a = k.spawn(
      "a", [&] { k.compute_for(msecs(4)); }, 0);
  auto b = k.spawn(
      "b", [&] { k.compute_for(msecs(2)); }, 0);
  k.run_until_idle();
  std::vector<std::pair<Nanos, int64_t>> runs;
  for (auto& e : rk.events(EventKind::CpuRun)) runs.emplace_back(e.time_ns, e.args[1]);
  int64_t pa = a.task->pid, pb = b.task->pid;
  // At 2 ms b preempts a (one event); at 4 ms b's compute ends, and then a gets the CPU back.
  EXPECT_EQ(runs, (std::vector<std::pair<Nanos, int64_t>>{
                      {0, pa}, {msecs(2), pb}, {msecs(4), 0}, {msecs(4), pa}, {msecs(6), 0}}));
}

// Timer wheel (kernel/time/timer.c: calc_index()): a timer_list fires one jiffy after `expires`
// on level 0; equal expiries fire in arming order.
TEST(KernelTime, TimersFireInExpiryThenArmingOrder) {
  RecordedKernel rk(det_config(1));
  auto& k = *rk.k;
  std::vector<std::string> fired;
  kernel::Timer t1([&] { fired.push_back("t1@" + std::to_string(k.now())); }, "t1");
  kernel::Timer t2([&] { fired.push_back("t2@" + std::to_string(k.now())); }, "t2");
  kernel::Timer t3([&] { fired.push_back("t3@" + std::to_string(k.now())); }, "t3");
  k.mod_timer(t2, 5);
  k.mod_timer(t1, 5);
  k.mod_timer(t3, 2);
  EXPECT_EQ(k.run_until_idle().stop, RunStop::Idle);
  EXPECT_EQ(fired, (std::vector<std::string>{"t3@3000000", "t2@6000000", "t1@6000000"}));
}

TEST(KernelTime, ModTimerRearmsAndDelTimerCancels) {
  RecordedKernel rk(det_config(1));
  auto& k = *rk.k;
  int fired = 0;
  kernel::Timer t([&] { ++fired; }, "t");
  EXPECT_FALSE(k.mod_timer(t, 10));
  EXPECT_TRUE(k.mod_timer(t, 20));  // was pending: re-armed
  EXPECT_TRUE(k.timer_pending(t));
  k.run_for(msecs(15));
  EXPECT_EQ(fired, 0);
  EXPECT_TRUE(k.del_timer(t));
  EXPECT_FALSE(k.del_timer(t));
  k.run_until_idle();
  EXPECT_EQ(fired, 0);
  EXPECT_EQ(rk.events(EventKind::TimerDel).size(), 1u);
}

// TIMER_DEFERRABLE: a CPU going idle ignores deferrable timers (NOHZ), so on an idle machine one
// waits until something else wakes a CPU; run_timer_softirq() then runs it after the others.
TEST(KernelTime, DeferrableTimersWaitWhileTheMachineIsIdle) {
  RecordedKernel rk(det_config(1));
  auto& k = *rk.k;
  std::vector<std::string> fired;
  kernel::Timer idle([&] { fired.push_back("idle@" + std::to_string(k.now())); }, "idle_timer",
                     /*deferrable=*/true);
  kernel::Timer wake([&] { fired.push_back("wake@" + std::to_string(k.now())); }, "wake");
  k.mod_timer(idle, 300'000);  // level 5 (granularity 32768 jiffies): bucket 327680
  auto r = k.run_until_idle();
  EXPECT_EQ(r.stop, RunStop::Idle);
  EXPECT_EQ(r.now, 0);
  r = k.run_for(kernel::secs(400));
  EXPECT_EQ(r.now, kernel::secs(400));
  EXPECT_TRUE(fired.empty());  // nothing woke a CPU
  k.mod_timer(wake, 400'010);
  k.run_until_idle();
  EXPECT_EQ(fired, (std::vector<std::string>{"wake@400011000000", "idle@400011000000"}));
}

TEST(KernelTime, DeferrableTimersFireOnTimeWhileACpuIsBusy) {
  RecordedKernel rk(det_config(1));
  auto& k = *rk.k;
  Nanos fired_at = -1;
  kernel::Timer t([&] { fired_at = k.now(); }, "idle_timer", /*deferrable=*/true);
  k.mod_timer(t, 10);
  k.spawn("busy", [&] { k.compute_for(msecs(20)); });
  k.run_until_idle();
  EXPECT_EQ(fired_at, msecs(11));  // the busy CPU's tick runs it, at its bucket's expiry
}

TEST(KernelTime, HzScalesJiffies) {
  auto cfg = det_config(1);
  cfg.hz = 250;
  RecordedKernel rk(cfg);
  EXPECT_EQ(rk.k->jiffy_ns(), msecs(4));
  EXPECT_EQ(rk.k->msecs_to_jiffies(10), 3u);  // rounds up
  rk.k->run_for(msecs(40));
  EXPECT_EQ(rk.k->jiffies(), 10u);
}

TEST(KernelTime, OfflineCpuMigratesItsComputeAndTheLastCpuCannotGo) {
  RecordedKernel rk(det_config(2));
  auto& k = *rk.k;
  std::vector<Finish> done;
  k.spawn(
      "bound1",
      [&] {
        k.compute_for(msecs(4));
        done.push_back({"bound1", k.now()});
      },
      1);
  k.spawn(
      "hotplug",
      [&] {
        k.sleep_for(msecs(1));
        EXPECT_EQ(k.set_cpu_online(1, false), 0);
        EXPECT_EQ(k.set_cpu_online(0, false), -kernel::kEBUSY);
      },
      0);
  k.run_until_idle();
  EXPECT_FALSE(k.cpu_online(1));
  EXPECT_EQ(done, (std::vector<Finish>{{"bound1", msecs(4)}}));
  EXPECT_EQ(rk.events(EventKind::CpuOffline).size(), 1u);
  // At 1 ms cpu1 goes idle and bound1's remaining 3 ms run on cpu0.
  std::vector<std::pair<int64_t, int64_t>> at_1ms;
  for (auto& e : rk.events(EventKind::CpuRun))
    if (e.time_ns == msecs(1)) at_1ms.emplace_back(e.args[0], e.args[1]);
  ASSERT_EQ(at_1ms.size(), 2u);
  EXPECT_EQ(at_1ms[0].first, 0);
  EXPECT_NE(at_1ms[0].second, 0);
  EXPECT_EQ(at_1ms[1], (std::pair<int64_t, int64_t>{1, 0}));
}

}  // namespace
}  // namespace wqlab::test

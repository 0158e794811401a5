// Deterministic mode: dispatch order, parking, stepping, the chooser, kthread_stop, carrier cap.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/kernel/sync.h"
#include "test_util.h"

namespace wqlab::test {
namespace {

using kernel::RunStop;
using kernel::TaskStep;
using trace::EventKind;

TEST(KernelDet, SpawnedTaskRunsOnceAndExits) {
  RecordedKernel rk(det_config());
  int ran = 0;
  auto t = rk.k->spawn("scenario", [&] { ++ran; });
  ASSERT_TRUE(t);
  EXPECT_EQ(t.task->pid, 1);
  auto r = rk.k->run_until_idle();
  EXPECT_EQ(r.stop, RunStop::Idle);
  EXPECT_EQ(ran, 1);
  EXPECT_EQ(rk.k->nr_tasks(), 0u);
  std::vector<EventKind> kinds;
  rk.rec->drain();
  for (size_t i = 0; i < rk.rec->log().size(); ++i) kinds.push_back(rk.rec->log()[i].kind);
  EXPECT_EQ(kinds,
            (std::vector<EventKind>{EventKind::MachineBoot, EventKind::PidAlloc,
                                    EventKind::TaskCreate, EventKind::TaskWake, EventKind::TaskRun,
                                    EventKind::TaskExit, EventKind::PidFree}));
}

TEST(KernelDet, RunnableTasksRunInCpuThenSequenceOrder) {
  RecordedKernel rk(det_config(2));
  std::vector<std::string> order;
  rk.k->spawn(
      "b-on-cpu1", [&] { order.push_back("b1"); }, 1);
  rk.k->spawn(
      "a-on-cpu1", [&] { order.push_back("a1"); }, 1);
  rk.k->spawn(
      "c-on-cpu0", [&] { order.push_back("c0"); }, 0);
  rk.k->run_until_idle();
  EXPECT_EQ(order, (std::vector<std::string>{"c0", "b1", "a1"}));
}

TEST(KernelDet, SleepersWakeAtTheirVirtualTimes) {
  RecordedKernel rk(det_config(1));
  std::vector<std::pair<std::string, kernel::Nanos>> woke;
  auto& k = *rk.k;
  k.spawn("long", [&] {
    k.sleep_for(kernel::msecs(10));
    woke.emplace_back("long", k.now());
  });
  k.spawn("short", [&] {
    k.sleep_for(kernel::msecs(5));
    woke.emplace_back("short", k.now());
  });
  auto r = k.run_until_idle();
  EXPECT_EQ(r.stop, RunStop::Idle);
  EXPECT_EQ(r.now, kernel::msecs(10));
  ASSERT_EQ(woke.size(), 2u);
  EXPECT_EQ(woke[0], std::make_pair(std::string("short"), kernel::msecs(5)));
  EXPECT_EQ(woke[1], std::make_pair(std::string("long"), kernel::msecs(10)));
}

TEST(KernelDet, ParkedTaskReentersMainFromTheTopOnEveryWake) {
  RecordedKernel rk(det_config(1));
  auto& k = *rk.k;
  int entries = 0;
  auto idle = k.kthread_create(
      [&] {
        ++entries;
        k.set_current_state(kernel::TaskState::Idle);
        return TaskStep::Park;
      },
      "idler", 0);
  ASSERT_TRUE(idle);
  for (int i = 0; i < 3; ++i) {
    k.wake_up_process(*idle.task);
    k.run_until_idle();
  }
  EXPECT_EQ(entries, 3);
  EXPECT_EQ(idle.task->where, kernel::TaskWhere::Parked);
  EXPECT_EQ(idle.task->carrier, nullptr);
  EXPECT_EQ(rk.events(EventKind::TaskPark).size(), 3u);
  EXPECT_EQ(k.carriers_live(), 1u);
}

TEST(KernelDet, WakeBeforeParkRunsMainAgainInsteadOfParking) {
  RecordedKernel rk(det_config(1));
  auto& k = *rk.k;
  int entries = 0;
  kernel::Task* self = nullptr;
  auto t = k.kthread_run(
      [&] {
        ++entries;
        k.set_current_state(kernel::TaskState::Idle);
        if (entries == 1) k.wake_up_process(*self);  // a wake-up races with going idle
        return TaskStep::Park;
      },
      "racer", 0);
  self = t.task;
  k.run_until_idle();
  EXPECT_EQ(entries, 2);
  EXPECT_EQ(rk.events(EventKind::TaskPark).size(), 1u);
}

TEST(KernelDet, SwitchLimitStepsOneDispatchAtATime) {
  RecordedKernel rk(det_config(1));
  auto& k = *rk.k;
  std::vector<int> seen;
  for (int i = 0; i < 3; ++i) k.spawn("t" + std::to_string(i), [&seen, i] { seen.push_back(i); });
  kernel::RunLimit one;
  one.max_switches = 1;
  for (int step = 0; step < 3; ++step) {
    auto r = k.run(one);
    EXPECT_EQ(r.stop, RunStop::SwitchLimit);
    EXPECT_EQ(seen.size(), static_cast<size_t>(step + 1));
  }
  EXPECT_EQ(k.run(one).stop, RunStop::Idle);
  EXPECT_EQ(seen, (std::vector<int>{0, 1, 2}));
}

// Four CPUs, one task woken on each at the same virtual time: each is its CPU's curr, and the
// chooser (det_pick_locked()) decides whose code runs first.
TEST(KernelDet, ChooserPicksAmongRunnableTasks) {
  RecordedKernel rk(det_config(4));
  auto& k = *rk.k;
  std::vector<int> seen;
  for (int i = 0; i < 4; ++i)
    k.spawn(
        "t" + std::to_string(i), [&seen, i] { seen.push_back(i); }, i);
  std::vector<size_t> offered;
  k.set_chooser([&](std::span<const kernel::Runnable> rs) {
    offered.push_back(rs.size());
    for (size_t i = 1; i < rs.size(); ++i) EXPECT_LT(rs[i - 1].seq, rs[i].seq);
    return rs.size() - 1;  // always the newest
  });
  k.run_until_idle();
  EXPECT_EQ(seen, (std::vector<int>{3, 2, 1, 0}));
  EXPECT_EQ(offered, (std::vector<size_t>{4, 3, 2}));
}

TEST(KernelDet, KthreadStopWakesTheThreadAndWaitsForItsExit) {
  RecordedKernel rk(det_config(1));
  auto& k = *rk.k;
  int loops = 0;
  auto worker = k.kthread_run(
      [&] {
        if (k.kthread_should_stop()) return TaskStep::Exit;
        ++loops;
        k.set_current_state(kernel::TaskState::Interruptible);
        return TaskStep::Park;
      },
      "stoppable", 0);
  int code = 1;
  kernel::Nanos stopped_at = -1;
  k.spawn("stopper", [&] {
    k.sleep_for(kernel::msecs(3));
    code = k.kthread_stop(*worker.task);
    stopped_at = k.now();
  });
  EXPECT_EQ(k.run_until_idle().stop, RunStop::Idle);
  EXPECT_EQ(loops, 1);
  EXPECT_EQ(code, 0);
  EXPECT_EQ(stopped_at, kernel::msecs(3));
  EXPECT_EQ(k.nr_tasks(), 0u);
}

TEST(KernelDet, CarrierCapReportsAClearErrorInsteadOfHanging) {
  auto cfg = det_config(1);
  cfg.carrier_cap = 2;
  RecordedKernel rk(cfg);
  auto& k = *rk.k;
  kernel::Completion never;
  for (int i = 0; i < 3; ++i)
    k.spawn("blocker" + std::to_string(i), [&] { never.wait_for_completion(); });
  auto r = k.run_until_idle();
  EXPECT_EQ(r.stop, RunStop::Error);
  EXPECT_NE(r.error.find("more than 2 tasks blocked mid-body"), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("blocker2"), std::string::npos) << r.error;
  EXPECT_EQ(rk.events(EventKind::CarrierExhausted).size(), 1u);
  EXPECT_EQ(k.carriers_live(), 2u);
}

TEST(KernelDet, RunForAdvancesTheClockEvenWhenIdle) {
  RecordedKernel rk(det_config(1));
  auto r = rk.k->run_for(kernel::msecs(7));
  EXPECT_EQ(r.stop, RunStop::TimeLimit);
  EXPECT_EQ(rk.k->now(), kernel::msecs(7));
  EXPECT_EQ(rk.k->jiffies(), 7u);
}

TEST(KernelDet, ExceptionInATaskBodyIsReportedAndTheTaskExits) {
  RecordedKernel rk(det_config(1));
  rk.k->spawn("thrower", [] { throw std::runtime_error("bad workload"); });
  EXPECT_EQ(rk.k->run_until_idle().stop, RunStop::Idle);
  auto msgs = rk.events(EventKind::Printk);
  ASSERT_EQ(msgs.size(), 1u);
  EXPECT_NE(rk.str(msgs[0].args[1]).find("bad workload"), std::string::npos);
  EXPECT_EQ(rk.k->nr_tasks(), 0u);
}

}  // namespace
}  // namespace wqlab::test

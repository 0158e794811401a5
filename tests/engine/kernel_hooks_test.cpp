// The three scheduler hooks cmwq relies on: sleeping before a voluntary block, running after,
// tick while a task keeps its CPU busy; none for compute or for a task that never blocks.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <string>
#include <vector>

#include "engine/kernel/sync.h"
#include "test_util.h"

namespace wqlab::test {
namespace {

using kernel::Mode;
using kernel::msecs;

struct RecordingHooks : kernel::TaskHooks {
  kernel::Kernel* k = nullptr;
  std::mutex mu;
  std::vector<std::string> calls;
  void add(std::string s) {
    std::lock_guard g(mu);
    calls.push_back(std::move(s));
  }
  void sleeping(kernel::Task&) override { add("sleeping@" + std::to_string(k->now() / 1000000)); }
  void running(kernel::Task&) override { add("running@" + std::to_string(k->now() / 1000000)); }
  void tick(kernel::Task&) override { add("tick@" + std::to_string(k->now() / 1000000)); }
};

TEST(KernelHooks, SleepFiresSleepingThenRunning) {
  RecordedKernel rk(det_config(1));
  auto& k = *rk.k;
  RecordingHooks hooks;
  hooks.k = &k;
  auto t = k.kthread_create(
      [&] {
        k.sleep_for(msecs(3));
        return kernel::TaskStep::Exit;
      },
      "sleeper", 0);
  t.task->hooks = &hooks;
  k.wake_up_process(*t.task);
  k.run_until_idle();
  EXPECT_EQ(hooks.calls, (std::vector<std::string>{"sleeping@0", "running@3"}));
}

TEST(KernelHooks, ComputeFiresATickPerJiffyAndNoSleepingHook) {
  auto cfg = det_config(1);
  cfg.hz = 1000;
  RecordedKernel rk(cfg);
  auto& k = *rk.k;
  RecordingHooks hooks;
  hooks.k = &k;
  auto t = k.kthread_create(
      [&] {
        k.compute_for(msecs(3) + kernel::usecs(500));
        return kernel::TaskStep::Exit;
      },
      "hog", 0);
  t.task->hooks = &hooks;
  k.wake_up_process(*t.task);
  k.run_until_idle();
  EXPECT_EQ(hooks.calls, (std::vector<std::string>{"tick@1", "tick@2", "tick@3"}));
  EXPECT_EQ(t.task->sum_exec_runtime, msecs(3) + kernel::usecs(500));
}

TEST(KernelHooks, TickGoesOnlyToTheTaskThatHeldTheCpu) {
  auto cfg = det_config(1);
  cfg.slice = msecs(2);
  RecordedKernel rk(cfg);
  auto& k = *rk.k;
  RecordingHooks ha, hb;
  ha.k = hb.k = &k;
  auto a = k.kthread_create(
      [&] {
        k.compute_for(msecs(4));
        return kernel::TaskStep::Exit;
      },
      "a", 0);
  auto b = k.kthread_create(
      [&] {
        k.compute_for(msecs(2));
        return kernel::TaskStep::Exit;
      },
      "b", 0);
  a.task->hooks = &ha;
  b.task->hooks = &hb;
  k.wake_up_process(*a.task);
  k.wake_up_process(*b.task);
  k.run_until_idle();
  EXPECT_EQ(ha.calls, (std::vector<std::string>{"tick@1", "tick@2", "tick@5", "tick@6"}));
  EXPECT_EQ(hb.calls, (std::vector<std::string>{"tick@3", "tick@4"}));
}

TEST(KernelHooks, ParkedTaskGetsSleepingOnParkAndRunningOnReentry) {
  RecordedKernel rk(det_config(1));
  auto& k = *rk.k;
  RecordingHooks hooks;
  hooks.k = &k;
  auto t = k.kthread_create(
      [&] {
        k.set_current_state(kernel::TaskState::Idle);
        return kernel::TaskStep::Park;
      },
      "idler", 0);
  t.task->hooks = &hooks;
  k.wake_up_process(*t.task);
  k.run_until_idle();
  k.run_for(msecs(2));
  k.wake_up_process(*t.task);
  k.run_until_idle();
  EXPECT_EQ(hooks.calls, (std::vector<std::string>{"sleeping@0", "running@2", "sleeping@2"}));
}

TEST(KernelHooks, RealtimeComputeTicksAndSleepHooksFire) {
  auto cfg = rt_config(1);
  RecordedKernel rk(cfg);
  auto& k = *rk.k;
  struct CountingHooks : RecordingHooks {
    std::atomic<int> sleeps{0};
    void sleeping(kernel::Task& t) override {
      RecordingHooks::sleeping(t);
      ++sleeps;
    }
  } hooks;
  hooks.k = &k;
  kernel::Completion go;
  auto t = k.kthread_create(
      [&] {
        k.compute_for(msecs(5));
        go.wait_for_completion();
        return kernel::TaskStep::Exit;
      },
      "rt", 0);
  t.task->hooks = &hooks;
  // Completes `go` only once the waiter has reached schedule(): a timed sleep could expire
  // before a preempted host thread gets there, and then nothing would block.
  k.spawn("waker", [&] {
    while (hooks.sleeps.load() == 0) k.sleep_for(kernel::usecs(200));
    go.complete();
  });
  k.wake_up_process(*t.task);
  EXPECT_EQ(k.run_until_idle().stop, kernel::RunStop::Idle);
  size_t ticks = 0, sleeping = 0, running = 0;
  for (auto& c : hooks.calls) {
    ticks += c.rfind("tick@", 0) == 0;
    sleeping += c.rfind("sleeping@", 0) == 0;
    running += c.rfind("running@", 0) == 0;
  }
  // One per jiffy boundary the spin sees: up to 4 inside 5 ms, fewer if the host preempts it.
  EXPECT_GE(ticks, 1u);
  EXPECT_LE(ticks, 5u);
  EXPECT_EQ(sleeping, 1u);
  EXPECT_EQ(running, 1u);
}

}  // namespace
}  // namespace wqlab::test

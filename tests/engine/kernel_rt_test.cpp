// Realtime mode: tasks run on their own OS threads, time follows the host clock times the speed,
// compute_for() really burns CPU, timers fire from the timer thread.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <string>
#include <thread>

#include "engine/kernel/sync.h"
#include "test_util.h"

namespace wqlab::test {
namespace {

using kernel::msecs;
using kernel::RunStop;

// At speed 100, 2 s of virtual time take 20 ms of host time. An ignored speed factor would take
// 2 s; the upper bound leaves a busy host 25 times the expected time.
TEST(KernelRt, VirtualTimeIsHostTimeTimesSpeed) {
  auto cfg = rt_config(1);
  cfg.speed = 100.0;
  RecordedKernel rk(cfg);
  auto host0 = std::chrono::steady_clock::now();
  auto r = rk.k->run_for(kernel::secs(2));
  auto host_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - host0).count();
  EXPECT_EQ(r.stop, RunStop::TimeLimit);
  EXPECT_GE(r.now, kernel::secs(2));
  EXPECT_GE(host_ms, 19.0);
  EXPECT_LT(host_ms, 500.0);
}

// CPU time consumed by the calling OS thread.
kernel::Nanos thread_cpu_ns() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return kernel::secs(ts.tv_sec) + ts.tv_nsec;
}

TEST(KernelRt, ComputeBurnsHostCpuAndSleepDoesNot) {
  auto cfg = rt_config(2);
  cfg.speed = 0.05;  // 10 virtual ms = 200 host ms: long enough to measure on a busy host
  RecordedKernel rk(cfg);
  auto& k = *rk.k;
  std::atomic<kernel::Nanos> burned{0}, slept_cpu{0}, slept{0};
  k.spawn(
      "burner",
      [&] {
        kernel::Nanos c0 = thread_cpu_ns();
        k.compute_for(msecs(10));
        burned = thread_cpu_ns() - c0;
      },
      0);
  k.spawn(
      "sleeper",
      [&] {
        kernel::Nanos c0 = thread_cpu_ns();
        kernel::Nanos t0 = k.now();
        k.sleep_for(msecs(10));
        slept = k.now() - t0;
        slept_cpu = thread_cpu_ns() - c0;
      },
      1);
  EXPECT_EQ(k.run_until_idle().stop, RunStop::Idle);
  // The spin really burned CPU (how much of its 200 ms depends on what else the host runs: a
  // parallel build left it 15 ms once); the sleep used next to none.
  EXPECT_GE(burned.load(), msecs(5));
  EXPECT_GT(burned.load(), 5 * slept_cpu.load());
  EXPECT_LT(slept_cpu.load(), msecs(10));
  EXPECT_GE(slept.load(), msecs(10));
}

TEST(KernelRt, TasksRunConcurrentlyOnSeparateOsThreads) {
  RecordedKernel rk(rt_config(2));
  auto& k = *rk.k;
  std::atomic<int> inside{0}, max_inside{0};
  kernel::Completion both_in;
  for (int i = 0; i < 2; ++i) {
    k.spawn(
        "par" + std::to_string(i),
        [&] {
          int now_in = ++inside;
          int prev = max_inside.load();
          while (prev < now_in && !max_inside.compare_exchange_weak(prev, now_in)) {
          }
          if (now_in == 2) both_in.complete_all();
          both_in.wait_for_completion();  // the first waits for the second: needs two OS threads
          --inside;
        },
        i);
  }
  EXPECT_EQ(k.run_until_idle().stop, RunStop::Idle);
  EXPECT_EQ(max_inside.load(), 2);
  EXPECT_GE(k.carriers_live(), 2u);
}

// The callback runs on an OS thread that is neither the caller's nor any task's.
TEST(KernelRt, TimersFireOnTheTimerThread) {
  auto cfg = rt_config(1);
  cfg.speed = 10.0;
  RecordedKernel rk(cfg);
  auto& k = *rk.k;
  std::atomic<kernel::Nanos> fired_at{-1};
  std::atomic<std::thread::id> timer_thread{}, task_thread{};
  kernel::Timer t(
      [&] {
        timer_thread = std::this_thread::get_id();
        fired_at = k.now();
      },
      "rt_timer");
  k.spawn("arm", [&] {
    task_thread = std::this_thread::get_id();
    k.mod_timer(t, k.jiffies() + 50);
  });
  EXPECT_EQ(k.run_until_idle().stop, RunStop::Idle);
  EXPECT_GE(fired_at.load(), msecs(50));
  EXPECT_NE(timer_thread.load(), std::thread::id());
  EXPECT_NE(timer_thread.load(), std::this_thread::get_id());
  EXPECT_NE(timer_thread.load(), task_thread.load());
}

TEST(KernelRt, CarrierCapReportsAnErrorWhenEveryCarrierIsBlocked) {
  auto cfg = rt_config(1);
  cfg.carrier_cap = 2;
  RecordedKernel rk(cfg);
  auto& k = *rk.k;
  kernel::Completion never;
  for (int i = 0; i < 3; ++i)
    k.spawn("blocker" + std::to_string(i), [&] { never.wait_for_completion(); });
  auto r = k.run_until_idle();
  EXPECT_EQ(r.stop, RunStop::Error);
  EXPECT_NE(r.error.find("more than 2 tasks blocked mid-body"), std::string::npos) << r.error;
}

}  // namespace
}  // namespace wqlab::test

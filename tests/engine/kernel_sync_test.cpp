// Locks and waiting in both modes: mutex hand-over, completions, wait queues, shutdown.
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <vector>

#include "engine/kernel/sync.h"
#include "test_util.h"

namespace wqlab::test {
namespace {

using kernel::Completion;
using kernel::KernelConfig;
using kernel::Mode;
using kernel::msecs;
using kernel::RunStop;

class KernelSync : public ::testing::TestWithParam<Mode> {
 protected:
  KernelConfig cfg(int cpus = 2) {
    KernelConfig c = GetParam() == Mode::Deterministic ? det_config(cpus) : rt_config(cpus);
    c.speed = 20.0;  // realtime: 20 virtual ms per host ms keeps these tests quick
    return c;
  }
};

TEST_P(KernelSync, MutexMakesTheSecondLockerWaitForTheUnlock) {
  RecordedKernel rk(cfg());
  auto& k = *rk.k;
  kernel::Mutex m;
  std::atomic<bool> a_has_it{false};
  std::atomic<kernel::Nanos> b_got{-1};
  k.spawn(
      "a",
      [&] {
        kernel::MutexGuard g(m);
        a_has_it = true;
        k.sleep_for(msecs(10));
      },
      0);
  k.spawn(
      "b",
      [&] {
        while (!a_has_it) k.sleep_for(msecs(1));
        kernel::MutexGuard g(m);
        b_got = k.now();
      },
      1);
  EXPECT_EQ(k.run_until_idle().stop, RunStop::Idle);
  EXPECT_GE(b_got.load(), msecs(10));
  if (GetParam() == Mode::Deterministic) {
    EXPECT_EQ(b_got.load(), msecs(10));
  }
  EXPECT_FALSE(m.is_locked());
}

TEST_P(KernelSync, CompletionWakesTheWaiter) {
  RecordedKernel rk(cfg());
  auto& k = *rk.k;
  Completion done;
  std::atomic<kernel::Nanos> woke_at{-1};
  k.spawn(
      "waiter",
      [&] {
        done.wait_for_completion();
        woke_at = k.now();
      },
      0);
  k.spawn(
      "completer",
      [&] {
        k.sleep_for(msecs(4));
        done.complete();
      },
      1);
  EXPECT_EQ(k.run_until_idle().stop, RunStop::Idle);
  EXPECT_GE(woke_at.load(), msecs(4));
  EXPECT_FALSE(done.completion_done());  // the waiter consumed it
}

TEST_P(KernelSync, CompleteAllReleasesEveryWaiter) {
  RecordedKernel rk(cfg());
  auto& k = *rk.k;
  Completion go;
  std::atomic<int> through{0};
  for (int i = 0; i < 5; ++i)
    k.spawn("w" + std::to_string(i), [&] {
      go.wait_for_completion();
      ++through;
    });
  k.spawn("starter", [&] {
    k.sleep_for(msecs(2));
    go.complete_all();
  });
  EXPECT_EQ(k.run_until_idle().stop, RunStop::Idle);
  EXPECT_EQ(through.load(), 5);
}

TEST_P(KernelSync, WaitEventBlocksUntilTheConditionHolds) {
  RecordedKernel rk(cfg());
  auto& k = *rk.k;
  kernel::WaitQueue wq;
  std::atomic<int> level{0};
  std::atomic<kernel::Nanos> seen_at{-1};
  k.spawn("waiter", [&] {
    kernel::wait_event(wq, [&] { return level.load() >= 3; });
    seen_at = k.now();
  });
  k.spawn("raiser", [&] {
    for (int i = 0; i < 3; ++i) {
      k.sleep_for(msecs(1));
      ++level;
      wq.wake_up_all();
    }
  });
  EXPECT_EQ(k.run_until_idle().stop, RunStop::Idle);
  EXPECT_GE(seen_at.load(), msecs(3));
  EXPECT_FALSE(wq.active());
}

TEST_P(KernelSync, ShutdownUnwindsTasksBlockedMidBody) {
  std::atomic<int> unwound{0};
  struct Witness {
    std::atomic<int>& n;
    ~Witness() { ++n; }
  };
  Completion never;
  Completion holder_has_it;
  kernel::Mutex held;
  std::atomic<int> started{0};
  {
    RecordedKernel rk(cfg());
    auto& k = *rk.k;
    k.spawn(
        "holder",
        [&] {
          Witness w{unwound};
          kernel::MutexGuard g(held);
          ++started;
          holder_has_it.complete();
          never.wait_for_completion();
        },
        0);
    k.spawn(
        "contender",
        [&] {
          Witness w{unwound};
          // Not a sleep: under a slow host the holder may take longer than any fixed delay.
          holder_has_it.wait_for_completion();
          ++started;
          kernel::MutexGuard g(held);
        },
        1);
    k.spawn(
        "sleeper",
        [&] {
          Witness w{unwound};
          ++started;
          k.sleep_for(kernel::secs(3600));
        },
        1);
    // Realtime: keep running until all three are inside their bodies.
    while (started.load() < 3) k.run_for(msecs(2));
    EXPECT_EQ(k.nr_tasks(), 3u);
  }  // ~Kernel: shutdown
  EXPECT_EQ(unwound.load(), 3);
}

INSTANTIATE_TEST_SUITE_P(BothModes, KernelSync,
                         ::testing::Values(Mode::Deterministic, Mode::Realtime),
                         [](const auto& info) {
                           return info.param == Mode::Deterministic ? "Deterministic" : "Realtime";
                         });

}  // namespace
}  // namespace wqlab::test

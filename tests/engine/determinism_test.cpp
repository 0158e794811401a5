// The same scenario, run 20 times in deterministic mode, gives a byte-identical event log.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "engine/kernel/sync.h"
#include "test_util.h"

namespace wqlab::test {
namespace {

using kernel::msecs;
using kernel::TaskStep;

struct Image {
  std::string bytes;
  std::vector<std::string> strings;
  std::vector<std::string> text;
};

// A scenario that exercises every kind of scheduling decision: several CPUs, shared-CPU compute,
// sleeps, a contended mutex, a completion, timers, parking and re-waking, and a kthread_stop.
Image run_mixed_scenario() {
  auto cfg = det_config(4);
  cfg.slice = msecs(2);
  RecordedKernel rk(cfg);
  auto& k = *rk.k;
  kernel::Mutex m;
  kernel::Completion ready;
  kernel::Timer tick([&] { ready.complete(); }, "ready_timer");
  int rounds = 0;
  auto idler = k.kthread_create(
      [&] {
        if (k.kthread_should_stop()) return TaskStep::Exit;
        ++rounds;
        k.compute_for(kernel::usecs(700));
        k.set_current_state(kernel::TaskState::Idle);
        return TaskStep::Park;
      },
      "idler/2", 2);
  for (int i = 0; i < 6; ++i) {
    k.spawn(
        "worker" + std::to_string(i),
        [&, i] {
          k.compute_for(msecs(1 + i % 3));
          {
            kernel::MutexGuard g(m);
            k.sleep_for(kernel::usecs(300 * (i + 1)));
          }
          k.wake_up_process(*idler.task);
          if (i % 2 == 0) ready.wait_for_completion();
          k.compute_for(msecs(2));
        },
        i % 3);
  }
  k.spawn(
      "conductor",
      [&] {
        k.mod_timer(tick, 12);
        k.sleep_for(msecs(20));
        ready.complete_all();
        k.sleep_for(msecs(10));
        k.kthread_stop(*idler.task);
      },
      3);
  auto r = k.run_until_idle();
  EXPECT_EQ(r.stop, kernel::RunStop::Idle);
  EXPECT_GT(rounds, 0);
  Image img;
  img.text = rk.lines();
  img.bytes = rk.bytes();
  if (std::getenv("WQLAB_DUMP"))
    for (auto& l : img.text) std::printf("%s\n", l.c_str());
  for (size_t i = 0; i < rk.rec->strings().size(); ++i)
    img.strings.emplace_back(rk.rec->strings().get(static_cast<int64_t>(i)));
  return img;
}

TEST(Determinism, TwentyRunsGiveByteIdenticalLogs) {
  Image first = run_mixed_scenario();
  ASSERT_GT(first.text.size(), 100u);
  for (int run = 1; run < 20; ++run) {
    Image again = run_mixed_scenario();
    ASSERT_EQ(again.bytes.size(), first.bytes.size()) << "run " << run;
    if (again.bytes != first.bytes) {
      for (size_t i = 0; i < std::min(first.text.size(), again.text.size()); ++i)
        ASSERT_EQ(again.text[i], first.text[i]) << "run " << run << " differs at event " << i;
    }
    EXPECT_EQ(again.bytes, first.bytes) << "run " << run;
    EXPECT_EQ(again.strings, first.strings) << "run " << run;
  }
}

TEST(Determinism, AChooserChangesTheOrderButStaysReproducible) {
  auto run = [](bool reverse) {
    RecordedKernel rk(det_config(2));
    auto& k = *rk.k;
    if (reverse) k.set_chooser([](std::span<const kernel::Runnable> rs) { return rs.size() - 1; });
    for (int i = 0; i < 4; ++i)
      k.spawn(
          "t" + std::to_string(i),
          [&k, i] {
            k.sleep_for(msecs(i % 2));
            k.compute_for(msecs(1));
          },
          i % 2);
    k.run_until_idle();
    return rk.bytes();
  };
  std::string fwd = run(false), rev = run(true);
  EXPECT_NE(fwd, rev);
  EXPECT_EQ(run(true), rev);
}

}  // namespace
}  // namespace wqlab::test

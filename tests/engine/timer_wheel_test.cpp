// The timer wheel's expiry rule (kernel/time/timer.c: calc_wheel_index(), calc_index()): the
// level follows the distance to `expires`, level n has buckets of 8^n jiffies, and a timer is
// filed in the first bucket that expires after it, so it never fires early.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_util.h"

namespace wqlab::test {
namespace {

using kernel::calc_wheel_index;
using kernel::msecs;
using kernel::Nanos;

struct Case {
  uint64_t expires;
  uint64_t clk;
  int level;
  uint64_t bucket_expiry;
};

// One timer per level at HZ = 1000 (LVL_DEPTH 9), with the level starts LVL_START(n) =
// 63 << 3(n-1): 63, 504, 4032, 32256, 258048, 2064384, 16515072, 132120576.
TEST(TimerWheel, EachLevelRoundsUpToItsGranularity) {
  const std::vector<Case> cases = {
      {10, 0, 0, 11},                  // MAYDAY_INITIAL_TIMEOUT: fires 11 jiffies later
      {62, 0, 0, 63},                  // last distance on level 0
      {63, 0, 1, 64},                  // level 1: granularity 8
      {100, 0, 1, 104},                // a 100-jiffy delayed work
      {105, 5, 1, 112},                // the same distance from clk 5: 7 late
      {503, 0, 1, 504},                //
      {1000, 0, 2, 1024},              // CREATE_COOLDOWN (HZ): granularity 64
      {4031, 0, 2, 4032},              //
      {30000, 0, 3, 30208},            // the watchdog's 30 s: granularity 512
      {100000, 0, 4, 102400},          // granularity 4096
      {300000, 0, 5, 327680},          // IDLE_WORKER_TIMEOUT (300 s): granularity 32768
      {3000000, 0, 6, 3145728},        // granularity 262144
      {20000000, 0, 7, 20971520},      // granularity 2097152
      {200000000, 0, 8, 201326592},    // granularity 16777216
      {2000000000, 0, 8, 1056964608},  // beyond WHEEL_TIMEOUT_CUTOFF: capped at its limit
  };
  for (const Case& c : cases) {
    kernel::WheelSlot s = calc_wheel_index(c.expires, c.clk, 1000);
    EXPECT_EQ(s.level, c.level) << "expires " << c.expires << " clk " << c.clk;
    EXPECT_EQ(s.bucket_expiry, c.bucket_expiry) << "expires " << c.expires << " clk " << c.clk;
  }
}

// HZ <= 100 has one level fewer (LVL_DEPTH 8): level 7 is the last.
TEST(TimerWheel, LowHzHasEightLevels) {
  EXPECT_EQ(calc_wheel_index(200000000, 0, 100).level, 7);
  EXPECT_EQ(calc_wheel_index(200000000, 0, 1000).level, 8);
}

TEST(TimerWheel, AnExpiryInThePastRunsAtTheNextTick) {
  kernel::WheelSlot s = calc_wheel_index(90, 100, 1000);
  EXPECT_EQ(s.bucket_expiry, 100u);
}

// "The timer wheel has to guarantee that a timer does not fire early" (calc_index()): over many
// distances, the bucket expires after `expires`, and at most one granule of its level later.
TEST(TimerWheel, NeverEarlyAndAtMostOneGranuleLate) {
  uint64_t x = 12345;
  for (int i = 0; i < 20000; ++i) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;  // a fixed LCG: the same every run
    uint64_t clk = (x >> 40) % 1000000;
    uint64_t delta = (x >> 8) % 100000000;
    kernel::WheelSlot s = calc_wheel_index(clk + delta, clk, 1000);
    ASSERT_GT(s.bucket_expiry, clk + delta) << "delta " << delta;
    ASSERT_LE(s.bucket_expiry - (clk + delta), uint64_t{1} << (3 * s.level)) << "delta " << delta;
  }
}

// mod_timer() files the timer by that rule; the timer fires at its bucket's expiry.
TEST(TimerWheel, ModTimerFiresAtTheBucketExpiry) {
  RecordedKernel rk(det_config(1));
  auto& k = *rk.k;
  std::vector<std::string> fired;
  kernel::Timer a([&] { fired.push_back("a@" + std::to_string(k.now() / 1000000)); }, "a");
  kernel::Timer b([&] { fired.push_back("b@" + std::to_string(k.now() / 1000000)); }, "b");
  k.mod_timer(a, 10);
  k.mod_timer(b, 100);
  k.run_until_idle();
  EXPECT_EQ(fired, (std::vector<std::string>{"a@11", "b@104"}));
  auto arms = rk.events(trace::EventKind::TimerArm);
  ASSERT_EQ(arms.size(), 2u);
  EXPECT_EQ(arms[1].args[1], msecs(100));  // expires, as the caller asked
  EXPECT_EQ(arms[1].args[4], msecs(104));  // when it fires
}

// 2.6.24's wheel cascaded timers down its levels and ran each at its expiry.
TEST(TimerWheel, TheCascadingWheelOf2624FiresAtExpires) {
  auto cfg = det_config(1);
  cfg.cascading_timer_wheel = true;
  RecordedKernel rk(cfg);
  Nanos at = -1;
  kernel::Timer t([&] { at = rk.k->now(); }, "t");
  rk.k->mod_timer(t, 100);
  rk.k->run_until_idle();
  EXPECT_EQ(at, msecs(100));
}

}  // namespace
}  // namespace wqlab::test

// The lock-free ring and the recorder: order, fullness, many producers, loss accounting.
#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "engine/trace/event_ring.h"
#include "engine/trace/recorder.h"

namespace wqlab::test {
namespace {

using trace::Event;
using trace::EventKind;
using trace::EventRing;
using trace::OverflowPolicy;
using trace::Recorder;

Event ev(int64_t a0, int64_t a1 = 0) {
  Event e;
  e.kind = EventKind::Printk;
  e.args[0] = a0;
  e.args[1] = a1;
  return e;
}

TEST(EventRing, KeepsOrderAndStopsWhenFull) {
  EventRing ring(4);
  EXPECT_EQ(ring.capacity(), 4u);
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(ring.try_push(ev(i)));
  EXPECT_FALSE(ring.try_push(ev(99)));
  std::vector<int64_t> got;
  EXPECT_EQ(ring.drain([&](const Event& e) { got.push_back(e.args[0]); }), 4u);
  EXPECT_EQ(got, (std::vector<int64_t>{0, 1, 2, 3}));
  EXPECT_TRUE(ring.try_push(ev(4)));  // space again after the drain
  EXPECT_EQ(ring.drain([&](const Event& e) { got.push_back(e.args[0]); }), 1u);
  EXPECT_EQ(got.back(), 4);
}

TEST(EventRing, CapacityRoundsUpToAPowerOfTwo) {
  EventRing ring(1000);
  EXPECT_EQ(ring.capacity(), 1024u);
}

TEST(Recorder, TwoProducersLoseNothingWhenDrainingInline) {
  Recorder rec(64, OverflowPolicy::DrainInline);
  constexpr int kPer = 20000;
  auto produce = [&](int who) {
    for (int i = 0; i < kPer; ++i) rec.emit(ev(who, i));
  };
  std::thread a(produce, 1), b(produce, 2);
  a.join();
  b.join();
  rec.drain();
  const auto& log = rec.log();
  ASSERT_EQ(log.size(), 2u * kPer);
  EXPECT_EQ(rec.lost(), 0u);
  int64_t next[3] = {0, 0, 0};
  for (size_t i = 0; i < log.size(); ++i) {
    EXPECT_EQ(log[i].seq, i);
    int64_t who = log[i].args[0];
    ASSERT_TRUE(who == 1 || who == 2);
    EXPECT_EQ(log[i].args[1], next[who]++);  // each producer's events stay in its order
  }
}

TEST(Recorder, DropPolicyCountsLossAndReportsItInTheLog) {
  Recorder rec(8, OverflowPolicy::Drop);
  for (int i = 0; i < 20; ++i) rec.emit(ev(i));
  EXPECT_EQ(rec.lost(), 12u);
  rec.drain();
  const auto& log = rec.log();
  ASSERT_EQ(log.size(), 9u);
  EXPECT_EQ(log[7].args[0], 7);
  EXPECT_EQ(log[8].kind, EventKind::EventsLost);
  EXPECT_EQ(log[8].args[0], 12);
  rec.drain();
  EXPECT_EQ(rec.log().size(), 9u);  // reported once
}

TEST(Recorder, BackgroundConsumerDrainsWhileProducersRun) {
  Recorder rec(1024, OverflowPolicy::DrainInline);
  rec.start_consumer(100);
  std::thread a([&] {
    for (int i = 0; i < 50000; ++i) rec.emit(ev(i));
  });
  a.join();
  rec.stop_consumer();
  rec.drain();
  EXPECT_EQ(rec.log().size(), 50000u);
}

}  // namespace
}  // namespace wqlab::test

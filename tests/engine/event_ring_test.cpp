// The lock-free ring and the recorder: order, fullness, many producers, loss accounting.
#include <gtest/gtest.h>

#include <chrono>

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

// Nobody but the consumer thread drains: the producer emits a batch, then waits until the log
// holds it. Under Drop a ring that no one drained would lose events; here none is lost.
TEST(Recorder, BackgroundConsumerDrainsWhileProducersRun) {
  Recorder rec(1024, OverflowPolicy::Drop);
  rec.start_consumer(100);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  bool drained = true;
  std::thread a([&] {
    for (int batch = 0; batch < 200 && drained; ++batch) {
      for (int i = 0; i < 250; ++i) rec.emit(ev(batch * 250 + i));
      const size_t want = static_cast<size_t>(batch + 1) * 250;
      while (rec.log().size() < want && std::chrono::steady_clock::now() < deadline)
        std::this_thread::yield();
      drained = rec.log().size() >= want;
    }
  });
  a.join();
  EXPECT_TRUE(drained) << "the consumer thread stopped draining at " << rec.log().size();
  EXPECT_EQ(rec.log().size(), 50000u);  // before anyone else drained
  EXPECT_EQ(rec.lost(), 0u);
  rec.stop_consumer();
  EXPECT_EQ(rec.log()[49999].args[0], 49999);
}

}  // namespace
}  // namespace wqlab::test

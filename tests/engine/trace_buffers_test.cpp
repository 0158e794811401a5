// The per-thread trace buffers, their merge into one stream, the recorder's overflow accounting,
// the cheap clock, and the host side of SpinLock.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <thread>
#include <vector>

#include "engine/kernel/kernel.h"
#include "engine/kernel/sync.h"
#include "engine/trace/buffer_merge.h"
#include "engine/trace/clock.h"
#include "engine/trace/recorder.h"
#include "engine/wq/work.h"

namespace wqlab::test {
namespace {

using trace::Event;
using trace::EventKind;
using trace::ThreadBuffer;

Event ev(int64_t a0) {
  Event e;
  e.kind = EventKind::Printk;
  e.args[0] = a0;
  return e;
}

std::vector<int64_t> merged(std::vector<ThreadBuffer*> bufs, bool serial, uint64_t& next) {
  std::vector<int64_t> out;
  trace::merge_published(bufs, serial, next, [&](const Event& e) { out.push_back(e.args[0]); });
  return out;
}

TEST(ThreadBuffer, HoldsItsCapacityThenRefusesUntilTheConsumerFreesSlots) {
  ThreadBuffer b(3);
  EXPECT_EQ(b.capacity(), 4u);
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(b.try_push(ev(i), 100 + i));
  EXPECT_FALSE(b.try_push(ev(4), 104));
  uint64_t next = 0;
  EXPECT_EQ(merged({&b}, false, next), (std::vector<int64_t>{0, 1, 2, 3}));
  EXPECT_TRUE(b.try_push(ev(4), 104));
}

// Serial order: a buffer holding number 1 waits while number 0 is not yet published elsewhere.
TEST(BufferMerge, SerialWaitsForTheMissingNumberThenKeepsEmitOrder) {
  ThreadBuffer a(8), b(8);
  uint64_t next = 0;
  ASSERT_TRUE(a.try_push(ev(1), 1));
  ASSERT_TRUE(a.try_push(ev(3), 3));
  EXPECT_TRUE(merged({&a, &b}, true, next).empty());
  ASSERT_TRUE(b.try_push(ev(0), 0));
  EXPECT_EQ(merged({&a, &b}, true, next), (std::vector<int64_t>{0, 1}));
  EXPECT_EQ(next, 2u);
  ASSERT_TRUE(b.try_push(ev(2), 2));
  EXPECT_EQ(merged({&a, &b}, true, next), (std::vector<int64_t>{2, 3}));
}

// Concurrent order: everything published, in stamp order across buffers.
TEST(BufferMerge, ConcurrentTakesEverythingInStampOrder) {
  ThreadBuffer a(8), b(8);
  uint64_t next = 0;
  ASSERT_TRUE(a.try_push(ev(10), 10));
  ASSERT_TRUE(a.try_push(ev(40), 40));
  ASSERT_TRUE(b.try_push(ev(20), 20));
  ASSERT_TRUE(b.try_push(ev(30), 30));
  EXPECT_EQ(merged({&a, &b}, false, next), (std::vector<int64_t>{10, 20, 30, 40}));
  EXPECT_TRUE(merged({&a, &b}, false, next).empty());
}

TEST(Recorder, EachProducerThreadGetsItsOwnBuffer) {
  trace::Recorder rec(64);
  rec.emit(ev(0));
  // Both threads stay alive until both emitted (a finished thread's id may be reused).
  std::atomic<int> step{0};
  auto wait_for = [&](int s) {
    while (step.load(std::memory_order_acquire) < s) std::this_thread::yield();
  };
  std::thread a([&] {
    rec.emit(ev(1));
    step.store(1, std::memory_order_release);
    wait_for(2);
  });
  std::thread b([&] {
    wait_for(1);
    rec.emit(ev(2));
    step.store(2, std::memory_order_release);
  });
  a.join();
  b.join();
  rec.emit(ev(3));
  EXPECT_EQ(rec.producer_threads(), 3u);
  rec.drain();
  ASSERT_EQ(rec.log().size(), 4u);
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(rec.log()[i].seq, i);
    EXPECT_EQ(rec.log()[i].args[0], static_cast<int64_t>(i));  // stamp order = emit order here
  }
}

TEST(Recorder, OverflowIsCountedWhenDrainedInlineToo) {
  trace::Recorder rec(8, trace::OverflowPolicy::DrainInline);
  for (int i = 0; i < 20; ++i) rec.emit(ev(i));
  EXPECT_EQ(rec.lost(), 0u);
  EXPECT_EQ(rec.overflows(), 2u);  // at the 9th and the 17th event
  rec.drain();
  ASSERT_EQ(rec.log().size(), 20u);
  for (size_t i = 0; i < 20; ++i) EXPECT_EQ(rec.log()[i].args[0], static_cast<int64_t>(i));
}

// Threads that take turns (as deterministic carriers do) get one stream in turn order, even
// with a consumer draining at arbitrary moments.
TEST(Recorder, SerialProducersTakingTurnsGiveTheEmitOrder) {
  trace::Recorder rec(16, trace::OverflowPolicy::DrainInline);
  rec.set_serial(true);
  rec.start_consumer(10);
  constexpr int kPerThread = 5000;
  std::atomic<int> turn{0};
  auto run = [&](int who) {
    for (int i = 0; i < kPerThread; ++i) {
      while (turn.load(std::memory_order_acquire) != who) std::this_thread::yield();
      rec.emit(ev(2 * i + who));
      turn.store(1 - who, std::memory_order_release);
    }
  };
  std::thread a(run, 0), b(run, 1);
  a.join();
  b.join();
  rec.stop_consumer();
  rec.drain();
  ASSERT_EQ(rec.log().size(), 2u * kPerThread);
  for (size_t i = 0; i < rec.log().size(); ++i)
    ASSERT_EQ(rec.log()[i].args[0], static_cast<int64_t>(i)) << "at " << i;
}

TEST(Recorder, TheKernelAsksForSerialOrderOnlyInDeterministicMode) {
  trace::Recorder det_rec, rt_rec;
  kernel::KernelConfig det;
  det.nr_cpus = 1;
  kernel::Kernel kd(det, &det_rec);
  kernel::KernelConfig rt = det;
  rt.mode = kernel::Mode::Realtime;
  kernel::Kernel kr(rt, &rt_rec);
  EXPECT_TRUE(det_rec.serial());
  EXPECT_FALSE(rt_rec.serial());
}

TEST(TraceClock, TicksConvertToTheSteadyClock) {
  int64_t a = trace::steady_now_ns();
  int64_t t = trace::ticks_to_ns(trace::host_ticks());
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  int64_t t2 = trace::ticks_to_ns(trace::host_ticks());
  int64_t b = trace::steady_now_ns();
  EXPECT_GE(t2, t);
  EXPECT_GE(t, a - 200'000);  // within 0.2 ms of the steady clock
  EXPECT_LE(t2, b + 200'000);
  EXPECT_GT(trace::ns_per_tick(), 0.0);
}

// Four host threads hammer one SpinLock; a plain counter it guards loses no increment.
TEST(SpinLockHost, ExcludesUnderContention) {
  kernel::SpinLock lock;
  int64_t counter = 0;
  constexpr int kEach = 50'000;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) {
        kernel::SpinLockGuard g(lock);
        ++counter;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(counter, 4 * kEach);
  EXPECT_TRUE(lock.try_lock());
  EXPECT_FALSE(lock.try_lock());
  lock.unlock();
}

// A waiter parked on a lock held for a while is woken by the unlock.
TEST(SpinLockHost, AParkedWaiterGetsTheLock) {
  kernel::SpinLock lock;
  lock.lock();
  std::atomic<bool> got{false};
  std::thread waiter([&] {
    lock.lock();
    got = true;
    lock.unlock();
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));  // long past the spin phase
  EXPECT_FALSE(got.load());
  lock.unlock();
  waiter.join();
  EXPECT_TRUE(got.load());
}

TEST(FuncIdentity, SameNameSameIdAcrossAlternation) {
  int64_t a = wq::func_identity("trace_buffers_test_a");
  int64_t b = wq::func_identity("trace_buffers_test_b");
  EXPECT_NE(a, b);
  EXPECT_EQ(wq::func_identity("trace_buffers_test_a"), a);
  EXPECT_EQ(wq::func_identity("trace_buffers_test_a"), a);
  EXPECT_EQ(wq::func_identity("trace_buffers_test_b"), b);
  int64_t other = 0;
  std::thread t([&] { other = wq::func_identity("trace_buffers_test_b"); });
  t.join();
  EXPECT_EQ(other, b);
}

}  // namespace
}  // namespace wqlab::test

// Legacy flush and cancel (2.6.24 semantics): barriers per CPU, the recursive self-flush and its
// depth warning, cancel_work_sync() on pending/running/self-requeuing items, delayed work and the
// two cancel_delayed_work() flavours, schedule_on_each_cpu().
#include <gtest/gtest.h>

#include "legacy_test_util.h"

namespace wqlab::test {
namespace {

using legacy::LegacyWorkqueue;
using trace::EventKind;
using wq::Work;

TEST(LegacyFlush, WaitsForItemsQueuedBeforeButNotAfter) {
  LegacyMachine m(det_config(2));
  LegacyWorkqueue* mt = m.wq().create_workqueue("mt");
  auto a = make_work("a", [&](Work*) { m.k().sleep_for(msecs(10)); });
  auto b = make_work("b", [&](Work*) { m.k().sleep_for(msecs(20)); });
  auto c = make_work("c", [&](Work*) { m.k().sleep_for(msecs(10)); });
  Nanos flushed = -1;
  m.k().spawn("late", [&] {
    m.k().sleep_for(msecs(5));
    m.wq().queue_work(mt, c.get());  // CPU 0: behind the barrier on mt/0
  });
  m.scenario([&] {
    m.wq().queue_work_on(0, mt, b.get());
    m.wq().queue_work_on(1, mt, a.get());
    m.wq().flush_workqueue(mt);
    flushed = m.k().now();
  });
  EXPECT_EQ(flushed, msecs(20));
  EXPECT_EQ(m.run("c").start, msecs(20));
  // CPU 0 got a barrier behind b; CPU 1 was idle by the time the flush reached it.
  EXPECT_EQ(m.order(), (std::vector<std::string>{"b", "a", "wq_barrier_func", "c"}));
}

TEST(LegacyFlush, WalksTheCpusInTurnSoLaterCpusAreSnapshotLater) {
  LegacyMachine m(det_config(2));
  LegacyWorkqueue* mt = m.wq().create_workqueue("mt");
  auto b = make_work("b", [&](Work*) { m.k().sleep_for(msecs(20)); });
  auto a = make_work("a", [&](Work*) { m.k().sleep_for(msecs(10)); });
  auto c = make_work("c", [&](Work*) { m.k().sleep_for(msecs(15)); });
  Nanos flushed = -1;
  m.k().spawn(
      "late",
      [&] {
        m.k().sleep_for(msecs(5));
        m.wq().queue_work(mt, c.get());  // CPU 1, before the flush has got there
      },
      1);
  m.scenario([&] {
    m.wq().queue_work_on(0, mt, b.get());
    m.wq().queue_work_on(1, mt, a.get());
    m.wq().flush_workqueue(mt);
    flushed = m.k().now();
  });
  EXPECT_EQ(flushed, msecs(25));  // c (10..25) was waited for: mt/1's barrier went in at 20
  EXPECT_EQ(m.run("c").start, msecs(10));
}

TEST(LegacyFlush, IdleWorkqueueReturnsAtOnceWithoutBarriers) {
  LegacyMachine m(det_config(2));
  LegacyWorkqueue* mt = m.wq().create_workqueue("mt");
  Nanos flushed = -1;
  m.scenario([&] {
    m.k().sleep_for(msecs(3));
    m.wq().flush_workqueue(mt);
    flushed = m.k().now();
  });
  EXPECT_EQ(flushed, msecs(3));
  EXPECT_TRUE(m.events(EventKind::LegacyInsertion).empty());
}

TEST(LegacyFlush, ThreadFlushingItsOwnQueueRunsItRecursively) {
  LegacyMachine m(det_config(1));
  LegacyWorkqueue* st = m.wq().create_singlethread_workqueue("st");
  auto w2 = make_work("w2", [&](Work*) { m.k().compute_for(msecs(1)); });
  auto w1 = make_work("w1", [&](Work*) {
    m.wq().queue_work(st, w2.get());
    m.wq().flush_workqueue(st);  // keventd-style self-flush: no barrier, no deadlock
  });
  m.scenario([&] { m.wq().queue_work(st, w1.get()); });
  auto x = m.executions();
  ASSERT_EQ(x.size(), 2u);
  EXPECT_EQ(x[0].func, "w1");
  EXPECT_EQ(x[1].func, "w2");
  EXPECT_EQ(x[0].pid, x[1].pid);
  EXPECT_EQ(x[1].end, msecs(1));
  EXPECT_EQ(x[0].end, msecs(1));  // w2 ran nested inside w1's flush
  EXPECT_FALSE(m.printed("recursion depth exceeded"));
}

TEST(LegacyFlush, FourLevelsOfSelfFlushPrintRecursionDepthExceeded) {
  LegacyMachine m(det_config(1));
  std::vector<std::unique_ptr<Work>> chain(4);
  for (int i = 3; i >= 0; --i) {
    Work* next = i < 3 ? chain[static_cast<size_t>(i + 1)].get() : nullptr;
    chain[static_cast<size_t>(i)] = make_work("w" + std::to_string(i + 1), [&m, next](Work*) {
      if (next == nullptr) return;
      m.wq().schedule_work(next);
      m.wq().flush_scheduled_work();  // events/0 flushing itself
    });
  }
  m.scenario([&] { m.wq().schedule_work(chain[0].get()); });
  EXPECT_EQ(m.order(), (std::vector<std::string>{"w1", "w2", "w3", "w4"}));
  auto msgs = m.messages();
  ASSERT_EQ(msgs.size(), 1u);
  EXPECT_EQ(msgs[0], "run_workqueue: recursion depth exceeded: 4");
}

TEST(LegacyCancel, PendingItemIsStolenWithoutWaiting) {
  LegacyMachine m(det_config(1));
  LegacyWorkqueue* st = m.wq().create_singlethread_workqueue("st");
  auto blocker = make_work("blocker", [&](Work*) { m.k().sleep_for(msecs(10)); });
  auto w = make_work("w", [](Work*) {});
  bool ret = false;
  Nanos returned = -1;
  m.scenario([&] {
    m.wq().queue_work(st, blocker.get());
    m.wq().queue_work(st, w.get());
    m.k().sleep_for(msecs(1));
    ret = m.wq().cancel_work_sync(w.get());
    returned = m.k().now();
  });
  EXPECT_TRUE(ret);
  EXPECT_EQ(returned, msecs(1));
  EXPECT_TRUE(m.runs("w").empty());
  EXPECT_FALSE(wq::work_pending(w.get()));
  EXPECT_EQ(m.run("blocker").end, msecs(10));
  // The steal is reported as cmwq's try_to_grab_pending() reports it (no pwq: -1).
  auto dequeued = m.events(trace::EventKind::WqWorkDequeue);
  ASSERT_EQ(dequeued.size(), 1u);
  EXPECT_EQ(m.rk.str(dequeued[0].args[1]), "w");
  EXPECT_EQ(dequeued[0].args[2], -1);
  EXPECT_EQ(dequeued[0].time_ns, msecs(1));
}

TEST(LegacyCancel, RunningItemIsWaitedForAndCannotBeQueuedMeanwhile) {
  LegacyMachine m(det_config(2));
  LegacyWorkqueue* st = m.wq().create_singlethread_workqueue("st");
  auto w = make_work("w", [&](Work*) { m.k().sleep_for(msecs(50)); });
  bool ret = true, queued_meanwhile = true, queued_after = false;
  Nanos returned = -1;
  m.k().spawn(
      "other",
      [&] {
        m.k().sleep_for(msecs(20));
        queued_meanwhile = m.wq().queue_work(st, w.get());  // the canceller owns PENDING
      },
      1);
  m.scenario([&] {
    m.wq().queue_work(st, w.get());
    m.k().sleep_for(msecs(1));
    ret = m.wq().cancel_work_sync(w.get());
    returned = m.k().now();
    queued_after = m.wq().queue_work(st, w.get());
    m.wq().cancel_work_sync(w.get());
  });
  EXPECT_FALSE(ret);  // it was running, not pending
  EXPECT_EQ(returned, msecs(50));
  EXPECT_FALSE(queued_meanwhile);
  EXPECT_TRUE(queued_after);
  EXPECT_EQ(m.runs("w").size(), 1u);
  // The wait used a barrier at the head of st's list.
  EXPECT_EQ(m.order(), (std::vector<std::string>{"w", "wq_barrier_func"}));
}

TEST(LegacyCancel, SelfRequeuingItemStopsForGood) {
  LegacyMachine m(det_config(1));
  LegacyWorkqueue* st = m.wq().create_singlethread_workqueue("st");
  std::unique_ptr<Work> w;
  w = make_work("w", [&](Work* self) {
    m.k().sleep_for(msecs(5));
    m.wq().queue_work(st, self);
  });
  bool ret = true;
  m.scenario([&] {
    m.wq().queue_work(st, w.get());
    m.k().sleep_for(msecs(7));  // the second run is going
    ret = m.wq().cancel_work_sync(w.get());
    EXPECT_EQ(m.k().now(), msecs(10));
    m.k().sleep_for(msecs(50));
  });
  EXPECT_FALSE(ret);
  EXPECT_EQ(m.runs("w").size(), 2u);
  EXPECT_FALSE(wq::work_pending(w.get()));
}

TEST(LegacyDelayed, QueuedWhenTheTimerFiresOnItsCpu) {
  LegacyMachine m(det_config(4));
  LegacyWorkqueue* mt = m.wq().create_workqueue("mt");
  auto d = make_dwork("d", [](Work*) {});
  auto on2 = make_dwork("on2", [](Work*) {});
  auto now = make_dwork("now", [](Work*) {});
  bool again = true;
  m.scenario([&] {
    EXPECT_TRUE(m.wq().queue_delayed_work(mt, d.get(), 100));
    m.k().sleep_for(msecs(50));
    again = m.wq().queue_delayed_work(mt, d.get(), 10);  // pending: refused, expiry unchanged
    EXPECT_TRUE(m.wq().queue_delayed_work_on(2, mt, on2.get(), 20));
    EXPECT_TRUE(m.wq().queue_delayed_work(mt, now.get(), 0));  // no delay: queue_work()
  });
  EXPECT_FALSE(again);
  EXPECT_EQ(m.run("d").start, msecs(100));
  EXPECT_EQ(m.comm_of(m.run("d").pid), "mt/0");  // added from CPU 0, fires there
  EXPECT_EQ(m.run("on2").start, msecs(70));
  EXPECT_EQ(m.comm_of(m.run("on2").pid), "mt/2");
  EXPECT_EQ(m.run("now").start, msecs(50));
  // No insertion before the timer fires.
  auto ins = m.events(EventKind::LegacyInsertion);
  ASSERT_EQ(ins.size(), 3u);
  EXPECT_EQ(m.rk.str(ins[0].args[2]), "now");
  EXPECT_EQ(ins[2].time_ns, msecs(100));
}

TEST(LegacyDelayed, CancelDelayedWorkStopsOnlyTheTimer) {
  LegacyMachine m(det_config(1));
  LegacyWorkqueue* st = m.wq().create_singlethread_workqueue("st");
  auto blocker = make_work("blocker", [&](Work*) { m.k().sleep_for(msecs(30)); });
  auto armed = make_dwork("armed", [](Work*) {});
  auto queued = make_dwork("queued", [](Work*) {});
  bool on_timer = false, on_list = true;
  m.scenario([&] {
    m.wq().queue_work(st, blocker.get());
    m.wq().queue_delayed_work(st, armed.get(), 100);
    m.wq().queue_delayed_work(st, queued.get(), 10);
    m.k().sleep_for(msecs(20));  // `queued` has been moved to the list, behind the blocker
    on_timer = m.wq().cancel_delayed_work(armed.get());
    on_list = m.wq().cancel_delayed_work(queued.get());
  });
  EXPECT_TRUE(on_timer);
  EXPECT_FALSE(wq::delayed_work_pending(armed.get()));
  EXPECT_TRUE(m.runs("armed").empty());
  EXPECT_FALSE(on_list);                        // 2.6.24 does not steal it off the list...
  EXPECT_EQ(m.run("queued").start, msecs(30));  // ...so it still runs
}

TEST(LegacyDelayed, CancelDelayedWorkSyncStealsAQueuedItem) {
  LegacyMachine m(det_config(1));
  LegacyWorkqueue* st = m.wq().create_singlethread_workqueue("st");
  auto blocker = make_work("blocker", [&](Work*) { m.k().sleep_for(msecs(30)); });
  auto queued = make_dwork("queued", [](Work*) {});
  bool ret = false;
  m.scenario([&] {
    m.wq().queue_work(st, blocker.get());
    m.wq().queue_delayed_work(st, queued.get(), 10);
    m.k().sleep_for(msecs(20));
    ret = m.wq().cancel_delayed_work_sync(queued.get());
  });
  EXPECT_TRUE(ret);
  EXPECT_TRUE(m.runs("queued").empty());
  EXPECT_FALSE(wq::delayed_work_pending(queued.get()));
}

TEST(LegacyDelayed, CancelWorkSyncOnAnArmedTimerSpinsUntilItFires) {
  LegacyMachine m(det_config(1));
  LegacyWorkqueue* st = m.wq().create_singlethread_workqueue("st");
  auto d = make_dwork("d", [](Work*) {});
  bool ret = false;
  Nanos returned = -1;
  m.scenario([&] {
    m.wq().queue_delayed_work(st, d.get(), 5);
    ret = m.wq().cancel_work_sync(&d->work);  // documented misuse: busy-waits for the timer
    returned = m.k().now();
  });
  EXPECT_TRUE(ret);
  EXPECT_EQ(returned, msecs(5));
  EXPECT_TRUE(m.runs("d").empty());
  EXPECT_EQ(m.events(EventKind::ComputeBegin).size(), 5u);  // one jiffy of spinning per round
}

TEST(LegacyFlush, ScheduleOnEachCpuRunsOncePerOnlineCpuOnKeventd) {
  LegacyMachine m(det_config(4));
  int ret = -1;
  Nanos returned = -1;
  m.scenario([&] {
    m.k().set_cpu_online(2, false);
    ret = m.wq().schedule_on_each_cpu([&](Work*) { m.k().compute_for(msecs(2)); }, "each");
    returned = m.k().now();
  });
  EXPECT_EQ(ret, 0);
  EXPECT_EQ(returned, msecs(2));
  std::vector<std::string> comms;
  for (auto& r : m.runs("each")) comms.push_back(m.comm_of(r.pid));
  EXPECT_EQ(comms, (std::vector<std::string>{"events/0", "events/1", "events/3"}));
}

}  // namespace
}  // namespace wqlab::test

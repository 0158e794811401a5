// Flush, drain and cancel (KERNEL_SPEC §6, §11 scenarios 22-35).
#include <gtest/gtest.h>

#include "wq_test_util.h"

namespace wqlab::test {
namespace {

using trace::EventKind;
using wq::Work;

TEST(WqCancel, CancelDelayedWorkOnAPendingTimer) {
  CmwqMachine m;
  wq::DelayedWork dw;
  wq::INIT_DELAYED_WORK(
      &dw, [](Work*) {}, "never");
  m.scenario([&] {
    m.cmwq->schedule_delayed_work(&dw, 50);
    EXPECT_TRUE(m.cmwq->cancel_delayed_work(&dw));
    EXPECT_EQ(m.cmwq->work_busy(&dw.work), 0u);
  });
  EXPECT_TRUE(m.runs("never").empty());
}

TEST(WqCancel, CancelWorkSyncOnAPendingInactiveItemKeepsTheOthersInOrder) {
  CmwqMachine m;
  std::vector<std::unique_ptr<Work>> w;
  for (int i = 1; i <= 4; ++i)
    w.push_back(make_work("w" + std::to_string(i), [&](Work*) { m.k().sleep_for(msecs(10)); }));
  auto* wq = m.cmwq->alloc_workqueue("limited", 0, 1);
  m.scenario([&] {
    for (auto& x : w) m.cmwq->queue_work(wq, x.get());
    EXPECT_TRUE(m.cmwq->cancel_work_sync(w[1].get()));  // w2 is inactive
    EXPECT_FALSE(m.cmwq->cancel_work_sync(w[1].get()));
  });
  auto x = m.executions();
  ASSERT_EQ(x.size(), 3u);
  EXPECT_EQ(x[0].func, "w1");
  EXPECT_EQ(x[1].func, "w3");
  EXPECT_EQ(x[2].func, "w4");
  EXPECT_EQ(x[1].start, msecs(10));
}

TEST(WqCancel, CancelWorkSyncWaitsForTheRunningInstanceAndBlocksRequeues) {
  CmwqMachine m(det_config(2));
  auto w = make_work("w", [&](Work*) { m.k().sleep_for(msecs(50)); });
  Nanos returned = -1;
  bool requeue_during_wait = true;
  m.scenario([&] {
    m.cmwq->schedule_work_on(0, w.get());
    m.k().sleep_for(msecs(1));
    m.k().spawn(
        "intruder",
        [&] {
          m.k().sleep_for(msecs(5));
          requeue_during_wait = m.cmwq->schedule_work_on(1, w.get());
        },
        1);
    EXPECT_FALSE(m.cmwq->cancel_work_sync(w.get()));  // it was running, not pending
    returned = m.k().now();
    EXPECT_EQ(m.cmwq->work_busy(w.get()), 0u);
    EXPECT_TRUE(m.cmwq->schedule_work_on(0, w.get()));  // idle and queueable again
  });
  EXPECT_EQ(returned, msecs(50));
  EXPECT_FALSE(requeue_during_wait);
  EXPECT_EQ(m.runs("w").size(), 2u);
}

TEST(WqCancel, CancelWorkSyncStopsASelfRequeuingItem) {
  CmwqMachine m;
  std::unique_ptr<Work> w;
  w = make_work("again", [&](Work* self) {
    m.k().sleep_for(msecs(2));
    m.cmwq->schedule_work(self);
  });
  m.scenario([&] {
    m.cmwq->schedule_work(w.get());
    m.k().sleep_for(msecs(7));
    m.cmwq->cancel_work_sync(w.get());
    EXPECT_EQ(m.cmwq->work_busy(w.get()), 0u);
  });
  size_t runs = m.runs("again").size();
  EXPECT_GE(runs, 3u);
  EXPECT_LE(runs, 5u);
  for (auto& x : m.runs("again")) EXPECT_LE(x.start, msecs(7));
}

TEST(WqCancel, NonSyncCancelDoesNotWait) {
  CmwqMachine m;
  auto w = make_work("w", [&](Work*) { m.k().sleep_for(msecs(20)); });
  Nanos at = -1;
  m.scenario([&] {
    m.cmwq->schedule_work(w.get());
    m.k().sleep_for(msecs(1));
    EXPECT_FALSE(m.cmwq->cancel_work(w.get()));
    at = m.k().now();
  });
  EXPECT_EQ(at, msecs(1));
  EXPECT_EQ(m.run("w").end, msecs(20));
}

TEST(WqCancel, DisableAndEnableNest) {
  CmwqMachine m;
  auto w = make_work("w", [](Work*) {});
  m.scenario([&] {
    m.cmwq->disable_work(w.get());
    m.cmwq->disable_work(w.get());
    EXPECT_FALSE(m.cmwq->schedule_work(w.get()));
    EXPECT_FALSE(m.cmwq->enable_work(w.get()));  // depth 1
    EXPECT_FALSE(m.cmwq->schedule_work(w.get()));
    EXPECT_TRUE(m.cmwq->enable_work(w.get()));  // depth 0
    EXPECT_TRUE(m.cmwq->schedule_work(w.get()));
  });
  EXPECT_EQ(m.runs("w").size(), 1u);
}

TEST(WqFlush, FlushWorkWaitsForAPendingItemAndNotForAnIdleOne) {
  CmwqMachine m;
  auto w = make_work("w", [&](Work*) { m.k().sleep_for(msecs(10)); });
  Nanos flushed = -1;
  m.scenario([&] {
    EXPECT_FALSE(m.cmwq->flush_work(w.get()));  // never queued
    m.cmwq->schedule_work(w.get());
    EXPECT_TRUE(m.cmwq->flush_work(w.get()));
    flushed = m.k().now();
    EXPECT_FALSE(m.cmwq->flush_work(w.get()));  // finished
  });
  EXPECT_EQ(flushed, msecs(10));
}

TEST(WqFlush, FlushWorkOnARunningAndRequeuedItemWaitsForTheSecondRun) {
  CmwqMachine m;
  auto w = make_work("w", [&](Work*) { m.k().sleep_for(msecs(10)); });
  Nanos flushed = -1;
  m.scenario([&] {
    m.cmwq->schedule_work(w.get());
    m.k().sleep_for(msecs(2));
    m.cmwq->schedule_work(w.get());
    m.cmwq->flush_work(w.get());
    flushed = m.k().now();
  });
  EXPECT_EQ(flushed, msecs(20));
}

TEST(WqFlush, FlushWorkqueueWaitsForEverythingQueuedBeforeItAndNothingAfter) {
  CmwqMachine m;
  auto a = make_work("a", [&](Work*) { m.k().sleep_for(msecs(10)); });
  auto b = make_work("b", [&](Work*) { m.k().sleep_for(msecs(10)); });
  auto c = make_work("c", [&](Work*) { m.k().sleep_for(msecs(100)); });
  auto* wq = m.cmwq->alloc_workqueue("snap", 0, 1);
  Nanos flushed = -1;
  m.scenario([&] {
    m.cmwq->queue_work(wq, a.get());
    m.cmwq->queue_work(wq, b.get());  // inactive behind a
    m.k().spawn("late", [&] {
      m.k().sleep_for(msecs(1));
      m.cmwq->queue_work(wq, c.get());
    });
    m.cmwq->flush_workqueue(wq);
    flushed = m.k().now();
  });
  EXPECT_EQ(flushed, msecs(20));
  EXPECT_EQ(m.run("c").end, msecs(120));
}

TEST(WqFlush, SelfRequeuingItemDoesNotLivelockAFlush) {
  CmwqMachine m;
  std::unique_ptr<Work> w;
  bool stop = false;
  w = make_work("loop", [&](Work* self) {
    m.k().sleep_for(msecs(3));
    if (!stop) m.cmwq->schedule_work(self);
  });
  Nanos flushed = -1;
  m.scenario([&] {
    m.cmwq->schedule_work(w.get());
    m.cmwq->flush_workqueue(m.cmwq->system_wq);
    flushed = m.k().now();
    stop = true;
  });
  EXPECT_EQ(flushed, msecs(3));
}

TEST(WqFlush, FlushersCompleteInColourOrder) {
  CmwqMachine m(det_config(2));
  auto a = make_work("a", [&](Work*) { m.k().sleep_for(msecs(10)); });
  auto x = make_work("x", [&](Work*) { m.k().sleep_for(msecs(30)); });
  auto* wq = m.cmwq->alloc_workqueue("colours", 0, 0);
  Nanos f1 = -1, f2 = -1;
  m.scenario([&] {
    m.cmwq->queue_work_on(0, wq, a.get());
    m.k().spawn(
        "f1",
        [&] {
          m.cmwq->flush_workqueue(wq);
          f1 = m.k().now();
        },
        0);
    m.k().sleep_for(msecs(1));
    m.cmwq->queue_work_on(1, wq, x.get());
    m.cmwq->flush_workqueue(wq);
    f2 = m.k().now();
  });
  EXPECT_EQ(f1, msecs(10));  // F1 does not wait for x
  EXPECT_EQ(f2, msecs(31));
  auto starts = m.events(EventKind::WqFlushStart);
  ASSERT_EQ(starts.size(), 2u);
  EXPECT_EQ(starts[0].args[1], 0);
  EXPECT_EQ(starts[1].args[1], 1);
  EXPECT_EQ(starts[1].args[2], 1);  // queued behind the first flusher
}

TEST(WqFlush, SeventeenFlushersOverflowTheColourSpaceAndStillComplete) {
  CmwqMachine m;
  auto slow = make_work("slow", [&](Work*) { m.k().sleep_for(msecs(10)); });
  auto* wq = m.cmwq->alloc_workqueue("many", 0, 0);
  int done = 0;
  m.scenario([&] {
    m.cmwq->queue_work(wq, slow.get());
    for (int i = 0; i < 17; ++i)
      m.k().spawn("flusher" + std::to_string(i), [&] {
        m.cmwq->flush_workqueue(wq);
        ++done;
      });
  });
  EXPECT_EQ(done, 17);
  int overflowed = 0;
  for (auto& e : m.events(EventKind::WqFlushStart)) overflowed += e.args[1] == -1;
  EXPECT_GE(overflowed, 1);
}

TEST(WqFlush, DrainRejectsOutsideQueueingButTakesChainedWork) {
  CmwqMachine m(det_config(2));
  auto* wq = m.cmwq->alloc_workqueue("chain", 0, 0);
  int links = 0;
  std::unique_ptr<Work> z;
  z = make_work("z", [&](Work* self) {
    m.k().sleep_for(msecs(2));
    if (++links < 4) m.cmwq->queue_work(wq, self);  // chained: accepted while draining
  });
  auto y = make_work("y", [](Work*) {});
  bool y_queued = false;
  Nanos drained = -1;
  m.scenario([&] {
    m.cmwq->queue_work(wq, z.get());
    m.k().spawn(
        "outsider",
        [&] {
          m.k().sleep_for(msecs(1));
          y_queued = m.cmwq->queue_work(wq, y.get());
        },
        1);
    m.cmwq->drain_workqueue(wq);
    drained = m.k().now();
  });
  EXPECT_TRUE(y_queued);  // Linux's quirk: true, and y stays PENDING
  EXPECT_TRUE(wq::work_pending(y.get()));
  EXPECT_TRUE(m.runs("y").empty());
  EXPECT_TRUE(m.printed("workqueue: cannot queue y on wq chain"));
  EXPECT_EQ(links, 4);
  EXPECT_EQ(drained, msecs(8));
}

TEST(WqFlush, FlushingYourOwnOrderedWorkqueueIsReported) {
  CmwqMachine m;
  auto* wq = m.cmwq->alloc_ordered_workqueue("self", 0);
  auto later = make_work("later", [](Work*) {});
  auto w = make_work("flusher", [&](Work*) {
    m.cmwq->queue_work(wq, later.get());
    m.cmwq->flush_work(later.get());  // waits for an item stuck behind itself
  });
  m.scenario([&] { m.cmwq->queue_work(wq, w.get()); });
  EXPECT_TRUE(m.printed("possible recursive locking detected"));
  EXPECT_TRUE(m.printed("flush_work (self) from inside flusher"));
  EXPECT_EQ(m.run("flusher").end, -1);  // a real deadlock: it never returns
  EXPECT_TRUE(m.runs("later").empty());
}

TEST(WqFlush, ReclaimItemFlushingANonReclaimQueueIsWarned) {
  CmwqMachine m;
  auto* reclaim = m.cmwq->alloc_workqueue("writeback", wq::WQ_MEM_RECLAIM, 0);
  auto busy = make_work("busy", [&](Work*) { m.k().sleep_for(msecs(5)); });
  auto w = make_work("wb_workfn", [&](Work*) { m.cmwq->flush_workqueue(m.cmwq->system_wq); });
  auto ok = make_work("ok_workfn", [&](Work*) { m.cmwq->flush_workqueue(reclaim); });
  m.scenario([&] {
    m.cmwq->schedule_work(busy.get());  // an empty workqueue needs no flushing, and no warning
    m.cmwq->queue_work(reclaim, w.get());
    m.cmwq->flush_work(w.get());
    m.cmwq->queue_work(m.cmwq->system_unbound_wq, ok.get());
  });
  EXPECT_TRUE(m.printed(
      "workqueue: WQ_MEM_RECLAIM writeback:wb_workfn is flushing !WQ_MEM_RECLAIM events:(null)"));
  int warnings = 0;
  for (auto& s : m.messages()) warnings += s.find("is flushing") != std::string::npos;
  EXPECT_EQ(warnings, 1);
}

TEST(WqFlush, DestroyingABusyWorkqueueDrainsItFirst) {
  CmwqMachine m;
  auto* wq = m.cmwq->alloc_workqueue("busy", 0, 0);
  auto w = make_work("w", [&](Work*) { m.k().sleep_for(msecs(5)); });
  Nanos destroyed = -1;
  m.scenario([&] {
    m.cmwq->queue_work(wq, w.get());
    m.cmwq->destroy_workqueue(wq);
    destroyed = m.k().now();
  });
  EXPECT_EQ(destroyed, msecs(5));
  EXPECT_TRUE(wq->destroyed.load());
}

}  // namespace
}  // namespace wqlab::test

namespace wqlab::test {
namespace {

// KERNEL_SPEC §11 scenario 31, the flush_workqueue() form: an item of an ordered workqueue
// flushing its own workqueue waits for itself.
TEST(WqFlush, FlushingYourOwnWorkqueueFromInsideIsReportedAndDeadlocks) {
  CmwqMachine m;
  auto* wq = m.cmwq->alloc_ordered_workqueue("selfwq", 0);
  auto w = make_work("flushes_self", [&](wq::Work*) { m.cmwq->flush_workqueue(wq); });
  m.scenario([&] { m.cmwq->queue_work(wq, w.get()); });
  EXPECT_TRUE(m.printed("is trying to flush_workqueue (selfwq) from inside flushes_self"));
  EXPECT_EQ(m.run("flushes_self").end, -1);
}

}  // namespace
}  // namespace wqlab::test

// Bad calls print a message and return false/nullptr (never crash); destroy_workqueue(); the same
// scenario twice gives a byte-identical event log; the model also runs in realtime mode.
#include <gtest/gtest.h>

#include <atomic>

#include "legacy_test_util.h"

namespace wqlab::test {
namespace {

using legacy::LegacyWorkqueue;
using trace::EventKind;
using wq::Work;

TEST(LegacyMisuse, BadQueueCallsAreRefusedWithAMessage) {
  LegacyMachine m(det_config(2));
  LegacyWorkqueue* mt = m.wq().create_workqueue("mt");
  auto w = make_work("w", [](Work*) {});
  Work uninit;
  wq::DelayedWork uninit_d;
  EXPECT_FALSE(m.wq().queue_work(nullptr, w.get()));
  EXPECT_FALSE(m.wq().queue_work(mt, nullptr));
  EXPECT_FALSE(m.wq().queue_work(mt, &uninit));
  EXPECT_FALSE(m.wq().queue_work_on(-1, mt, w.get()));
  EXPECT_FALSE(m.wq().queue_work_on(2, mt, w.get()));
  EXPECT_FALSE(m.wq().queue_delayed_work(mt, nullptr, 5));
  EXPECT_FALSE(m.wq().queue_delayed_work(mt, &uninit_d, 5));
  EXPECT_FALSE(m.wq().queue_delayed_work_on(7, mt, &uninit_d, 5));
  EXPECT_FALSE(m.wq().cancel_delayed_work(nullptr));
  EXPECT_FALSE(m.wq().cancel_work_sync(nullptr));
  EXPECT_FALSE(wq::work_pending(w.get()));
  EXPECT_TRUE(m.printed("queue_work() called with a null workqueue or work item"));
  EXPECT_TRUE(m.printed("queue_work() on a work item that was never INIT_WORK()ed"));
  EXPECT_TRUE(m.printed("queue_work_on() for cpu 2, which does not exist"));
  EXPECT_TRUE(m.printed("queue_delayed_work() called with a null delayed_work"));
  EXPECT_TRUE(m.printed("cancel_work_sync() on a null or uninitialised work item"));
  EXPECT_TRUE(m.wq().queue_work(mt, w.get()));  // still usable
  m.k().run_until_idle();
  EXPECT_EQ(m.runs("w").size(), 1u);
}

TEST(LegacyMisuse, SleepingCallsOutsideATaskAreRefused) {
  LegacyMachine m(det_config(2));
  LegacyWorkqueue* mt = m.wq().create_workqueue("mt");
  auto w = make_work("w", [](Work*) {});
  m.wq().flush_workqueue(mt);
  m.wq().flush_scheduled_work();
  EXPECT_FALSE(m.wq().cancel_work_sync(w.get()));
  EXPECT_EQ(m.wq().schedule_on_each_cpu([](Work*) {}, "each"), -kernel::kEINVAL);
  m.wq().destroy_workqueue(mt);
  EXPECT_EQ(m.wq().workqueues().size(), 2u);  // mt was not destroyed
  EXPECT_TRUE(m.printed("workqueue: flush_workqueue() sleeps, so it needs a task context"));
  EXPECT_TRUE(m.printed("workqueue: destroy_workqueue() sleeps, so it needs a task context"));
  EXPECT_TRUE(m.printed("workqueue: cancel_work_sync() sleeps"));
}

TEST(LegacyMisuse, DestroyFlushesStopsAndThenRefusesTheWorkqueue) {
  LegacyMachine m(det_config(2));
  LegacyWorkqueue* mt = m.wq().create_workqueue("mt");
  auto a = make_work("a", [&](Work*) { m.k().sleep_for(msecs(5)); });
  auto b = make_work("b", [](Work*) {});
  int pids = m.k().nr_pids_in_use();
  Nanos destroyed_at = -1;
  m.scenario([&] {
    m.wq().queue_work_on(1, mt, a.get());
    m.wq().destroy_workqueue(mt);
    destroyed_at = m.k().now();
    EXPECT_FALSE(m.wq().queue_work(mt, b.get()));
    m.wq().destroy_workqueue(mt);
    m.wq().flush_workqueue(mt);
  });
  EXPECT_EQ(destroyed_at, msecs(5));  // a ran first
  EXPECT_EQ(m.k().nr_pids_in_use(), pids - 2);
  EXPECT_EQ(m.wq().nr_threads(), 2);
  EXPECT_EQ(m.wq().find_workqueue("mt"), nullptr);
  auto d = m.events(EventKind::LegacyDestroy);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(m.rk.str(d[0].args[0]), "mt");
  EXPECT_EQ(d[0].args[1], 2);
  EXPECT_TRUE(m.printed("queue_work() on mt, which has been destroyed"));
  EXPECT_TRUE(m.printed("destroy_workqueue() called on a null or already destroyed workqueue"));
  EXPECT_TRUE(m.printed("flush_workqueue() called on a null or destroyed workqueue"));
}

TEST(LegacyMisuse, DestroyFromItsOwnThreadIsRefused) {
  LegacyMachine m(det_config(1));
  LegacyWorkqueue* st = m.wq().create_singlethread_workqueue("st");
  auto w = make_work("w", [&](Work*) { m.wq().destroy_workqueue(st); });
  m.wq().queue_work(st, w.get());
  m.k().run_until_idle();
  EXPECT_TRUE(m.printed("destroy_workqueue(\"st\") called from its own thread st"));
  EXPECT_NE(m.wq().find_workqueue("st"), nullptr);
}

TEST(LegacyMisuse, CancellingItselfReportsRecursionAndHangsLike2624) {
  LegacyMachine m(det_config(1));
  LegacyWorkqueue* st = m.wq().create_singlethread_workqueue("st");
  std::unique_ptr<Work> w;
  w = make_work("w", [&](Work* self) { m.wq().cancel_work_sync(self); });
  m.wq().queue_work(st, w.get());
  EXPECT_EQ(m.k().run_until_idle().stop, kernel::RunStop::Idle);  // st is stuck, the rest is idle
  EXPECT_TRUE(m.printed("INFO: possible recursive locking detected: st waits for w"));
  EXPECT_EQ(m.run("w").end, -1);
}

// A scenario with every kind of legacy step: MT and ST queues, blocking, self-flush, delayed work,
// cancel, hotplug and destroy.
std::string run_mixed_scenario() {
  LegacyMachine m(det_config(3), legacy_config(true));
  LegacyWorkqueue* mt = m.wq().create_workqueue("mixed");
  LegacyWorkqueue* st = m.wq().create_singlethread_workqueue("serial");
  std::vector<std::unique_ptr<Work>> items;
  for (int i = 0; i < 6; ++i) {
    items.push_back(make_work("item" + std::to_string(i), [&m, i](Work*) {
      m.k().compute_for(msecs(1 + i % 3));
      if (i % 2) m.k().sleep_for(msecs(2));
    }));
  }
  auto selfflush = make_work("selfflush", [&](Work*) { m.wq().flush_workqueue(st); });
  auto d = make_dwork("delayed", [&](Work*) { m.k().compute_for(msecs(1)); });
  m.scenario([&] {
    for (int i = 0; i < 6; ++i)
      m.wq().queue_work_on(i % 3, mt, items[static_cast<size_t>(i)].get());
    m.wq().queue_work(st, selfflush.get());
    m.wq().queue_delayed_work(st, d.get(), 4);
    m.k().sleep_for(msecs(1));
    m.wq().cancel_work_sync(items[5].get());
    m.k().set_cpu_online(2, false);
    m.wq().flush_workqueue(mt);
    m.k().set_cpu_online(2, true);
    m.wq().destroy_workqueue(mt);
  });
  return m.rk.bytes();
}

TEST(LegacyDeterminism, SameScenarioTwiceGivesTheSameBytes) {
  std::string first = run_mixed_scenario();
  std::string second = run_mixed_scenario();
  EXPECT_FALSE(first.empty());
  EXPECT_EQ(first, second);
}

TEST(LegacyRealtime, ItemsRunAndFlushWaitsForThem) {
  LegacyMachine m(rt_config(2));
  LegacyWorkqueue* mt = m.wq().create_workqueue("rt");
  LegacyWorkqueue* st = m.wq().create_singlethread_workqueue("rt_st");
  std::atomic<int> ran{0};
  std::vector<std::unique_ptr<Work>> items;
  for (int i = 0; i < 8; ++i)
    items.push_back(make_work("rt" + std::to_string(i), [&](Work*) {
      m.k().sleep_for(kernel::usecs(200));
      ran.fetch_add(1);
    }));
  int after_flush = -1;
  std::atomic<bool> done{false};
  m.k().spawn("scenario", [&] {
    for (int i = 0; i < 8; ++i)
      m.wq().queue_work_on(i % 2, i < 6 ? mt : st, items[static_cast<size_t>(i)].get());
    m.wq().flush_workqueue(mt);
    m.wq().flush_workqueue(st);
    after_flush = ran.load();
    m.wq().destroy_workqueue(mt);
    m.wq().destroy_workqueue(st);
    done = true;
  });
  // The realtime kernel can report Idle while a timer callback is in flight (detached, about to
  // wake a sleeper; reported to the lead), so wait in slices of virtual time instead.
  for (int i = 0; i < 2000 && !done.load(); ++i) m.k().run_for(msecs(2));
  EXPECT_TRUE(done.load());
  EXPECT_EQ(after_flush, 8);
  EXPECT_EQ(m.wq().nr_threads(), 2);
}

TEST(LegacyRealtime, ConcurrentQueueCancelAndHotplugKeepTheirPromises) {
  LegacyMachine m(rt_config(2));
  LegacyWorkqueue* mt = m.wq().create_workqueue("rt");
  std::atomic<int> runs{0};
  auto w = make_work("w", [&](Work*) { runs.fetch_add(1); });
  auto d = make_dwork("d", [&](Work*) { runs.fetch_add(1000); });
  std::atomic<int> finished{0};
  std::atomic<bool> cancelled_all{true};
  m.k().spawn(
      "queuer",
      [&] {
        for (int i = 0; i < 50; ++i) {
          m.wq().queue_work_on(i % 2, mt, w.get());
          m.k().sleep_for(kernel::usecs(50));
        }
        m.wq().cancel_work_sync(w.get());
        finished.fetch_add(1);
      },
      0);
  m.k().spawn(
      "canceller",
      [&] {
        for (int i = 0; i < 20; ++i) {
          m.wq().queue_delayed_work(mt, d.get(), 50);
          if (!m.wq().cancel_delayed_work_sync(d.get())) cancelled_all = false;
        }
        finished.fetch_add(1);
      },
      1);
  m.k().spawn(
      "hotplug",
      [&] {
        m.k().sleep_for(kernel::usecs(500));
        m.k().set_cpu_online(1, false);
        m.k().set_cpu_online(1, true);
        finished.fetch_add(1);
      },
      0);
  for (int i = 0; i < 2000 && finished.load() < 3; ++i) m.k().run_for(msecs(2));
  EXPECT_EQ(finished.load(), 3);
  EXPECT_TRUE(cancelled_all.load());  // each delayed item was still on its 50-jiffy timer
  EXPECT_LT(runs.load(), 1000);       // so d never ran
  EXPECT_GE(runs.load(), 1);
  EXPECT_FALSE(wq::work_pending(w.get()));
  EXPECT_EQ(m.thread_names(mt), (std::vector<std::string>{"rt/0", "rt/1"}));
}

}  // namespace
}  // namespace wqlab::test

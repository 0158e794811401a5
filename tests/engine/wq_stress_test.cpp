// Realtime stress: several tasks queue, cancel and flush the same items at once on real OS
// threads. Every successful queue_work() ends in exactly one execution or one successful cancel.
#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <random>

#include "wq_test_util.h"

namespace wqlab::test {
namespace {

using wq::Work;

TEST(WqStress, ConcurrentQueueCancelFlushAccountsForEveryItem) {
  auto cfg = rt_config(4);
  cfg.speed = 50.0;
  CmwqMachine m(cfg);
  constexpr int kItems = 48, kTasks = 4, kOps = 1500;
  struct Item {
    std::unique_ptr<Work> work;
    std::atomic<int> executed{0}, queued{0}, cancelled{0};
    wq::Workqueue* wq = nullptr;
  };
  std::array<Item, kItems> items;
  auto* bound = m.cmwq->alloc_workqueue("stress_bound", 0, 4);
  auto* unbound = m.cmwq->alloc_workqueue("stress_unbound", wq::WQ_UNBOUND, 8);
  for (int i = 0; i < kItems; ++i) {
    Item& it = items[static_cast<size_t>(i)];
    it.wq = i % 2 ? unbound : bound;
    it.work = make_work("item" + std::to_string(i), [&m, &it, i](Work*) {
      it.executed.fetch_add(1);
      if (i % 3 == 0) m.k().sleep_for(kernel::usecs(200));
      if (i % 3 == 1) m.k().compute_for(kernel::usecs(50));
    });
  }
  std::atomic<int> finished{0};
  for (int t = 0; t < kTasks; ++t) {
    m.k().spawn(
        "stress" + std::to_string(t),
        [&, t] {
          std::mt19937 rng(static_cast<unsigned>(t + 1));
          for (int op = 0; op < kOps; ++op) {
            Item& it = items[rng() % kItems];
            switch (rng() % 8) {
              case 0:
              case 1:
              case 2:
              case 3:
                if (m.cmwq->queue_work_on(static_cast<int>(rng() % 4), it.wq, it.work.get()))
                  it.queued.fetch_add(1);
                break;
              case 4:
                if (m.cmwq->cancel_work(it.work.get())) it.cancelled.fetch_add(1);
                break;
              case 5:
                if (m.cmwq->cancel_work_sync(it.work.get())) it.cancelled.fetch_add(1);
                break;
              case 6:
                m.cmwq->flush_work(it.work.get());
                break;
              case 7:
                if (op % 50 == 0) m.cmwq->flush_workqueue(it.wq);
                break;
            }
          }
          finished.fetch_add(1);
        },
        t % 4);
  }
  while (finished.load() < kTasks) m.k().run_for(kernel::msecs(50));
  std::atomic<bool> drained{false};
  m.k().spawn("drain", [&] {
    m.cmwq->drain_workqueue(bound);
    m.cmwq->drain_workqueue(unbound);
    drained = true;
  });
  while (!drained.load()) m.k().run_for(kernel::msecs(50));
  int total_queued = 0, total_runs = 0;
  for (auto& it : items) {
    EXPECT_EQ(it.executed.load() + it.cancelled.load(), it.queued.load()) << it.work->name();
    EXPECT_FALSE(wq::work_pending(it.work.get())) << it.work->name();
    total_queued += it.queued.load();
    total_runs += it.executed.load();
  }
  EXPECT_GT(total_queued, kTasks * kOps / 4);
  EXPECT_GT(total_runs, 0);
  for (auto& msg : m.messages()) EXPECT_EQ(msg.find("BUG"), std::string::npos) << msg;
}

}  // namespace
}  // namespace wqlab::test

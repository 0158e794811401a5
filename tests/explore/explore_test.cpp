// Schedule exploration: the seeded chooser (same seed, same order; other seeds, other orders; no
// chooser, the default order) and the invariant checker, which must report each invariant when
// the engine is broken on purpose (CmwqConfig::inject_faults) or its state is corrupted.
#include <gtest/gtest.h>

#include <set>

#include "engine/explore/invariant_checker.h"
#include "engine/explore/seeded_chooser.h"
#include "wq_test_util.h"

namespace wqlab::test {
namespace {

using explore::InvariantChecker;
using explore::SeededChooser;
using explore::Strategy;
using wq::Work;

// Eight tasks on four CPUs that wake at the same instants: many ties.
std::string run_tasks(const kernel::Chooser& chooser, bool set) {
  RecordedKernel rk(det_config(4));
  auto& k = *rk.k;
  if (set) k.set_chooser(chooser);
  for (int i = 0; i < 8; ++i)
    k.spawn(
        "t" + std::to_string(i),
        [&k, i] {
          k.sleep_for(msecs(i % 2));
          k.compute_for(msecs(1));
          k.sleep_for(msecs(1));
        },
        i % 4);
  k.run_until_idle();
  return rk.bytes();
}

std::string run_seed(uint64_t seed, Strategy s) {
  return run_tasks(explore::as_kernel_chooser(std::make_shared<SeededChooser>(seed, s)), true);
}

TEST(ExploreChooser, SameSeedSameOrder) {
  for (Strategy s : {Strategy::Uniform, Strategy::Pct})
    for (uint64_t seed : {1u, 7u, 12345u}) EXPECT_EQ(run_seed(seed, s), run_seed(seed, s));
}

TEST(ExploreChooser, DifferentSeedsDifferentOrders) {
  for (Strategy s : {Strategy::Uniform, Strategy::Pct}) {
    std::set<std::string> logs;
    for (uint64_t seed = 0; seed < 10; ++seed) logs.insert(run_seed(seed, s));
    EXPECT_GE(logs.size(), 5u) << explore::strategy_name(s);
  }
}

TEST(ExploreChooser, NoChooserKeepsTheDefaultOrder) {
  std::string none = run_tasks(nullptr, false);
  // The default order is the first option: a chooser that always says 0 changes nothing.
  EXPECT_EQ(run_tasks([](std::span<const kernel::Runnable>) { return size_t{0}; }, true), none);
  EXPECT_EQ(run_tasks(nullptr, true), none);  // set_chooser(nullptr) removes it
  EXPECT_NE(run_seed(3, Strategy::Uniform), none);
}

std::vector<kernel::Runnable> options_of(std::vector<kernel::Task>& tasks) {
  std::vector<kernel::Runnable> out;
  for (size_t i = 0; i < tasks.size(); ++i)
    out.push_back({&tasks[i], 0, static_cast<int>(i), static_cast<uint64_t>(i)});
  return out;
}

TEST(ExploreChooser, UniformPicksEveryOption) {
  std::vector<kernel::Task> tasks(3);
  for (int i = 0; i < 3; ++i) tasks[static_cast<size_t>(i)].pid = 10 + i;
  auto opts = options_of(tasks);
  SeededChooser c(42, Strategy::Uniform);
  int count[3] = {};
  for (int i = 0; i < 3000; ++i) ++count[c.choose(opts)];
  for (int n : count) EXPECT_GT(n, 800);
  EXPECT_EQ(c.stats().decisions, 3000u);
  EXPECT_EQ(c.stats().deviations, static_cast<uint64_t>(count[1] + count[2]));
  std::vector<kernel::Runnable> one(opts.begin(), opts.begin() + 1);
  EXPECT_EQ(c.choose(one), 0u);
  EXPECT_EQ(c.stats().decisions, 3000u);  // one option is no decision
}

TEST(ExploreChooser, PctKeepsItsPickUntilAChangePoint) {
  std::vector<kernel::Task> tasks(3);
  for (int i = 0; i < 3; ++i) tasks[static_cast<size_t>(i)].pid = 10 + i;
  auto opts = options_of(tasks);
  // Depth 1: no change point, the highest priority always wins.
  SeededChooser fixed(5, Strategy::Pct, 1);
  size_t first = fixed.choose(opts);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(fixed.choose(opts), first);
  // Depth 2 over a horizon of 1: the first decision is a change point, so the task that would
  // have run drops to the bottom and another runs, from then on.
  SeededChooser changed(5, Strategy::Pct, 2, 1);
  size_t after = changed.choose(opts);
  EXPECT_NE(after, first);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(changed.choose(opts), after);
}

// ---- Invariants ----

wq::CmwqConfig faults(void (*set)(wq::CmwqFaults&)) {
  wq::CmwqConfig c;
  set(c.inject_faults);
  return c;
}

// A workload over every invariant's ground: plain, throttled, ordered and sleeping items, a
// flush and a cancel, on two CPUs.
kernel::RunResult workload(CmwqMachine& m, std::vector<std::unique_ptr<Work>>& works,
                           bool flushes = true) {
  auto& k = m.k();
  auto* cmwq = m.cmwq.get();
  return m.scenario([&] {
    wq::Workqueue* throttled = cmwq->alloc_workqueue("throttled", 0, 1);
    wq::Workqueue* ordered = cmwq->alloc_ordered_workqueue("ordered", 0);
    for (int i = 0; i < 6; ++i) {
      works.push_back(make_work("w" + std::to_string(i), [&k, i](Work*) {
        if (i % 2) k.sleep_for(msecs(1));
        k.compute_for(msecs(1));
      }));
      Work* w = works.back().get();
      if (i < 2)
        cmwq->queue_work(cmwq->system_wq, w);
      else if (i < 4)
        cmwq->queue_work(throttled, w);
      else
        cmwq->queue_work(ordered, w);
    }
    if (flushes) cmwq->flush_workqueue(ordered);
    works.push_back(make_work("cancelled", [](Work*) {}));
    cmwq->queue_work(throttled, works.back().get());
    cmwq->cancel_work_sync(works.back().get());
    if (flushes) cmwq->flush_workqueue(throttled);
  });
}

TEST(ExploreInvariants, ACorrectEngineKeepsThemUnderManySeeds) {
  for (uint64_t seed = 0; seed < 16; ++seed) {
    CmwqMachine m(det_config(2));
    auto c = std::make_shared<SeededChooser>(seed, SeededChooser::strategy_for(seed));
    m.k().set_chooser(explore::as_kernel_chooser(c));
    InvariantChecker checker(m.k(), *m.cmwq);
    std::vector<std::unique_ptr<Work>> works;
    workload(m, works);
    checker.finish();
    ASSERT_TRUE(checker.ok()) << "seed " << seed << ": " << checker.violation()->invariant << ": "
                              << checker.violation()->detail;
    EXPECT_GT(checker.state_checks(), 20u);
    EXPECT_EQ(m.runs("cancelled").size(), 0u);
  }
}

// Runs the workload on an engine with `fault` and returns the violation.
explore::Violation broken(void (*set)(wq::CmwqFaults&), bool flushes = true) {
  CmwqMachine m(det_config(2), faults(set));
  InvariantChecker checker(m.k(), *m.cmwq);
  std::vector<std::unique_ptr<Work>> works;
  workload(m, works, flushes);
  checker.finish();
  EXPECT_FALSE(checker.ok());
  return checker.ok() ? explore::Violation{} : *checker.violation();
}

TEST(ExploreInvariants, ALostItemIsReported) {
  // Without flushes: a flush of a workqueue whose item was lost returns at once, and the flush
  // invariant reports that first (ALostItemMakesAFlushReturnEarly).
  auto v = broken([](wq::CmwqFaults& f) { f.lose_queued_item = true; }, false);
  EXPECT_EQ(v.invariant, "exactly-once");
  EXPECT_NE(v.detail.find("lost"), std::string::npos) << v.detail;
  EXPECT_FALSE(v.log.empty());
}

TEST(ExploreInvariants, ALostItemMakesAFlushReturnEarly) {
  auto v = broken([](wq::CmwqFaults& f) { f.lose_queued_item = true; });
  EXPECT_EQ(v.invariant, "flush");
  EXPECT_NE(v.detail.find("flush_workqueue(ordered) returned before work"), std::string::npos)
      << v.detail;
}

TEST(ExploreInvariants, AnItemRunTwiceIsReported) {
  auto v = broken([](wq::CmwqFaults& f) { f.run_item_twice = true; });
  EXPECT_EQ(v.invariant, "exactly-once");
  EXPECT_NE(v.detail.find("once more than it was queued"), std::string::npos) << v.detail;
  bool saw_start = false;
  for (auto& line : v.log) saw_start |= line.find("workqueue_execute_start") != std::string::npos;
  EXPECT_TRUE(saw_start);
}

TEST(ExploreInvariants, ABrokenNrRunningIsReported) {
  auto v = broken([](wq::CmwqFaults& f) { f.skip_nr_running_dec = true; });
  EXPECT_EQ(v.invariant, "nr-running");
  EXPECT_NE(v.detail.find("nr_running is"), std::string::npos) << v.detail;
}

TEST(ExploreInvariants, AWrongNrIdleIsReported) {
  CmwqMachine m(det_config(2));
  InvariantChecker checker(m.k(), *m.cmwq);
  std::vector<std::unique_ptr<Work>> works;
  workload(m, works);
  ASSERT_TRUE(checker.ok());
  m.cmwq->cpu_pool(0, false)->nr_idle += 1;
  checker.finish();
  ASSERT_FALSE(checker.ok());
  EXPECT_EQ(checker.violation()->invariant, "nr-idle");
}

TEST(ExploreInvariants, APendingBitThatDisagreesWithItsListIsReported) {
  CmwqMachine m(det_config(1));
  InvariantChecker checker(m.k(), *m.cmwq);
  auto& k = m.k();
  wq::Workqueue* wq = nullptr;
  auto a = make_work("a", [&k](Work*) { k.compute_for(msecs(5)); });
  auto b = make_work("b", [](Work*) {});
  m.rk.k->spawn("scenario", [&] {
    wq = m.cmwq->alloc_workqueue("one", 0, 1);
    m.cmwq->queue_work(wq, a.get());
    m.cmwq->queue_work(wq, b.get());  // max_active 1: b waits, INACTIVE, on inactive_works
  });
  m.k().run_for(msecs(2));
  ASSERT_TRUE(checker.ok());
  ASSERT_TRUE(wq::work_data(b.get()) & wq::WORK_STRUCT_INACTIVE);
  b->data.fetch_and(~static_cast<uint64_t>(wq::WORK_STRUCT_INACTIVE));
  checker.finish();
  ASSERT_FALSE(checker.ok());
  EXPECT_EQ(checker.violation()->invariant, "pending-lists");
  EXPECT_NE(checker.violation()->detail.find("is not INACTIVE"), std::string::npos);
}

TEST(ExploreInvariants, MaxActiveAboveTheLimitIsReported) {
  CmwqMachine m(det_config(1));
  InvariantChecker checker(m.k(), *m.cmwq);
  auto& k = m.k();
  wq::Workqueue* wq = nullptr;
  auto a = make_work("a", [&k](Work*) { k.compute_for(msecs(5)); });
  m.rk.k->spawn("scenario", [&] {
    wq = m.cmwq->alloc_workqueue("one", 0, 1);
    m.cmwq->queue_work(wq, a.get());
  });
  m.k().run_for(msecs(2));
  ASSERT_TRUE(checker.ok());
  wq->pwq_of(0)->nr_active = 2;  // as if a second item had been let through
  checker.finish();
  ASSERT_FALSE(checker.ok());
  EXPECT_EQ(checker.violation()->invariant, "max-active");
  wq->pwq_of(0)->nr_active = 1;
}

TEST(ExploreInvariants, AnOrderedWorkqueueRunningTwoItemsIsReported) {
  CmwqMachine m(det_config(2));
  InvariantChecker checker(m.k(), *m.cmwq);
  auto& k = m.k();
  auto a = make_work("a", [&k](Work*) { k.sleep_for(msecs(1)); });
  auto b = make_work("b", [](Work*) {});
  m.scenario([&] {
    wq::Workqueue* o = m.cmwq->alloc_ordered_workqueue("o", 0);
    o->max_active.store(2);  // broken on purpose: an ordered workqueue let two items through
    o->node_nr_active->max.store(2);
    m.cmwq->queue_work(o, a.get());
    m.cmwq->queue_work(o, b.get());
  });
  ASSERT_FALSE(checker.ok());
  EXPECT_EQ(checker.violation()->invariant, "ordered");
  EXPECT_NE(checker.violation()->detail.find("ordered workqueue o runs two items at once"),
            std::string::npos)
      << checker.violation()->detail;
}

}  // namespace
}  // namespace wqlab::test

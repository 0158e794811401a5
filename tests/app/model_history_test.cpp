// Snapshots: any past moment rebuilt from a snapshot plus folding equals a fresh fold of the
// first N events, whatever the interval and after thinning.
#include <gtest/gtest.h>

#include <chrono>

#include "app_test_util.h"

namespace wqlab::test {
namespace {

using model::MachineModel;
using model::MachineState;

MachineState fresh_fold(const MachineModel& m, uint64_t n) {
  MachineState s = model::initial_state(m.config());
  for (uint64_t i = 0; i < n; ++i) model::fold_event(s, (*m.log())[i], m.config(), nullptr);
  return s;
}

TEST(ModelHistory, SeekingBackEqualsAFreshFold) {
  RecordedMachine rm(demo("tour"));
  rm.run_until_idle();
  MachineModel m;
  rm.rec->drain();
  model::MachineConfig cfg;
  cfg.nr_cpus = rm.k->nr_cpus();
  m.attach(rm.rec.get(), cfg, 50);
  m.update();
  const uint64_t n = m.events();
  ASSERT_GT(n, 500u);
  EXPECT_GT(m.snapshots().snapshots(), 5u);
  for (uint64_t at : {uint64_t{0}, uint64_t{1}, uint64_t{49}, uint64_t{50}, uint64_t{51}, n / 3,
                      n / 2 + 7, n - 1, n}) {
    SCOPED_TRACE("event " + std::to_string(at));
    const MachineState back = m.state_at(at);
    EXPECT_EQ(back.events, at);
    EXPECT_TRUE(back == fresh_fold(m, at));
  }
}

TEST(ModelHistory, ThinningKeepsSeeksExact) {
  RecordedMachine rm(demo("tour"));
  rm.run_until_idle();
  rm.rec->drain();
  model::ModelHistory history(16, 8);
  model::MachineConfig cfg;
  cfg.nr_cpus = rm.k->nr_cpus();
  MachineState head = model::initial_state(cfg);
  history.reset(head);
  const trace::EventLog& log = rm.rec->log();
  for (size_t i = 0; i < log.size(); ++i) {
    model::fold_event(head, log[i], cfg, nullptr);
    history.note(head);
  }
  EXPECT_LE(history.snapshots(), 8u);
  EXPECT_GT(history.interval(), 16u);
  for (uint64_t at : {uint64_t{5}, log.size() / 4, log.size() / 2 + 3, log.size() - 2}) {
    MachineState s = model::initial_state(cfg);
    for (uint64_t i = 0; i < at; ++i) model::fold_event(s, log[i], cfg, nullptr);
    EXPECT_TRUE(history.state_at(at, log, cfg) == s) << at;
  }
}

TEST(ModelHistory, MomentsByTimeMapToEventCounts) {
  RecordedMachine rm(demo("doc"));
  rm.run_until_idle();
  MachineModel m;
  rm.fold(m);
  const uint64_t at12 = m.events_at_time(kernel::msecs(12));
  ASSERT_GT(at12, 0u);
  EXPECT_LE(m.time_of(at12), kernel::msecs(12));
  if (at12 < m.events()) {
    EXPECT_GT((*m.log())[at12].time_ns, kernel::msecs(12));
  }
  // At 12 ms w0 sleeps, w1 has just gone to sleep and w2 runs (Documentation's timeline).
  const MachineState s = m.state_at(at12);
  int running = 0, sleeping = 0;
  for (const auto& [pid, w] : s.workers) {
    if (w.current < 0) continue;
    (w.sleeping ? sleeping : running) += 1;
  }
  EXPECT_EQ(running, 1);
  EXPECT_EQ(sleeping, 2);
}

TEST(ModelHistory, AnyMomentOfALongRunIsQuick) {
  RecordedMachine rm(demo("wave"));
  rm.run_until_idle();
  MachineModel m;
  rm.fold(m);
  const uint64_t n = m.events();
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 1; i <= 20; ++i) (void)m.state_at(n * static_cast<uint64_t>(i) / 21);
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_LT(ms / 20, 50.0) << n << " events";
}

}  // namespace
}  // namespace wqlab::test

// What if: a scenario fitted to a trace, replayed on cmwq and on Linux 2.6.24, and the latency
// histograms of the comparison.
#include "engine/scenario/parser.h"
#include "engine/scenario/writer.h"
#include "engine/whatif/compare.h"
#include "engine/whatif/fit.h"
#include "engine/wq/wq_types.h"
#include "trace_test_util.h"

namespace wqlab::test {
namespace {

using whatif::Policy;

// Through the file format, as `wqlab open --to-scenario` writes it and a user would run it.
scenario::Scenario fit_through_file(const import::OpenedTrace& o, Policy p) {
  whatif::FitOptions fo;
  fo.policy = p;
  const whatif::FitResult fit = whatif::fit_scenario(o.trace, o.machine, fo);
  scenario::ParseResult parsed =
      scenario::parse_scenario(whatif::fitted_scenario_text(fit, o.trace.source), "fit.toml");
  EXPECT_TRUE(parsed.ok()) << parsed.error_text();
  return parsed.ok() ? *parsed.scenario : scenario::Scenario{};
}

Policy policy(const std::string& s) {
  Policy p;
  std::string why;
  EXPECT_TRUE(whatif::parse_policy(s, p, &why)) << why;
  return p;
}

std::vector<uint64_t> nonzero_prefix(std::vector<uint64_t> v) {
  while (!v.empty() && v.back() == 0) v.pop_back();
  return v;
}

TEST(WhatIf, TheFitHasTheTracesWorkqueuesAndOneItemPerExecution) {
  auto o = open_file(writeback_path());
  const whatif::FitResult fit = whatif::fit_scenario(o.trace, o.machine);
  const scenario::Scenario& s = fit.scenario;
  ASSERT_EQ(s.machines.size(), 1u);
  EXPECT_EQ(s.machines[0].cpus, 2);
  EXPECT_EQ(s.machines[0].model, scenario::Model::Cmwq);
  // events and events_unbound are the system's own; the others are declared with their flags.
  std::map<std::string, const scenario::WqSpec*> wqs;
  for (auto& w : s.workqueues) wqs[w.name] = &w;
  ASSERT_EQ(wqs.size(), 5u);
  EXPECT_EQ(wqs.count("events"), 0u);
  EXPECT_EQ(wqs["kblockd"]->flags, unsigned{wq::WQ_HIGHPRI});
  EXPECT_EQ(wqs["writeback"]->flags, unsigned{wq::WQ_UNBOUND});
  EXPECT_EQ(wqs["ext4-rsv-conversion"]->flags, unsigned{wq::WQ_UNBOUND});
  EXPECT_EQ(wqs["ext4-rsv-conversion"]->max_active, 1);
  EXPECT_EQ(wqs["virtio_vsock"]->flags, 0u);
  EXPECT_EQ(fit.items, 231u);
  ASSERT_EQ(s.works.size(), 231u);
  // The first execution is the virtio item of lines 27-35: 11 us on CPU 1, all of it running.
  EXPECT_EQ(fit.first_queue_ns, 8393'200625'000);
  EXPECT_EQ(s.works[0].function, "virtio_transport_tx_work");
  EXPECT_EQ(scenario::workload_step_text(s.works[0].ops.at(0)), "compute 11us");
  EXPECT_EQ(s.works[0].ops.size(), 1u);
  const scenario::Action& a = s.steps.at(0).actions.at(0);
  EXPECT_EQ(a.work, "w0");
  EXPECT_EQ(a.wq, "virtio_vsock");
  EXPECT_EQ(a.cpu, 1);
  EXPECT_EQ(a.at, 0);
}

TEST(WhatIf, PoliciesChangeTheWorkqueues) {
  auto o = open_file(writeback_path());
  whatif::FitOptions fo;
  fo.policy = policy("legacy");
  const scenario::Scenario legacy = whatif::fit_scenario(o.trace, o.machine, fo).scenario;
  EXPECT_EQ(legacy.machines[0].model, scenario::Model::Legacy);
  for (auto& w : legacy.workqueues) {
    const bool unbound =
        w.name == "writeback" || w.name == "ext4-rsv-conversion" || w.name == "events_unbound";
    EXPECT_EQ(w.create, unbound ? "create_singlethread_workqueue" : "create_workqueue") << w.name;
  }
  fo.policy = policy("ordered");
  const scenario::Scenario ordered = whatif::fit_scenario(o.trace, o.machine, fo).scenario;
  for (auto& w : ordered.workqueues) EXPECT_EQ(w.create, "alloc_ordered_workqueue") << w.name;
  EXPECT_EQ(ordered.workqueues.size(), 7u);  // events -> events_ordered, ...
  fo.policy = policy("max_active=2");
  const scenario::Scenario two = whatif::fit_scenario(o.trace, o.machine, fo).scenario;
  int set = 0;
  for (auto& a : two.steps[0].actions) {
    if (a.kind != scenario::ActionKind::MaxActive) continue;
    EXPECT_EQ(a.value, 2);
    ++set;
  }
  EXPECT_EQ(set, 2);  // events and events_unbound are the system's: set_max_active
  for (auto& w : two.workqueues) EXPECT_EQ(w.max_active, 2);
  Policy bad;
  std::string why;
  EXPECT_FALSE(whatif::parse_policy("max_active=600", bad, &why));
  EXPECT_NE(why.find("max_active=N with N from 1 to 512"), std::string::npos) << why;
}

// Three items queued together on CPU 0 that each compute 10-25 us and then sleep until 1 ms: the
// trace ran them on three kworkers at once. cmwq does the same (a sleeping worker lets the pool
// start the next one); 2.6.24's one thread per CPU runs them one after the other.
TEST(WhatIf, SleepingItemsOverlapOnCmwqAndQueueUpOn2624) {
  auto o = open_file(traces_dir() + "/synthetic/three-sleeping-items.trace.txt");
  ASSERT_EQ(o.trace.report.malformed, 0u);
  const whatif::RunSeries trace = whatif::series_from_trace(o.trace, o.machine, "trace");
  const whatif::RunSeries cmwq =
      whatif::run_scenario_series(fit_through_file(o, policy("cmwq")), "cmwq");
  const whatif::RunSeries legacy =
      whatif::run_scenario_series(fit_through_file(o, policy("legacy")), "legacy");
  auto starts = [](const whatif::RunSeries& s) {
    std::vector<int64_t> v;
    for (auto& e : s.executions) v.push_back(e.started - e.queued);
    return v;
  };
  EXPECT_EQ(starts(trace), (std::vector<int64_t>{10'000, 30'000, 50'000}));
  // cmwq: the second starts when the first sleeps (10 us of CPU), the third when the second
  // sleeps (its 25 us: 10 before its sleep and 15 after it in the trace).
  EXPECT_EQ(starts(cmwq), (std::vector<int64_t>{0, 10'000, 35'000}));
  // 2.6.24: each waits for the whole of the one before (1 ms each).
  EXPECT_EQ(starts(legacy), (std::vector<int64_t>{0, 1'000'000, 2'000'000}));
  const whatif::Comparison c = whatif::compare_runs(cmwq, legacy);
  const std::vector<int64_t> b = whatif::latency_buckets();
  ASSERT_EQ(b[0], 1'000);  // < 1 us, < 2, < 5, < 10, < 20, < 50, ... < 1 ms, < 2 ms, < 5 ms
  EXPECT_EQ(nonzero_prefix(c.ha.counts), (std::vector<uint64_t>{1, 0, 0, 0, 1, 1}));
  EXPECT_EQ(nonzero_prefix(c.hb.counts),
            (std::vector<uint64_t>{1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1}));
  EXPECT_EQ(c.span, 3'000'000);
  const std::string text = whatif::comparison_text(c, 3);
  EXPECT_NE(text.find("  cmwq       |3..|\n  legacy     |111|"), std::string::npos) << text;
}

TEST(WhatIf, TheWritebackCaptureOnCmwqAndOn2624) {
  auto o = open_file(writeback_path());
  const whatif::RunSeries trace = whatif::series_from_trace(o.trace, o.machine, "trace");
  const whatif::RunSeries cmwq =
      whatif::run_scenario_series(fit_through_file(o, policy("cmwq")), "cmwq");
  const whatif::RunSeries legacy =
      whatif::run_scenario_series(fit_through_file(o, policy("legacy")), "legacy");
  const whatif::Comparison real = whatif::compare_runs(trace, cmwq);
  // The trace's latencies, bucketed by a separate script from the text (queue_work to
  // execute_start of each of the 231 executions).
  EXPECT_EQ(nonzero_prefix(real.ha.counts),
            (std::vector<uint64_t>{1, 3, 14, 49, 74, 51, 6, 5, 19, 1, 2, 3, 2, 1}));
  EXPECT_EQ(real.ha.total(), 231u);
  EXPECT_EQ(real.hb.total(), 231u);
  // The last execute_end (line 4357, 8396.062086) after the first queue_work (8393.200625).
  EXPECT_EQ(real.span, 2'861'461'000);
  // The model runs nothing but these items: most start at once. Its deterministic result (a
  // change here means the model or the fit changed; the EEVDF scheduler moved 7 items from the
  // first bucket into 2-50 us and 1-2 ms):
  EXPECT_EQ(nonzero_prefix(real.hb.counts),
            (std::vector<uint64_t>{203, 0, 1, 0, 2, 1, 1, 13, 7, 0, 1, 0, 2}));
  const whatif::Comparison policies = whatif::compare_runs(cmwq, legacy);
  EXPECT_EQ(nonzero_prefix(policies.hb.counts),
            (std::vector<uint64_t>{203, 0, 1, 0, 2, 1, 1, 13, 7, 0, 1, 0, 2}));
  // Both replays queue every item at its traced time.
  for (size_t i = 0; i < cmwq.executions.size(); ++i)
    ASSERT_LE(cmwq.executions[i].queued, real.span);
}

}  // namespace
}  // namespace wqlab::test

// Comparing two runs of one workload on one time axis: the real trace and a model run of the
// scenario fitted to it, or two policies (cmwq and 2.6.24, an ordered workqueue, another
// max_active). Each run is a list of executions (queued, started, ended), its times relative to
// its first queue_work; each gets a latency (queued -> started) histogram over the same buckets.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "engine/import/machine.h"
#include "engine/import/records.h"
#include "engine/scenario/spec.h"
#include "engine/trace/event_log.h"
#include "engine/trace/string_table.h"

namespace wqlab::whatif {

struct Execution {
  int64_t queued = 0, started = 0, ended = 0;  // ns after the run's first queue_work
  std::string function;
};

struct RunSeries {
  std::string name;
  std::vector<Execution> executions;  // in start order
  int64_t span() const;               // the last end
};

struct Histogram {
  std::vector<int64_t> upper;    // bucket i holds latencies < upper[i] (and >= upper[i-1]);
  std::vector<uint64_t> counts;  // one more than `upper`: the last bucket is >= upper.back()
  uint64_t total() const;
};

// 1, 2, 5, 10, 20, 50 ... us up to 1 s: the buckets every histogram here uses.
std::vector<int64_t> latency_buckets();
Histogram latency_histogram(const RunSeries& run, const std::vector<int64_t>& upper);

// The executions the trace saw from queue_work() to their end (what a fitted scenario replays),
// relative to the first of them.
RunSeries series_from_trace(const import::ParsedTrace& t, const import::TraceMachine& m,
                            const std::string& name, size_t max_items = SIZE_MAX);
// A model run's executions of `functions` (cmwq's or 2.6.24's tracepoints), relative to the first
// queue_work of one of them.
RunSeries series_from_log(const trace::EventLog& log, const trace::StringTable& strings,
                          const std::set<std::string>& functions, const std::string& name);
// Runs `s` headless (deterministic) and returns the executions of its work items.
// carrier_budget: the OS threads its tasks may hold at once (0: any).
RunSeries run_scenario_series(const scenario::Scenario& s, const std::string& name,
                              size_t carrier_budget = 0);

struct Comparison {
  RunSeries a, b;
  Histogram ha, hb;
  int64_t span = 0;  // the shared time axis: 0 .. span
};

Comparison compare_runs(RunSeries a, RunSeries b);

// Latency (queued -> started) percentiles of a run; zeros when it has no executions.
struct LatencySummary {
  int64_t p50 = 0, p99 = 0, max = 0;
};
LatencySummary latency_summary(const RunSeries& s);
// Both runs on one time axis (executions started per column) and their histograms side by side.
std::string comparison_text(const Comparison& c, int columns = 60);
std::string comparison_json(const Comparison& c);

}  // namespace wqlab::whatif

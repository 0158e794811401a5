#include "engine/whatif/compare.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "engine/import/summary.h"
#include "engine/scenario/runner.h"
#include "engine/whatif/fit.h"

namespace wqlab::whatif {

int64_t RunSeries::span() const {
  int64_t end = 0;
  for (const Execution& e : executions) end = std::max(end, e.ended);
  return end;
}

uint64_t Histogram::total() const {
  uint64_t n = 0;
  for (uint64_t c : counts) n += c;
  return n;
}

std::vector<int64_t> latency_buckets() {
  std::vector<int64_t> v;
  for (int64_t decade = 1000; decade < 1'000'000'000; decade *= 10)
    for (int64_t m : {1, 2, 5}) v.push_back(decade * m);
  v.push_back(1'000'000'000);
  return v;
}

Histogram latency_histogram(const RunSeries& run, const std::vector<int64_t>& upper) {
  Histogram h;
  h.upper = upper;
  h.counts.assign(upper.size() + 1, 0);
  for (const Execution& e : run.executions) {
    const int64_t lat = e.started - e.queued;
    const auto b = std::upper_bound(upper.begin(), upper.end(), lat) - upper.begin();
    ++h.counts[static_cast<size_t>(b)];
  }
  return h;
}

namespace {
void sort_and_rebase(RunSeries& s) {
  std::sort(s.executions.begin(), s.executions.end(), [](const Execution& a, const Execution& b) {
    return a.started != b.started ? a.started < b.started : a.queued < b.queued;
  });
  int64_t first = INT64_MAX;
  for (const Execution& e : s.executions) first = std::min(first, e.queued);
  for (Execution& e : s.executions) {
    e.queued -= first;
    e.started -= first;
    e.ended -= first;
  }
}
}  // namespace

RunSeries series_from_trace(const import::ParsedTrace& t, const import::TraceMachine& m,
                            const std::string& name, size_t max_items) {
  RunSeries s;
  s.name = name;
  for (const import::TraceItem* it : replayable_items(m, max_items).items)
    s.executions.push_back({it->queued, it->started, it->ended, t.names.get(it->function)});
  sort_and_rebase(s);
  return s;
}

RunSeries series_from_log(const trace::EventLog& log, const trace::StringTable& strings,
                          const std::set<std::string>& functions, const std::string& name) {
  using trace::EventKind;
  RunSeries s;
  s.name = name;
  struct Open {
    int64_t queued = -1;
    size_t exec = SIZE_MAX;
  };
  std::unordered_map<int64_t, Open> by_work;
  std::unordered_map<int64_t, bool> wanted;  // function string id -> in `functions`
  auto want = [&](int64_t fn) {
    auto [it, fresh] = wanted.try_emplace(fn, false);
    if (fresh) it->second = functions.count(std::string(strings.get(fn))) > 0;
    return it->second;
  };
  for (size_t i = 0; i < log.size(); ++i) {
    const trace::Event& e = log[i];
    switch (e.kind) {
      case EventKind::WqQueueWork:
        if (want(e.args[1])) by_work[e.args[0]].queued = e.time_ns;
        break;
      case EventKind::LegacyInsertion:
        if (want(e.args[2])) by_work[e.args[1]].queued = e.time_ns;
        break;
      case EventKind::WqExecuteStart:
      case EventKind::LegacyExecution: {
        const bool legacy = e.kind == EventKind::LegacyExecution;
        auto it = by_work.find(legacy ? e.args[1] : e.args[0]);
        if (it == by_work.end() || it->second.queued < 0) break;
        Execution x;
        x.queued = it->second.queued;
        x.started = x.ended = e.time_ns;
        x.function = std::string(strings.get(legacy ? e.args[2] : e.args[1]));
        it->second.exec = s.executions.size();
        it->second.queued = -1;
        s.executions.push_back(std::move(x));
        break;
      }
      case EventKind::WqExecuteEnd:
      case EventKind::LegacyExecutionEnd: {
        auto it = by_work.find(e.kind == EventKind::LegacyExecutionEnd ? e.args[1] : e.args[0]);
        if (it == by_work.end() || it->second.exec == SIZE_MAX) break;
        s.executions[it->second.exec].ended = e.time_ns;
        it->second.exec = SIZE_MAX;
        break;
      }
      default:
        break;
    }
  }
  sort_and_rebase(s);
  return s;
}

RunSeries run_scenario_series(const scenario::Scenario& s, const std::string& name,
                              size_t carrier_budget) {
  scenario::Runner runner(s, carrier_budget);
  for (size_t i = 0; i < s.steps.size(); ++i) runner.run_step(i);
  std::set<std::string> functions;
  for (const scenario::WorkSpec& w : s.works)
    functions.insert(w.function.empty() ? w.name : w.function);
  scenario::Machine& m = *runner.machines().front();
  m.recorder().drain();
  return series_from_log(m.recorder().log(), m.recorder().strings(), functions, name);
}

Comparison compare_runs(RunSeries a, RunSeries b) {
  Comparison c;
  const std::vector<int64_t> buckets = latency_buckets();
  c.ha = latency_histogram(a, buckets);
  c.hb = latency_histogram(b, buckets);
  c.span = std::max(a.span(), b.span());
  c.a = std::move(a);
  c.b = std::move(b);
  return c;
}

namespace {

std::string bucket_label(const Histogram& h, size_t i) {
  if (i == h.upper.size()) return ">= " + import::format_duration(h.upper.back());
  return "< " + import::format_duration(h.upper[i]);
}

// Executions started in each column of the shared axis: ' ' none, 1-9, then '#'.
std::string strip(const RunSeries& s, int64_t span, int columns) {
  std::vector<int> n(static_cast<size_t>(columns), 0);
  for (const Execution& e : s.executions) {
    const int64_t col = span > 0 ? e.started * columns / span : 0;
    ++n[static_cast<size_t>(std::clamp<int64_t>(col, 0, columns - 1))];
  }
  std::string out;
  for (int v : n) out += v == 0 ? '.' : v < 10 ? static_cast<char>('0' + v) : '#';
  return out;
}

}  // namespace

LatencySummary latency_summary(const RunSeries& s) {
  std::vector<int64_t> v;
  for (const Execution& e : s.executions) v.push_back(e.started - e.queued);
  if (v.empty()) return {};
  std::sort(v.begin(), v.end());
  return {v[(v.size() - 1) / 2], v[(v.size() - 1) * 99 / 100], v.back()};
}

std::string comparison_text(const Comparison& c, int columns) {
  const size_t w = std::max<size_t>({c.a.name.size(), c.b.name.size(), 10});
  auto pad = [](std::string s, size_t n) {
    return s.size() >= n ? s : s + std::string(n - s.size(), ' ');
  };
  auto lpad = [](std::string s, size_t n) {
    return s.size() >= n ? s : std::string(n - s.size(), ' ') + s;
  };
  std::string out = "one time axis: 0 to " + import::format_duration(c.span) + ", " +
                    std::to_string(columns) + " columns of " +
                    import::format_duration(c.span / columns) +
                    " (executions started per column)\n";
  out += "  " + pad(c.a.name, w) + " |" + strip(c.a, c.span, columns) + "|\n";
  out += "  " + pad(c.b.name, w) + " |" + strip(c.b, c.span, columns) + "|\n";
  out += "\nlatency (queued -> started)\n  " + pad("bucket", 12) + lpad(c.a.name, w) + " " +
         lpad(c.b.name, w) + "\n";
  for (size_t i = 0; i < c.ha.counts.size(); ++i) {
    if (c.ha.counts[i] == 0 && c.hb.counts[i] == 0) continue;
    out += "  " + pad(bucket_label(c.ha, i), 12) + lpad(std::to_string(c.ha.counts[i]), w) + " " +
           lpad(std::to_string(c.hb.counts[i]), w) + "\n";
  }
  out += "  " + pad("total", 12) + lpad(std::to_string(c.ha.total()), w) + " " +
         lpad(std::to_string(c.hb.total()), w) + "\n";
  const LatencySummary sa = latency_summary(c.a), sb = latency_summary(c.b);
  for (auto [label, x, y] : {std::tuple{"p50", sa.p50, sb.p50}, std::tuple{"p99", sa.p99, sb.p99},
                             std::tuple{"max", sa.max, sb.max}})
    out += "  " + pad(label, 12) + lpad(import::format_duration(x), w) + " " +
           lpad(import::format_duration(y), w) + "\n";
  out += "  " + pad("ends at", 12) + lpad(import::format_duration(c.a.span()), w) + " " +
         lpad(import::format_duration(c.b.span()), w) + "\n";
  return out;
}

std::string comparison_json(const Comparison& c) {
  using nlohmann::json;
  auto run = [](const RunSeries& s, const Histogram& h) {
    json ex = json::array();
    for (const Execution& e : s.executions)
      ex.push_back({{"function", e.function},
                    {"queued_ns", e.queued},
                    {"started_ns", e.started},
                    {"ended_ns", e.ended}});
    return json{{"name", s.name}, {"histogram", h.counts}, {"executions", ex}};
  };
  json doc{{"span_ns", c.span},
           {"bucket_upper_ns", c.ha.upper},
           {"runs", json::array({run(c.a, c.ha), run(c.b, c.hb)})}};
  return doc.dump(1) + "\n";
}

}  // namespace wqlab::whatif

// The sums drawn from the matched items: per-workqueue latency and run-time statistics, which
// pools each workqueue used (and so its WQ_UNBOUND / WQ_HIGHPRI), CPU time, and the outliers.
#include <algorithm>

#include "engine/import/reconstruct.h"

namespace wqlab::import {

Stats stats_of(std::vector<int64_t>& v) {
  Stats s;
  if (v.empty()) return s;
  std::sort(v.begin(), v.end());
  s.count = v.size();
  s.min = v.front();
  s.max = v.back();
  s.p50 = v[(v.size() - 1) / 2];
  s.p99 = v[(v.size() - 1) * 99 / 100];
  for (int64_t x : v) s.total += x;
  return s;
}

void finish_machine(TraceMachine& m) {
  std::sort(m.pools.begin(), m.pools.end(),
            [](const TracePool& a, const TracePool& b) { return a.id < b.id; });
  std::sort(m.kworkers.begin(), m.kworkers.end(),
            [](const TraceKworker& a, const TraceKworker& b) { return a.pid < b.pid; });
  std::vector<std::vector<int64_t>> lat(m.workqueues.size()), run(m.workqueues.size());
  for (size_t i = 0; i < m.items.size(); ++i) {
    const TraceItem& it = m.items[i];
    if (TracePool* p = m.pool(it.pool);
        p && it.activated != kUnknownTime && it.started != kUnknownTime) {
      const int64_t wait = it.started - it.activated;
      if (p->longest_wait == kUnknownTime || wait > p->longest_wait) {
        p->longest_wait = wait;
        p->longest_wait_item = static_cast<int32_t>(i);
      }
    }
    if (it.wq < 0) continue;
    TraceWorkqueue& w = m.workqueues[static_cast<size_t>(it.wq)];
    if (it.latency_known()) lat[static_cast<size_t>(it.wq)].push_back(it.latency());
    if (it.run_known()) run[static_cast<size_t>(it.wq)].push_back(it.run_time());
    if (it.on_cpu_ns >= 0 && it.run_known())
      w.cpu_time_ns = std::max<int64_t>(w.cpu_time_ns, 0) + it.on_cpu_ns;
    if (const TracePool* p = m.pool(it.pool)) {
      if (std::find(w.pools.begin(), w.pools.end(), p->id) == w.pools.end())
        w.pools.push_back(p->id);
      // The pool that ran it tells the workqueue's kind (a rescuer has no pool).
      if (p->cpu < 0) {
        w.unbound = Tri::Yes;
      } else if (w.unbound == Tri::Unknown) {
        w.unbound = Tri::No;
      }
      if (p->highpri) {
        w.highpri = Tri::Yes;
      } else if (w.highpri == Tri::Unknown) {
        w.highpri = Tri::No;
      }
    }
  }
  for (TraceWorkqueue& w : m.workqueues) {
    std::sort(w.pools.begin(), w.pools.end());
    w.latency = stats_of(lat[static_cast<size_t>(w.index)]);
    w.run = stats_of(run[static_cast<size_t>(w.index)]);
  }
  // Outliers: the five longest latencies and runs; the pool that left an item waiting longest.
  std::vector<int32_t> by_lat, by_run;
  for (size_t i = 0; i < m.items.size(); ++i) {
    if (m.items[i].latency_known()) by_lat.push_back(static_cast<int32_t>(i));
    if (m.items[i].run_known()) by_run.push_back(static_cast<int32_t>(i));
  }
  auto top = [&](std::vector<int32_t>& v, auto key) {
    const size_t n = std::min<size_t>(5, v.size());
    std::partial_sort(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(n), v.end(),
                      [&](int32_t a, int32_t b) {
                        const int64_t ka = key(m.items[static_cast<size_t>(a)]);
                        const int64_t kb = key(m.items[static_cast<size_t>(b)]);
                        return ka != kb ? ka > kb : a < b;
                      });
    v.resize(n);
  };
  top(by_lat, [](const TraceItem& it) { return it.latency(); });
  top(by_run, [](const TraceItem& it) { return it.run_time(); });
  m.outliers.longest_latency = std::move(by_lat);
  m.outliers.longest_run = std::move(by_run);
  int64_t worst = kUnknownTime;
  for (const TracePool& p : m.pools) {
    if (p.longest_wait != kUnknownTime && (worst == kUnknownTime || p.longest_wait > worst)) {
      worst = p.longest_wait;
      m.outliers.stalled_pool = p.id;
    }
  }
}

}  // namespace wqlab::import

#include "engine/import/summary.h"

#include <cinttypes>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "engine/import/importer.h"

namespace wqlab::import {

std::string format_duration(int64_t ns) {
  if (ns == kUnknownTime) return "?";
  char buf[32];
  const double v = static_cast<double>(ns);
  const int64_t a = ns < 0 ? -ns : ns;
  if (a < 1000) {
    std::snprintf(buf, sizeof buf, "%" PRId64 " ns", ns);
  } else if (a < 1'000'000) {
    std::snprintf(buf, sizeof buf, "%.1f us", v / 1e3);
  } else if (a < 1'000'000'000) {
    std::snprintf(buf, sizeof buf, "%.3f ms", v / 1e6);
  } else {
    std::snprintf(buf, sizeof buf, "%.3f s", v / 1e9);
  }
  return buf;
}

namespace {

std::string seconds(int64_t ns) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%" PRId64 ".%06" PRId64, ns / 1'000'000'000,
                (ns % 1'000'000'000) / 1000);
  return buf;
}

std::string pad(std::string s, size_t w, bool right = false) {
  if (s.size() >= w) return s + " ";
  return right ? std::string(w - s.size(), ' ') + s + " "
               : s + std::string(w - s.size(), ' ') + " ";
}

std::string item_text(const ParsedTrace& t, const TraceMachine& m, int32_t index) {
  const TraceItem& it = m.items[static_cast<size_t>(index)];
  const std::string wq = it.wq >= 0 ? m.workqueues[static_cast<size_t>(it.wq)].name : "?";
  const TracePool* p = m.pool(it.pool);
  char work[24];
  std::snprintf(work, sizeof work, "%016" PRIx64, it.work);
  return t.names.get(it.function) + " (" + wq + ", work " + work + ") on " +
         (p ? p->name : std::string("?")) + " by pid " + std::to_string(it.worker) +
         ": queued at " + (it.queued == kUnknownTime ? "?" : seconds(it.queued)) + " (line " +
         std::to_string(it.queue_line) + "), waited " +
         format_duration(it.latency_known() ? it.latency() : kUnknownTime) + ", ran " +
         format_duration(it.run_known() ? it.run_time() : kUnknownTime);
}

}  // namespace

std::string summary_text(const ParsedTrace& t, const TraceMachine& m) {
  const ImportReport& r = t.report;
  std::string out = t.source + ": " + format_name(r.format) + ", " + std::to_string(m.nr_cpus) +
                    " CPUs" + (t.nr_cpus > 0 ? "" : " (highest CPU seen; no header said)") + ", " +
                    format_duration(m.end_ns - m.start_ns) + " (" + seconds(m.start_ns) + " to " +
                    seconds(m.end_ns) + ")\n";
  out += std::to_string(r.records) + " events used, " + std::to_string(r.lines) +
         " lines; duplicates dropped " + std::to_string(r.duplicates) + ", malformed " +
         std::to_string(r.malformed) + ", other events skipped " + std::to_string(r.unknown) +
         ", lost (buffer overrun) " + std::to_string(r.lost_events) + "\n";
  if (r.overwritten)
    out += "the ring buffer overwrote the oldest " + std::to_string(r.overwritten) +
           " events: items running or pending at the start have no queue time\n";
  out += std::string("scheduler events: ") +
         (m.has_sched ? "yes (kworker run/sleep and CPU time are known)"
                      : "no (CPU time and sleeps are unknown: capture with --sched)") +
         "\n";
  if (!r.unknown_kinds.empty()) {
    out += "skipped:";
    for (auto& [name, n] : r.unknown_kinds) out += " " + name + " x" + std::to_string(n);
    out += "\n";
  }

  out += "\npools (from kworker names)\n  " + pad("pool", 6) + pad("kworkers", 44) +
         pad("items", 6, true) + pad("max exec", 9, true) + pad("max run", 8, true) +
         "longest wait\n";
  for (const TracePool& p : m.pools) {
    std::string ws;
    for (int32_t pid : p.workers) {
      if (!ws.empty()) ws += ", ";
      const TraceKworker* k = m.kworker(pid);
      ws += (k ? k->comm : std::string("?")) + " (" + std::to_string(pid) + ")";
    }
    out += "  " + pad(p.name, 6) + pad(ws, 44) + pad(std::to_string(p.executions), 6, true) +
           pad(std::to_string(p.max_executing), 9, true) +
           pad(p.max_running < 0 ? "?" : std::to_string(p.max_running), 8, true) +
           format_duration(p.longest_wait) + "\n";
  }
  for (const TraceKworker& k : m.kworkers)
    if (k.rescuer)
      out += "  rescuer " + k.comm + " (" + std::to_string(k.pid) + ") of " + k.rescuer_wq + "\n";

  out += "\nworkqueues (wq_monitor-like; ? = the trace cannot tell)\n  " + pad("workqueue", 22) +
         pad("unbound", 8) + pad("highpri", 8) + pad("queued", 7, true) + pad("total", 6, true) +
         pad("infl", 5, true) + pad("pend", 5, true) + pad("inact", 6, true) +
         pad("requeue", 8, true) + pad("rescued", 8, true) + pad("CPU time", 11, true) +
         pad("lat p50", 10, true) + pad("lat max", 10, true) + pad("run p50", 10, true) +
         "run max\n";
  for (const TraceWorkqueue& w : m.workqueues) {
    out += "  " + pad(w.name, 22) + pad(tri_name(w.unbound), 8) + pad(tri_name(w.highpri), 8) +
           pad(std::to_string(w.queued), 7, true) + pad(std::to_string(w.started), 6, true) +
           pad(std::to_string(w.max_in_flight), 5, true) +
           pad(std::to_string(w.max_pending), 5, true) +
           pad(std::to_string(w.waited_inactive), 6, true) +
           pad(std::to_string(w.requeued_pending), 8, true) +
           pad(std::to_string(w.rescued), 8, true) +
           pad(w.cpu_time_ns < 0 ? "?" : format_duration(w.cpu_time_ns), 11, true) +
           pad(w.latency.count ? format_duration(w.latency.p50) : "?", 10, true) +
           pad(w.latency.count ? format_duration(w.latency.max) : "?", 10, true) +
           pad(w.run.count ? format_duration(w.run.p50) : "?", 10, true) +
           (w.run.count ? format_duration(w.run.max) : "?") + "\n";
  }
  out +=
      "  (total: items started; infl/pend: most executing / queued at once; inact: waited for "
      "max_active;\n   requeue: queued again while pending, e.g. mod_delayed_work)\n";

  out += "\noutliers\n";
  for (int32_t i : m.outliers.longest_latency)
    out += "  longest wait: " + item_text(t, m, i) + "\n";
  for (int32_t i : m.outliers.longest_run) out += "  longest run:  " + item_text(t, m, i) + "\n";
  if (const TracePool* p = m.pool(m.outliers.stalled_pool))
    out += "  slowest pool: " + p->name + " left an activated item waiting " +
           format_duration(p->longest_wait) + ": " + item_text(t, m, p->longest_wait_item) + "\n";
  if (m.ends_without_start || m.unfinished)
    out += "  not in the table: " + std::to_string(m.ends_without_start) +
           " executions that began before the trace, " + std::to_string(m.unfinished) +
           " items still pending or running at its end\n";
  if (r.malformed) out += "\nmalformed lines\n" + problems_text(t);
  return out;
}

namespace {

nlohmann::json time_or_null(int64_t ns) {
  return ns == kUnknownTime ? nlohmann::json(nullptr) : nlohmann::json(ns);
}

nlohmann::json tri_json(Tri t) {
  return t == Tri::Unknown ? nlohmann::json(nullptr) : nlohmann::json(t == Tri::Yes);
}

nlohmann::json stats_json(const Stats& s) {
  if (s.count == 0) return nullptr;
  return {{"count", s.count}, {"min_ns", s.min}, {"p50_ns", s.p50},
          {"p99_ns", s.p99},  {"max_ns", s.max}, {"total_ns", s.total}};
}

}  // namespace

std::string summary_json(const ParsedTrace& t, const TraceMachine& m) {
  using nlohmann::json;
  const ImportReport& r = t.report;
  json doc;
  json problems = json::array();
  for (const Problem& p : r.problems)
    problems.push_back({{"line", p.line}, {"reason", p.reason}, {"text", p.text}});
  doc["source"] = t.source;
  doc["format"] = format_name(r.format);
  doc["import"] = {{"lines", r.lines},
                   {"events", r.records},
                   {"duplicates", r.duplicates},
                   {"malformed", r.malformed},
                   {"unknown_events", r.unknown},
                   {"unknown_kinds", r.unknown_kinds},
                   {"lost_events", r.lost_events},
                   {"overwritten", r.overwritten},
                   {"out_of_order", r.out_of_order},
                   {"problems", problems}};
  doc["machine"] = {{"nr_cpus", m.nr_cpus},
                    {"cpus_from_header", t.nr_cpus > 0},
                    {"start_ns", m.start_ns},
                    {"end_ns", m.end_ns},
                    {"sched_events", m.has_sched}};
  json pools = json::array();
  for (const TracePool& p : m.pools)
    pools.push_back({{"id", p.id},
                     {"name", p.name},
                     {"cpu", p.cpu < 0 ? json(nullptr) : json(p.cpu)},
                     {"unbound", p.cpu < 0},
                     {"highpri", p.highpri},
                     {"kworkers", p.workers},
                     {"executions", p.executions},
                     {"max_executing", p.max_executing},
                     {"max_running", p.max_running < 0 ? json(nullptr) : json(p.max_running)},
                     {"longest_wait_ns", time_or_null(p.longest_wait)}});
  doc["pools"] = pools;
  json kworkers = json::array();
  for (const TraceKworker& k : m.kworkers)
    kworkers.push_back({{"pid", k.pid},
                        {"comm", k.comm},
                        {"pool", k.pool < 0 ? json(nullptr) : json(k.pool)},
                        {"rescuer_of", k.rescuer ? json(k.rescuer_wq) : json(nullptr)},
                        {"executions", k.executions},
                        {"on_cpu_ns", k.on_cpu_ns < 0 ? json(nullptr) : json(k.on_cpu_ns)}});
  doc["kworkers"] = kworkers;
  json wqs = json::array();
  for (const TraceWorkqueue& w : m.workqueues)
    wqs.push_back({{"name", w.name},
                   {"unbound", tri_json(w.unbound)},
                   {"highpri", tri_json(w.highpri)},
                   {"queued", w.queued},
                   {"total", w.started},
                   {"completed", w.completed},
                   {"max_in_flight", w.max_in_flight},
                   {"max_pending", w.max_pending},
                   {"waited_inactive", w.waited_inactive},
                   {"max_active_seen", w.max_active_seen},
                   {"requeued_pending", w.requeued_pending},
                   {"rescued", w.rescued},
                   {"from_irq", w.from_irq},
                   {"cpu_time_ns", w.cpu_time_ns < 0 ? json(nullptr) : json(w.cpu_time_ns)},
                   {"latency", stats_json(w.latency)},
                   {"run", stats_json(w.run)},
                   {"pools", w.pools}});
  doc["workqueues"] = wqs;
  json items = json::array();
  for (const TraceItem& it : m.items) {
    char work[24];
    std::snprintf(work, sizeof work, "%016" PRIx64, it.work);
    items.push_back({{"work", work},
                     {"function", t.names.get(it.function)},
                     {"workqueue", it.wq >= 0 ? json(m.workqueues[static_cast<size_t>(it.wq)].name)
                                              : json(nullptr)},
                     {"pool", it.pool < 0 ? json(nullptr) : json(it.pool)},
                     {"worker", it.worker == 0 ? json(nullptr) : json(it.worker)},
                     {"queued_ns", time_or_null(it.queued)},
                     {"activated_ns", time_or_null(it.activated)},
                     {"started_ns", time_or_null(it.started)},
                     {"ended_ns", time_or_null(it.ended)},
                     {"on_cpu_ns", it.on_cpu_ns < 0 ? json(nullptr) : json(it.on_cpu_ns)},
                     {"waited_inactive", it.waited_inactive},
                     {"superseded", it.superseded},
                     {"from_irq", it.from_irq},
                     {"queue_line", it.queue_line},
                     {"start_line", it.start_line}});
  }
  doc["items"] = items;
  return doc.dump(1) + "\n";
}

}  // namespace wqlab::import

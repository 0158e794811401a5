// What tools/workqueue/wq_monitor.py and wq_dump.py print, computed from the live structures
// (for tests and the headless runner's report; the views fold the same numbers from events).
#include <cinttypes>
#include <cstdio>
#include <sstream>

#include "engine/wq/cmwq.h"
#include "engine/wq/worker_comm.h"

namespace wqlab::wq {

namespace {
std::string cpumask_hex(const kernel::CpuMask& m, int nr_cpus) {
  std::string out;
  for (int word = (nr_cpus - 1) / 32; word >= 0; --word) {
    uint32_t v = 0;
    for (int b = 0; b < 32; ++b) {
      int cpu = word * 32 + b;
      if (cpu < nr_cpus && m.test(static_cast<size_t>(cpu))) v |= 1u << b;
    }
    char buf[16];
    std::snprintf(buf, sizeof buf, "%08x", v);
    if (!out.empty()) out += ',';
    out += buf;
  }
  return out;
}
}  // namespace

// Mirrors wq_worker_comm(): only a worker attached to a pool shows its desc, so a rescuer has a
// suffix only while it rescues.
std::string Cmwq::wq_worker_comm(const kernel::Task& task) const {
  if (task.hooks != &hooks_) return task.comm;
  const auto* worker = static_cast<const Worker*>(task.data);
  WorkerPool* pool = nullptr;
  {
    kernel::SpinLockGuard g(registry_lock_);
    pool = worker->pool;
  }
  if (pool == nullptr) return task.comm;
  kernel::SpinLockGuard g(pool->lock);
  return worker_comm_with_desc(task.comm, worker->desc ? std::string_view(worker->desc->name) : "",
                               worker->current_work != nullptr);
}

// Mirrors wq_monitor.py's columns: sums of the per-pwq stats of each workqueue.
std::vector<MonitorRow> Cmwq::wq_monitor() const {
  std::vector<MonitorRow> rows;
  for (Workqueue* wq : workqueues()) {
    WqStats s = wq_stats(wq);
    MonitorRow r;
    r.name = wq->name;
    r.unbound = wq->flags.load() & WQ_UNBOUND;
    r.mem_reclaim = wq->flags.load() & WQ_MEM_RECLAIM;
    r.total = s.stat[PWQ_STAT_STARTED];
    r.infl = s.stat[PWQ_STAT_STARTED] > s.stat[PWQ_STAT_COMPLETED]
                 ? s.stat[PWQ_STAT_STARTED] - s.stat[PWQ_STAT_COMPLETED]
                 : 0;
    r.cpu_time_us = s.stat[PWQ_STAT_CPU_TIME];
    r.cpu_intensive = s.stat[PWQ_STAT_CPU_INTENSIVE];
    r.cm_wakeup = s.stat[PWQ_STAT_CM_WAKEUP];
    r.repatriated = s.stat[PWQ_STAT_REPATRIATED];
    r.mayday = s.stat[PWQ_STAT_MAYDAY];
    r.rescued = s.stat[PWQ_STAT_RESCUED];
    rows.push_back(r);
  }
  return rows;
}

std::string format_wq_monitor(const std::vector<MonitorRow>& rows) {
  std::ostringstream out;
  char line[160];
  std::snprintf(line, sizeof line, "%-24s %8s %5s %8s %7s %7s %6s %7s\n", "", "total", "infl",
                "CPUtime", "CPUitsv", "CMW/RPR", "mayday", "rescued");
  out << line;
  for (const MonitorRow& r : rows) {
    std::string itsv = r.unbound ? "-" : std::to_string(r.cpu_intensive);
    std::string cmw = std::to_string(r.unbound ? r.repatriated : r.cm_wakeup);
    std::string mayday = r.mem_reclaim ? std::to_string(r.mayday) : "-";
    std::string rescued = r.mem_reclaim ? std::to_string(r.rescued) : "-";
    std::snprintf(line, sizeof line, "%-24s %8" PRIu64 " %5" PRIu64 " %8.1f %7s %7s %6s %7s\n",
                  r.name.c_str(), r.total, r.infl, static_cast<double>(r.cpu_time_us) / 1e6,
                  itsv.c_str(), cmw.c_str(), mayday.c_str(), rescued.c_str());
    out << line;
  }
  return out.str();
}

// Mirrors wq_dump.py: worker pools, the workqueue -> pool map, rescuers, unbound limits.
std::string Cmwq::wq_dump() const {
  std::ostringstream out;
  int nr_cpus = k_.nr_cpus();
  char line[256];
  out << "Worker Pools\n============\n";
  for (WorkerPool* pool : pools()) {
    kernel::SpinLockGuard g(pool->lock);
    if (pool->cpu >= 0) {
      std::snprintf(line, sizeof line,
                    "pool[%02d] ref=%2d nice=%3d idle/workers=%3d/%3d cpu=%3d%s\n", pool->id,
                    pool->refcnt, pool->attrs.nice, pool->nr_idle, pool->nr_workers, pool->cpu,
                    (pool->flags & POOL_BH) ? " bh" : "");
    } else {
      std::snprintf(line, sizeof line,
                    "pool[%02d] ref=%2d nice=%3d idle/workers=%3d/%3d cpus=%s pod_cpus=%s%s\n",
                    pool->id, pool->refcnt, pool->attrs.nice, pool->nr_idle, pool->nr_workers,
                    cpumask_hex(pool->attrs.cpumask, nr_cpus).c_str(),
                    cpumask_hex(pool->attrs.pod_cpumask, nr_cpus).c_str(),
                    pool->attrs.affn_strict ? " strict" : "");
    }
    out << line;
  }
  out << "\nWorkqueue CPU -> pool\n=====================\n";
  std::snprintf(line, sizeof line, "[%-26s %-10s", "workqueue \\ CPU", "type");
  out << line;
  for (int cpu = 0; cpu < nr_cpus && cpu < 16; ++cpu)
    out << ' ' << std::string(cpu < 10 ? 2 : 1, ' ') << cpu;
  out << (nr_cpus > 16 ? " ..." : "") << " dfl]\n";
  std::vector<Workqueue*> wqs = workqueues();
  for (Workqueue* wq : wqs) {
    unsigned flags = wq->flags.load();
    const char* type = (flags & WQ_BH)          ? "bh"
                       : (flags & __WQ_ORDERED) ? "ordered"
                       : (flags & WQ_UNBOUND)   ? "unbound"
                                                : "percpu";
    std::snprintf(line, sizeof line, " %-26s %-10s", wq->name.c_str(), type);
    out << line;
    for (int cpu = 0; cpu < nr_cpus && cpu < 16; ++cpu) {
      std::snprintf(line, sizeof line, " %3d", wq->pwq_of(cpu)->pool->id);
      out << line;
    }
    if (nr_cpus > 16) out << " ...";
    if (wq->dfl_pwq != nullptr) {
      std::snprintf(line, sizeof line, " %3d", wq->dfl_pwq->pool->id);
      out << line;
    }
    out << '\n';
  }
  out << "\nWorkqueue -> rescuer\n====================\n";
  for (Workqueue* wq : wqs) {
    if (wq->rescuer == nullptr) continue;
    std::snprintf(line, sizeof line, " %-26s %-24s %6d\n", wq->name.c_str(),
                  wq->rescuer->task->comm.c_str(), wq->rescuer->task->pid);
    out << line;
  }
  out << "\nUnbound workqueue -> node_nr_active\n===================================\n";
  for (Workqueue* wq : wqs) {
    if (!wq->node_nr_active) continue;
    std::snprintf(line, sizeof line, " %-26s min=%3d max=%3d  node0 %d/%d\n", wq->name.c_str(),
                  wq->min_active.load(), wq->max_active.load(), wq->node_nr_active->nr.load(),
                  wq->node_nr_active->max.load());
    out << line;
  }
  return out.str();
}

}  // namespace wqlab::wq

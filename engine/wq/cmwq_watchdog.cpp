// The workqueue watchdog (wq_watchdog_timer_fn) and the dump it prints (show_all_workqueues).
#include <sstream>

#include "engine/wq/cmwq.h"

namespace wqlab::wq {

using trace::EventKind;

void Cmwq::wq_watchdog_arm() {
  if (cfg_.watchdog_thresh_secs <= 0) return;
  uint64_t period =
      static_cast<uint64_t>(cfg_.watchdog_thresh_secs) * static_cast<uint64_t>(k_.hz()) / 4;
  k_.mod_timer(watchdog_timer_, k_.jiffies() + std::max<uint64_t>(period, 1));
}

// Mirrors wq_watchdog_timer_fn(): a pool with pending work that has made no progress for
// wq_watchdog_thresh is reported as locked up, followed by the state of every busy workqueue.
void Cmwq::wq_watchdog_timer_fn() {
  uint64_t thresh =
      static_cast<uint64_t>(cfg_.watchdog_thresh_secs) * static_cast<uint64_t>(k_.hz());
  bool lockup = false;
  for (WorkerPool* pool : pools()) {
    kernel::SpinLockGuard g(pool->lock);
    if (pool->worklist.empty()) continue;
    uint64_t now = k_.jiffies_coarse();
    uint64_t ts = std::max(pool->watchdog_ts, pool->lockup_reported);
    if (ts >= now || now - ts < thresh) continue;  // time_after(): progress may postdate `now`
    lockup = true;
    pool->lockup_reported = now;
    uint64_t stuck = (now - pool->watchdog_ts) / static_cast<uint64_t>(k_.hz());
    std::string where = pool->cpu >= 0 ? "cpus=" + std::to_string(pool->cpu) : "cpus=unbound";
    k_.printk(0, "BUG: workqueue lockup - pool " + where + " node=0 flags=0x" +
                     std::to_string(pool->flags) + " nice=" + std::to_string(pool->attrs.nice) +
                     " stuck for " + std::to_string(stuck) + "s!");
    WQ_TRACE(WqLockup, pool->id, pool->cpu, static_cast<int64_t>(stuck));
  }
  if (lockup) k_.printk(6, show_all_workqueues());
  wq_watchdog_arm();
}

// Mirrors show_all_workqueues(): every workqueue with something in flight, then every busy pool.
std::string Cmwq::show_all_workqueues() const {
  std::ostringstream out;
  out << "Showing busy workqueues and worker pools:\n";
  for (Workqueue* wq : workqueues()) {
    bool header = false;
    for (ListHead* n = wq->pwqs.next; n != &wq->pwqs; n = n->next) {
      PoolWorkqueue* pwq = n->entry<PoolWorkqueue>();
      kernel::SpinLockGuard g(pwq->pool->lock);
      int in_flight = 0;
      for (int c = 0; c < WORK_NR_COLORS; ++c) in_flight += pwq->nr_in_flight[c];
      if (in_flight == 0 && pwq->inactive_works.empty()) continue;
      if (!header) {
        out << "workqueue " << wq->name << ": flags=0x" << std::hex << wq->flags.load() << std::dec
            << "\n";
        header = true;
      }
      out << "  pwq " << pwq->id
          << ": cpus=" << (pwq->pool->cpu >= 0 ? std::to_string(pwq->pool->cpu) : "unbound")
          << " node=0 flags=0x" << std::hex << pwq->pool->flags << std::dec
          << " nice=" << pwq->pool->attrs.nice << " active=" << pwq->nr_active
          << " refcnt=" << pwq->refcnt << "\n";
      std::string busy, pending, inactive;
      for (ListHead& bucket : pwq->pool->busy_hash) {
        for (ListHead* b = bucket.next; b != &bucket; b = b->next) {
          Worker* worker = b->entry<Worker>();
          if (worker->current_pwq != pwq) continue;
          busy += (busy.empty() ? "" : ", ") + std::to_string(worker->task->pid) + ":" +
                  worker->current_func->name;
        }
      }
      for (ListHead* w = pwq->pool->worklist.next; w != &pwq->pool->worklist; w = w->next) {
        Work* work = w->entry<Work>();
        if (get_work_pwq(work) == pwq) pending += (pending.empty() ? "" : ", ") + work->name();
      }
      for (ListHead* w = pwq->inactive_works.next; w != &pwq->inactive_works; w = w->next)
        inactive += (inactive.empty() ? "" : ", ") + w->entry<Work>()->name();
      if (!busy.empty()) out << "    in-flight: " << busy << "\n";
      if (!pending.empty()) out << "    pending: " << pending << "\n";
      if (!inactive.empty()) out << "    inactive: " << inactive << "\n";
    }
  }
  for (WorkerPool* pool : pools()) {
    kernel::SpinLockGuard g(pool->lock);
    if (pool->worklist.empty() && pool->nr_workers == pool->nr_idle) continue;
    out << "pool " << pool->id
        << ": cpus=" << (pool->cpu >= 0 ? std::to_string(pool->cpu) : "unbound")
        << " node=0 flags=0x" << std::hex << pool->flags << std::dec << " nice=" << pool->attrs.nice
        << " hung=" << (k_.jiffies() - pool->watchdog_ts) / static_cast<uint64_t>(k_.hz())
        << "s workers=" << pool->nr_workers << " idle=" << pool->nr_idle;
    if (pool->manager != nullptr) out << " manager: " << pool->manager->task->pid;
    out << "\n";
  }
  return out.str();
}

}  // namespace wqlab::wq

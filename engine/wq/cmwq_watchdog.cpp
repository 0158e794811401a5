// The workqueue watchdog of Linux 6.12 (wq_watchdog_timer_fn()): every wq_watchdog_thresh it
// reports each pool whose pending work has made no progress for that long, then dumps the state
// (cmwq_show.cpp). Its timer is deferrable, as in Linux: an idle machine does not wake for it.
// Not modelled: touch_softlockup_watchdog() and the other callers of wq_watchdog_touch(); the
// touched stamps change only at each check, and kvm_check_and_clear_guest_paused().
#include "engine/wq/cmwq.h"

namespace wqlab::wq {

using trace::EventKind;

namespace {
bool time_after(uint64_t a, uint64_t b) {
  return static_cast<int64_t>(b - a) < 0;
}
}  // namespace

uint64_t Cmwq::wq_watchdog_thresh() const {
  return static_cast<uint64_t>(cfg_.watchdog_thresh_secs) * static_cast<uint64_t>(k_.hz());
}

// Mirrors wq_watchdog_reset_touched().
void Cmwq::wq_watchdog_reset_touched() {
  uint64_t now = k_.jiffies();
  wq_watchdog_touched_ = now;
  wq_watchdog_touched_cpu_.assign(static_cast<size_t>(k_.nr_cpus()), now);
}

// Mirrors wq_watchdog_set_thresh() at boot (wq_watchdog_init()).
void Cmwq::wq_watchdog_init() {
  watchdog_timer_.fn = [this] { wq_watchdog_timer_fn(); };
  watchdog_timer_.name = "wq_watchdog_timer_fn";
  watchdog_timer_.deferrable = true;  // timer_setup(..., TIMER_DEFERRABLE)
  if (cfg_.watchdog_thresh_secs <= 0) return;
  wq_watchdog_reset_touched();
  k_.mod_timer(watchdog_timer_, k_.jiffies() + wq_watchdog_thresh());
}

// Mirrors wq_watchdog_timer_fn(). A pool is stuck when neither it (watchdog_ts) nor the
// watchdog's own touched stamp, reset at every check, has moved for a whole thresh; so a stall is
// reported by the first check a full period after it began: 30 to 60 s (plus the wheel's
// rounding) with the default 30 s.
void Cmwq::wq_watchdog_timer_fn() {
  uint64_t thresh = wq_watchdog_thresh();
  if (thresh == 0) return;
  uint64_t now = k_.jiffies();
  std::vector<std::string> report;
  bool lockup_detected = false;
  bool cpu_pool_stall = false;
  for (WorkerPool* pool : pools()) {
    kernel::SpinLockGuard g(pool->lock);
    pool->cpu_stall = false;
    if (pool->worklist.empty()) continue;
    uint64_t touched = pool->cpu >= 0 ? wq_watchdog_touched_cpu_[static_cast<size_t>(pool->cpu)]
                                      : wq_watchdog_touched_;
    uint64_t pool_ts = pool->watchdog_ts;
    uint64_t ts = time_after(pool_ts, touched) ? pool_ts : touched;
    if (!time_after(now, ts + thresh)) continue;  // did we stall?
    lockup_detected = true;
    if (pool->cpu >= 0 && !(pool->flags & POOL_BH)) {
      pool->cpu_stall = true;
      cpu_pool_stall = true;
    }
    uint64_t stuck = (now - pool_ts) / static_cast<uint64_t>(k_.hz());
    k_.printk(0, "BUG: workqueue lockup - pool" + pr_cont_pool_info(pool) + " stuck for " +
                     std::to_string(stuck) + "s!");  // pr_emerg()
    WQ_TRACE(WqLockup, pool->id, pool->cpu, static_cast<int64_t>(stuck));
  }
  if (lockup_detected)
    for (const std::string& line : show_all_workqueues_lines()) k_.printk(6, line);
  if (cpu_pool_stall)
    for (const std::string& line : show_cpu_pools_hogs()) k_.printk(6, line);
  wq_watchdog_reset_touched();
  k_.mod_timer(watchdog_timer_, k_.jiffies() + thresh);
}

}  // namespace wqlab::wq

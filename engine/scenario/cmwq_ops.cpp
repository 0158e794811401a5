// Scenario calls on a cmwq (Linux 6.12) machine.
#include <map>

#include "engine/scenario/machine.h"
#include "engine/wq/cmwq.h"

namespace wqlab::scenario {
namespace {

class CmwqOps : public ModelOps {
 public:
  CmwqOps(Machine& m, wq::CmwqConfig cfg) : m_(m), cmwq_(m.kernel(), cfg) {
    wqs_["events"] = cmwq_.system_wq;
    wqs_["events_highpri"] = cmwq_.system_highpri_wq;
    wqs_["events_long"] = cmwq_.system_long_wq;
    wqs_["events_unbound"] = cmwq_.system_unbound_wq;
    wqs_["events_freezable"] = cmwq_.system_freezable_wq;
    wqs_["events_power_efficient"] = cmwq_.system_power_efficient_wq;
    wqs_["events_freezable_pwr_efficient"] = cmwq_.system_freezable_power_efficient_wq;
    wqs_["events_bh"] = cmwq_.system_bh_wq;
    wqs_["events_bh_highpri"] = cmwq_.system_bh_highpri_wq;
  }
  wq::Cmwq* cmwq() { return &cmwq_; }

  bool create(const WqSpec& spec, const std::string& name) override {
    wq::Workqueue* wq = nullptr;
    if (spec.create == "alloc_workqueue")
      wq = cmwq_.alloc_workqueue(name, spec.flags, spec.max_active);
    else if (spec.create == "alloc_ordered_workqueue")
      wq = cmwq_.alloc_ordered_workqueue(name, spec.flags);
    else if (spec.create == "create_workqueue")
      wq = cmwq_.create_workqueue(name);
    else if (spec.create == "create_singlethread_workqueue")
      wq = cmwq_.create_singlethread_workqueue(name);
    else if (spec.create == "create_freezable_workqueue")
      wq = cmwq_.create_freezable_workqueue(name);
    // The sysfs writes a driver or admin would make right after creation.
    if (wq != nullptr && (!spec.affinity_scope.empty() || spec.affinity_strict)) {
      int scope = spec.affinity_scope.empty() ? wq::WQ_AFFN_DFL
                                              : wq::parse_affn_scope(spec.affinity_scope.c_str());
      cmwq_.workqueue_set_affinity(wq, scope, spec.affinity_strict);
    }
    std::lock_guard g(mu_);
    if (wq != nullptr) wqs_[name] = wq;
    return wq != nullptr;
  }
  bool exists(const std::string& name) const override {
    wq::Workqueue* wq = find(name);
    return wq != nullptr && !wq->destroyed;
  }
  bool queue(const std::string& name, WorkInstance& w, int cpu, int64_t delay_ns) override {
    wq::Workqueue* wq = find(name);
    if (wq == nullptr) return false;
    w.last_wq = name;
    int c = cpu >= 0 ? cpu : wq::WORK_CPU_UNBOUND;
    if (delay_ns >= 0) return cmwq_.queue_delayed_work_on(c, wq, &w.dw, jiffies(delay_ns));
    return cmwq_.queue_work_on(c, wq, &w.dw.work);
  }
  bool mod_delayed(const std::string& name, WorkInstance& w, int cpu, int64_t delay_ns) override {
    wq::Workqueue* wq = find(name);
    if (wq == nullptr) return false;
    w.last_wq = name;
    return cmwq_.mod_delayed_work_on(cpu >= 0 ? cpu : wq::WORK_CPU_UNBOUND, wq, &w.dw,
                                     jiffies(delay_ns));
  }
  bool cancel(WorkInstance& w, bool sync) override {
    if (w.spec->delayed)
      return sync ? cmwq_.cancel_delayed_work_sync(&w.dw) : cmwq_.cancel_delayed_work(&w.dw);
    return sync ? cmwq_.cancel_work_sync(&w.dw.work) : cmwq_.cancel_work(&w.dw.work);
  }
  bool flush_work(WorkInstance& w) override {
    return w.spec->delayed ? cmwq_.flush_delayed_work(&w.dw) : cmwq_.flush_work(&w.dw.work);
  }
  void flush_wq(const std::string& name) override { cmwq_.flush_workqueue(find(name)); }
  void drain(const std::string& name) override { cmwq_.drain_workqueue(find(name)); }
  void destroy(const std::string& name) override { cmwq_.destroy_workqueue(find(name)); }
  void set_max_active(const std::string& name, int value) override {
    cmwq_.workqueue_set_max_active(find(name), value);
  }
  void freeze() override { cmwq_.freeze_workqueues_begin(); }
  void thaw() override { cmwq_.thaw_workqueues(); }

  std::optional<int64_t> wq_field(const std::string& name, const std::string& attr) const override {
    wq::Workqueue* wq = find(name);
    if (wq == nullptr) return std::nullopt;
    if (attr == "max_active") return wq->max_active.load();
    if (attr == "threads") return wq->rescuer != nullptr ? 1 : 0;
    wq::WqStats s = cmwq_.wq_stats(wq);
    if (attr == "total") return static_cast<int64_t>(s.stat[wq::PWQ_STAT_STARTED]);
    if (attr == "infl") {
      uint64_t started = s.stat[wq::PWQ_STAT_STARTED], done = s.stat[wq::PWQ_STAT_COMPLETED];
      return static_cast<int64_t>(started > done ? started - done : 0);
    }
    if (attr == "cpu_time") return static_cast<int64_t>(s.stat[wq::PWQ_STAT_CPU_TIME]) * 1000;
    if (attr == "cpu_intensive") return static_cast<int64_t>(s.stat[wq::PWQ_STAT_CPU_INTENSIVE]);
    if (attr == "cm_wakeup") return static_cast<int64_t>(s.stat[wq::PWQ_STAT_CM_WAKEUP]);
    if (attr == "repatriated") return static_cast<int64_t>(s.stat[wq::PWQ_STAT_REPATRIATED]);
    if (attr == "mayday") return static_cast<int64_t>(s.stat[wq::PWQ_STAT_MAYDAY]);
    if (attr == "rescued") return static_cast<int64_t>(s.stat[wq::PWQ_STAT_RESCUED]);
    return std::nullopt;
  }

  std::optional<int64_t> pool_field(const std::string& pool_name,
                                    const std::string& attr) const override {
    wq::WorkerPool* pool = nullptr;
    if (pool_name == "unbound") {
      for (wq::WorkerPool* p : cmwq_.pools())
        if (p->cpu < 0) {
          pool = p;
          break;
        }
    } else {
      bool highpri = !pool_name.empty() && pool_name.back() == 'H';
      pool = cmwq_.cpu_pool(
          std::stoi(highpri ? pool_name.substr(0, pool_name.size() - 1) : pool_name), highpri);
    }
    if (pool == nullptr) return std::nullopt;
    kernel::SpinLockGuard g(pool->lock);
    if (attr == "workers") return pool->nr_workers;
    if (attr == "idle") return pool->nr_idle;
    return pool->nr_running;
  }

  int kworkers() const override { return cmwq_.nr_kworkers(); }
  int rescuers() const override { return cmwq_.nr_rescuers(); }
  std::string dump() const override { return cmwq_.wq_dump(); }
  std::string monitor() const override { return wq::format_wq_monitor(cmwq_.wq_monitor()); }

 private:
  wq::Workqueue* find(const std::string& name) const {
    std::lock_guard g(mu_);
    auto it = wqs_.find(name);
    return it == wqs_.end() ? nullptr : it->second;
  }
  uint64_t jiffies(int64_t ns) const {
    int64_t j = m_.kernel().jiffy_ns();
    return static_cast<uint64_t>((ns + j - 1) / j);
  }

  Machine& m_;
  wq::Cmwq cmwq_;
  mutable std::mutex mu_;
  std::map<std::string, wq::Workqueue*> wqs_;
};

}  // namespace

std::unique_ptr<ModelOps> make_cmwq_ops(Machine& m, wq::Cmwq** out) {
  const MachineSpec& spec = m.spec();
  wq::CmwqConfig cfg;
  cfg.cpu_intensive_thresh_us = spec.cpu_intensive_thresh / 1000;
  cfg.watchdog_thresh_secs = spec.watchdog_thresh;
  cfg.default_affinity_scope = wq::parse_affn_scope(spec.affinity_scope.c_str());
  if (cfg.default_affinity_scope <= wq::WQ_AFFN_DFL) cfg.default_affinity_scope = wq::WQ_AFFN_CACHE;
  cfg.power_efficient = spec.power_efficient;
  auto ops = std::make_unique<CmwqOps>(m, cfg);
  *out = ops->cmwq();
  return ops;
}

}  // namespace wqlab::scenario

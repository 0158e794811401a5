// Scenario calls on a legacy (Linux 2.6.24) machine.
#include <map>

#include "engine/legacy/legacy_wq.h"
#include "engine/scenario/machine.h"

namespace wqlab::scenario {
namespace {

class LegacyOps : public ModelOps {
 public:
  LegacyOps(Machine& m, legacy::LegacyConfig cfg) : m_(m), lwq_(m.kernel(), cfg) {
    wqs_["events"] = lwq_.keventd_wq;
  }

  bool create(const WqSpec& spec, const std::string& name) override {
    legacy::LegacyWorkqueue* wq = nullptr;
    if (spec.create == "create_workqueue")
      wq = lwq_.create_workqueue(name);
    else if (spec.create == "create_singlethread_workqueue")
      wq = lwq_.create_singlethread_workqueue(name);
    else if (spec.create == "create_freezable_workqueue")
      wq = lwq_.create_freezeable_workqueue(name);
    std::lock_guard g(mu_);
    if (wq != nullptr) wqs_[name] = wq;
    return wq != nullptr;
  }
  bool exists(const std::string& name) const override {
    legacy::LegacyWorkqueue* wq = find(name);
    return wq != nullptr && !wq->destroyed;
  }
  bool queue(const std::string& name, WorkInstance& w, int cpu, int64_t delay_ns) override {
    legacy::LegacyWorkqueue* wq = find(name);
    if (wq == nullptr) return false;
    w.last_wq = name;
    if (delay_ns >= 0) {
      return cpu >= 0 ? lwq_.queue_delayed_work_on(cpu, wq, &w.dw, jiffies(delay_ns))
                      : lwq_.queue_delayed_work(wq, &w.dw, jiffies(delay_ns));
    }
    return cpu >= 0 ? lwq_.queue_work_on(cpu, wq, &w.dw.work) : lwq_.queue_work(wq, &w.dw.work);
  }
  bool mod_delayed(const std::string&, WorkInstance&, int, int64_t) override {
    return false;
  }  // not in 2.6.24
  bool cancel(WorkInstance& w, bool sync) override {
    if (w.spec->delayed)
      return sync ? lwq_.cancel_delayed_work_sync(&w.dw) : lwq_.cancel_delayed_work(&w.dw);
    return lwq_.cancel_work_sync(&w.dw.work);  // 2.6.24 has no asynchronous cancel_work()
  }
  bool flush_work(WorkInstance& w) override {
    // 2.6.24 flushes whole workqueues; flush the one the item was queued on.
    if (legacy::LegacyWorkqueue* wq = find(w.last_wq)) lwq_.flush_workqueue(wq);
    return true;
  }
  void flush_wq(const std::string& name) override { lwq_.flush_workqueue(find(name)); }
  void drain(const std::string& name) override { lwq_.flush_workqueue(find(name)); }
  void destroy(const std::string& name) override { lwq_.destroy_workqueue(find(name)); }
  void set_max_active(const std::string&, int) override {}  // not in 2.6.24 (rejected when parsing)
  void freeze() override {}
  void thaw() override {}

  std::optional<int64_t> wq_field(const std::string& name, const std::string& attr) const override {
    legacy::LegacyWorkqueue* wq = find(name);
    if (wq == nullptr) return std::nullopt;
    if (attr == "threads") return static_cast<int64_t>(lwq_.threads(wq).size());
    if (attr == "total") return static_cast<int64_t>(m_.log().executions_of_wq(name));
    return std::nullopt;  // max_active, infl, mayday, ...: 2.6.24 has none (model_measures)
  }
  std::optional<int64_t> pool_field(const std::string&, const std::string&) const override {
    return std::nullopt;  // no worker pools in 2.6.24
  }
  int kworkers() const override { return 0; }
  int rescuers() const override { return 0; }
  std::string dump() const override {
    std::string out =
        "Legacy workqueues (Linux 2.6.24): " + std::to_string(lwq_.nr_threads()) + " threads\n";
    for (legacy::LegacyWorkqueue* wq : lwq_.workqueues())
      out += "  " + wq->name + (wq->singlethread ? " (single-threaded)" : " (one thread per CPU)") +
             ": " + std::to_string(lwq_.threads(wq).size()) + " threads\n";
    return out;
  }
  std::string monitor() const override { return ""; }

 private:
  legacy::LegacyWorkqueue* find(const std::string& name) const {
    std::lock_guard g(mu_);
    auto it = wqs_.find(name);
    return it == wqs_.end() ? nullptr : it->second;
  }
  uint64_t jiffies(int64_t ns) const {
    int64_t j = m_.kernel().jiffy_ns();
    return static_cast<uint64_t>((ns + j - 1) / j);
  }

  Machine& m_;
  legacy::LegacyWq lwq_;
  mutable std::mutex mu_;
  std::map<std::string, legacy::LegacyWorkqueue*> wqs_;
};

}  // namespace

std::unique_ptr<ModelOps> make_legacy_ops(Machine& m) {
  legacy::LegacyConfig cfg;
  cfg.boot_threads = m.spec().boot_threads;
  return std::make_unique<LegacyOps>(m, cfg);
}

}  // namespace wqlab::scenario

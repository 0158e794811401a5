// One simulated machine of a scenario: a recorder, a kernel and one workqueue model (cmwq or
// legacy), the scenario's work items and named locks/completions instantiated for it, and the
// model-neutral calls that actions and workloads make. Checkpoint fields are read here.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "engine/kernel/kernel.h"
#include "engine/kernel/sync.h"
#include "engine/scenario/field.h"
#include "engine/scenario/log_index.h"
#include "engine/scenario/spec.h"
#include "engine/trace/recorder.h"
#include "engine/wq/work.h"

namespace wqlab::wq {
class Cmwq;
}

namespace wqlab::scenario {

// A scenario's work item, instantiated on one machine (always a delayed_work; plain items use
// its inner work).
struct WorkInstance {
  const WorkSpec* spec = nullptr;
  wq::DelayedWork dw;
  std::string last_wq;  // where it was last queued: the default for "queue" inside workloads
};

// The calls scenarios make, implemented once per model (cmwq_ops.cpp, legacy_ops.cpp).
class ModelOps {
 public:
  virtual ~ModelOps() = default;
  // Creates workqueue `name` as `spec` says; false if creation failed (pids, memory).
  virtual bool create(const WqSpec& spec, const std::string& name) = 0;
  virtual bool exists(const std::string& name) const = 0;
  virtual bool queue(const std::string& wq, WorkInstance& w, int cpu, int64_t delay_ns) = 0;
  virtual bool mod_delayed(const std::string& wq, WorkInstance& w, int cpu, int64_t delay_ns) = 0;
  virtual bool cancel(WorkInstance& w, bool sync) = 0;
  virtual bool flush_work(WorkInstance& w) = 0;
  virtual void flush_wq(const std::string& wq) = 0;
  virtual void drain(const std::string& wq) = 0;
  virtual void destroy(const std::string& wq) = 0;
  virtual void set_max_active(const std::string& wq, int value) = 0;
  virtual void freeze() = 0;
  virtual void thaw() = 0;
  // Checkpoint values the log alone cannot give.
  virtual std::optional<int64_t> wq_field(const std::string& wq, const std::string& attr) const = 0;
  virtual std::optional<int64_t> pool_field(const std::string& pool,
                                            const std::string& attr) const = 0;
  virtual int kworkers() const = 0;
  virtual int rescuers() const = 0;
  virtual std::string dump() const = 0;     // wq_dump-style text for reports
  virtual std::string monitor() const = 0;  // wq_monitor-style text for reports
};

struct LoopResult {
  int created = 0;
  bool failed = false;
};

class Machine {
 public:
  // carrier_budget: the OS threads this machine's tasks may hold at once, shared with the
  // scenario's other machines (null: no limit; the browser shares its pre-spawned pthread pool
  // between a lesson's machines).
  Machine(const Scenario& scenario, const MachineSpec& spec,
          std::shared_ptr<kernel::CarrierBudget> carrier_budget = nullptr);
  ~Machine();
  Machine(const Machine&) = delete;
  Machine& operator=(const Machine&) = delete;

  const MachineSpec& spec() const { return spec_; }
  const Scenario& scenario() const { return scenario_; }
  kernel::Kernel& kernel() { return *kernel_; }
  trace::Recorder& recorder() { return *recorder_; }
  // The recorder, for a reader (the app's views) that keeps the log after the machine is gone.
  std::shared_ptr<trace::Recorder> shared_recorder() const { return recorder_; }
  ModelOps& ops() { return *ops_; }
  wq::Cmwq* cmwq() { return cmwq_; }

  WorkInstance* work(const std::string& name);
  kernel::Mutex& lock(const std::string& name);
  kernel::Completion& completion(const std::string& name);
  std::map<std::string, LoopResult>& loops() { return loops_; }
  std::map<std::string, bool>& create_failed() { return create_failed_; }

  // Runs the workload of `w` (called by the work item's function, on a kworker).
  void run_workload(WorkInstance& w);

  // The value of a checkpoint field now; nullopt with `why` when it has none (e.g. never ran).
  std::optional<Value> read(const Field& f, const std::string& contains, std::string* why);
  LogIndex& log() { return log_; }

  // Blocks the calling task until an event matching `t` has happened `t.nth` times since
  // `since_seq` (task context).
  void wait_for_event(const Trigger& t, uint64_t since_seq);

  // The machine's lesson context: one task, created at boot like a shell the student types into,
  // that runs each step's script and then waits for the next. Creating it once keeps memory
  // pressure (which makes kthread_create fail) from silently dropping a step.
  void run_script(std::function<void()> script);
  bool script_running() const { return script_busy_.load(); }

 private:
  struct Waiter;
  void boot_threads();
  std::string work_name_of(int64_t work_id);
  bool matches(const trace::Event& e, const Trigger& t);
  void on_event(const trace::Event& e);

  const Scenario& scenario_;
  MachineSpec spec_;
  std::shared_ptr<trace::Recorder> recorder_;
  std::unique_ptr<kernel::Kernel> kernel_;
  std::unique_ptr<ModelOps> ops_;
  wq::Cmwq* cmwq_ = nullptr;
  std::map<std::string, std::unique_ptr<WorkInstance>> works_;
  std::map<std::string, std::unique_ptr<kernel::Mutex>> locks_;
  std::map<std::string, std::unique_ptr<kernel::Completion>> completions_;
  std::map<std::string, LoopResult> loops_;
  std::map<std::string, bool> create_failed_;
  LogIndex log_;
  std::mutex waiters_mu_;
  std::vector<Waiter*> waiters_;
  kernel::Task* lesson_task_ = nullptr;
  std::mutex script_mu_;
  std::function<void()> script_;  // the next script for lesson_task_
  std::atomic<bool> script_busy_{false};
};

// Factories for the two models (cmwq_ops.cpp, legacy_ops.cpp).
std::unique_ptr<ModelOps> make_cmwq_ops(Machine& m, wq::Cmwq** out);
std::unique_ptr<ModelOps> make_legacy_ops(Machine& m);

}  // namespace wqlab::scenario

// Building a scenario machine, running workloads, waiting for events, reading checkpoints.
#include "engine/scenario/machine.h"

#include <algorithm>
#include <mutex>

#include "engine/legacy/legacy_wq.h"
#include "engine/wq/cmwq.h"

namespace wqlab::scenario {

using trace::EventKind;

namespace {

// Events a trigger may wait for: the ones emitted outside the scheduler lock.
std::vector<EventKind> tappable_kinds() {
  std::vector<EventKind> out = {EventKind::TaskCreate,   EventKind::TaskCreateFail,
                                EventKind::PidExhausted, EventKind::AllocFail,
                                EventKind::MemPressure,  EventKind::CpuOnline,
                                EventKind::CpuOffline,   EventKind::Printk};
  for (int k = static_cast<int>(EventKind::WqQueueWork); k < static_cast<int>(EventKind::Count);
       ++k)
    out.push_back(static_cast<EventKind>(k));
  return out;
}

}  // namespace

struct Machine::Waiter {
  Trigger trigger;
  int seen = 0;
  kernel::Completion done;
};

Machine::Machine(const Scenario& scenario, const MachineSpec& spec,
                 std::shared_ptr<kernel::CarrierBudget> carrier_budget)
    : scenario_(scenario), spec_(spec) {
  recorder_ =
      std::make_shared<trace::Recorder>(size_t{1} << 16, trace::OverflowPolicy::DrainInline);
  kernel::KernelConfig kc;
  kc.mode = spec.mode;
  kc.nr_cpus = spec.cpus;
  kc.hz = spec.hz;
  kc.pid_max = spec.pid_max;
  kc.memory_bytes = spec.memory;
  kc.slice = spec.slice;
  kc.topology = spec.topology;
  if (spec.cpus_per_pod > 0 && spec.topology.cpus_per_cache == 0)
    kc.topology.cpus_per_cache = spec.cpus_per_pod;
  kc.carrier_budget = std::move(carrier_budget);
  if (spec.model == Model::Legacy) kc = legacy::kernel_config(kc);
  kernel_ = std::make_unique<kernel::Kernel>(kc, recorder_.get());
  log_.attach(recorder_.get());
  kernel_->set_event_tap([this](const trace::Event& e) { on_event(e); }, tappable_kinds());
  if (spec.model == Model::Cmwq) {
    if (spec.boot_threads) boot_threads();
    ops_ = make_cmwq_ops(*this, &cmwq_);
  } else {
    ops_ = make_legacy_ops(*this);
  }
  lesson_task_ = kernel_
                     ->kthread_create(
                         [this] {
                           std::function<void()> script;
                           {
                             std::lock_guard g(script_mu_);
                             script = std::move(script_);
                             script_ = nullptr;
                           }
                           if (script) {
                             script();
                             script_busy_ = false;
                           }
                           kernel_->set_current_state(kernel::TaskState::Interruptible);
                           return kernel::TaskStep::Park;
                         },
                         "lesson", 0)
                     .task;
  // The script stands for the world outside the CPUs: it takes no CPU from the fair tasks.
  if (lesson_task_ != nullptr) kernel_->set_sched_class(*lesson_task_, kernel::SchedClass::Driver);

  // Every work item exists up front, so event taps can look them up without locks.
  for (auto& w : scenario.works) {
    auto inst = std::make_unique<WorkInstance>();
    inst->spec = &w;
    WorkInstance* raw = inst.get();
    wq::INIT_DELAYED_WORK(
        &inst->dw, [this, raw](wq::Work*) { run_workload(*raw); }, w.function);
    works_.emplace(w.name, std::move(inst));
  }
  for (auto& wq : scenario.workqueues) {
    bool here = wq.machines.empty();
    for (auto& id : wq.machines) here = here || id == spec.id;
    if (!here) continue;
    for (int i = 0; i < std::max(1, wq.repeat); ++i) {
      std::string name = wq.name;
      if (wq.repeat > 0) name.replace(name.find("{i}"), 3, std::to_string(i));
      create_failed_[name] = !ops_->create(wq, name);
    }
  }
}

Machine::~Machine() {
  // The model shuts the kernel down (unwinding every task) before anything it uses goes away.
  kernel_->shutdown();
  ops_.reset();
}

// What a Linux 6.12 machine runs before any driver makes a workqueue: init, kthreadd and the
// per-CPU housekeeping threads (the kworkers come from cmwq itself). Parked tasks: they cost a
// pid each, as in Linux, and no OS thread.
void Machine::run_script(std::function<void()> script) {
  script_busy_ = true;
  {
    std::lock_guard g(script_mu_);
    script_ = std::move(script);
  }
  if (lesson_task_ != nullptr) kernel_->wake_up_process(*lesson_task_);
}

void Machine::boot_threads() {
  auto park = [this](std::string name, int cpu) {
    kernel_->kthread_create(
        [k = kernel_.get()] {
          k->set_current_state(kernel::TaskState::Interruptible);
          return kernel::TaskStep::Park;
        },
        std::move(name), cpu);
  };
  park("init", -1);
  park("kthreadd", -1);
  park("rcu_gp", -1);
  park("rcu_par_gp", -1);
  for (int cpu = 0; cpu < spec_.cpus; ++cpu) {
    park("cpuhp/" + std::to_string(cpu), cpu);
    park("migration/" + std::to_string(cpu), cpu);
    park("ksoftirqd/" + std::to_string(cpu), cpu);
  }
  park("kauditd", -1);
  park("khungtaskd", -1);
  park("oom_reaper", -1);
  park("kswapd0", -1);
}

WorkInstance* Machine::work(const std::string& name) {
  auto it = works_.find(name);
  return it == works_.end() ? nullptr : it->second.get();
}

kernel::Mutex& Machine::lock(const std::string& name) {
  auto& slot = locks_[name];
  if (!slot) slot = std::make_unique<kernel::Mutex>();
  return *slot;
}

kernel::Completion& Machine::completion(const std::string& name) {
  auto& slot = completions_[name];
  if (!slot) slot = std::make_unique<kernel::Completion>();
  return *slot;
}

// The work item's function: its workload, step by step, with the engine's primitives.
void Machine::run_workload(WorkInstance& w) {
  kernel::Kernel& k = *kernel_;
  for (const WorkOp& op : w.spec->ops) {
    switch (op.kind) {
      case OpKind::Compute:
        k.compute_for(op.amount);
        break;
      case OpKind::Sleep:
        k.sleep_for(op.amount);
        break;
      case OpKind::Alloc:
        k.kmalloc(op.amount, w.spec->function);
        break;
      case OpKind::Free:
        k.kfree(op.amount);
        break;
      case OpKind::Lock:
        lock(op.target).lock();
        break;
      case OpKind::Unlock:
        lock(op.target).unlock();
        break;
      case OpKind::Queue: {
        WorkInstance* target = work(op.target);
        std::string wq = op.target2.empty() ? w.last_wq : op.target2;
        if (target != nullptr && !wq.empty()) ops_->queue(wq, *target, -1, -1);
        break;
      }
      case OpKind::Flush:
        if (WorkInstance* target = work(op.target)) ops_->flush_work(*target);
        break;
      case OpKind::FlushWq:
        ops_->flush_wq(op.target);
        break;
      case OpKind::Cancel:
        if (WorkInstance* target = work(op.target)) ops_->cancel(*target, true);
        break;
      case OpKind::WaitFor:
        completion(op.target).wait_for_completion();
        break;
      case OpKind::Complete:
        completion(op.target).complete_all();
        break;
      case OpKind::Pressure:
        k.set_memory_pressure(op.amount != 0);
        break;
    }
  }
}

std::string Machine::work_name_of(int64_t work_id) {
  for (auto& [name, w] : works_)
    if (w->dw.work.id.load() == work_id) return name;
  return "";
}

bool Machine::matches(const trace::Event& e, const Trigger& t) {
  const trace::EventKindInfo& info = trace::event_kind_info(e.kind);
  if (info.name != t.kind) return false;
  if (t.arg.empty()) return true;
  for (int i = 0; i < trace::kMaxEventArgs; ++i) {
    const trace::ArgInfo& a = info.args[i];
    if (a.type == trace::ArgType::Str && recorder_->strings().get(e.args[i]) == t.arg) return true;
    if (a.type == trace::ArgType::Obj && a.label == "work" && work_name_of(e.args[i]) == t.arg)
      return true;
  }
  return false;
}

void Machine::on_event(const trace::Event& e) {
  std::lock_guard g(waiters_mu_);
  for (Waiter* w : waiters_) {
    if (w->seen < w->trigger.nth && matches(e, w->trigger) && ++w->seen == w->trigger.nth)
      w->done.complete();
  }
}

void Machine::wait_for_event(const Trigger& t, uint64_t since_seq) {
  Waiter w;
  w.trigger = t;
  {
    std::lock_guard g(waiters_mu_);
    recorder_->drain();
    const trace::EventLog& log = recorder_->log();
    for (uint64_t i = since_seq; i < log.size(); ++i)
      if (matches(log[i], t)) ++w.seen;
    if (w.seen >= t.nth) return;
    waiters_.push_back(&w);
  }
  w.done.wait_for_completion();
  std::lock_guard g(waiters_mu_);
  std::erase(waiters_, &w);
}

std::optional<Value> Machine::read(const Field& f, const std::string& contains, std::string* why) {
  if (!model_measures(f, spec_.model, why)) return std::nullopt;
  log_.update();
  Value v;
  v.type = f.type;
  auto num = [&](int64_t x) {
    v.i = x;
    return std::optional<Value>(v);
  };
  switch (f.kind) {
    case FieldKind::Time:
      return num(kernel_->now());
    case FieldKind::Threads:
      return num(static_cast<int64_t>(kernel_->nr_tasks()));
    case FieldKind::Kworkers:
      return num(ops_->kworkers());
    case FieldKind::Rescuers:
      return num(ops_->rescuers());
    case FieldKind::PidsUsed:
      return num(kernel_->nr_pids_in_use());
    case FieldKind::PidMax:
      return num(kernel_->pid_max());
    case FieldKind::MemoryUsed:
      return num(kernel_->memory_used());
    case FieldKind::Printed:
      return num(log_.printed(contains) ? 1 : 0);
    case FieldKind::Noted:
      return num(log_.noted(contains) ? 1 : 0);
    case FieldKind::Events:
      return num(static_cast<int64_t>(log_.count(trace::event_kind_by_name(f.name))));
    case FieldKind::Loop: {
      auto it = loops_.find(f.name);
      if (it == loops_.end()) {
        *why = "the loop has not run yet";
        return std::nullopt;
      }
      return num(f.attr == "created" ? it->second.created : it->second.failed);
    }
    case FieldKind::Wq: {
      if (f.attr == "exists") return num(ops_->exists(f.name));
      if (f.attr == "failed") return num(create_failed_.count(f.name) && create_failed_[f.name]);
      auto x = ops_->wq_field(f.name, f.attr);
      if (!x) {
        *why = "workqueue " + f.name + " does not exist";
        return std::nullopt;
      }
      return num(*x);
    }
    case FieldKind::Pool: {
      auto x = ops_->pool_field(f.name, f.attr);
      if (!x) {
        *why = "this machine has no such pool";
        return std::nullopt;
      }
      return num(*x);
    }
    case FieldKind::Work: {
      WorkInstance* w = work(f.name);
      if (f.attr == "pending") return num(wq::work_pending(&w->dw.work));
      const auto& runs = log_.executions(w->dw.work.id.load());
      if (f.attr == "runs") return num(static_cast<int64_t>(runs.size()));
      if (runs.empty()) {
        *why = f.name + " never ran";
        return std::nullopt;
      }
      const ExecRecord& first = runs.front();
      const ExecRecord& last = runs.back();
      if (f.attr == "start") return num(first.start);
      if (f.attr == "last_start") return num(last.start);
      if (f.attr == "queued") return num(first.queued);
      if (f.attr == "waited") return num(first.queued < 0 ? 0 : first.start - first.queued);
      if (f.attr == "cpu") return num(first.cpu);
      if (f.attr == "worker" || f.attr == "last_worker") {
        v.s = log_.comm(f.attr == "worker" ? first.pid : last.pid);
        return v;
      }
      const ExecRecord& which = f.attr == "end" ? first : last;
      if (which.end < 0) {
        *why = f.name + " has not finished";
        return std::nullopt;
      }
      return num(which.end);
    }
  }
  return std::nullopt;
}

}  // namespace wqlab::scenario

#include "engine/whatif/fit.h"

#include <algorithm>
#include <map>
#include <set>

#include "engine/scenario/writer.h"
#include "engine/wq/wq_types.h"

namespace wqlab::whatif {

using import::TraceItem;
using import::TraceWorkqueue;
using import::Tri;

std::string Policy::name() const {
  switch (kind) {
    case Kind::AsTraced:
      return "cmwq";
    case Kind::Legacy:
      return "legacy";
    case Kind::Ordered:
      return "ordered";
    case Kind::MaxActive:
      return "max_active=" + std::to_string(max_active);
  }
  return "?";
}

bool parse_policy(const std::string& text, Policy& out, std::string* error) {
  out = Policy{};
  if (text == "cmwq") return true;
  if (text == "legacy" || text == "2.6.24") return out.kind = Policy::Kind::Legacy, true;
  if (text == "ordered") return out.kind = Policy::Kind::Ordered, true;
  if (text.rfind("max_active=", 0) == 0) {
    const std::string n = text.substr(11);
    if (!n.empty() && n.size() < 5 && std::all_of(n.begin(), n.end(), ::isdigit)) {
      out.kind = Policy::Kind::MaxActive;
      out.max_active = std::stoi(n);
      if (out.max_active >= 1 && out.max_active <= wq::WQ_MAX_ACTIVE) return true;
    }
  }
  if (error)
    *error = "unknown policy '" + text +
             "' (use cmwq, legacy, ordered or max_active=N with N from 1 to " +
             std::to_string(wq::WQ_MAX_ACTIVE) + ")";
  return false;
}

bool parse_policies(const std::string& text, std::vector<Policy>* out, std::string* error) {
  std::vector<Policy> policies;
  for (size_t from = 0; from <= text.size();) {
    const size_t comma = std::min(text.find(',', from), text.size());
    Policy p;
    if (!parse_policy(text.substr(from, comma - from), p, error)) return false;
    policies.push_back(p);
    from = comma + 1;
  }
  if (policies.size() > 2) {
    if (error) *error = "one or two policies, such as legacy or cmwq,ordered";
    return false;
  }
  if (out) *out = std::move(policies);
  return true;
}

namespace {

const std::set<std::string> kCmwqSystemWqs = {"events",
                                              "events_highpri",
                                              "events_long",
                                              "events_unbound",
                                              "events_freezable",
                                              "events_power_efficient",
                                              "events_freezable_pwr_efficient"};

bool has_rescuer(const import::TraceMachine& m, const std::string& wq) {
  for (const import::TraceKworker& k : m.kworkers)
    if (k.rescuer && (k.rescuer_wq == wq ||  // perf cuts comms to 15 characters
                      (k.comm.size() == 15 && wq.rfind(k.rescuer_wq, 0) == 0)))
      return true;
  return false;
}

// The workload: its time on a CPU, then the rest asleep (the trace does not say in what order).
std::vector<scenario::WorkOp> workload(const TraceItem& it) {
  std::vector<scenario::WorkOp> ops;
  const int64_t run = std::max<int64_t>(it.run_time(), 0);
  const int64_t cpu = it.on_cpu_ns >= 0 ? std::min(it.on_cpu_ns, run) : run;
  scenario::WorkOp c;
  c.kind = scenario::OpKind::Compute;
  c.amount = std::max<int64_t>(cpu, 1);
  ops.push_back(c);
  if (run - cpu > 0) {
    scenario::WorkOp s;
    s.kind = scenario::OpKind::Sleep;
    s.amount = run - cpu;
    ops.push_back(s);
  }
  return ops;
}

class Fitter {
 public:
  Fitter(const import::ParsedTrace& t, const import::TraceMachine& m, const FitOptions& o,
         FitResult& r)
      : t_(t), m_(m), o_(o), r_(r) {}

  void run() {
    scenario::Scenario& s = r_.scenario;
    s.kind = "scenario";
    s.id = "trace-replay";
    s.title.en = "Replay of " + t_.source + " (" + o_.policy.name() + ")";
    s.file = "<fitted>";
    scenario::MachineSpec machine;
    machine.model = legacy() ? scenario::Model::Legacy : scenario::Model::Cmwq;
    machine.cpus = std::clamp(m_.nr_cpus, 1, 256);
    s.machines.push_back(machine);
    for (const TraceWorkqueue& w : m_.workqueues) workqueue(w);
    items();
    notes();
  }

 private:
  bool legacy() const { return o_.policy.kind == Policy::Kind::Legacy; }

  // Where the fitted scenario queues the trace's workqueue `w` (named, created if need be).
  void workqueue(const TraceWorkqueue& w) {
    std::string& target = target_[w.index];
    target = w.name;
    const bool system = legacy() ? w.name == "events" : kCmwqSystemWqs.count(w.name) > 0;
    scenario::WqSpec spec;
    spec.name = w.name;
    if (legacy()) {
      if (system) return;
      // 2.6.24 had no unbound workqueues: a single thread is the closest it had.
      spec.create = w.unbound == Tri::Yes ? "create_singlethread_workqueue" : "create_workqueue";
      r_.scenario.workqueues.push_back(spec);
      return;
    }
    if (w.unbound == Tri::Yes) spec.flags |= wq::WQ_UNBOUND;
    if (w.highpri == Tri::Yes) spec.flags |= wq::WQ_HIGHPRI;
    if (has_rescuer(m_, w.name)) spec.flags |= wq::WQ_MEM_RECLAIM;
    spec.max_active = w.max_active_seen;
    switch (o_.policy.kind) {
      case Policy::Kind::Ordered:
        spec.create = "alloc_ordered_workqueue";
        spec.flags &= ~wq::WQ_UNBOUND;  // implied
        spec.max_active = 0;
        if (system) target = spec.name = w.name + "_ordered";
        r_.scenario.workqueues.push_back(spec);
        return;
      case Policy::Kind::MaxActive:
        spec.max_active = o_.policy.max_active;
        if (system) {
          set_max_active_.push_back(w.name);
          return;
        }
        break;
      default:
        if (system) return;
        break;
    }
    r_.scenario.workqueues.push_back(spec);
  }

  void items() {
    const Replayable sel = replayable_items(m_, o_.max_items);
    const std::vector<const TraceItem*>& replay = sel.items;
    if (sel.over_limit)
      r_.notes.push_back("only the first " + std::to_string(o_.max_items) + " of " +
                         std::to_string(replay.size() + sel.over_limit) +
                         " executions are replayed");
    if (sel.queued_before)
      r_.notes.push_back(std::to_string(sel.queued_before) +
                         " executions were queued before the trace began and are left out");
    if (sel.unfinished)
      r_.notes.push_back(std::to_string(sel.unfinished) +
                         " items had not finished when the trace ended and are left out");
    if (sel.superseded)
      r_.notes.push_back(std::to_string(sel.superseded) +
                         " queueings were taken back before they ran (mod_delayed_work) and are "
                         "left out");
    scenario::Step step;
    step.id = "replay";
    step.title.en = "The traced workload, queued at the traced times";
    for (const std::string& wq : set_max_active_) {
      scenario::Action a;
      a.kind = scenario::ActionKind::MaxActive;
      a.wq = wq;
      a.value = o_.policy.max_active;
      step.actions.push_back(a);
    }
    r_.first_queue_ns = replay.empty() ? 0 : replay.front()->queued;
    for (const TraceItem* it : replay) {
      const TraceWorkqueue& w = m_.workqueues[static_cast<size_t>(it->wq)];
      scenario::WorkSpec work;
      work.name = "w" + std::to_string(r_.scenario.works.size());
      work.function = t_.names.get(it->function);
      if (work.function.empty()) work.function = work.name;
      work.ops = workload(*it);
      scenario::Action a;
      a.kind = scenario::ActionKind::Queue;
      a.work = work.name;
      a.wq = target_[w.index];
      a.at = it->queued - r_.first_queue_ns;
      // A per-CPU workqueue's item goes to the CPU the trace queued it on (cpu=N).
      if (w.unbound != Tri::Yes && it->pool_cpu >= 0 && it->pool_cpu < r_.scenario.machines[0].cpus)
        a.cpu = it->pool_cpu;
      step.actions.push_back(a);
      r_.scenario.works.push_back(std::move(work));
    }
    r_.items = replay.size();
    r_.scenario.steps.push_back(std::move(step));
  }

  void notes() {
    std::vector<std::string>& n = r_.notes;
    n.insert(
        n.begin(),
        {"fitted by `wqlab open " + t_.source + " --to-scenario` (policy " + o_.policy.name() + ")",
         "one work item per traced execution: queued at its traced time, running for its "
         "traced time",
         m_.has_sched ? "workload: its time on a CPU (from sched_switch), then the rest "
                        "asleep"
                      : "workload: the whole run time as CPU time (no sched_switch events "
                        "to tell sleeping from running)",
         "flags inferred: WQ_UNBOUND from cpu=-1 or kworker/uP, WQ_HIGHPRI from ...H "
         "pools, WQ_MEM_RECLAIM from a kworker/R- rescuer, max_active where items waited",
         "separate items: the same work_struct queued again replays as another item, so "
         "the kernel's non-reentrancy is not reproduced"});
    if (legacy())
      n.push_back(
          "2.6.24 has no unbound or highpri workqueues: unbound ones become "
          "create_singlethread_workqueue, highpri is dropped");
  }

  const import::ParsedTrace& t_;
  const import::TraceMachine& m_;
  const FitOptions& o_;
  FitResult& r_;
  std::map<int32_t, std::string> target_;  // trace workqueue index -> scenario workqueue name
  std::vector<std::string> set_max_active_;
};

}  // namespace

Replayable replayable_items(const import::TraceMachine& m, size_t max_items) {
  Replayable r;
  for (const TraceItem& it : m.items) {
    if (it.superseded) {
      ++r.superseded;
    } else if (it.queued == import::kUnknownTime || it.wq < 0) {
      ++r.queued_before;
    } else if (!it.run_known()) {
      ++r.unfinished;
    } else if (r.items.size() >= max_items) {
      ++r.over_limit;
    } else {
      r.items.push_back(&it);
    }
  }
  return r;
}

FitResult fit_scenario(const import::ParsedTrace& t, const import::TraceMachine& m,
                       const FitOptions& options) {
  FitResult r;
  Fitter(t, m, options, r).run();
  return r;
}

std::string fitted_scenario_text(const FitResult& fit, const std::string& source) {
  std::string out = "# A scenario fitted to the real trace " + source + "\n";
  for (const std::string& n : fit.notes) out += "# - " + n + "\n";
  return out + scenario::write_scenario(fit.scenario);
}

}  // namespace wqlab::whatif

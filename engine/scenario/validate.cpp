// Cross-references: every machine, work item, workqueue, loop and checkpoint field a file names
// must exist, and each call must exist in the kernel the machine models.
#include <set>

#include "engine/scenario/field.h"
#include "engine/scenario/toml_reader.h"

namespace wqlab::scenario {

namespace {

const std::set<std::string> kCmwqSystemWqs = {"events",
                                              "events_highpri",
                                              "events_long",
                                              "events_unbound",
                                              "events_freezable",
                                              "events_power_efficient",
                                              "events_freezable_pwr_efficient",
                                              "events_bh",
                                              "events_bh_highpri"};

std::string expand(const std::string& name, int i) {
  std::string out = name;
  size_t at = out.find("{i}");
  if (at != std::string::npos) out.replace(at, 3, std::to_string(i));
  return out;
}

bool applies(const std::vector<std::string>& machines, const std::string& id) {
  if (machines.empty()) return true;
  for (auto& m : machines)
    if (m == id) return true;
  return false;
}

class Validator {
 public:
  Validator(TomlReader& r, const Scenario& s) : r_(r), s_(s) {}

  void run() {
    std::set<std::string> ids;
    for (auto& m : s_.machines) {
      if (!ids.insert(m.id).second) r_.error(m.loc, "two machines are called \"" + m.id + "\"");
      if (m.model == Model::Legacy && m.cpus_per_pod != 0)
        r_.error(m.loc, "cpus_per_pod is a cmwq setting");
      if (m.model == Model::Legacy && m.affinity_scope != "cache")
        r_.error(m.loc, "affinity_scope is a cmwq setting (Linux 2.6.24 has no unbound pods)");
    }
    std::set<std::string> works;
    for (auto& w : s_.works)
      if (!works.insert(w.name).second)
        r_.error(w.loc, "two work items are called \"" + w.name + "\"");
    for (auto& wq : s_.workqueues) {
      check_machines(wq.machines, wq.loc);
      for (auto& m : s_.machines)
        if (applies(wq.machines, m.id)) check_create(wq, m);
    }
    for (auto& st : s_.steps)
      for (auto& a : st.actions)
        if (a.kind == ActionKind::CreateUntilFail && !loops_.insert(a.id).second)
          r_.error(a.loc, "two create_until_fail loops are called \"" + a.id + "\"");
    for (auto& w : s_.works) {
      for (auto& op : w.ops) {
        if (op.kind == OpKind::Queue || op.kind == OpKind::Flush || op.kind == OpKind::Cancel)
          need_work(op.target, op.loc);
        if (op.kind == OpKind::FlushWq) need_wq_anywhere(op.target, op.loc);
        if (op.kind == OpKind::Queue && !op.target2.empty()) need_wq_anywhere(op.target2, op.loc);
      }
    }
    for (auto& st : s_.steps) step(st);
  }

 private:
  void check_machines(const std::vector<std::string>& machines, SourceLoc at) {
    for (auto& m : machines)
      if (s_.machine(m) == nullptr) r_.error(at, "no machine is called \"" + m + "\"");
  }

  void check_create(const WqSpec& wq, const MachineSpec& m) {
    if (m.model != Model::Legacy) return;
    if (wq.create == "alloc_workqueue" || wq.create == "alloc_ordered_workqueue")
      r_.error(wq.loc, wq.create +
                           " does not exist in the legacy model (Linux 2.6.24) of machine \"" +
                           m.id + "\"; use create_workqueue or create_singlethread_workqueue");
  }

  std::set<std::string> wqs_of(const MachineSpec& m) {
    std::set<std::string> out;
    if (m.model == Model::Cmwq)
      out = kCmwqSystemWqs;
    else
      out.insert("events");
    for (auto& wq : s_.workqueues) {
      if (!applies(wq.machines, m.id)) continue;
      if (wq.repeat > 0) {
        for (int i = 0; i < wq.repeat; ++i) out.insert(expand(wq.name, i));
      } else {
        out.insert(wq.name);
      }
    }
    for (auto& st : s_.steps) {
      if (!applies(st.machines, m.id)) continue;
      for (auto& a : st.actions)
        if (a.kind == ActionKind::Create) out.insert(a.create.name);
    }
    return out;
  }

  void need_work(const std::string& name, SourceLoc at) {
    if (s_.work(name) == nullptr)
      r_.error(at, "no work item is called \"" + name + "\" (define it with [[work]])");
  }

  void need_wq_anywhere(const std::string& name, SourceLoc at) {
    for (auto& m : s_.machines)
      if (wqs_of(m).count(name)) return;
    r_.error(at, "no workqueue is called \"" + name +
                     "\" (define it with [[workqueue]] or a create action)");
  }

  void need_wq(const std::string& name, const MachineSpec& m, SourceLoc at) {
    if (wqs_of(m).count(name) == 0)
      r_.error(at, "machine \"" + m.id + "\" has no workqueue called \"" + name + "\"");
  }

  std::vector<const MachineSpec*> machines_of(const Step& st) {
    std::vector<const MachineSpec*> out;
    for (auto& m : s_.machines)
      if (applies(st.machines, m.id)) out.push_back(&m);
    return out;
  }

  void step(const Step& st) {
    check_machines(st.machines, st.loc);
    auto ms = machines_of(st);
    for (auto& a : st.actions) {
      if (!a.work.empty()) need_work(a.work, a.loc);
      for (const MachineSpec* m : ms) {
        bool legacy = m->model == Model::Legacy;
        if (!a.wq.empty()) need_wq(a.wq, *m, a.loc);
        if (a.kind == ActionKind::Create || a.kind == ActionKind::CreateUntilFail)
          check_create(a.create, *m);
        if (legacy && (a.kind == ActionKind::Drain || a.kind == ActionKind::ModDelayed ||
                       a.kind == ActionKind::MaxActive || a.kind == ActionKind::Freeze ||
                       a.kind == ActionKind::Thaw))
          r_.error(a.loc,
                   "this action does not exist in the legacy model (Linux 2.6.24) of machine \"" +
                       m->id + "\"");
        if (a.cpu >= m->cpus)
          r_.error(a.loc, "machine \"" + m->id + "\" has no cpu " + std::to_string(a.cpu));
        if (a.kind == ActionKind::Queue && a.delay >= 0 && !a.work.empty() && s_.work(a.work) &&
            !s_.work(a.work)->delayed)
          r_.error(a.loc, "work \"" + a.work +
                              "\" is not delayed work; add delayed = true to its [[work]] to queue "
                              "it with a delay");
      }
    }
    for (auto& q : st.questions)
      if (q.answer_from) field(*q.answer_from, st, ms);
    for (auto& c : st.checks) {
      field(c.field, st, ms);
      if (c.ref) field(*c.ref, st, ms);
    }
  }

  void field(const FieldRef& ref, const Step& st, const std::vector<const MachineSpec*>& ms) {
    const MachineSpec* m = nullptr;
    if (!ref.machine.empty()) {
      m = s_.machine(ref.machine);
      if (m == nullptr) {
        r_.error(ref.loc, "no machine is called \"" + ref.machine + "\"");
        return;
      }
      if (!applies(st.machines, m->id))
        r_.error(ref.loc, "this step does not run on machine \"" + m->id + "\"");
    } else if (ms.size() == 1) {
      m = ms.front();
    } else {
      r_.error(ref.loc,
               "this step runs on several machines; say which one the field is about (machine = "
               "\"...\" or \"machine:field\")");
      return;
    }
    Field f;
    std::string err;
    if (!parse_field(ref.path, &f, &err)) return;  // already reported where it was read
    if (!model_measures(f, m->model, &err)) {
      r_.error(ref.loc, ref.path + " on machine \"" + m->id + "\": " + err);
      return;
    }
    if (f.kind == FieldKind::Work) need_work(f.name, ref.loc);
    if (f.kind == FieldKind::Wq) need_wq(f.name, *m, ref.loc);
    if (f.kind == FieldKind::Loop && loops_.count(f.name) == 0)
      r_.error(ref.loc, "no create_until_fail action has id \"" + f.name + "\"");
    if (f.kind == FieldKind::Pool) {
      std::string p = f.name;
      bool ok = p == "unbound";
      if (!ok && !p.empty()) {
        std::string digits = p.back() == 'H' ? p.substr(0, p.size() - 1) : p;
        ok = !digits.empty() && digits.find_first_not_of("0123456789") == std::string::npos &&
             std::stoi(digits) < m->cpus;
      }
      if (!ok)
        r_.error(ref.loc,
                 "pool \"" + p +
                     "\" should be a CPU number (\"0\"), its highpri pool (\"0H\") or \"unbound\"");
    }
  }

  TomlReader& r_;
  const Scenario& s_;
  std::set<std::string> loops_;
};

}  // namespace

void validate(TomlReader& r, const Scenario& s) {
  Validator(r, s).run();
}

const MachineSpec* Scenario::machine(const std::string& id) const {
  for (auto& m : machines)
    if (m.id == id) return &m;
  return nullptr;
}

const WorkSpec* Scenario::work(const std::string& name) const {
  for (auto& w : works)
    if (w.name == name) return &w;
  return nullptr;
}

std::vector<std::string> Scenario::workqueue_names(const std::string& m) const {
  std::vector<std::string> out;
  for (auto& wq : workqueues) {
    if (!applies(wq.machines, m)) continue;
    if (wq.repeat > 0) {
      for (int i = 0; i < wq.repeat; ++i) out.push_back(expand(wq.name, i));
    } else {
      out.push_back(wq.name);
    }
  }
  return out;
}

}  // namespace wqlab::scenario

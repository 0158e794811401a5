// The sections of a scenario file: [lesson]/[scenario], [[machine]], [[workqueue]], [[work]],
// [[step]] with its actions, checks and questions. Cross-references are checked in
// validate.cpp; workload strings are read in workload_parse.cpp.
#include "engine/scenario/parser.h"
#include "engine/scenario/toml_guard.h"

#include <fstream>
#include <sstream>

#include "engine/scenario/field.h"
#include "engine/scenario/toml_reader.h"
#include "engine/scenario/units.h"
#include "engine/wq/wq_types.h"

namespace wqlab::scenario {

// workload_parse.cpp and validate.cpp
std::vector<WorkOp> parse_workload(TomlReader& r,
                                   const std::vector<std::pair<std::string, SourceLoc>>& lines);
Check parse_check(TomlReader& r, const toml::table& t);
Question parse_question(TomlReader& r, const toml::table& t);
void validate(TomlReader& r, const Scenario& s);

std::string ParseResult::error_text() const {
  std::string out;
  for (auto& e : errors) out += e.str() + "\n";
  return out;
}

unsigned wq_flag_by_name(std::string_view name) {
  static const std::pair<std::string_view, unsigned> kFlags[] = {
      {"WQ_BH", wq::WQ_BH},
      {"WQ_UNBOUND", wq::WQ_UNBOUND},
      {"WQ_FREEZABLE", wq::WQ_FREEZABLE},
      {"WQ_MEM_RECLAIM", wq::WQ_MEM_RECLAIM},
      {"WQ_HIGHPRI", wq::WQ_HIGHPRI},
      {"WQ_CPU_INTENSIVE", wq::WQ_CPU_INTENSIVE},
      {"WQ_SYSFS", wq::WQ_SYSFS},
      {"WQ_POWER_EFFICIENT", wq::WQ_POWER_EFFICIENT},
      {"__WQ_ORDERED", wq::__WQ_ORDERED},
      {"__WQ_LEGACY", wq::__WQ_LEGACY}};
  for (auto& [n, bit] : kFlags)
    if (n == name) return bit;
  return 0;
}

namespace {

const char* kCreateCalls[] = {"alloc_workqueue",
                              "alloc_ordered_workqueue",
                              "create_workqueue",
                              "create_singlethread_workqueue",
                              "create_freezable_workqueue",
                              "create_freezeable_workqueue"};

class Parser {
 public:
  explicit Parser(TomlReader& r) : r_(r) {}

  Scenario parse(const toml::table& root) {
    Scenario s;
    s.file = r_.file();
    r_.allow_keys(root, {"lesson", "scenario", "machine", "workqueue", "work", "step"}, "the file");
    bool lesson = root.contains("lesson");
    if (lesson && root.contains("scenario"))
      r_.error(r_.key_loc(root, "scenario"),
               "a file is either a [lesson] or a [scenario], not both");
    s.kind = lesson ? "lesson" : "scenario";
    if (const toml::table* meta = root.get_as<toml::table>(lesson ? "lesson" : "scenario")) {
      r_.allow_keys(*meta, {"id", "title", "summary", "order"}, lesson ? "[lesson]" : "[scenario]");
      s.id = r_.string(*meta, "id").value_or("");
      s.title = r_.text(*meta, "title", lesson);
      s.summary = r_.text(*meta, "summary");
      s.order = static_cast<int>(r_.integer(*meta, "order").value_or(0));
    } else if (root.contains(lesson ? "lesson" : "scenario")) {
      r_.error(*root.get(lesson ? "lesson" : "scenario"), "[lesson] must be a table");
    }
    for (const toml::table* t : r_.tables(root, "machine")) s.machines.push_back(machine(*t));
    if (s.machines.empty()) s.machines.emplace_back();  // one default cmwq machine
    for (const toml::table* t : r_.tables(root, "workqueue")) {
      r_.allow_keys(*t,
                    {"name", "create", "flags", "max_active", "repeat", "machines",
                     "affinity_scope", "affinity_strict"},
                    "[[workqueue]]");
      s.workqueues.push_back(workqueue(*t, "[[workqueue]]"));
    }
    for (const toml::table* t : r_.tables(root, "work")) s.works.push_back(work(*t));
    for (const toml::table* t : r_.tables(root, "step")) s.steps.push_back(step(*t));
    return s;
  }

 private:
  MachineSpec machine(const toml::table& t) {
    MachineSpec m;
    m.loc = r_.loc(t);
    r_.allow_keys(
        t,
        {"id", "label", "model", "cpus", "hz", "pid_max", "memory", "seed", "mode", "boot_threads",
         "cpu_intensive_thresh", "slice", "watchdog_thresh", "cpus_per_pod", "power_efficient",
         "smt", "cpus_per_cache", "cpus_per_node", "affinity_scope"},
        "[[machine]]");
    m.id = r_.string(t, "id").value_or("main");
    m.label = r_.text(t, "label");
    if (auto model = r_.string(t, "model")) {
      if (*model == "cmwq")
        m.model = Model::Cmwq;
      else if (*model == "legacy")
        m.model = Model::Legacy;
      else
        r_.error(*t.get("model"),
                 "model must be \"cmwq\" (Linux 6.12) or \"legacy\" (Linux 2.6.24), not \"" +
                     *model + "\"");
    }
    if (auto v = r_.integer(t, "cpus")) {
      if (*v < 1 || *v > kernel::NR_CPUS)
        r_.error(*t.get("cpus"), "cpus must be between 1 and 256");
      else
        m.cpus = static_cast<int>(*v);
    }
    if (auto v = r_.integer(t, "hz")) {
      if (*v < 10 || *v > 10000)
        r_.error(*t.get("hz"), "hz must be between 10 and 10000");
      else
        m.hz = static_cast<int>(*v);
    }
    if (auto v = r_.integer(t, "pid_max")) {
      if (*v < kernel::RESERVED_PIDS + 2 || *v > kernel::PID_MAX_LIMIT)
        r_.error(*t.get("pid_max"), "pid_max must be between 302 and 4194304");
      else
        m.pid_max = static_cast<int>(*v);
    }
    if (auto v = r_.size(t, "memory")) m.memory = *v;
    r_.integer(t, "seed");  // accepted; the deterministic engine needs no randomness yet
    if (auto mode = r_.string(t, "mode")) {
      if (*mode == "deterministic")
        m.mode = kernel::Mode::Deterministic;
      else if (*mode == "realtime")
        m.mode = kernel::Mode::Realtime;
      else
        r_.error(*t.get("mode"), "mode must be \"deterministic\" or \"realtime\"");
    }
    if (auto v = r_.boolean(t, "boot_threads")) m.boot_threads = *v;
    if (const toml::node* n = t.get("cpu_intensive_thresh")) {
      if (n->value<std::string>() == std::optional<std::string>("off"))
        m.cpu_intensive_thresh = 0;
      else if (auto d = r_.duration(t, "cpu_intensive_thresh"))
        m.cpu_intensive_thresh = *d;
    }
    if (auto d = r_.duration(t, "slice")) {
      if (*d <= 0)
        r_.error(*t.get("slice"), "slice must be positive");
      else
        m.slice = *d;
    }
    if (const toml::node* n = t.get("watchdog_thresh")) {
      if (n->value<std::string>() == std::optional<std::string>("off"))
        m.watchdog_thresh = 0;
      else if (auto d = r_.duration(t, "watchdog_thresh"))
        m.watchdog_thresh = static_cast<int>(*d / 1'000'000'000);
    }
    if (auto v = r_.integer(t, "cpus_per_pod")) m.cpus_per_pod = static_cast<int>(*v);
    topology(t, &m);
    if (auto v = r_.string(t, "affinity_scope")) {
      int scope = wq::parse_affn_scope(v->c_str());
      if (scope <= wq::WQ_AFFN_DFL)
        r_.error(*t.get("affinity_scope"),
                 "affinity_scope (workqueue.default_affinity_scope) must be cpu, smt, cache, numa "
                 "or system, not \"" +
                     *v + "\"");
      else
        m.affinity_scope = *v;
    }
    if (auto v = r_.boolean(t, "power_efficient")) m.power_efficient = *v;
    return m;
  }

  // The machine's CPU topology as regular groups: smt threads per core, cpus_per_cache per
  // last-level cache, cpus_per_node per NUMA node.
  void topology(const toml::table& t, MachineSpec* m) {
    auto group = [&](const char* key, int* out) {
      if (auto v = r_.integer(t, key)) {
        if (*v < 1 || *v > kernel::NR_CPUS)
          r_.error(*t.get(key), std::string(key) + " must be between 1 and 256");
        else
          *out = static_cast<int>(*v);
      }
    };
    group("smt", &m->topology.smt);
    group("cpus_per_cache", &m->topology.cpus_per_cache);
    group("cpus_per_node", &m->topology.cpus_per_node);
    std::string problem = m->topology.check();
    if (!problem.empty()) r_.error(m->loc, "[[machine]] " + m->id + ": " + problem);
    if (m->cpus_per_pod != 0 && m->topology.cpus_per_cache != 0)
      r_.error(*t.get("cpus_per_pod"),
               "cpus_per_pod is the old name of cpus_per_cache: give one of them");
  }

  void flags(const toml::table& t, WqSpec* w) {
    for (auto& [text, at] : r_.strings(t, "flags")) {
      std::string_view rest = text;
      while (!rest.empty()) {
        size_t bar = rest.find('|');
        std::string_view one = rest.substr(0, bar);
        while (!one.empty() && one.front() == ' ') one.remove_prefix(1);
        while (!one.empty() && one.back() == ' ') one.remove_suffix(1);
        unsigned bit = wq_flag_by_name(one);
        if (bit == 0) {
          r_.error(at, "unknown workqueue flag \"" + std::string(one) +
                           "\" (known: WQ_UNBOUND, WQ_HIGHPRI, WQ_CPU_INTENSIVE, WQ_MEM_RECLAIM, "
                           "WQ_FREEZABLE, "
                           "WQ_POWER_EFFICIENT, WQ_SYSFS, WQ_BH, __WQ_ORDERED)");
        }
        w->flags |= bit;
        if (bar == std::string_view::npos) break;
        rest.remove_prefix(bar + 1);
      }
    }
  }

  WqSpec workqueue(const toml::table& t, std::string_view what, bool name_required = true) {
    WqSpec w;
    w.loc = r_.loc(t);
    w.name = r_.string(t, "name", name_required).value_or("");
    if (auto c = r_.string(t, "create")) {
      bool known = false;
      for (const char* call : kCreateCalls) known = known || *c == call;
      if (!known) {
        r_.error(*t.get("create"),
                 "unknown creation call \"" + *c +
                     "\" (known: alloc_workqueue, alloc_ordered_workqueue, create_workqueue, "
                     "create_singlethread_workqueue, create_freezable_workqueue)");
      }
      w.create = *c == "create_freezeable_workqueue" ? "create_freezable_workqueue" : *c;
    }
    flags(t, &w);
    if (auto v = r_.integer(t, "max_active")) {
      if (*v < 0) r_.error(*t.get("max_active"), "max_active must be 0 (the default, 256) or more");
      w.max_active = static_cast<int>(*v);
    }
    if (auto v = r_.integer(t, "repeat")) {
      if (*v < 1 || *v > 100000)
        r_.error(*t.get("repeat"), "repeat must be between 1 and 100000");
      else
        w.repeat = static_cast<int>(*v);
      if (w.name.find("{i}") == std::string::npos)
        r_.error(*t.get("repeat"), "a repeated workqueue needs {i} in its name, e.g. \"drv{i}\"");
    }
    for (auto& [m, at] : r_.strings(t, "machines")) w.machines.push_back(m);
    affinity(t, &w);
    if ((w.flags & wq::WQ_BH) && (w.flags & ~static_cast<unsigned>(wq::__WQ_BH_ALLOWS)))
      r_.error(*t.get("flags"),
               std::string(what) + " " + w.name + ": WQ_BH may only be combined with WQ_HIGHPRI");
    if ((w.flags & wq::WQ_BH) && w.max_active != 0)
      r_.error(*t.get("max_active"),
               std::string(what) + " " + w.name +
                   ": a WQ_BH workqueue takes max_active 0 (it has no limit: one softirq context "
                   "per CPU runs its items)");
    if ((w.create != "alloc_workqueue" && w.create != "alloc_ordered_workqueue") &&
        (w.flags != 0 || w.max_active != 0)) {
      r_.error(w.loc, std::string(what) + " " + w.name +
                          ": flags and max_active only go with alloc_workqueue; " + w.create +
                          " sets its own");
    }
    return w;
  }

  // sysfs affinity_scope / affinity_strict: unbound, unordered workqueues only.
  void affinity(const toml::table& t, WqSpec* w) {
    const toml::node* scope = t.get("affinity_scope");
    const toml::node* strict = t.get("affinity_strict");
    if (auto v = r_.string(t, "affinity_scope")) {
      if (wq::parse_affn_scope(v->c_str()) < 0)
        r_.error(*scope, "affinity_scope must be default, cpu, smt, cache, numa or system, not \"" +
                             *v + "\"");
      else
        w->affinity_scope = *v;
    }
    if (auto v = r_.boolean(t, "affinity_strict")) w->affinity_strict = *v;
    const toml::node* at = scope != nullptr ? scope : strict;
    if (at != nullptr && (w->create != "alloc_workqueue" || !(w->flags & wq::WQ_UNBOUND) ||
                          (w->flags & wq::__WQ_ORDERED)))
      r_.error(*at,
               "affinity_scope and affinity_strict apply to alloc_workqueue with WQ_UNBOUND "
               "(not ordered): per-CPU and ordered workqueues have no pods");
  }

  WorkSpec work(const toml::table& t) {
    WorkSpec w;
    w.loc = r_.loc(t);
    r_.allow_keys(t, {"name", "function", "steps", "delayed"}, "[[work]]");
    w.name = r_.string(t, "name", true).value_or("");
    w.function = r_.string(t, "function").value_or(w.name);
    w.delayed = r_.boolean(t, "delayed").value_or(false);
    w.ops = parse_workload(r_, r_.strings(t, "steps"));
    return w;
  }

  RunSpec run(const toml::table& t) {
    RunSpec rs;
    const toml::node* n = t.get("run");
    if (n == nullptr) return rs;
    auto s = n->value<std::string>();
    if (!s) {
      r_.error(*n, "run must be \"idle\", a duration such as \"40s\", or \"until 50ms\"");
      return rs;
    }
    std::string_view text = *s;
    if (text == "idle") return rs;
    bool until = text.rfind("until ", 0) == 0;
    if (until) text.remove_prefix(6);
    Parsed p = parse_duration(text);
    if (!p.ok()) {
      r_.error(*n,
               "run must be \"idle\", a duration such as \"40s\", or \"until 50ms\": " + p.error);
      return rs;
    }
    rs.kind = until ? RunKind::Until : RunKind::For;
    rs.time = p.value;
    return rs;
  }

  Step step(const toml::table& t) {
    Step st;
    st.loc = r_.loc(t);
    r_.allow_keys(
        t, {"id", "title", "say", "machines", "run", "action", "check", "question", "expect_notes"},
        "[[step]]");
    st.id = r_.string(t, "id").value_or("");
    st.title = r_.text(t, "title");
    st.say = r_.text(t, "say");
    for (auto& [m, at] : r_.strings(t, "machines")) st.machines.push_back(m);
    st.run = run(t);
    for (auto& [note, at] : r_.strings(t, "expect_notes")) {
      if (note != "not_idle" && note != "stopped" && note != "unfinished")
        r_.error(at, "unknown note \"" + note +
                         "\" in expect_notes (known: not_idle, stopped, unfinished)");
      st.expect_notes.push_back(note);
    }
    for (const toml::table* a : r_.tables(t, "action")) st.actions.push_back(action(*a));
    for (const toml::table* q : r_.tables(t, "question"))
      st.questions.push_back(parse_question(r_, *q));
    for (const toml::table* c : r_.tables(t, "check")) st.checks.push_back(parse_check(r_, *c));
    return st;
  }

  Action action(const toml::table& t) {
    static const std::pair<std::string_view, ActionKind> kKinds[] = {
        {"queue", ActionKind::Queue},
        {"mod_delayed_work", ActionKind::ModDelayed},
        {"cancel", ActionKind::Cancel},
        {"flush", ActionKind::Flush},
        {"drain", ActionKind::Drain},
        {"destroy", ActionKind::Destroy},
        {"create", ActionKind::Create},
        {"create_until_fail", ActionKind::CreateUntilFail},
        {"pressure", ActionKind::Pressure},
        {"cpu_offline", ActionKind::CpuOffline},
        {"cpu_online", ActionKind::CpuOnline},
        {"freeze", ActionKind::Freeze},
        {"thaw", ActionKind::Thaw},
        {"set_max_active", ActionKind::MaxActive},
        {"complete", ActionKind::Complete},
        {"wait", ActionKind::Wait}};
    Action a;
    a.loc = r_.loc(t);
    r_.allow_keys(
        t, {"do",     "id",    "at",         "after", "async",          "work",           "wq",
            "cpu",    "delay", "sync",       "on",    "value",          "count",          "name",
            "create", "flags", "max_active", "for",   "affinity_scope", "affinity_strict"},
        "an action");
    auto what = r_.string(t, "do", true);
    if (what) {
      bool known = false;
      for (auto& [n, k] : kKinds) {
        if (n == *what) {
          a.kind = k;
          known = true;
        }
      }
      if (!known) {
        std::string list;
        for (auto& [n, k] : kKinds) list += (list.empty() ? "" : ", ") + std::string(n);
        r_.error(*t.get("do"), "unknown action \"" + *what + "\" (known: " + list + ")");
      }
    }
    a.id = r_.string(t, "id").value_or("");
    a.at = r_.duration(t, "at").value_or(0);
    if (auto after = r_.string(t, "after")) {
      Trigger trig;
      std::istringstream in(*after);
      in >> trig.kind >> trig.arg;
      if (trace::event_kind_by_name(trig.kind) == trace::EventKind::None) {
        r_.error(*t.get("after"), "unknown event kind \"" + trig.kind +
                                      "\" in after (e.g. \"workqueue_execute_start pio0\")");
      }
      a.after = trig;
    }
    a.async = r_.boolean(t, "async").value_or(false);
    a.work = r_.string(t, "work").value_or("");
    a.wq = r_.string(t, "wq").value_or("");
    if (auto v = r_.integer(t, "cpu")) {
      if (*v < 0 || *v >= kernel::NR_CPUS)
        r_.error(*t.get("cpu"), "cpu must be a CPU number, 0 to 255");
      else
        a.cpu = static_cast<int>(*v);
    }
    if (auto v = r_.duration(t, "delay")) a.delay = *v;
    a.sync = r_.boolean(t, "sync").value_or(false);
    a.on = r_.boolean(t, "on").value_or(true);
    a.value = static_cast<int>(r_.integer(t, "value").value_or(0));
    a.count = static_cast<int>(r_.integer(t, "count").value_or(0));
    if (a.kind == ActionKind::Complete) a.name = r_.string(t, "name").value_or("");
    if (auto d = r_.duration(t, "for")) a.delay = *d;
    if (a.kind == ActionKind::Create || a.kind == ActionKind::CreateUntilFail) {
      a.create = workqueue(t, "the created workqueue", true);
      if (a.kind == ActionKind::CreateUntilFail) {
        if (a.id.empty())
          r_.error(a.loc,
                   "create_until_fail needs an id, so checkpoints can read loop.<id>.created");
        if (a.create.name.find("{i}") == std::string::npos)
          r_.error(a.loc, "create_until_fail needs {i} in its name, e.g. \"drv{i}\"");
        if (a.count <= 0) a.count = 100000;
      }
    }
    require(a, t);
    return a;
  }

  // What each action needs.
  void require(const Action& a, const toml::table& t) {
    auto need = [&](bool ok, const char* what) {
      if (!ok) r_.error(a.loc, std::string("this action needs ") + what);
    };
    switch (a.kind) {
      case ActionKind::Queue:
        need(!a.work.empty() && !a.wq.empty(), "work = \"...\" and wq = \"...\"");
        break;
      case ActionKind::ModDelayed:
        need(!a.work.empty() && !a.wq.empty() && a.delay >= 0, "work, wq and delay");
        break;
      case ActionKind::Cancel:
        need(!a.work.empty(), "work = \"...\"");
        break;
      case ActionKind::Flush:
        need(!a.work.empty() || !a.wq.empty(), "work = \"...\" or wq = \"...\"");
        break;
      case ActionKind::Drain:
      case ActionKind::Destroy:
        need(!a.wq.empty(), "wq = \"...\"");
        break;
      case ActionKind::MaxActive:
        need(!a.wq.empty() && t.contains("value"), "wq and value");
        break;
      case ActionKind::CpuOffline:
      case ActionKind::CpuOnline:
        need(a.cpu >= 0, "cpu = N");
        break;
      case ActionKind::Complete:
        need(t.contains("name"), "name = \"...\" (the completion)");
        break;
      case ActionKind::Wait:
        need(a.delay > 0, "for = \"10ms\"");
        break;
      default:
        break;
    }
  }

  TomlReader& r_;
};

}  // namespace

ParseResult parse_scenario(std::string_view text, const std::string& file) {
  ParseResult out;
  TomlReader r(file);
  toml::table root;
  if (std::optional<TomlHazard> h = find_toml_hazard(text)) {
    out.errors.push_back({file, h->line, h->column, "TOML syntax: " + h->message});
    return out;
  }
  try {
    root = toml::parse(text, file);
  } catch (const toml::parse_error& e) {
    const auto& src = e.source();
    out.errors.push_back({file, static_cast<int>(src.begin.line),
                          static_cast<int>(src.begin.column),
                          "TOML syntax: " + std::string(e.description())});
    return out;
  }
  Parser p(r);
  Scenario s = p.parse(root);
  if (r.errors().empty()) validate(r, s);
  out.errors = r.take_errors();
  if (out.errors.empty()) out.scenario = std::move(s);
  return out;
}

ParseResult parse_scenario_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ParseResult out;
    out.errors.push_back({path, 1, 1, "cannot open the file"});
    return out;
  }
  std::stringstream buf;
  buf << in.rdbuf();
  return parse_scenario(buf.str(), path);
}

}  // namespace wqlab::scenario

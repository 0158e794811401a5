#include "engine/scenario/writer.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "engine/scenario/field.h"
#include "engine/scenario/parser.h"
#include "engine/scenario/units.h"
#include "engine/trace/json_escape.h"
#include "engine/wq/wq_types.h"

namespace wqlab::scenario {
namespace {

// A TOML basic string: its escapes are JSON's, plus DEL, which TOML (unlike JSON) forbids raw.
std::string quote(const std::string& s) {
  std::string out = "\"";
  for (char c : trace::json_escape(s))
    out += c == '\x7f' ? std::string("\\u007f") : std::string(1, c);
  return out + "\"";
}

// A double that reads back as the same double (shortest form; TOML takes inf and nan). Not
// std::to_chars: Emscripten's libc++ deletes its floating-point overloads.
std::string number(double v) {
  char buf[64];
  for (int digits = 1; digits <= 17; ++digits) {
    std::snprintf(buf, sizeof buf, "%.*g", digits, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  return std::isnan(v) ? "nan" : std::string(buf);
}

// A duration that parses back to exactly `ns` (format_duration rounds to six digits).
std::string exact_duration(int64_t ns) {
  std::string short_form = format_duration(ns);
  Parsed p = parse_duration(short_form);
  if (p.error.empty() && p.value == ns) return short_form;
  return std::to_string(ns) + "ns";
}

std::string text(const Text& t) {
  if (t.zh.empty()) return quote(t.en);
  return "{ en = " + quote(t.en) + ", zh = " + quote(t.zh) + " }";
}

std::string list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + quote(items[i]);
  return out + "]";
}

const char* action_name(ActionKind k) {
  switch (k) {
    case ActionKind::Queue:
      return "queue";
    case ActionKind::ModDelayed:
      return "mod_delayed_work";
    case ActionKind::Cancel:
      return "cancel";
    case ActionKind::Flush:
      return "flush";
    case ActionKind::Drain:
      return "drain";
    case ActionKind::Destroy:
      return "destroy";
    case ActionKind::Create:
      return "create";
    case ActionKind::CreateUntilFail:
      return "create_until_fail";
    case ActionKind::Pressure:
      return "pressure";
    case ActionKind::CpuOffline:
      return "cpu_offline";
    case ActionKind::CpuOnline:
      return "cpu_online";
    case ActionKind::Freeze:
      return "freeze";
    case ActionKind::Thaw:
      return "thaw";
    case ActionKind::MaxActive:
      return "set_max_active";
    case ActionKind::Complete:
      return "complete";
    case ActionKind::Wait:
      return "wait";
  }
  return "?";
}

void wq_keys(std::ostringstream& out, const WqSpec& w, const char* indent) {
  out << indent << "name = " << quote(w.name) << "\n";
  if (w.create != "alloc_workqueue") out << indent << "create = " << quote(w.create) << "\n";
  if (w.flags != 0) out << indent << "flags = " << quote(wq_flag_names(w.flags)) << "\n";
  if (w.max_active != 0) out << indent << "max_active = " << w.max_active << "\n";
  if (!w.affinity_scope.empty())
    out << indent << "affinity_scope = " << quote(w.affinity_scope) << "\n";
  if (w.affinity_strict) out << indent << "affinity_strict = true\n";
}

const char* op_word(OpKind k) {
  switch (k) {
    case OpKind::Compute:
      return "compute";
    case OpKind::Sleep:
      return "sleep";
    case OpKind::Alloc:
      return "alloc";
    case OpKind::Free:
      return "free";
    case OpKind::Lock:
      return "lock";
    case OpKind::Unlock:
      return "unlock";
    case OpKind::Queue:
      return "queue";
    case OpKind::Flush:
      return "flush";
    case OpKind::FlushWq:
      return "flush_wq";
    case OpKind::Cancel:
      return "cancel";
    case OpKind::WaitFor:
      return "wait_for";
    case OpKind::Complete:
      return "complete";
    case OpKind::Pressure:
      return "pressure";
  }
  return "?";
}

std::string op_text(const WorkOp& op) {
  std::string w = op_word(op.kind);
  switch (op.kind) {
    case OpKind::Compute:
    case OpKind::Sleep:
      return w + " " + exact_duration(op.amount);
    case OpKind::Alloc:
    case OpKind::Free:
      return w + " " + std::to_string(op.amount);
    case OpKind::Pressure:
      return w + (op.amount ? " on" : " off");
    case OpKind::Queue:
      return w + " " + op.target + (op.target2.empty() ? "" : " on " + op.target2);
    default:
      return w + " " + op.target;
  }
}

const char* cmp_word(CmpOp op) {
  switch (op) {
    case CmpOp::Eq:
      return "==";
    case CmpOp::Ne:
      return "!=";
    case CmpOp::Lt:
      return "<";
    case CmpOp::Le:
      return "<=";
    case CmpOp::Gt:
      return ">";
    case CmpOp::Ge:
      return ">=";
  }
  return "?";
}

// "machine:path" when the field names another machine than `implied`, else "path".
std::string field_ref(const FieldRef& f, const std::string& implied) {
  return f.machine == implied ? f.path : f.machine + ":" + f.path;
}

// A quantity in the checked field's unit: a duration for times, an integer otherwise.
std::string quantity(int64_t v, ValueType type) {
  return type == ValueType::Time ? quote(exact_duration(v)) : std::to_string(v);
}

void check_keys(std::ostringstream& out, const Check& c) {
  out << "\n  [[step.check]]\n";
  if (!c.field.machine.empty()) out << "  machine = " << quote(c.field.machine) << "\n";
  out << "  what = " << quote(c.field.path) << "\n";
  if (c.op != CmpOp::Eq) out << "  op = " << quote(cmp_word(c.op)) << "\n";
  Field f;
  std::string err;
  ValueType type = parse_field(c.field.path, &f, &err) ? f.type : ValueType::Int;
  if (c.expect) {
    const Value& v = *c.expect;
    out << "  expect = ";
    switch (v.type) {
      case ValueType::Time:
        out << quote(exact_duration(v.i));
        break;
      case ValueType::Int:
        out << v.i;
        break;
      case ValueType::Bool:
        out << (v.i ? "true" : "false");
        break;
      case ValueType::Text:
        out << quote(v.s);
        break;
    }
    out << "\n";
  }
  if (c.ref) out << "  ref = " << quote(field_ref(*c.ref, c.field.machine)) << "\n";
  if (c.offset != 0) out << "  offset = " << quantity(c.offset, type) << "\n";
  if (c.tolerance != 0) out << "  tolerance = " << quantity(c.tolerance, type) << "\n";
  if (!c.contains.empty()) out << "  contains = " << quote(c.contains) << "\n";
  if (!c.say.empty()) out << "  say = " << text(c.say) << "\n";
}

void question_keys(std::ostringstream& out, const Question& q) {
  out << "\n  [[step.question]]\n";
  if (!q.id.empty()) out << "  id = " << quote(q.id) << "\n";
  out << "  ask = " << text(q.ask) << "\n";
  if (!q.number) {
    out << "  choices = [";
    for (size_t i = 0; i < q.choices.size(); ++i) out << (i ? ", " : "") << text(q.choices[i]);
    out << "]\n  answer = " << q.answer_choice + 1 << "\n";
  } else {
    out << "  answer = " << number(q.answer_number) << "\n";
  }
  if (!q.unit.empty()) out << "  unit = " << quote(q.unit) << "\n";
  if (q.tolerance != 0) out << "  tolerance = " << number(q.tolerance) << "\n";
  if (q.answer_from)
    out << "  answer_from = " << quote(field_ref(*q.answer_from, "")) << "\n";
  else
    out << "  answer_from = " << quote("none: " + q.unverified) << "\n";
  if (!q.reveal.empty()) out << "  reveal = " << text(q.reveal) << "\n";
}

}  // namespace

std::string wq_flag_names(unsigned flags) {
  static const char* kNames[] = {"WQ_BH",          "WQ_UNBOUND",         "WQ_FREEZABLE",
                                 "WQ_MEM_RECLAIM", "WQ_HIGHPRI",         "WQ_CPU_INTENSIVE",
                                 "WQ_SYSFS",       "WQ_POWER_EFFICIENT", "__WQ_ORDERED",
                                 "__WQ_LEGACY"};
  std::string out;
  for (const char* n : kNames) {
    if (flags & wq_flag_by_name(n)) out += (out.empty() ? "" : " | ") + std::string(n);
  }
  return out;
}

std::string write_scenario(const Scenario& s) {
  std::ostringstream out;
  out << "[" << s.kind << "]\n";
  if (!s.id.empty()) out << "id = " << quote(s.id) << "\n";
  if (!s.title.empty()) out << "title = " << text(s.title) << "\n";
  if (!s.summary.empty()) out << "summary = " << text(s.summary) << "\n";
  if (s.order != 0) out << "order = " << s.order << "\n";
  for (const MachineSpec& m : s.machines) {
    out << "\n[[machine]]\nid = " << quote(m.id) << "\n";
    if (!m.label.empty()) out << "label = " << text(m.label) << "\n";
    out << "model = " << quote(m.model == Model::Cmwq ? "cmwq" : "legacy") << "\n";
    out << "cpus = " << m.cpus << "\nhz = " << m.hz << "\npid_max = " << m.pid_max << "\n";
    out << "memory = " << m.memory << "\n";
    out << "mode = " << quote(m.mode == kernel::Mode::Deterministic ? "deterministic" : "realtime")
        << "\n";
    out << "boot_threads = " << (m.boot_threads ? "true" : "false") << "\n";
    out << "cpu_intensive_thresh = "
        << quote(m.cpu_intensive_thresh ? exact_duration(m.cpu_intensive_thresh) : "off") << "\n";
    if (m.slice != 0) out << "slice = " << quote(exact_duration(m.slice)) << "\n";
    out << "watchdog_thresh = "
        << quote(m.watchdog_thresh ? std::to_string(m.watchdog_thresh) + "s" : "off") << "\n";
    if (m.cpus_per_pod != 0) out << "cpus_per_pod = " << m.cpus_per_pod << "\n";
    if (m.topology.smt != 1) out << "smt = " << m.topology.smt << "\n";
    if (m.topology.cpus_per_cache != 0)
      out << "cpus_per_cache = " << m.topology.cpus_per_cache << "\n";
    if (m.topology.cpus_per_node != 0)
      out << "cpus_per_node = " << m.topology.cpus_per_node << "\n";
    if (m.affinity_scope != "cache") out << "affinity_scope = " << quote(m.affinity_scope) << "\n";
    if (m.power_efficient) out << "power_efficient = true\n";
  }
  for (const WqSpec& w : s.workqueues) {
    out << "\n[[workqueue]]\n";
    wq_keys(out, w, "");
    if (w.repeat != 0) out << "repeat = " << w.repeat << "\n";
    if (!w.machines.empty()) out << "machines = " << list(w.machines) << "\n";
  }
  for (const WorkSpec& w : s.works) {
    out << "\n[[work]]\nname = " << quote(w.name) << "\n";
    if (w.function != w.name) out << "function = " << quote(w.function) << "\n";
    if (w.delayed) out << "delayed = true\n";
    std::vector<std::string> steps;
    for (const WorkOp& op : w.ops) steps.push_back(op_text(op));
    out << "steps = " << list(steps) << "\n";
  }
  for (const Step& st : s.steps) {
    out << "\n[[step]]\n";
    if (!st.id.empty()) out << "id = " << quote(st.id) << "\n";
    if (!st.title.empty()) out << "title = " << text(st.title) << "\n";
    if (!st.say.empty()) out << "say = " << text(st.say) << "\n";
    if (!st.machines.empty()) out << "machines = " << list(st.machines) << "\n";
    if (st.run.kind == RunKind::For) out << "run = " << quote(exact_duration(st.run.time)) << "\n";
    if (st.run.kind == RunKind::Until)
      out << "run = " << quote("until " + exact_duration(st.run.time)) << "\n";
    if (!st.expect_notes.empty()) out << "expect_notes = " << list(st.expect_notes) << "\n";
    for (const Action& a : st.actions) {
      out << "\n  [[step.action]]\n  do = " << quote(action_name(a.kind)) << "\n";
      if (!a.id.empty()) out << "  id = " << quote(a.id) << "\n";
      if (a.at != 0) out << "  at = " << quote(exact_duration(a.at)) << "\n";
      if (a.after) {
        std::string trig = a.after->kind + (a.after->arg.empty() ? "" : " " + a.after->arg);
        out << "  after = " << quote(trig) << "\n";
      }
      if (a.async) out << "  async = true\n";
      if (!a.work.empty()) out << "  work = " << quote(a.work) << "\n";
      if (!a.wq.empty()) out << "  wq = " << quote(a.wq) << "\n";
      if (!a.name.empty()) out << "  name = " << quote(a.name) << "\n";
      if (a.cpu >= 0) out << "  cpu = " << a.cpu << "\n";
      if (a.delay >= 0)
        out << "  " << (a.kind == ActionKind::Wait ? "for" : "delay") << " = "
            << quote(exact_duration(a.delay)) << "\n";
      if (a.sync) out << "  sync = true\n";
      if (a.kind == ActionKind::Pressure) out << "  on = " << (a.on ? "true" : "false") << "\n";
      if (a.kind == ActionKind::MaxActive) out << "  value = " << a.value << "\n";
      if (a.kind == ActionKind::CreateUntilFail && a.count != 0)
        out << "  count = " << a.count << "\n";
      if (a.kind == ActionKind::Create || a.kind == ActionKind::CreateUntilFail)
        wq_keys(out, a.create, "  ");
    }
    for (const Question& q : st.questions) question_keys(out, q);
    for (const Check& c : st.checks) check_keys(out, c);
  }
  return out.str();
}

const char* action_word(ActionKind k) {
  return action_name(k);
}

std::string workload_step_text(const WorkOp& op) {
  return op_text(op);
}

}  // namespace wqlab::scenario

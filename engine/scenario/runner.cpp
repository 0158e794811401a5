#include "engine/scenario/runner.h"

#include <algorithm>
#include <cmath>

#include "engine/scenario/units.h"

namespace wqlab::scenario {

int StepResult::passed() const {
  int n = 0;
  for (auto& c : checks) n += c.pass;
  for (auto& q : questions) n += q.checked && q.verified;
  return n;
}

int StepResult::failed() const {
  int n = 0;
  for (auto& c : checks) n += !c.pass;
  for (auto& q : questions) n += q.checked && !q.verified;
  return n + unexpected_notes;
}

Runner::Runner(const Scenario& scenario, size_t carrier_budget) : scenario_(scenario) {
  std::shared_ptr<kernel::CarrierBudget> budget;
  if (carrier_budget != 0) budget = std::make_shared<kernel::CarrierBudget>(carrier_budget);
  for (auto& spec : scenario.machines)
    machines_.push_back(std::make_unique<Machine>(scenario, spec, budget));
  // Booting used a few threads on each machine; the first step's machines want them.
  for (auto& m : machines_) m->kernel().release_idle_carriers();
}

Runner::~Runner() = default;

std::vector<Machine*> Runner::machines() {
  std::vector<Machine*> out;
  for (auto& m : machines_) out.push_back(m.get());
  return out;
}

Machine* Runner::machine(const std::string& id) {
  for (auto& m : machines_)
    if (m->spec().id == id) return m.get();
  return nullptr;
}

std::vector<Machine*> Runner::machines_of(const Step& step) {
  std::vector<Machine*> out;
  for (auto& m : machines_) {
    bool applies = step.machines.empty();
    for (auto& id : step.machines) applies = applies || id == m->spec().id;
    if (applies) out.push_back(m.get());
  }
  return out;
}

void Runner::start_step(size_t index) {
  const Step& step = scenario_.steps[index];
  for (Machine* m : machines_of(step)) {
    kernel::Nanos start = m->kernel().now();
    step_start_[m->spec().id] = start;
    m->recorder().drain();
    uint64_t since = m->recorder().log().size();
    m->run_script([this, m, &step, start, since] { script(*m, step, start, since); });
  }
}

// Waits until the action's time (after the step started) and its trigger event, if any.
void Runner::wait_turn(Machine& m, const Action& a, kernel::Nanos start, uint64_t since_seq) {
  kernel::Kernel& k = m.kernel();
  kernel::Nanos at = start + a.at;
  if (at > k.now()) k.sleep_for(at - k.now());
  if (a.after) m.wait_for_event(*a.after, since_seq);
}

// The step's actions, in order, in the machine's lesson task; async ones in tasks of their own.
void Runner::script(Machine& m, const Step& step, kernel::Nanos start, uint64_t since_seq) {
  for (const Action& a : step.actions) {
    if (a.async) {
      auto t = m.kernel().spawn(
          "lesson/async",
          [this, &m, &a, start, since_seq] {
            wait_turn(m, a, start, since_seq);
            perform(m, a);
          },
          0, kernel::SchedClass::Driver);
      if (!t)
        add_note("unfinished", m.spec().id +
                                   ": an async action could not start (no pid or no "
                                   "memory for its task)");
      continue;
    }
    wait_turn(m, a, start, since_seq);
    perform(m, a);
  }
}

void Runner::perform(Machine& m, const Action& a) {
  ModelOps& ops = m.ops();
  WorkInstance* w = a.work.empty() ? nullptr : m.work(a.work);
  switch (a.kind) {
    case ActionKind::Queue:
      ops.queue(a.wq, *w, a.cpu, a.delay);
      break;
    case ActionKind::ModDelayed:
      ops.mod_delayed(a.wq, *w, a.cpu, a.delay);
      break;
    case ActionKind::Cancel:
      ops.cancel(*w, a.sync);
      break;
    case ActionKind::Flush:
      if (w != nullptr)
        ops.flush_work(*w);
      else
        ops.flush_wq(a.wq);
      break;
    case ActionKind::Drain:
      ops.drain(a.wq);
      break;
    case ActionKind::Destroy:
      ops.destroy(a.wq);
      break;
    case ActionKind::Create:
      m.create_failed()[a.create.name] = !ops.create(a.create, a.create.name);
      break;
    case ActionKind::CreateUntilFail: {
      LoopResult& loop = m.loops()[a.id];
      for (int i = 0; i < a.count; ++i) {
        std::string name = a.create.name;
        name.replace(name.find("{i}"), 3, std::to_string(i));
        if (!ops.create(a.create, name)) {
          loop.failed = true;
          m.create_failed()[name] = true;
          break;
        }
        ++loop.created;
      }
      break;
    }
    case ActionKind::Pressure:
      m.kernel().set_memory_pressure(a.on);
      break;
    case ActionKind::CpuOffline:
      m.kernel().set_cpu_online(a.cpu, false);
      break;
    case ActionKind::CpuOnline:
      m.kernel().set_cpu_online(a.cpu, true);
      break;
    case ActionKind::Freeze:
      ops.freeze();
      break;
    case ActionKind::Thaw:
      ops.thaw();
      break;
    case ActionKind::MaxActive:
      ops.set_max_active(a.wq, a.value);
      break;
    case ActionKind::Complete:
      m.completion(a.name).complete_all();
      break;
    case ActionKind::Wait:
      m.kernel().sleep_for(a.delay);
      break;
  }
}

kernel::Nanos Runner::run_target(size_t index, Machine& m) const {
  const Step& step = scenario_.steps[index];
  auto it = step_start_.find(m.spec().id);
  kernel::Nanos start = it == step_start_.end() ? m.kernel().now() : it->second;
  switch (step.run.kind) {
    case RunKind::Idle:
      return kernel::kForever;
    case RunKind::For:
      return start + step.run.time;
    case RunKind::Until:
      return step.run.time;
  }
  return kernel::kForever;
}

kernel::RunLimit Runner::run_limit(size_t index, Machine& m) const {
  kernel::Nanos target = run_target(index, m);
  kernel::RunLimit limit;
  if (target == kernel::kForever) {
    // Until idle, but never past the cap: a pool whose manager retries forever never idles.
    auto it = step_start_.find(m.spec().id);
    limit.until = (it == step_start_.end() ? m.kernel().now() : it->second) + kIdleCap;
    limit.stop_when_idle = true;
  } else {
    limit.until = target;
  }
  return limit;
}

void Runner::end_part(size_t index, Machine& m, const kernel::RunResult& r) {
  m.kernel().release_idle_carriers();
  const bool until_idle = run_target(index, m) == kernel::kForever;
  if (until_idle && r.stop == kernel::RunStop::TimeLimit)
    add_note("not_idle", m.spec().id + ": did not become idle within " + format_duration(kIdleCap) +
                             " of virtual time; give the step a run = \"<duration>\"");
  if (r.stop == kernel::RunStop::Error)
    add_note("stopped", m.spec().id + ": the machine stopped: " + r.error);
}

void Runner::add_note(const char* kind, std::string text) {
  std::lock_guard g(notes_mu_);
  notes_.push_back({kind, std::move(text)});
}

StepResult Runner::run_step(size_t index) {
  start_step(index);
  const Step& step = scenario_.steps[index];
  for (Machine* m : machines_of(step)) end_part(index, *m, m->kernel().run(run_limit(index, *m)));
  return finish_step(index);
}

Machine* Runner::resolve(const FieldRef& ref, const Step& step) {
  if (!ref.machine.empty()) return machine(ref.machine);
  auto ms = machines_of(step);
  return ms.empty() ? nullptr : ms.front();
}

namespace {

std::string show(const Value& v) {
  switch (v.type) {
    case ValueType::Time:
      return format_duration(v.i);
    case ValueType::Bool:
      return v.i ? "true" : "false";
    case ValueType::Text:
      return "\"" + v.s + "\"";
    case ValueType::Int:
      return std::to_string(v.i);
  }
  return "";
}

const char* op_text(CmpOp op) {
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

bool compare(const Value& got, CmpOp op, const Value& want, int64_t tolerance) {
  if (got.type == ValueType::Text) {
    bool eq = got.s == want.s;
    return op == CmpOp::Ne ? !eq : eq;
  }
  int64_t d = got.i - want.i;
  bool eq = (d < 0 ? -d : d) <= tolerance;
  switch (op) {
    case CmpOp::Eq:
      return eq;
    case CmpOp::Ne:
      return !eq;
    case CmpOp::Lt:
      return got.i < want.i;
    case CmpOp::Le:
      return got.i <= want.i + tolerance;
    case CmpOp::Gt:
      return got.i > want.i;
    case CmpOp::Ge:
      return got.i >= want.i - tolerance;
  }
  return false;
}

}  // namespace

CheckResult Runner::evaluate(const Check& c, const Step& step) {
  CheckResult r;
  r.check = &c;
  Machine* m = resolve(c.field, step);
  r.machine = m ? m->spec().id : "?";
  Field f;
  std::string err;
  if (m == nullptr || !parse_field(c.field.path, &f, &err)) {
    r.why = m == nullptr ? "no such machine" : err;
    return r;
  }
  std::optional<Value> got = m->read(f, c.contains, &r.why);
  std::optional<Value> want = c.expect;
  if (c.ref) {
    Machine* rm = resolve(*c.ref, step);
    Field rf;
    std::string why;
    if (rm != nullptr && parse_field(c.ref->path, &rf, &err)) want = rm->read(rf, "", &why);
    if (want) {
      want->i += c.offset;
      r.expected = std::string(op_text(c.op)) + " " + show(*want) + " (" + c.ref->path +
                   (c.offset ? " + " + show(Value{want->type, c.offset, ""}) : "") + ")";
    } else {
      r.why = "reference " + c.ref->path + ": " + why;
    }
  } else if (f.kind == FieldKind::Printed || f.kind == FieldKind::Noted) {
    Value yes{ValueType::Bool, 1, ""};
    want = c.expect ? c.expect : std::optional<Value>(yes);
    r.expected =
        std::string(op_text(c.op)) + " " + show(*want) + " (contains \"" + c.contains + "\")";
  } else if (want) {
    r.expected = std::string(op_text(c.op)) + " " + show(*want) +
                 (c.tolerance ? " ± " + show(Value{want->type, c.tolerance, ""}) : "");
  }
  if (!got) return r;
  r.measured = show(*got);
  r.pass = want.has_value() && compare(*got, c.op, *want, c.tolerance);
  return r;
}

StepResult Runner::finish_step(size_t index) {
  const Step& step = scenario_.steps[index];
  StepResult res;
  res.index = index;
  res.step = &step;
  for (const Check& c : step.checks) res.checks.push_back(evaluate(c, step));
  for (const Question& q : step.questions) {
    QuestionResult qr;
    qr.question = &q;
    if (q.answer_from) {
      Machine* m = resolve(*q.answer_from, step);
      qr.machine = m ? m->spec().id : "?";
      Field f;
      std::string err, why;
      if (m != nullptr && parse_field(q.answer_from->path, &f, &err)) {
        if (auto v = m->read(f, "", &why)) {
          qr.checked = true;
          double measured = static_cast<double>(v->i);
          if (f.type == ValueType::Time) {
            double scale = q.unit == "s" ? 1e9 : q.unit == "us" ? 1e3 : q.unit == "ns" ? 1 : 1e6;
            measured /= scale;
          }
          char buf[64];
          std::snprintf(buf, sizeof buf, "%g%s%s", measured, q.unit.empty() ? "" : " ",
                        q.unit.c_str());
          qr.measured = buf;
          qr.verified = std::fabs(measured - q.answer_number) <= q.tolerance + 1e-9;
        } else {
          qr.checked = true;
          qr.measured = why;
        }
      }
    }
    res.questions.push_back(qr);
  }
  std::vector<Note> notes;
  for (Machine* m : machines_of(step)) {
    if (m->script_running())
      notes.push_back({"unfinished", m->spec().id + ": the step's actions did not finish (the "
                                                    "lesson task is still waiting)"});
    for (kernel::Task* t : m->kernel().tasks()) {
      if (t->comm == "lesson/async")
        notes.push_back({"unfinished", m->spec().id + ": an async action did not finish "
                                                      "(lesson/async is still waiting)"});
    }
  }
  {
    // Then what happened while the machines ran (run_step() always listed these last).
    std::lock_guard g(notes_mu_);
    notes.insert(notes.end(), notes_.begin(), notes_.end());
    notes_.clear();
  }
  for (Note& n : notes) {
    if (std::find(step.expect_notes.begin(), step.expect_notes.end(), n.kind) ==
        step.expect_notes.end()) {
      ++res.unexpected_notes;
      n.text += std::string(" (fails the step: expect_notes does not list \"") + n.kind + "\")";
    }
    res.notes.push_back(std::move(n.text));
  }
  return res;
}

}  // namespace wqlab::scenario

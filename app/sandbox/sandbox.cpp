// Sandbox: checking each change, recording it as a step of the scenario, sending it to the
// session, and replaying the history when the machine is re-opened.
#include "sandbox/sandbox.h"

#include <algorithm>
#include <memory>

#include "engine/scenario/parser.h"
#include "engine/scenario/units.h"
#include "engine/scenario/writer.h"
#include "sandbox/sandbox_text.h"

namespace wqlab::sandbox {

using scenario::ActionKind;

std::vector<std::string> system_workqueues(scenario::Model model) {
  if (model == scenario::Model::Legacy) return {"events"};
  return {"events",
          "events_highpri",
          "events_long",
          "events_unbound",
          "events_freezable",
          "events_power_efficient",
          "events_freezable_pwr_efficient",
          "events_bh",
          "events_bh_highpri"};
}

Sandbox::Sandbox(session::LessonSession& session) : session_(session) {}

bool Sandbox::fail(std::string message) {
  error_ = std::move(message);
  return false;
}

bool Sandbox::need_ready() {
  if (running_) return fail("the machine is still running the last request; wait for it");
  error_.clear();
  return true;
}

bool Sandbox::need_deterministic(const char* what) {
  if (machine().mode == kernel::Mode::Deterministic) return true;
  return fail(std::string(what) + " needs deterministic mode (realtime tasks run freely)");
}

void Sandbox::reset(int cpus) {
  scenario::Scenario s;
  s.kind = "scenario";
  s.id = "sandbox";
  s.title.en = "Sandbox";
  s.machines.emplace_back();
  s.machines.front().cpus = std::clamp(cpus, 1, 256);
  scenario_ = std::move(s);
  rebuild_from_steps();
  reopen();
  error_.clear();
  note_ = "a new sandbox";
}

// Checks `s` as a file would be checked: written out and parsed back.
bool Sandbox::check_text(const scenario::Scenario& s) {
  scenario::ParseResult parsed = scenario::parse_scenario(scenario::write_scenario(s), "sandbox");
  if (parsed.ok()) return true;
  // The locations point into generated text; the message itself says what is wrong.
  return fail(parsed.errors.front().message);
}

std::string Sandbox::wq_error(const std::string& name) const {
  if (name.empty()) return "name a workqueue";
  if (std::find(live_wqs_.begin(), live_wqs_.end(), name) != live_wqs_.end()) return "";
  for (const scenario::Step& st : scenario_.steps)
    for (const scenario::Action& a : st.actions)
      if (a.kind == ActionKind::Create && a.create.name == name)
        return "workqueue \"" + name + "\" has been destroyed";
  return "no workqueue is called \"" + name + "\"";
}

// What the engine would not survive or the kernel would WARN about, said before it happens.
bool Sandbox::check_action(const scenario::Action& a) {
  const scenario::MachineSpec& m = machine();
  const bool cmwq = m.model == scenario::Model::Cmwq;
  const scenario::WorkSpec* w = a.work.empty() ? nullptr : scenario_.work(a.work);
  if (!a.work.empty() && w == nullptr) return fail("no work item is called \"" + a.work + "\"");
  if (a.cpu >= m.cpus)
    return fail("CPU " + std::to_string(a.cpu) + " does not exist (the machine has " +
                std::to_string(m.cpus) + ")");
  switch (a.kind) {
    case ActionKind::Queue:
    case ActionKind::ModDelayed:
      if (w == nullptr) return fail("name a work item to queue");
      if (!wq_error(a.wq).empty()) return fail("cannot queue: " + wq_error(a.wq));
      if (a.cpu >= 0 && !cpu_online(a.cpu))
        return fail("CPU " + std::to_string(a.cpu) + " is offline");
      if ((a.delay >= 0 || a.kind == ActionKind::ModDelayed) && !w->delayed)
        return fail("\"" + a.work + "\" is not a delayed_work; a delay needs one");
      if (a.kind == ActionKind::ModDelayed && !cmwq) return fail("mod_delayed_work is a cmwq call");
      return true;
    case ActionKind::Cancel:
      return w != nullptr || fail("name a work item to cancel");
    case ActionKind::Flush:
      if (w != nullptr) return true;
      if (!wq_error(a.wq).empty()) return fail("cannot flush: " + wq_error(a.wq));
      return true;
    case ActionKind::Drain:
    case ActionKind::Destroy:
    case ActionKind::MaxActive: {
      if (!wq_error(a.wq).empty()) return fail(wq_error(a.wq));
      const auto sys = system_workqueues(m.model);
      if (a.kind == ActionKind::Destroy && std::find(sys.begin(), sys.end(), a.wq) != sys.end())
        return fail("\"" + a.wq + "\" is a system workqueue; it cannot be destroyed");
      if (a.kind == ActionKind::MaxActive && (!cmwq || a.value < 1 || a.value > 512))
        return fail("set_max_active needs a cmwq machine and a value from 1 to 512");
      return true;
    }
    case ActionKind::Create:
    case ActionKind::CreateUntilFail:
      if (a.create.name.empty()) return fail("name the workqueue");
      if (a.kind == ActionKind::Create && wq_error(a.create.name).empty())
        return fail("a workqueue called \"" + a.create.name + "\" already exists");
      if (a.create.max_active < 0 || a.create.max_active > 512)
        return fail("max_active must be 0 (the default) to 512");
      return true;
    case ActionKind::CpuOffline:
    case ActionKind::CpuOnline:
      if (a.cpu < 0) return fail("name a CPU");
      if (a.kind == ActionKind::CpuOnline)
        return !cpu_online(a.cpu) || fail("CPU " + std::to_string(a.cpu) + " is already online");
      if (!cpu_online(a.cpu)) return fail("CPU " + std::to_string(a.cpu) + " is already offline");
      if (m.cpus - static_cast<int>(offline_.size()) <= 1)
        return fail("CPU " + std::to_string(a.cpu) + " is the last one online");
      return true;
    case ActionKind::Freeze:
      return !frozen_ || fail("the workqueues are already frozen");
    case ActionKind::Thaw:
      return frozen_ || fail("the workqueues are not frozen");
    case ActionKind::Complete:
      return !a.name.empty() || fail("name the completion");
    case ActionKind::Wait:
      return a.delay >= 0 || fail("wait needs a duration");
    case ActionKind::Pressure:
      return true;
  }
  return true;
}

// What an action changes in the sandbox's own bookkeeping.
void Sandbox::apply(const scenario::Action& a) {
  switch (a.kind) {
    case ActionKind::Create:
      live_wqs_.push_back(a.create.name);
      break;
    case ActionKind::Destroy:
      live_wqs_.erase(std::remove(live_wqs_.begin(), live_wqs_.end(), a.wq), live_wqs_.end());
      break;
    case ActionKind::CpuOffline:
      offline_.insert(a.cpu);
      break;
    case ActionKind::CpuOnline:
      offline_.erase(a.cpu);
      break;
    case ActionKind::Freeze:
    case ActionKind::Thaw:
      frozen_ = a.kind == ActionKind::Freeze;
      break;
    case ActionKind::Pressure:
      pressure_ = a.on;
      break;
    default:
      break;
  }
}

void Sandbox::send(const Request& r) {
  switch (r.kind) {
    case Request::Kind::Perform:
      session_.perform(kMachine, r.action);
      // Deterministic: an action takes no virtual time, so the next may follow at once.
      running_ = running_ || machine().mode != kernel::Mode::Deterministic;
      pending_ = true;
      return;
    case Request::Kind::Run:
      session_.run_machine(kMachine, r.limit);
      break;
    case Request::Kind::Settle:
      session_.settle_machine(kMachine);
      pending_ = true;
      return;
    case Request::Kind::Pick:
      session_.pick(kMachine, r.pid);
      break;
  }
  running_ = pending_ = true;
}

// The action joins the last step if no time has passed since that step's actions; otherwise it
// starts a new step (the last one ran until now).
void Sandbox::record(const scenario::Action& a) {
  if (scenario_.steps.empty() || time_ > step_start_) {
    scenario::Step st;
    st.id = "t" + std::to_string(scenario_.steps.size() + 1);
    st.run = {scenario::RunKind::Until, time_};
    scenario_.steps.push_back(std::move(st));
    step_start_ = time_;
  }
  scenario_.steps.back().actions.push_back(a);
}

bool Sandbox::perform(scenario::Action a) {
  if (!need_ready() || !check_action(a)) return false;
  a.loc = {};
  a.at = 0;
  a.after.reset();
  // Blocking calls get a task of their own in a saved file too, as each sandbox action has.
  a.async = a.kind == ActionKind::Flush || a.kind == ActionKind::Drain ||
            a.kind == ActionKind::Destroy || (a.kind == ActionKind::Cancel && a.sync);
  const scenario::Scenario before = scenario_;
  const kernel::Nanos start = step_start_;
  record(a);
  if (!check_text(scenario_)) {  // what Save would write must load again
    scenario_ = before;
    step_start_ = start;
    return false;
  }
  apply(a);
  if (machine().mode == kernel::Mode::Deterministic) {
    requests_.push_back({Request::Kind::Settle, {}, {}, 0});
    send(requests_.back());
  }
  requests_.push_back({Request::Kind::Perform, a, {}, 0});
  send(requests_.back());
  note_ = describe_action(a);
  return true;
}

bool Sandbox::create_workqueue(const std::string& name, const std::string& create, unsigned flags,
                               int max_active) {
  scenario::Action a;
  a.kind = ActionKind::Create;
  a.create.name = name;
  a.create.create = create;
  a.create.flags = flags;
  a.create.max_active = max_active;
  return perform(std::move(a));
}

bool Sandbox::run_for(kernel::Nanos d) {
  if (!need_ready()) return false;
  if (d <= 0) return fail("run for how long? (a duration above zero)");
  if (scenario_.steps.empty()) record_empty_step();
  requests_.push_back({Request::Kind::Run, {}, {time_ + d, UINT64_MAX, false}, 0});
  send(requests_.back());
  note_ = "ran for " + scenario::format_duration(d);
  return true;
}

bool Sandbox::run_until_idle() {
  if (!need_ready()) return false;
  if (scenario_.steps.empty()) record_empty_step();
  requests_.push_back({Request::Kind::Run, {}, {time_ + kIdleCap, UINT64_MAX, true}, 0});
  send(requests_.back());
  note_ = "ran until idle";
  return true;
}

bool Sandbox::step() {
  if (!need_ready() || !need_deterministic("stepping one dispatch")) return false;
  if (scenario_.steps.empty()) record_empty_step();
  requests_.push_back({Request::Kind::Run, {}, {kernel::kForever, 1, false}, 0});
  send(requests_.back());
  note_ = "one dispatch";
  return true;
}

bool Sandbox::pick(int pid) {
  if (!need_ready() || !need_deterministic("you are the scheduler")) return false;
  if (scenario_.steps.empty()) record_empty_step();
  requests_.push_back({Request::Kind::Pick, {}, {}, pid});
  send(requests_.back());
  ++picks_;
  note_ = "you picked pid " + std::to_string(pid) + " to run next";
  return true;
}

void Sandbox::record_empty_step() {
  scenario::Step st;
  st.id = "t1";
  st.run = {scenario::RunKind::Until, time_};
  scenario_.steps.push_back(std::move(st));
  step_start_ = time_;
}

void Sandbox::sync(const session::SessionStatus& status) {
  if (!pending_ || status.busy) return;
  pending_ = running_ = false;
  time_ = status.now;
  if (!scenario_.steps.empty()) scenario_.steps.back().run = {scenario::RunKind::Until, time_};
}

// Requests that rebuild the machine from the scenario's steps: each step's actions at its start,
// then its run. The sandbox's own bookkeeping is rebuilt along the way.
void Sandbox::rebuild_from_steps() {
  requests_.clear();
  live_wqs_ = system_workqueues(machine().model);
  for (const std::string& name : scenario_.workqueue_names(machine().id)) live_wqs_.push_back(name);
  offline_.clear();
  frozen_ = pressure_ = false;
  picks_ = 0;
  const bool det = machine().mode == kernel::Mode::Deterministic;
  kernel::Nanos bound = 0;  // no step of this history ends later
  for (const scenario::Step& st : scenario_.steps) {
    for (const scenario::Action& a : st.actions) {
      apply(a);
      if (det) requests_.push_back({Request::Kind::Settle, {}, {}, 0});
      requests_.push_back({Request::Kind::Perform, a, {}, 0});
    }
    kernel::RunLimit limit;
    switch (st.run.kind) {
      case scenario::RunKind::Until:
        limit.until = st.run.time;
        break;
      case scenario::RunKind::For:
      case scenario::RunKind::Idle:
        // Relative runs after an idle one have no known start: bound them from above.
        limit.until = bound + (st.run.kind == scenario::RunKind::For ? st.run.time : kIdleCap);
        limit.stop_when_idle = st.run.kind == scenario::RunKind::Idle;
        break;
    }
    bound = std::max(bound, limit.until);
    requests_.push_back({Request::Kind::Run, {}, limit, 0});
  }
  step_start_ = scenario_.steps.empty() ? 0 : -1;  // a new action starts a new step
}

void Sandbox::reopen() {
  auto base = std::make_shared<scenario::Scenario>(scenario_);
  base->steps.clear();
  session_.watch_runnable(kMachine);
  session_.open(std::move(base));
  pending_ = true;
  running_ = machine().mode != kernel::Mode::Deterministic;  // boot takes no virtual time
  time_ = 0;
  for (const Request& r : requests_) send(r);
}

bool Sandbox::load(std::string_view text, const std::string& file) {
  scenario::ParseResult parsed = scenario::parse_scenario(text, file);
  if (!parsed.ok()) return fail(parsed.error_text());
  return load(std::move(*parsed.scenario));
}

// Re-opening drops whatever request is still in flight, so loading never waits.
bool Sandbox::load(scenario::Scenario s) {
  const std::string where = s.file.empty() ? "sandbox" : s.file;
  if (s.machines.size() != 1)
    return fail(where + ": the sandbox has one machine; this file has " +
                std::to_string(s.machines.size()));
  for (const scenario::Step& st : s.steps) {
    for (const scenario::Action& a : st.actions) {
      if (a.at != 0 || a.after)
        return fail(where + ":" + std::to_string(a.loc.line) + ":" + std::to_string(a.loc.col) +
                    ": the sandbox performs a step's actions at its start (no at or after)");
    }
  }
  int dropped = 0;
  for (scenario::Step& st : s.steps) {
    dropped += static_cast<int>(st.checks.size() + st.questions.size());
    st.checks.clear();
    st.questions.clear();
    st.machines.clear();
  }
  scenario_ = std::move(s);
  rebuild_from_steps();
  reopen();
  error_.clear();
  const size_t n = scenario_.steps.size();
  note_ = "opened " + where + " (" + std::to_string(n) + (n == 1 ? " step" : " steps") +
          (dropped ? ", " + std::to_string(dropped) + " checks and questions left out" : "") + ")";
  return true;
}

std::string Sandbox::save_text() const {
  return scenario::write_scenario(scenario_);
}

bool Sandbox::set_model(scenario::Model model) {
  if (!need_ready()) return false;
  scenario::Scenario candidate = scenario_;
  candidate.machines.front().model = model;
  if (model == scenario::Model::Legacy) {
    candidate.machines.front().cpus_per_pod = 0;
    candidate.machines.front().power_efficient = false;
  }
  if (!check_text(candidate)) return false;
  scenario_ = std::move(candidate);
  rebuild_from_steps();
  reopen();
  note_ = model == scenario::Model::Legacy ? "re-opened as legacy (2.6.24)" : "re-opened as cmwq";
  return true;
}

bool Sandbox::set_mode(kernel::Mode mode) {
  if (!need_ready()) return false;
  scenario_.machines.front().mode = mode;
  rebuild_from_steps();
  reopen();
  note_ = mode == kernel::Mode::Realtime ? "re-opened in realtime mode"
                                         : "re-opened in deterministic mode";
  return true;
}

bool Sandbox::set_cpus(int cpus) {
  if (!need_ready()) return false;
  if (cpus < 1 || cpus > 256) return fail("a machine has 1 to 256 CPUs");
  for (const scenario::Step& st : scenario_.steps)
    for (const scenario::Action& a : st.actions)
      if (a.cpu >= cpus)
        return fail("an action uses CPU " + std::to_string(a.cpu) + "; keep at least " +
                    std::to_string(a.cpu + 1) + " CPUs");
  scenario_.machines.front().cpus = cpus;
  rebuild_from_steps();
  reopen();
  note_ = "re-opened with " + std::to_string(cpus) + " CPUs";
  return true;
}

// Needs no quiet machine: the re-open replays every request, including one still in flight.
bool Sandbox::add_work(const std::string& name, const std::string& body, bool delayed) {
  error_.clear();
  if (!valid_name(name))
    return fail("a work item's name is letters, digits and _ (\"" + name + "\" is not)");
  if (scenario_.work(name) != nullptr) return fail("a work item called \"" + name + "\" exists");
  std::vector<std::string> steps = split_body(body, name);
  if (steps.empty()) return fail("give \"" + name + "\" a body, e.g. \"compute 5ms; sleep 10ms\"");
  std::string text = scenario::write_scenario(scenario_) + work_table(name, steps, delayed);
  scenario::ParseResult parsed = scenario::parse_scenario(text, "sandbox");
  if (!parsed.ok()) return fail("work \"" + name + "\": " + parsed.errors.front().message);
  scenario_.works.push_back(parsed.scenario->works.back());
  scenario_.works.back().loc = {};
  for (scenario::WorkOp& op : scenario_.works.back().ops) op.loc = {};
  reopen();  // the machine makes its work items when it boots; the same requests follow
  note_ = "work item " + name + " defined";
  return true;
}

}  // namespace wqlab::sandbox

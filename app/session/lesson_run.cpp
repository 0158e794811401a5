// LessonRun: booting a lesson's machines, running its steps in slices, keeping LessonInfo.
#include "session/lesson_run.h"

#include <algorithm>
#include <span>

#include "engine/scenario/units.h"

namespace wqlab::session {

struct LessonRun::Part {
  scenario::Machine* m = nullptr;
  size_t machine = 0;       // index in machines_
  kernel::RunLimit limit;   // the Runner's limit for this machine and step
  kernel::Nanos begin = 0;  // its virtual time when the step started
  bool done = false;
};

namespace {

ScenarioInfo describe(const scenario::Scenario& s, const scenario::MachineSpec& spec) {
  ScenarioInfo info;
  info.name = s.id + "/" + spec.id;
  info.title = spec.label.en.empty() ? spec.id : spec.label.en;
  info.title_zh = spec.label.zh;
  info.summary = s.summary.en;
  info.summary_zh = s.summary.zh;
  info.hidden = true;  // not a demo
  return info;
}

}  // namespace

LessonRun::LessonRun(std::shared_ptr<const scenario::Scenario> scenario, size_t carrier_budget,
                     uint64_t generation)
    : scenario_(std::move(scenario)) {
  runner_ = std::make_unique<scenario::Runner>(*scenario_, carrier_budget);
  machines_ = runner_->machines();
  auto info = std::make_shared<LessonInfo>();
  info->generation = generation;
  info->scenario = scenario_;
  for (scenario::Machine* m : machines_) {
    m->recorder().drain();
    auto rec = std::make_shared<Recording>();
    rec->recorder = m->shared_recorder();
    rec->config.nr_cpus = m->kernel().nr_cpus();
    rec->config.hz = m->kernel().hz();
    rec->config.pid_max = m->kernel().pid_max();
    rec->scenario = describe(*scenario_, m->spec());
    rec->generation = generation;
    info->machines.push_back({m->spec().id, m->spec().label,
                              m->spec().model == scenario::Model::Legacy, std::move(rec)});
    info->boot_events.push_back(m->recorder().log().size());
  }
  info_ = std::move(info);
}

// The Runner's machines shut their kernels down (unwinding every task) in its destructor, and
// that must come first: a realtime task may still be reading an action in performed_.
LessonRun::~LessonRun() {
  runner_.reset();
}

void LessonRun::drain_all() {
  for (scenario::Machine* m : machines_) m->recorder().drain();
}

bool LessonRun::start_next_step() {
  if (step_running() || complete()) return false;
  const size_t index = info_->next_step();
  drain_all();
  StepRecord rec;
  rec.index = index;
  for (scenario::Machine* m : machines_) {
    rec.begin_events.push_back(m->recorder().log().size());
    rec.begin_time.push_back(m->kernel().now());
  }
  runner_->start_step(index);
  parts_.clear();
  for (scenario::Machine* m : runner_->machines_of(scenario_->steps[index])) {
    Part p;
    p.m = m;
    p.machine =
        static_cast<size_t>(std::find(machines_.begin(), machines_.end(), m) - machines_.begin());
    p.limit = runner_->run_limit(index, *m);
    p.begin = m->kernel().now();
    parts_.push_back(p);
  }
  auto info = std::make_shared<LessonInfo>(*info_);
  info->steps.push_back(std::move(rec));
  info_ = std::move(info);
  return true;
}

// Runs `p`'s machine within `limit` (no further than the step's own limit). Its part ends as
// run_step() ends it: idle (when the step runs until idle), at the step's time, or stopped by
// an error; the Runner then notes what that means.
kernel::RunResult LessonRun::run_part(Part& p, const kernel::RunLimit& limit) {
  const kernel::RunResult r = p.m->kernel().run(limit);
  const bool ended = r.stop == kernel::RunStop::Idle || r.stop == kernel::RunStop::Error ||
                     (r.stop == kernel::RunStop::TimeLimit && r.now >= p.limit.until);
  if (ended) {
    p.done = true;
    runner_->end_part(info_->steps.back().index, *p.m, r);
    if (r.stop == kernel::RunStop::Error && error_.empty())
      error_ = p.m->spec().id + ": " + r.error;
  }
  return r;
}

LessonRun::Progress LessonRun::advance(kernel::Nanos offset, uint64_t max_switches) {
  Progress progress;
  if (!step_running()) return progress;
  for (Part& p : parts_) {
    if (p.done) continue;
    kernel::RunLimit limit = p.limit;
    if (offset != kernel::kForever && offset < limit.until - p.begin)
      limit.until = p.begin + offset;
    limit.max_switches = max_switches;
    const kernel::RunResult r = run_part(p, limit);
    progress.dispatched = progress.dispatched || r.switches > 0;
    progress.behind = progress.behind || r.stop == kernel::RunStop::SwitchLimit;
  }
  return after_run(progress);
}

LessonRun::Progress LessonRun::step_one() {
  Progress progress;
  if (!step_running()) return progress;
  // The machine furthest behind in its step goes first; a machine that turns out to have
  // nothing left ends its part, and the next one is tried.
  for (;;) {
    Part* next = nullptr;
    for (Part& p : parts_) {
      if (p.done) continue;
      if (!next || p.m->kernel().now() - p.begin < next->m->kernel().now() - next->begin) next = &p;
    }
    if (next == nullptr) break;
    kernel::RunLimit limit = next->limit;
    limit.max_switches = 1;
    if (run_part(*next, limit).switches > 0) {
      progress.dispatched = true;
      break;
    }
  }
  return after_run(progress);
}

LessonRun::Progress LessonRun::jump() {
  Progress progress;
  if (!step_running()) return progress;
  for (Part& p : parts_) {
    if (p.done) continue;
    kernel::RunLimit limit = p.limit;
    limit.max_switches = 1;
    progress.dispatched = run_part(p, limit).switches > 0 || progress.dispatched;
  }
  return after_run(progress);
}

LessonRun::Progress LessonRun::after_run(Progress p) {
  drain_all();
  if (std::all_of(parts_.begin(), parts_.end(), [](const Part& part) { return part.done; })) {
    finish_step();
    p.finished = true;
  }
  return p;
}

void LessonRun::finish_step() {
  auto info = std::make_shared<LessonInfo>(*info_);
  StepRecord& rec = info->steps.back();
  rec.result = runner_->finish_step(rec.index);
  drain_all();  // reading the checkpoints drains nothing new, but be exact about the marks
  for (scenario::Machine* m : machines_) {
    rec.end_events.push_back(m->recorder().log().size());
    rec.end_time.push_back(m->kernel().now());
  }
  rec.finished = true;
  parts_.clear();
  info_ = std::move(info);
}

kernel::Nanos LessonRun::offset() const {
  kernel::Nanos least = kernel::kForever;
  for (const Part& p : parts_)
    if (!p.done) least = std::min(least, p.m->kernel().now() - p.begin);
  return least == kernel::kForever ? 0 : least;
}

bool LessonRun::perform(const std::string& id, const scenario::Action& action) {
  scenario::Machine* m = runner_->machine(id);
  if (m == nullptr) return false;
  performed_.push_back(action);
  const scenario::Action* a = &performed_.back();
  scenario::Runner* runner = runner_.get();
  if (!m->kernel().spawn(
          "sandbox", [runner, m, a] { runner->perform(*m, *a); }, -1, kernel::SchedClass::Driver)) {
    error_ = id + ": the action's task could not start (no pid or no memory for it)";
    return false;
  }
  // Whatever the action made runnable runs now; time stays where it is.
  m->kernel().run({m->kernel().now(), UINT64_MAX, false});
  m->recorder().drain();
  return true;
}

bool LessonRun::run_machine(const std::string& id, const kernel::RunLimit& limit) {
  scenario::Machine* m = runner_->machine(id);
  if (m == nullptr) return false;
  const kernel::RunResult r = m->kernel().run(limit);
  m->recorder().drain();
  if (r.stop == kernel::RunStop::Error && error_.empty()) error_ = id + ": " + r.error;
  return true;
}

bool LessonRun::settle_machine(const std::string& id) {
  scenario::Machine* m = runner_->machine(id);
  return m != nullptr && run_machine(id, {m->kernel().now(), UINT64_MAX, false});
}

bool LessonRun::pick(const std::string& id, int pid) {
  scenario::Machine* m = runner_->machine(id);
  if (m == nullptr) return false;
  kernel::Task* t = m->kernel().find_task(pid);
  if (t == nullptr || !m->kernel().pick_next(*t)) return false;
  // One dispatch at a time until the picked task has run (its CPU may first finish what it does).
  auto waiting = [&] {
    for (const kernel::Runnable& r : m->kernel().runnable())
      if (r.task == t) return true;
    return false;
  };
  for (int dispatches = 0; dispatches < 64 && waiting(); ++dispatches)
    run_machine(id, {kernel::kForever, 1, false});
  return true;
}

std::vector<RunnableTask> LessonRun::runnable(const std::string& id) const {
  std::vector<RunnableTask> out;
  scenario::Machine* m = runner_->machine(id);
  if (m == nullptr || !m->kernel().deterministic()) return out;
  for (const kernel::Runnable& r : m->kernel().runnable())
    out.push_back({r.task->pid, r.task->comm, r.cpu, r.time});
  return out;
}

uint64_t LessonRun::events() const {
  uint64_t n = 0;
  for (scenario::Machine* m : machines_) n += m->recorder().log().size();
  return n;
}

kernel::Nanos LessonRun::now() const {
  if (!parts_.empty()) return parts_.front().m->kernel().now();
  const scenario::Scenario& s = *scenario_;
  if (!info_->steps.empty()) {
    auto ms = runner_->machines_of(s.steps[info_->steps.back().index]);
    if (!ms.empty()) return ms.front()->kernel().now();
  }
  return machines_.empty() ? 0 : machines_.front()->kernel().now();
}

size_t LessonRun::carriers_peak() const {
  size_t peak = 0;
  for (scenario::Machine* m : machines_) peak = std::max(peak, m->kernel().carriers_peak_busy());
  return peak;
}

std::string LessonRun::error() const {
  return error_;
}

}  // namespace wqlab::session

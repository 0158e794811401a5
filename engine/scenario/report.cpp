#include "engine/scenario/report.h"

#include <nlohmann/json.hpp>

#include "engine/scenario/units.h"
#include "engine/trace/exporters.h"
#include "engine/trace/text_format.h"
#include "engine/wq/cmwq.h"

namespace wqlab::scenario {

int ScenarioRun::passed() const {
  int n = 0;
  for (auto& s : steps) n += s.passed();
  return n;
}

int ScenarioRun::failed() const {
  int n = 0;
  for (auto& s : steps) n += s.failed();
  return n;
}

ScenarioRun run_scenario(const Scenario& s, Runner& runner,
                         void (*progress)(size_t, size_t, const Step&)) {
  ScenarioRun run;
  run.scenario = &s;
  run.runner = &runner;
  for (size_t i = 0; i < s.steps.size(); ++i) {
    if (progress) progress(i, s.steps.size(), s.steps[i]);
    run.steps.push_back(runner.run_step(i));
  }
  return run;
}

namespace {

std::string step_label(const StepResult& r, bool chinese) {
  std::string label = "step " + std::to_string(r.index + 1);
  if (!r.step->id.empty()) label += " [" + r.step->id + "]";
  const std::string& title = r.step->title.in(chinese);
  if (!title.empty()) label += " " + title;
  return label;
}

}  // namespace

std::string report_text(const ScenarioRun& run, bool chinese) {
  const Scenario& s = *run.scenario;
  std::string out =
      s.file + ": " + (s.title.in(chinese).empty() ? s.id : s.title.in(chinese)) + "\n";
  for (const StepResult& r : run.steps) {
    out += "  " + step_label(r, chinese) + "\n";
    for (const QuestionResult& q : r.questions) {
      if (!q.checked) continue;
      out += std::string("    ") + (q.verified ? "PASS" : "FAIL") + " " + q.machine +
             ": answer key of question " + (q.question->id.empty() ? "?" : q.question->id) +
             " matches the machine (measured " + q.measured + ")\n";
    }
    for (const CheckResult& c : r.checks) {
      out += std::string("    ") + (c.pass ? "PASS" : "FAIL") + " " + c.machine + ": " +
             c.check->field.path + " " + c.expected;
      out += c.measured.empty() ? " (no value: " + c.why + ")" : " (measured " + c.measured + ")";
      out += "\n";
    }
    for (const std::string& n : r.notes) out += "    note: " + n + "\n";
  }
  out += std::to_string(run.passed()) + " passed, " + std::to_string(run.failed()) + " failed\n";
  return out;
}

std::string report_json(const ScenarioRun& run) {
  using nlohmann::ordered_json;
  const Scenario& s = *run.scenario;
  ordered_json j;
  j["file"] = s.file;
  j["kind"] = s.kind;
  j["id"] = s.id;
  j["title"] = {{"en", s.title.en}, {"zh", s.title.zh}};
  j["passed"] = run.passed();
  j["failed"] = run.failed();
  ordered_json steps = ordered_json::array();
  for (const StepResult& r : run.steps) {
    ordered_json st;
    st["index"] = r.index + 1;
    st["id"] = r.step->id;
    ordered_json checks = ordered_json::array();
    for (const CheckResult& c : r.checks) {
      checks.push_back({{"machine", c.machine},
                        {"what", c.check->field.path},
                        {"expected", c.expected},
                        {"measured", c.measured},
                        {"pass", c.pass},
                        {"why", c.why}});
    }
    st["checks"] = checks;
    ordered_json questions = ordered_json::array();
    for (const QuestionResult& q : r.questions) {
      questions.push_back({{"id", q.question->id},
                           {"checked", q.checked},
                           {"verified", q.verified},
                           {"measured", q.measured}});
    }
    st["questions"] = questions;
    st["notes"] = r.notes;
    steps.push_back(st);
  }
  j["steps"] = steps;
  ordered_json machines = ordered_json::array();
  for (Machine* m : run.runner->machines()) {
    ordered_json mj;
    kernel::Kernel& k = m->kernel();
    m->recorder().drain();
    mj["id"] = m->spec().id;
    mj["model"] = m->spec().model == Model::Cmwq ? "cmwq" : "legacy";
    mj["cpus"] = m->spec().cpus;
    mj["final"] = {{"time_ns", k.now()},
                   {"threads", k.nr_tasks()},
                   {"pids_used", k.nr_pids_in_use()},
                   {"kworkers", m->ops().kworkers()},
                   {"rescuers", m->ops().rescuers()},
                   {"memory_used", k.memory_used()}};
    if (wq::Cmwq* c = m->cmwq()) {
      ordered_json rows = ordered_json::array();
      for (const wq::MonitorRow& r : c->wq_monitor()) {
        rows.push_back({{"workqueue", r.name},
                        {"total", r.total},
                        {"infl", r.infl},
                        {"cpu_time_us", r.cpu_time_us},
                        {"cpu_intensive", r.cpu_intensive},
                        {"cm_wakeup", r.cm_wakeup},
                        {"repatriated", r.repatriated},
                        {"mayday", r.mayday},
                        {"rescued", r.rescued},
                        {"unbound", r.unbound},
                        {"mem_reclaim", r.mem_reclaim}});
      }
      mj["wq_monitor"] = rows;
    }
    mj["wq_dump"] = m->ops().dump();
    const trace::EventLog& log = m->recorder().log();
    const trace::StringTable& strings = m->recorder().strings();
    ordered_json events = ordered_json::array();
    for (size_t i = 0; i < log.size(); ++i) {
      const trace::Event& e = log[i];
      const trace::EventKindInfo& info = trace::event_kind_info(e.kind);
      ordered_json args = ordered_json::object();
      for (int a = 0; a < trace::kMaxEventArgs; ++a) {
        const trace::ArgInfo& ai = info.args[a];
        if (ai.type == trace::ArgType::None) continue;
        if (ai.type == trace::ArgType::Str)
          args[std::string(ai.label)] = std::string(strings.get(e.args[a]));
        else
          args[std::string(ai.label)] = e.args[a];
      }
      events.push_back({{"seq", e.seq},
                        {"time_ns", e.time_ns},
                        {"pid", e.pid},
                        {"cpu", e.cpu},
                        {"kind", std::string(info.name)},
                        {"args", args}});
    }
    mj["events"] = events;
    machines.push_back(mj);
  }
  j["machines"] = machines;
  return j.dump(1) + "\n";
}

namespace {

// Every machine of the run, drained, as the exporters' sources.
std::vector<trace::TraceSource> trace_sources(const ScenarioRun& run) {
  std::vector<trace::TraceSource> sources;
  int process = 1;
  for (Machine* m : run.runner->machines()) {
    m->recorder().drain();
    trace::TraceSource s;
    s.log = &m->recorder().log();
    s.strings = &m->recorder().strings();
    s.info.nr_cpus = m->spec().cpus;
    s.info.process_id = process++;
    s.info.process_name =
        m->spec().id + " (" +
        (m->spec().model == Model::Cmwq ? "cmwq, Linux 6.12" : "legacy, Linux 2.6.24") + ")";
    s.machine = m->spec().id;
    sources.push_back(std::move(s));
  }
  return sources;
}

}  // namespace

std::string report_perfetto(const ScenarioRun& run) {
  return trace::export_perfetto(trace_sources(run));
}

std::string report_ftrace(const ScenarioRun& run) {
  return trace::export_ftrace(trace_sources(run));
}

}  // namespace wqlab::scenario

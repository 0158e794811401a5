#include "engine/explore/scenario_explore.h"

#include <memory>

#include "engine/scenario/report.h"
#include "engine/scenario/runner.h"

namespace wqlab::explore {

namespace {
std::string step_label(const scenario::StepResult& r) {
  std::string label = "step " + std::to_string(r.index + 1);
  if (!r.step->id.empty()) label += " [" + r.step->id + "]";
  return label;
}
}  // namespace

SeedOutcome explore_scenario(const scenario::Scenario& s, uint64_t seed) {
  SeedOutcome out;
  out.seed = seed;
  out.strategy = SeededChooser::strategy_for(seed);
  scenario::Runner runner(s);
  std::vector<std::shared_ptr<SeededChooser>> choosers;
  std::vector<std::pair<scenario::Machine*, std::unique_ptr<InvariantChecker>>> checkers;
  uint64_t salt = 0;
  for (scenario::Machine* m : runner.machines()) {
    if (!m->kernel().deterministic()) continue;
    // Each machine its own stream, so that one machine's choices do not shift another's.
    auto c = std::make_shared<SeededChooser>(seed ^ (0x9e3779b97f4a7c15ULL * ++salt), out.strategy);
    m->kernel().set_chooser(as_kernel_chooser(c));
    choosers.push_back(c);
    if (m->cmwq() != nullptr)
      checkers.emplace_back(m, std::make_unique<InvariantChecker>(m->kernel(), *m->cmwq()));
  }
  scenario::ScenarioRun run = scenario::run_scenario(s, runner);
  for (auto& [m, checker] : checkers) {
    checker->finish();
    checker->detach();
    if (!checker->ok() && !out.violation) {
      out.violation = checker->violation();
      out.violation_machine = m->spec().id;
    }
  }
  for (auto& c : choosers) {
    out.decisions += c->stats().decisions;
    out.deviations += c->stats().deviations;
  }
  for (const scenario::StepResult& r : run.steps) {
    for (const scenario::CheckResult& c : r.checks) {
      if (c.pass) continue;
      out.failed_checks.push_back(step_label(r) + " " + c.machine + ": " + c.check->field.path +
                                  " " + c.expected + " (measured " +
                                  (c.measured.empty() ? "nothing: " + c.why : c.measured) + ")");
    }
    for (const scenario::QuestionResult& q : r.questions)
      if (q.checked && !q.verified)
        out.failed_checks.push_back(step_label(r) + " " + q.machine + ": answer key of question " +
                                    q.question->id + " (measured " + q.measured + ")");
    if (r.unexpected_notes > 0)
      for (const std::string& n : r.notes)
        out.failed_checks.push_back(step_label(r) + " runner note: " + n);
  }
  return out;
}

std::string describe_failure(const std::string& file, const SeedOutcome& o) {
  std::string out = file + ": seed " + std::to_string(o.seed) + " (" +
                    std::string(strategy_name(o.strategy)) + ") FAILED\n";
  if (o.violation) {
    const Violation& v = *o.violation;
    out += "  invariant " + v.invariant + " broken on machine " + o.violation_machine + " at " +
           std::to_string(v.time) + " ns: " + v.detail + "\n  last events:\n";
    for (const std::string& line : v.log) out += "    " + line + "\n";
  }
  for (const std::string& c : o.failed_checks) out += "  FAIL " + c + "\n";
  out += "  replay: ./lab explore --seed " + std::to_string(o.seed) + " " + file + "\n";
  return out;
}

}  // namespace wqlab::explore

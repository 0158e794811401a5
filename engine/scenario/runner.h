// Running a scenario step by step: each step's actions run in a script task on each of its
// machines; the machines run until the step's run condition; then its checkpoints are read.
// The headless runner runs every step to the end; the app's lesson player drives the same
// Runner a little at a time.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "engine/scenario/machine.h"
#include "engine/scenario/spec.h"

namespace wqlab::scenario {

struct CheckResult {
  const Check* check = nullptr;
  std::string machine;
  bool pass = false;
  std::string measured;  // as text, in the field's unit
  std::string expected;
  std::string why;  // when there was no value to measure
};

struct QuestionResult {
  const Question* question = nullptr;
  std::string machine;
  bool verified = false;  // the file's answer key matches what the machine did
  bool checked = false;   // there was an answer_from to verify against
  std::string measured;
};

struct StepResult {
  size_t index = 0;
  const Step* step = nullptr;
  std::vector<CheckResult> checks;
  std::vector<QuestionResult> questions;
  std::vector<std::string> notes;  // e.g. "did not become idle within 10min"
  // Notes of a kind the step's expect_notes does not list: each fails the step.
  int unexpected_notes = 0;
  int passed() const;
  int failed() const;
};

class Runner {
 public:
  // carrier_budget: OS threads the machines may hold in total (0 = no limit), each taking what
  // it needs while it runs and giving back what it no longer needs when its part of a step ends.
  explicit Runner(const Scenario& scenario, size_t carrier_budget = 0);
  ~Runner();

  const Scenario& scenario() const { return scenario_; }
  std::vector<Machine*> machines();
  Machine* machine(const std::string& id);
  std::vector<Machine*> machines_of(const Step& step);

  // Spawns the step's scripts; the caller then runs the machines (see run_limit()).
  void start_step(size_t index);
  // The virtual time the step runs until on `m` (kForever: until idle).
  kernel::Nanos run_target(size_t index, Machine& m) const;
  // How run_step() runs `m` during step `index`: to the step's time, or until idle (capped at
  // kIdleCap after the step started). A caller may run the machine in slices of this limit.
  kernel::RunLimit run_limit(size_t index, Machine& m) const;
  // Ends `m`'s part of step `index` after its last run `r`: notes what the run means (not idle,
  // stopped) and gives the OS threads it no longer holds back to the carrier budget.
  void end_part(size_t index, Machine& m, const kernel::RunResult& r);
  // Reads the step's checkpoints and questions, with the notes gathered since start_step().
  StepResult finish_step(size_t index);
  // start_step + run every machine to its target + finish_step.
  StepResult run_step(size_t index);

  // Performs one action on `m` now, as a step's script would (task context: it may sleep).
  // The app's sandbox uses it for actions the student adds; `a` must outlive the call.
  void perform(Machine& m, const Action& a);

  // The longest a step waits for a machine to become idle.
  static constexpr kernel::Nanos kIdleCap = kernel::secs(600);

 private:
  void script(Machine& m, const Step& step, kernel::Nanos start, uint64_t since_seq);
  void wait_turn(Machine& m, const Action& a, kernel::Nanos start, uint64_t since_seq);
  CheckResult evaluate(const Check& c, const Step& step);
  Machine* resolve(const FieldRef& ref, const Step& step);

  const Scenario& scenario_;
  std::vector<std::unique_ptr<Machine>> machines_;
  std::map<std::string, kernel::Nanos> step_start_;  // per machine, of the current step
  // A note and its kind as expect_notes names it: "not_idle", "stopped", "unfinished".
  struct Note {
    const char* kind;
    std::string text;
  };
  void add_note(const char* kind, std::string text);

  std::mutex notes_mu_;  // async actions add notes from their own tasks
  std::vector<Note> notes_;
};

}  // namespace wqlab::scenario

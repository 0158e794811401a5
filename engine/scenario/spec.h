// A scenario or lesson as read from its file: machines, workqueues, work items with their
// workloads, and steps with actions, checkpoints and questions (lessons/README.md documents the
// file format). Every element remembers where in the file it came from, for error messages.
// Equality compares everything, locations included (a writer round trip clears them first).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/kernel/kernel.h"

namespace wqlab::scenario {

struct SourceLoc {
  int line = 0;
  int col = 0;
  bool operator==(const SourceLoc&) const = default;
};

// A text in English and Simplified Chinese (either may be empty).
struct Text {
  std::string en;
  std::string zh;
  bool empty() const { return en.empty() && zh.empty(); }
  const std::string& in(bool chinese) const { return chinese && !zh.empty() ? zh : en; }
  bool operator==(const Text&) const = default;
};

enum class Model { Cmwq, Legacy };

struct MachineSpec {
  std::string id = "main";
  Text label;
  SourceLoc loc;
  Model model = Model::Cmwq;
  int cpus = 4;
  int hz = 1000;
  int pid_max = 32768;
  int64_t memory = int64_t{1} << 30;
  kernel::Mode mode = kernel::Mode::Deterministic;
  bool boot_threads = true;                   // the kernel threads the modelled kernel has at boot
  int64_t cpu_intensive_thresh = 10'000'000;  // ns; 0 turns hog detection off (cmwq)
  int64_t slice = 0;  // ns: sysctl_sched_base_slice; 0 = Linux's default for the CPU count
  int watchdog_thresh = 30;                   // s; 0 turns the watchdog off (cmwq)
  int cpus_per_pod = 0;                       // shorthand: LLCs of this many CPUs; 0 = one LLC
  kernel::CpuTopology topology;               // smt, cpus_per_cache, cpus_per_node
  std::string affinity_scope = "cache";       // workqueue.default_affinity_scope (cmwq)
  bool power_efficient = false;               // workqueue.power_efficient (cmwq)
  bool operator==(const MachineSpec&) const = default;
};

// How a workqueue is made: the creation call and, for alloc_workqueue, its flags and limit.
struct WqSpec {
  std::string name;  // may contain {i} when repeat > 0
  SourceLoc loc;
  std::string create = "alloc_workqueue";
  unsigned flags = 0;
  int max_active = 0;
  int repeat = 0;                     // make `repeat` queues named with {i} = 0..repeat-1
  std::string affinity_scope;         // unbound only: sysfs affinity_scope ("" = default)
  bool affinity_strict = false;       // unbound only: sysfs affinity_strict
  std::vector<std::string> machines;  // empty: every machine
  bool operator==(const WqSpec&) const = default;
};

// One step of a work item's workload.
enum class OpKind {
  Compute,  // amount ns of CPU
  Sleep,    // amount ns blocked
  Alloc,    // amount bytes (kmalloc; fails under memory pressure)
  Free,     // amount bytes
  Lock,     // a named mutex
  Unlock,
  Queue,     // target work on target2 wq (or the work's own wq)
  Flush,     // target work
  FlushWq,   // target wq
  Cancel,    // target work (cancel_work_sync)
  WaitFor,   // a named completion
  Complete,  // a named completion (complete_all)
  Pressure,  // amount 1 = on, 0 = off
};

struct WorkOp {
  OpKind kind = OpKind::Compute;
  int64_t amount = 0;
  std::string target;
  std::string target2;
  SourceLoc loc;
  bool operator==(const WorkOp&) const = default;
};

struct WorkSpec {
  std::string name;      // how steps refer to it
  std::string function;  // the function name shown in traces (defaults to name)
  SourceLoc loc;
  std::vector<WorkOp> ops;
  bool delayed = false;  // a delayed_work
  bool operator==(const WorkSpec&) const = default;
};

enum class ActionKind {
  Queue,            // work on wq [cpu] [delay]
  ModDelayed,       // work on wq, delay
  Cancel,           // work [sync]
  Flush,            // work or wq
  Drain,            // wq
  Destroy,          // wq
  Create,           // a workqueue spec
  CreateUntilFail,  // create workqueues from a template until creation fails (or count)
  Pressure,         // on/off
  CpuOffline,
  CpuOnline,
  Freeze,
  Thaw,
  MaxActive,  // wq, value
  Complete,   // a named completion
  Wait,       // duration
};

// An event that releases an action waiting for it: kind name and an optional argument that must
// match (a function, work or workqueue name), e.g. after = "workqueue_execute_start pio0".
struct Trigger {
  std::string kind;
  std::string arg;
  int nth = 1;  // the n-th matching event since the step began
  bool operator==(const Trigger&) const = default;
};

struct Action {
  ActionKind kind = ActionKind::Queue;
  SourceLoc loc;
  std::string id;  // names a create_until_fail loop for checks: loop.<id>.created
  int64_t at = 0;  // ns after the step starts
  std::optional<Trigger> after;
  bool async = false;  // run in its own task instead of the step's script task
  std::string work;
  std::string wq;
  std::string name;    // complete: the completion
  int cpu = -1;        // -1: not given
  int64_t delay = -1;  // jiffies... in ns; -1: not given
  bool sync = false;
  bool on = true;
  int value = 0;
  int count = 0;  // create_until_fail: upper bound
  WqSpec create;  // create / create_until_fail template
  bool operator==(const Action&) const = default;
};

enum class CmpOp { Eq, Ne, Lt, Le, Gt, Ge };

// A checkpoint field, e.g. work.pio1.end or wq.events.mayday (see field.h for the grammar).
struct FieldRef {
  std::string machine;  // empty: the step's only machine
  std::string path;
  SourceLoc loc;
  bool operator==(const FieldRef&) const = default;
};

enum class ValueType { Int, Time, Bool, Text };

struct Value {
  ValueType type = ValueType::Int;
  int64_t i = 0;  // Int, Time (ns), Bool (0/1)
  std::string s;
  bool operator==(const Value&) const = default;
};

struct Check {
  SourceLoc loc;
  FieldRef field;
  CmpOp op = CmpOp::Eq;
  std::optional<Value> expect;  // a literal...
  std::optional<FieldRef> ref;  // ...or another field (plus `offset`)
  int64_t offset = 0;           // added to ref (same unit as the field)
  int64_t tolerance = 0;        // |measured - expected| <= tolerance counts as equal
  std::string contains;         // for `printed`: the message must contain this
  Text say;                     // what the checkpoint shows the student
  bool operator==(const Check&) const = default;
};

struct Question {
  SourceLoc loc;
  std::string id;
  Text ask;
  bool number = false;  // a number answer, else multiple choice
  std::vector<Text> choices;
  int answer_choice = -1;
  double answer_number = 0;
  double tolerance = 0;
  std::string unit;                     // shown after a number ("ms", "queues")
  std::optional<FieldRef> answer_from;  // the runner verifies the answer key against this field
  std::string unverified;  // answer_from = "none: <reason>": why no field can verify it
  Text reveal;
  bool operator==(const Question&) const = default;
};

enum class RunKind { Idle, For, Until };

struct RunSpec {
  RunKind kind = RunKind::Idle;
  int64_t time = 0;  // For: ns after the step starts; Until: absolute ns
  bool operator==(const RunSpec&) const = default;
};

struct Step {
  std::string id;
  SourceLoc loc;
  Text title;
  Text say;
  std::vector<std::string> machines;  // empty: every machine
  std::vector<Action> actions;
  RunSpec run;
  std::vector<Question> questions;
  std::vector<Check> checks;
  // Runner notes this step is meant to produce ("not_idle", "stopped", "unfinished"); any other
  // note fails the step.
  std::vector<std::string> expect_notes;
  bool operator==(const Step&) const = default;
};

struct Scenario {
  std::string file;
  std::string kind = "scenario";  // or "lesson"
  std::string id;
  Text title;
  Text summary;
  int order = 0;  // position in the lesson menu
  std::vector<MachineSpec> machines;
  std::vector<WqSpec> workqueues;
  std::vector<WorkSpec> works;
  std::vector<Step> steps;

  const MachineSpec* machine(const std::string& id) const;
  const WorkSpec* work(const std::string& name) const;
  // Names of the workqueues a machine has (with repeats expanded).
  std::vector<std::string> workqueue_names(const std::string& machine) const;
  bool operator==(const Scenario&) const = default;
};

struct ParseError {
  std::string file;
  int line = 0;
  int col = 0;
  std::string message;
  std::string str() const;  // "file:line:col: message"
};

}  // namespace wqlab::scenario

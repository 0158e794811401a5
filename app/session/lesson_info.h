// What the UI knows about the open lesson's run: its machines with their recordings, how many
// events each had when the machines had booted, and for every step started so far the events
// and virtual time of each machine at its start and at its checkpoint, with the checkpoint's
// results. Plain data; the session replaces the whole (shared, immutable) object when a step
// starts or ends, so a reader never sees it change under its feet.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/scenario/runner.h"
#include "session/recording.h"

namespace wqlab::session {

struct LessonMachine {
  std::string id;
  scenario::Text label;
  bool legacy = false;  // the 2.6.24 model (its events are LegacyCreate, LegacyExecution, ...)
  std::shared_ptr<const Recording> recording;
};

struct StepRecord {
  size_t index = 0;  // into Scenario::steps
  // Per machine, in LessonInfo::machines order: when start_step() ran and at the checkpoint.
  std::vector<uint64_t> begin_events, end_events;
  std::vector<kernel::Nanos> begin_time, end_time;
  bool finished = false;
  scenario::StepResult result;  // once finished; its pointers point into LessonInfo::scenario
};

// A task on a machine's run queue, as the sandbox's "you are the scheduler" lists it.
struct RunnableTask {
  int pid = 0;
  std::string comm;
  int cpu = 0;
  kernel::Nanos time = 0;  // since when it has been runnable (virtual)
};

struct LessonInfo {
  uint64_t generation = 0;  // increases with every lesson the session opens
  std::shared_ptr<const scenario::Scenario> scenario;
  std::vector<LessonMachine> machines;
  std::vector<uint64_t> boot_events;  // per machine: recorded before the first step
  std::vector<StepRecord> steps;      // started so far, in order; only the last may be running

  bool step_running() const { return !steps.empty() && !steps.back().finished; }
  size_t steps_finished() const { return steps.size() - (step_running() ? 1 : 0); }
  // The step that runs next (or is running); scenario->steps.size() when all are done.
  size_t next_step() const { return steps.empty() ? 0 : steps.back().index + 1 - step_running(); }
  bool complete() const { return scenario && steps_finished() == scenario->steps.size(); }
  // The index of machine `id`, or -1.
  int machine_index(const std::string& id) const {
    for (size_t i = 0; i < machines.size(); ++i)
      if (machines[i].id == id) return static_cast<int>(i);
    return -1;
  }
};

}  // namespace wqlab::session

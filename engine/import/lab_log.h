// A real trace as the lab's own event log (engine/trace's vocabulary), so the app's model folds
// it into the same views as a simulated run. The log opens with the static machine description
// at time 0 (pools, tasks, kworkers, pwqs, workqueues with their inferred flags); then every
// record becomes the events a simulated kernel would have emitted for it. Times are relative to
// the trace's first record.
#pragma once

#include <cstdint>
#include <memory>

#include "engine/import/machine.h"
#include "engine/import/records.h"
#include "engine/trace/recorder.h"

namespace wqlab::import {

struct LabLog {
  std::shared_ptr<trace::Recorder> recorder;  // its log() and strings() hold the events
  int nr_cpus = 1;
  int64_t time_offset_ns = 0;  // the trace's first timestamp, which is lab time 0
};

LabLog build_lab_log(const ParsedTrace& t, const TraceMachine& m);

}  // namespace wqlab::import

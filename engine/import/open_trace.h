// The one call a front-end needs to open a real kernel's trace: import the text, reconstruct the
// machine, and build the lab's event log from it. The app's trace stage folds `log.recorder`
// with model::MachineModel (MachineConfig{log.nr_cpus, ...}), shows `machine` (the static
// description: pools, kworkers, workqueues, items) and `trace.report` (what could not be used).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "engine/import/importer.h"
#include "engine/import/lab_log.h"
#include "engine/import/machine.h"

namespace wqlab::import {

struct OpenedTrace {
  ParsedTrace trace;
  TraceMachine machine;
  LabLog log;
};

OpenedTrace open_trace_text(std::string_view text, const ImportOptions& options = {});
// nullopt with `error` ("FILE: cannot open the file") when the file cannot be read.
std::optional<OpenedTrace> open_trace_file(const std::string& path, std::string* error,
                                           ImportOptions options = {});

}  // namespace wqlab::import

// One machine's recording as the UI sees it: the recorder (event log + strings) and the facts
// the model needs. Shared between the session's driver, which writes it, and the UI, which keeps
// reading it after the session has moved on to another machine.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "engine/trace/recorder.h"
#include "model/fold.h"
#include "session/scenario.h"

namespace wqlab::session {

struct Recording {
  std::shared_ptr<trace::Recorder> recorder;
  model::MachineConfig config;
  ScenarioInfo scenario;
  uint64_t generation = 0;  // increases with every machine the session loads
  // Non-zero: this recording is more of the run whose generation it names (a live trace
  // received further), so the views keep their place instead of starting over.
  uint64_t continues = 0;
};

}  // namespace wqlab::session

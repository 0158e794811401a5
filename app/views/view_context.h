// What a view gets each frame: the model, the machine state at the selected moment, the shared
// selection, the session's status, and the session to send commands to (the demo's
// MachineSession or a lesson's LessonSession: views only see what both offer).
#pragma once

#include "model/machine_model.h"
#include "session/scenario.h"
#include "session/session_control.h"
#include "views/selection.h"

namespace wqlab {

struct ViewContext {
  const model::MachineModel& model;
  const model::MachineState& state;  // at selection.moment
  Selection& selection;
  const session::SessionStatus& status;
  session::SessionControl& session;
  const session::ScenarioInfo* scenario;  // what is running, or nullptr
  model::Nanos moment_time;               // virtual time at the selected moment
  float dt;                               // seconds since the last frame (animations)

  const std::string& str(int64_t id) const { return model.strings().get(id); }
  const char* name_of_wq(int32_t index) const {
    const model::WorkqueueInfo* wq = state.workqueue(index);
    if (!wq) wq = model.head().workqueue(index);
    if (wq) return model.strings().c_str(wq->name);
    const model::LegacyWqInfo* legacy = model.head().legacy.workqueue(index);  // pre-cmwq
    return legacy ? model.strings().c_str(legacy->name) : "?";
  }
  // The kernel name of a task alive at the moment (or "pid N").
  std::string comm_of(int32_t pid) const;
  // What ps shows: a kworker's comm with "+wq" while it runs an item of wq, "-wq" after.
  std::string ps_name_of(int32_t pid) const;
};

}  // namespace wqlab

// Names for selections and the context's small look-ups.
#include "views/selection.h"

#include "views/view_context.h"

namespace wqlab {

const char* object_kind_name(ObjectKind k) {
  switch (k) {
    case ObjectKind::None:
      return "nothing";
    case ObjectKind::Work:
      return "work item";
    case ObjectKind::Worker:
      return "worker";
    case ObjectKind::Pool:
      return "pool";
    case ObjectKind::Workqueue:
      return "workqueue";
  }
  return "?";
}

std::string ViewContext::comm_of(int32_t pid) const {
  if (const model::TaskInfo* t = state.task(pid)) return str(t->comm);
  if (const model::TaskTrack* t = model.history().track_for(pid)) return str(t->comm);
  return "pid " + std::to_string(pid);
}

}  // namespace wqlab

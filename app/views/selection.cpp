// Names for selections and the context's small look-ups.
#include "views/selection.h"

#include "model/engine_vocabulary.h"
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

std::string ViewContext::ps_name_of(int32_t pid) const {
  const model::WorkerInfo* w = nullptr;
  if (auto it = state.workers.find(pid); it != state.workers.end()) w = &it->second;
  if (w == nullptr || w->pool < 0) return comm_of(pid);  // wq_worker_comm(): attached only
  return wq::worker_comm_with_desc(comm_of(pid), w->desc ? str(w->desc) : std::string(),
                                   w->current >= 0);
}

std::string ViewContext::comm_of(int32_t pid) const {
  if (const model::TaskInfo* t = state.task(pid)) return str(t->comm);
  if (const model::TaskTrack* t = model.history().track_for(pid)) return str(t->comm);
  return "pid " + std::to_string(pid);
}

}  // namespace wqlab

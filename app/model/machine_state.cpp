// Look-ups on MachineState and the names the views print for its enums.
#include "model/machine_state.h"

#include <type_traits>
#include <utility>

namespace wqlab::model {

const char* worker_state_name(WorkerState s) {
  switch (s) {
    case WorkerState::Idle:
      return "idle";
    case WorkerState::Busy:
      return "awake";
    case WorkerState::Running:
      return "running";
    case WorkerState::Sleeping:
      return "sleeping";
    case WorkerState::Manager:
      return "manager";
    case WorkerState::Rescuer:
      return "rescuer";
    case WorkerState::Dying:
      return "dying";
  }
  return "?";
}

WorkerState worker_state(const WorkerInfo& w, bool is_manager) {
  if (w.dying) return WorkerState::Dying;
  if (w.rescuer) return WorkerState::Rescuer;
  if (is_manager) return WorkerState::Manager;
  if (w.current >= 0) return w.sleeping ? WorkerState::Sleeping : WorkerState::Running;
  return w.idle ? WorkerState::Idle : WorkerState::Busy;
}

const char* work_where_name(WorkWhere w) {
  switch (w) {
    case WorkWhere::Delayed:
      return "on its timer (delayed_work)";
    case WorkWhere::Inactive:
      return "on pwq->inactive_works";
    case WorkWhere::Worklist:
      return "on pool->worklist";
    case WorkWhere::Scheduled:
      return "on worker->scheduled";
    case WorkWhere::Running:
      return "running (worker->current_work)";
  }
  return "?";
}

namespace {
template <typename V>
auto* at_id(V& v, int32_t id) {
  using T = std::remove_reference_t<decltype(v[0])>;
  if (id < 0 || static_cast<size_t>(id) >= v.size() || v[static_cast<size_t>(id)].id < 0)
    return static_cast<T*>(nullptr);
  return &v[static_cast<size_t>(id)];
}
}  // namespace

const PoolInfo* MachineState::pool(int32_t id) const {
  return at_id(pools, id);
}
PoolInfo* MachineState::pool(int32_t id) {
  return at_id(pools, id);
}
const PwqInfo* MachineState::pwq(int32_t id) const {
  return at_id(pwqs, id);
}
PwqInfo* MachineState::pwq(int32_t id) {
  return at_id(pwqs, id);
}

const WorkqueueInfo* MachineState::workqueue(int32_t index) const {
  if (index < 0 || static_cast<size_t>(index) >= workqueues.size()) return nullptr;
  const WorkqueueInfo& wq = workqueues[static_cast<size_t>(index)];
  return wq.index < 0 ? nullptr : &wq;
}

WorkqueueInfo* MachineState::workqueue(int32_t index) {
  return const_cast<WorkqueueInfo*>(std::as_const(*this).workqueue(index));
}

const Instance* MachineState::instance(int32_t id) const {
  auto it = instances.find(id);
  return it == instances.end() ? nullptr : &it->second;
}

const WorkerInfo* MachineState::worker(int32_t pid) const {
  auto it = workers.find(pid);
  return it == workers.end() ? nullptr : &it->second;
}

const TaskInfo* MachineState::task(int32_t pid) const {
  auto it = tasks.find(pid);
  return it == tasks.end() ? nullptr : &it->second;
}

int32_t MachineState::workqueue_index(int64_t name_id) const {
  auto it = wq_by_name.find(name_id);
  return it == wq_by_name.end() ? -1 : it->second;
}

size_t MachineState::live_pools() const {
  size_t n = 0;
  for (const PoolInfo& p : pools) n += p.id >= 0 ? 1 : 0;
  return n;
}

size_t MachineState::live_workqueues() const {
  size_t n = 0;
  for (const WorkqueueInfo& w : workqueues) n += (w.index >= 0 && !w.destroyed) ? 1 : 0;
  return n;
}

}  // namespace wqlab::model

// work_struct and delayed_work, with the kernel's state word (include/linux/workqueue.h).
// The data word is one atomic, laid out as Linux lays it out: flag bits, the flush colour, and
// either the pwq (while queued) or the last pool id and the disable depth (off queue). Pointers
// are replaced by ids so the word stays deterministic across runs.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "engine/kernel/timer.h"
#include "engine/wq/list.h"
#include "engine/wq/wq_types.h"

namespace wqlab::wq {

struct DelayedWork;
struct Work;
struct Workqueue;
using WorkFunc = std::function<void(Work*)>;

// A process-wide identity for a work function name: what find_worker_executing_work() compares
// as "current_func == work->func".
int64_t func_identity(std::string_view name);

// What INIT_WORK() installs: the function, its name in traces (%ps), and its identity. Shared,
// so a worker keeps the function it runs even if the item is freed or re-initialised meanwhile.
struct WorkFn {
  WorkFunc fn;
  std::string name;
  int64_t identity = 0;  // func_identity(name)
};

struct Work {
  Work() : entry(this) {}
  Work(const Work&) = delete;
  Work& operator=(const Work&) = delete;

  const std::string& name() const;  // the function's name, "(null)" before INIT_WORK()

  std::atomic<uint64_t> data{static_cast<uint64_t>(WORK_OFFQ_POOL_NONE) << WORK_PAYLOAD_SHIFT};
  ListHead entry;  // L: on pool->worklist, pwq->inactive_works or worker->scheduled
  std::shared_ptr<const WorkFn> func;
  std::atomic<int64_t> id{0};  // the "work struct=%p" of traces; assigned on first use
  bool is_barrier = false;
  int barrier_pid = 0;           // a barrier's flusher (wq_barrier->task), for the dump's BAR(pid)
  DelayedWork* dwork = nullptr;  // to_delayed_work(): set by INIT_DELAYED_WORK()
};

struct DelayedWork {
  Work work;
  kernel::Timer timer;  // fires delayed_work_timer_fn()
  Workqueue* wq = nullptr;
  int cpu = WORK_CPU_UNBOUND;
};

// INIT_WORK(): (re)initialises `work` to run `fn`, shown in traces as `name`.
void INIT_WORK(Work* work, WorkFunc fn, std::string_view name);
void INIT_DELAYED_WORK(DelayedWork* dwork, WorkFunc fn, std::string_view name);

// ---- The data word (work_data_bits() and friends) ----

inline uint64_t work_data(const Work* w) {
  return w->data.load(std::memory_order_acquire);
}
inline bool work_pending(const Work* w) {
  return work_data(w) & WORK_STRUCT_PENDING;
}
inline bool delayed_work_pending(const DelayedWork* dw) {
  return work_pending(&dw->work);
}
inline int get_work_color(uint64_t data) {
  return static_cast<int>((data >> WORK_STRUCT_COLOR_SHIFT) & (WORK_NR_COLORS - 1));
}
inline uint64_t work_color_to_flags(int color) {
  return static_cast<uint64_t>(color) << WORK_STRUCT_COLOR_SHIFT;
}
inline int work_next_color(int color) {
  return (color + 1) % WORK_NR_COLORS;
}
// While queued: the pwq id; -1 otherwise.
inline int64_t data_pwq_id(uint64_t data) {
  return (data & WORK_STRUCT_PWQ) ? static_cast<int64_t>(data >> WORK_PAYLOAD_SHIFT) : -1;
}
// Off queue: the last pool id; -1 for WORK_OFFQ_POOL_NONE.
inline int64_t data_offq_pool_id(uint64_t data) {
  uint32_t id = static_cast<uint32_t>(data >> WORK_PAYLOAD_SHIFT);
  return id == WORK_OFFQ_POOL_NONE ? -1 : static_cast<int64_t>(id);
}
inline int data_disable_depth(uint64_t data) {
  return static_cast<int>((data >> WORK_OFFQ_DISABLE_SHIFT) & WORK_OFFQ_LEFT_MASK);
}
// Builds an off-queue word: pool id, disable depth, and whether PENDING stays set.
inline uint64_t offq_data(int64_t pool_id, int disable, bool pending) {
  uint64_t pool = pool_id < 0 ? WORK_OFFQ_POOL_NONE : static_cast<uint64_t>(pool_id);
  return (pool << WORK_PAYLOAD_SHIFT) |
         (static_cast<uint64_t>(disable) << WORK_OFFQ_DISABLE_SHIFT) |
         (pending ? static_cast<uint64_t>(WORK_STRUCT_PENDING) : uint64_t{0});
}

}  // namespace wqlab::wq

// LegacyState: the pre-2.6.36 workqueues (engine/legacy) as the machine room shows them, folded
// from the workqueue_creation/_insertion/_execution events: each workqueue_struct with one
// cpu_workqueue_struct thread per CPU (or one thread for a single-threaded one), what each
// thread has queued and runs, and where thread creation failed. Part of MachineState, so it is
// kept compact: a pid per thread, and work only for threads that have some.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <utility>
#include <vector>

namespace wqlab::model {

// struct workqueue_struct of 2.6.24.
struct LegacyWqInfo {
  int32_t index = -1;  // creation order
  int64_t name = 0;    // string id
  bool singlethread = false;
  bool destroyed = false;
  bool failed = false;           // __create_workqueue_key() gave up: its threads were stopped again
  int16_t fail_cpu = -1;         // the CPU whose thread could not be created
  int32_t fail_err = 0;          // -EAGAIN (no pid) or -ENOMEM
  int32_t created = 0;           // threads created for it, ever
  int32_t live = 0;              // threads alive now
  std::vector<int32_t> threads;  // cpu_wq[cpu]->thread pid, 0 for none (ST: slot 0 only)
  bool operator==(const LegacyWqInfo&) const = default;
};

// What one cwq thread has: items on cwq->worklist and the one it runs (cwq->current_work).
struct LegacyThreadWork {
  int32_t queued = 0;
  int64_t current_func = 0;  // string id, 0 when idle
  int64_t current_work = 0;
  bool operator==(const LegacyThreadWork&) const = default;
};

// An item waiting on a thread's list (inserted, not yet run).
struct LegacyQueued {
  int32_t thread = 0;
  uint64_t event = 0;  // its workqueue_insertion
  int64_t time = 0;
  bool operator==(const LegacyQueued&) const = default;
};

struct LegacyFailure {
  uint64_t event = 0;  // the workqueue_creation_fail
  int32_t wq = -1;
  int16_t cpu = -1;
  int32_t err = 0;
  int32_t pids_in_use = 0;  // how full the PID space was
  bool operator==(const LegacyFailure&) const = default;
};

struct LegacyState {
  std::vector<LegacyWqInfo> workqueues;                // by index
  std::unordered_map<int64_t, int32_t> by_name;        // name id -> latest index
  std::vector<std::pair<int32_t, int32_t>> thread_of;  // (pid, wq index), sorted by pid
  std::unordered_map<int32_t, LegacyThreadWork> work;  // threads with work, by pid
  std::unordered_map<int64_t, LegacyQueued> queued;    // items on a list, by work id
  std::vector<LegacyFailure> failures;
  int32_t wq_threads = 0;  // workqueue threads alive (the rest of `threads` are other tasks)

  bool active() const { return !workqueues.empty(); }
  const LegacyWqInfo* workqueue(int32_t index) const {
    return index >= 0 && static_cast<size_t>(index) < workqueues.size()
               ? &workqueues[static_cast<size_t>(index)]
               : nullptr;
  }
  // The workqueue whose thread `pid` is, or -1.
  int32_t wq_of(int32_t pid) const;
  const LegacyThreadWork* work_of(int32_t pid) const {
    auto it = work.find(pid);
    return it == work.end() ? nullptr : &it->second;
  }
  bool operator==(const LegacyState&) const = default;
};

}  // namespace wqlab::model

// Shared by the legacy layout's files: what a legacy workqueue thread is doing (one cell of the
// workqueues x CPUs grid), how it looks (colour AND glyph), and its tooltip naming the 2.6.24
// structs and fields it mirrors.
#pragma once

#include <cstdint>
#include <string>

#include "imgui.h"
#include "model/engine_vocabulary.h"
#include "views/view_context.h"

namespace wqlab::room {

// Ordered by how much a cell deserves to be seen when several threads share one.
enum class ThreadState : uint8_t { Empty, Stopped, Idle, Queued, Running, Blocked, Failed };

struct ThreadLook {
  ImU32 colour;
  const char* glyph;
  const char* label;
};
ThreadLook thread_look(ThreadState st);

// The state of `wq`'s thread slot for `cpu` (slot 0 of a single-threaded one), and how many
// items wait on its list.
ThreadState thread_state(const model::MachineState& s, const model::LegacyWqInfo& wq, int cpu,
                         int32_t* queued);
// "struct cpu_workqueue_struct ...": what the cell mirrors, for the tooltip.
std::string thread_tooltip(const ViewContext& ctx, const model::LegacyWqInfo& wq, int cpu);
// "events/3" (or "khelper" for a single-threaded workqueue): the thread's name.
std::string thread_name(const ViewContext& ctx, const model::LegacyWqInfo& wq, int cpu);
// "-ENOMEM" or "-EAGAIN": how a legacy thread's creation failed (kthread_create()'s errno).
inline const char* creation_errno(int64_t err) {
  return err == -kernel::kENOMEM ? "-ENOMEM" : "-EAGAIN";
}

}  // namespace wqlab::room

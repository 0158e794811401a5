// Inspector pages for legacy workqueue threads and workqueues.
#include "views/inspector_legacy.h"

#include <string>

#include "imgui.h"
#include "views/machine_room_legacy.h"
#include "views/palette.h"

namespace wqlab {
namespace {

void field(const char* label, const std::string& value, const char* kernel_field) {
  ImGui::TextDisabled("%s", label);
  ImGui::SameLine(ImGui::GetFontSize() * 7.5f);
  ImGui::TextWrapped("%s", value.c_str());
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", kernel_field);
}

}  // namespace

bool inspect_legacy_thread(ViewContext& ctx, int32_t pid) {
  const model::LegacyState& l = ctx.state.legacy;
  const model::LegacyWqInfo* wq = l.workqueue(l.wq_of(pid));
  if (!wq) return false;
  int cpu = 0;
  for (size_t i = 0; i < wq->threads.size(); ++i)
    if (wq->threads[i] == pid) cpu = static_cast<int>(i);
  int32_t queued = 0;
  const room::ThreadState st = room::thread_state(ctx.state, *wq, cpu, &queued);
  const room::ThreadLook look = room::thread_look(st);
  ImGui::TextColored(ImColor(look.colour), "%s %s", look.glyph,
                     room::thread_name(ctx, *wq, cpu).c_str());
  field("pid", std::to_string(pid), "task_struct.pid (cwq->thread)");
  field("workqueue", ctx.str(wq->name), "cwq->wq->name");
  field("CPU", wq->singlethread ? "any (single-threaded)" : std::to_string(cpu),
        "the cpu_wq slot; kthread_bind() to it for a multi-threaded workqueue");
  field("state", look.label, "worker_thread(): asleep on cwq->more_work, or in run_workqueue()");
  const model::LegacyThreadWork* w = l.work_of(pid);
  field("current work", w && w->current_func ? ctx.str(w->current_func) : "none",
        "cwq->current_work");
  field("worklist", std::to_string(queued) + " item(s)", "cwq->worklist, run strictly in order");
  return true;
}

bool inspect_legacy_workqueue(ViewContext& ctx, int32_t index) {
  const model::LegacyWqInfo* wq = ctx.state.legacy.workqueue(index);
  if (!wq || ctx.state.workqueue(index)) return false;  // a cmwq machine uses the other page
  ImGui::TextColored(ImColor(wq->failed ? palette::kVermillion : palette::kSkyBlue), "workqueue %s",
                     ctx.str(wq->name).c_str());
  field("kind", wq->singlethread ? "single-threaded" : "multi-threaded (a thread per CPU)",
        "workqueue_struct.singlethread");
  field("threads", std::to_string(wq->live) + " alive, " + std::to_string(wq->created) + " created",
        "cwq->thread of each cpu_workqueue_struct");
  if (wq->failed)
    field(
        "creation",
        "failed at CPU " + std::to_string(wq->fail_cpu) + ": " + room::creation_errno(wq->fail_err),
        "__create_workqueue_key(): create_workqueue_thread() failed");
  int32_t queued = 0, busy = 0;
  for (int32_t pid : wq->threads)
    if (const model::LegacyThreadWork* w = pid ? ctx.state.legacy.work_of(pid) : nullptr) {
      queued += w->queued;
      busy += w->current_func ? 1 : 0;
    }
  field("running", std::to_string(busy) + " thread(s)", "threads in run_workqueue()");
  field("waiting", std::to_string(queued) + " item(s)", "items on the cwqs' worklists");
  return true;
}

}  // namespace wqlab

// The machine room on the legacy (pre-2.6.36) model: a bar of the PID space filling up to
// pid_max, then the workqueues x CPUs grid of threads (machine_room_legacy_grid.cpp) with the
// single-threaded workqueues below it, or one CPU's or workqueue's threads up close
// (machine_room_legacy_zoom.cpp). Thread looks and tooltips are shared here.
#include "views/machine_room_legacy.h"

#include <algorithm>
#include <string>

#include "views/machine_room_view.h"

namespace wqlab {
namespace room {

ThreadLook thread_look(ThreadState st) {
  switch (st) {
    case ThreadState::Empty:
      return {palette::kPanelBg, "", "no thread"};
    case ThreadState::Stopped:
      return {palette::rgb(0x6B7080), "\xe2\x96\xa1", "stopped"};  // □
    case ThreadState::Idle:
      return {palette::kGrey, "\xe2\x97\x8b", "idle"};  // ○
    case ThreadState::Queued:
      return {palette::kOrange, "\xe2\x97\x86", "items waiting"};  // ◆
    case ThreadState::Running:
      return {palette::kGreen, "\xe2\x96\xb6", "running"};  // ▶
    case ThreadState::Blocked:
      return {palette::kSkyBlue, "z", "asleep in work"};
    case ThreadState::Failed:
      return {palette::kVermillion, "\xc3\x97", "creation failed"};  // ×
  }
  return {palette::kGrey, "?", "?"};
}

ThreadState thread_state(const model::MachineState& s, const model::LegacyWqInfo& wq, int cpu,
                         int32_t* queued) {
  *queued = 0;
  const size_t slot = wq.singlethread ? 0 : static_cast<size_t>(cpu);
  const int32_t pid = slot < wq.threads.size() ? wq.threads[slot] : 0;
  if (pid == 0) {
    if (wq.failed && (wq.singlethread || cpu == std::max<int>(wq.fail_cpu, 0)))
      return ThreadState::Failed;
    if ((wq.failed && cpu < wq.fail_cpu) || wq.destroyed) return ThreadState::Stopped;
    return ThreadState::Empty;
  }
  const model::LegacyThreadWork* w = s.legacy.work_of(pid);
  if (!w) return ThreadState::Idle;
  *queued = w->queued;
  if (w->current_func != 0) {
    const model::TaskInfo* t = s.task(pid);
    return t && t->state == model::TaskRunState::Blocked ? ThreadState::Blocked
                                                         : ThreadState::Running;
  }
  return w->queued > 0 ? ThreadState::Queued : ThreadState::Idle;
}

std::string thread_name(const ViewContext& ctx, const model::LegacyWqInfo& wq, int cpu) {
  std::string name = ctx.str(wq.name);
  if (!wq.singlethread) name += "/" + std::to_string(cpu);
  if (name.size() > 15) name.resize(15);  // TASK_COMM_LEN
  return name;
}

std::string thread_tooltip(const ViewContext& ctx, const model::LegacyWqInfo& wq, int cpu) {
  int32_t queued = 0;
  const ThreadState st = thread_state(ctx.state, wq, cpu, &queued);
  const std::string name = ctx.str(wq.name);
  const std::string slot = wq.singlethread ? "its only cwq (singlethread_cpu)"
                                           : "wq->cpu_wq[" + std::to_string(cpu) + "]";
  const int32_t pid = wq.threads[wq.singlethread ? 0 : static_cast<size_t>(cpu)];
  std::string t =
      thread_name(ctx, wq, cpu) + (pid ? ", pid " + std::to_string(pid) : std::string()) +
      "\nstruct cpu_workqueue_struct of workqueue_struct \"" + name + "\" (" + slot +
      "): its own worklist and its own thread, cwq->thread\nstate: " + thread_look(st).label;
  switch (st) {
    case ThreadState::Empty:
      t += ": none was created for this CPU";
      break;
    case ThreadState::Stopped:
      t += wq.failed ? ": made, then stopped again when " + name +
                           "'s creation failed (cleanup_workqueue_thread())"
                     : ": stopped by destroy_workqueue()";
      break;
    case ThreadState::Idle:
      t += ": asleep on cwq->more_work, holding a PID all the same (worker_thread())";
      break;
    case ThreadState::Queued:
      t += ": woken by insert_work(), about to run its list";
      break;
    case ThreadState::Running:
      t += ": runs cwq->current_work (run_workqueue())";
      break;
    case ThreadState::Blocked:
      t += ": blocked inside cwq->current_work; everything behind it on this list waits";
      break;
    case ThreadState::Failed:
      t += std::string(": kthread_create() returned ") + creation_errno(wq.fail_err) +
           " in create_workqueue_thread() (2.6.24 says -ENOMEM for a missing PID too); " + name +
           " was never created";
      break;
  }
  if (const model::LegacyThreadWork* w = pid ? ctx.state.legacy.work_of(pid) : nullptr) {
    if (w->current_func) t += "\ncwq->current_work: " + ctx.str(w->current_func);
    if (w->queued) t += "\ncwq->worklist: " + std::to_string(w->queued) + " item(s) waiting";
  }
  if (pid) t += "\nClick to select this thread in every view.";
  return t;
}

}  // namespace room

void MachineRoomView::draw_legacy(ViewContext& ctx, ImVec2 origin, float width, float* height) {
  legacy_stats_ = {};
  legacy_stats_.threads = ctx.state.legacy.wq_threads;
  for (const model::LegacyWqInfo& wq : ctx.state.legacy.workqueues)
    legacy_stats_.failed += wq.failed ? 1 : 0;
  if (zoom_.kind == ZoomKind::Pool) zoom_ = {};  // no pools before cmwq
  if (zoom_.kind == ZoomKind::Workqueue && !ctx.state.legacy.workqueue(zoom_.id)) zoom_ = {};
  float y = origin.y;
  y += draw_pid_bar(ctx, ImVec2(origin.x, y), width) + m_.pad * 2;
  if (zoom_.kind == ZoomKind::None) {
    y += draw_legacy_grid(ctx, ImVec2(origin.x, y), width) + m_.pad * 2;
    y += draw_legacy_singles(ctx, ImVec2(origin.x, y), width);
  } else {
    y += draw_legacy_zoom(ctx, ImVec2(origin.x, y), width);
  }
  *height = y - origin.y;
}

// The PID space as a bar from 0 to pid_max: other threads, workqueue threads, free; a red mark
// where each thread creation failed (the PID space was full then).
float MachineRoomView::draw_pid_bar(ViewContext& ctx, ImVec2 origin, float width) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const model::MachineState& s = ctx.state;
  const int pid_max = std::max(1, ctx.model.config().pid_max);
  const int used = s.pids_in_use, wq_threads = s.legacy.wq_threads;
  const int other = std::max(0, used - wq_threads), free = std::max(0, pid_max - 1 - used);
  legacy_stats_.pids_in_use = used;
  legacy_stats_.pid_max = pid_max;
  legacy_stats_.other_threads = other;
  const float h = m_.font * 1.5f;
  const ImVec2 a = origin, b(origin.x + width, origin.y + h);
  auto x_of = [&](int pids) {
    return a.x +
           width * static_cast<float>(std::clamp(pids, 0, pid_max)) / static_cast<float>(pid_max);
  };
  dl->AddRectFilled(a, b, palette::kBoxBg, 3.0f);
  dl->AddRectFilled(a, ImVec2(x_of(other), b.y), palette::with_alpha(palette::kGrey, 170), 3.0f);
  dl->AddRectFilled(ImVec2(x_of(other), a.y), ImVec2(x_of(used), b.y), palette::kBlue);
  dl->AddRect(a, b, palette::kBoxBorder, 3.0f);
  char text[160];
  std::snprintf(text, sizeof text, "PIDs in use: %d of pid_max %d   (%.0f%%)", used, pid_max,
                100.0 * used / pid_max);
  dl->AddText(ImVec2(a.x + m_.pad * 2, a.y + (h - m_.font) * 0.5f), palette::kText, text);
  for (const model::LegacyFailure& f : s.legacy.failures) {
    const float x = x_of(f.pids_in_use);
    dl->AddLine(ImVec2(x - 1, a.y - 2), ImVec2(x - 1, b.y + 2), palette::kVermillion, 3.0f);
  }
  room::interact(ctx, a, b, {},
                 "The PID space: pid_max = " + std::to_string(pid_max) +
                     " (kernel.pid_max). Every task, kernel threads included, holds a PID from "
                     "alloc_pid();\nPID 0 is never handed out. When none is free below pid_max, "
                     "kthread_create() fails: 2.6.24's copy_process() returns -ENOMEM.\nin use: " +
                     std::to_string(used) + "  (workqueue threads " + std::to_string(wq_threads) +
                     ", other threads " + std::to_string(other) +
                     ")  free: " + std::to_string(free));
  // The legend, with the failures named.
  float x = a.x;
  const float ly = b.y + m_.pad;
  auto legend = [&](ImU32 c, const std::string& label, const char* tip) {
    const float x0 = x;
    dl->AddRectFilled(ImVec2(x, ly + 3), ImVec2(x + m_.font * 0.7f, ly + m_.font - 3), c, 2.0f);
    x += m_.font * 0.7f + 4;
    dl->AddText(ImVec2(x, ly), palette::kTextDim, label.c_str());
    x += ImGui::CalcTextSize(label.c_str()).x;
    room::interact(ctx, ImVec2(x0, ly), ImVec2(x, ly + m_.font), {}, tip);
    x += m_.pad * 4;
  };
  legend(palette::with_alpha(palette::kGrey, 170), "other threads " + std::to_string(other),
         "Tasks that are not workqueue threads: init, kthreadd, and per CPU migration/N, "
         "ksoftirqd/N, watchdog/N (each a task_struct with its own PID)");
  legend(palette::kBlue, "workqueue threads " + std::to_string(wq_threads),
         "cwq->thread of every cpu_workqueue_struct: one per CPU for each multi-threaded "
         "workqueue, one for each single-threaded one");
  legend(palette::kBoxBg, "free " + std::to_string(free),
         "PIDs alloc_pid() can still hand out below pid_max (PID 0 never is)");
  for (const model::LegacyFailure& f : s.legacy.failures) {
    const model::LegacyWqInfo* wq = s.legacy.workqueue(f.wq);
    if (!wq) continue;
    const std::string label = "\xc3\x97 " + ctx.str(wq->name) + "/" + std::to_string(f.cpu) + ": " +
                              room::creation_errno(f.err);
    dl->AddText(ImVec2(x, ly), palette::kVermillion, label.c_str());
    x += ImGui::CalcTextSize(label.c_str()).x + m_.pad * 4;
  }
  ++drawn_;
  return h + m_.pad + m_.font;
}

// The single-threaded workqueues: one thread each, not bound to a CPU.
float MachineRoomView::draw_legacy_singles(ViewContext& ctx, ImVec2 origin, float width) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const char* title = "single-threaded workqueues (one unbound thread each):";
  dl->AddText(origin, palette::kTextDim, title);
  room::interact(ctx, origin, ImVec2(origin.x + ImGui::CalcTextSize(title).x, origin.y + m_.font),
                 {},
                 "create_singlethread_workqueue(): one cpu_workqueue_struct and one thread, "
                 "named after the workqueue; every item queued on it runs on that thread, in "
                 "order.");
  float x = origin.x, y = origin.y + m_.font + m_.pad;
  const float chip_h = m_.font + m_.pad;
  for (const model::LegacyWqInfo& wq : ctx.state.legacy.workqueues) {
    if (!wq.singlethread || wq.destroyed) continue;
    ++legacy_stats_.singlethread;
    int32_t queued = 0;
    const room::ThreadState st = room::thread_state(ctx.state, wq, 0, &queued);
    const room::ThreadLook look = room::thread_look(st);
    const std::string label = std::string(look.glyph) + " " + room::thread_name(ctx, wq, 0) +
                              (queued ? " +" + std::to_string(queued) : "");
    const float w = ImGui::CalcTextSize(label.c_str()).x + m_.pad * 2;
    if (x + w > origin.x + width && x > origin.x) {
      x = origin.x;
      y += chip_h + m_.pad;
    }
    const ImVec2 a(x, y), b(x + w, y + chip_h);
    const ObjectRef me = ObjectRef::worker(wq.threads[0]);
    dl->AddRect(a, b, ctx.selection.is(me) ? palette::kSelection : look.colour, 3.0f);
    dl->AddText(ImVec2(a.x + m_.pad, a.y + m_.pad * 0.5f), look.colour, label.c_str());
    room::interact(ctx, a, b, wq.threads[0] ? me : ObjectRef{}, room::thread_tooltip(ctx, wq, 0));
    x += w + m_.pad;
    ++drawn_;
  }
  return y + chip_h - origin.y;
}

}  // namespace wqlab

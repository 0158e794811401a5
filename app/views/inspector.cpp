// LessonView's inspector: the selected object at the selected moment, field by field, with the
// kernel struct and field each line mirrors.
#include <algorithm>
#include <string>

#include "imgui.h"
#include "model/engine_vocabulary.h"
#include "views/inspector_legacy.h"
#include "views/lesson_view.h"
#include "views/names.h"
#include "views/palette.h"
#include "views/why_bar.h"

namespace wqlab {
namespace {

// "label   value" with the kernel field as the tooltip.
void field(const char* label, const std::string& value, const char* kernel_field) {
  ImGui::TextDisabled("%s", label);
  ImGui::SameLine(ImGui::GetFontSize() * 7.5f);
  ImGui::TextWrapped("%s", value.c_str());
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", kernel_field);
}

std::string instance_text(const ViewContext& ctx, const model::Instance& inst) {
  std::string where = model::work_where_name(inst.where);
  if (inst.where == model::WorkWhere::Inactive) where += " of pwq " + std::to_string(inst.pwq);
  if (inst.where == model::WorkWhere::Worklist)
    if (const model::PoolInfo* p = ctx.state.pool(inst.pool)) where += " of " + pool_name(*p);
  if (inst.where == model::WorkWhere::Scheduled || inst.where == model::WorkWhere::Running)
    where += " by " + ctx.comm_of(inst.owner);
  return where;
}

void inspect_work(ViewContext& ctx, int64_t work) {
  const model::Instance* queued = nullptr;
  const model::Instance* running = nullptr;
  for (const auto& [id, inst] : ctx.state.instances) {
    if (inst.work != work) continue;
    (inst.where == model::WorkWhere::Running ? running : queued) = &inst;
  }
  int64_t func = 0;
  int32_t wq = -1;
  size_t runs = 0;
  const model::ExecutionRecord* last = nullptr;
  const auto& all = ctx.model.history().executions;
  auto execs = ctx.model.history().work_execs.find(work);
  if (execs != ctx.model.history().work_execs.end()) {
    for (uint32_t e : execs->second) {
      if (all[e].start_event >= ctx.state.events) break;
      last = &all[e];
      ++runs;
    }
  }
  if (last) {
    func = last->func;
    wq = last->wq;
  }
  for (const model::Instance* i : {queued, running})
    if (i) {
      func = i->func;
      wq = i->wq;
    }
  ImGui::TextColored(ImColor(palette::workqueue_colour(wq)), "work item %s", ctx.str(func).c_str());
  field("struct", "work_struct " + std::to_string(work), "the item's address in traces (work=)");
  field("function", ctx.str(func), "work_struct.func");
  field("workqueue", ctx.name_of_wq(wq), "the workqueue it was last queued on");
  field("pending", queued ? instance_text(ctx, *queued) : "no",
        "WORK_STRUCT_PENDING: queued and not yet started");
  field("running", running ? instance_text(ctx, *running) : "no",
        "a worker with worker->current_work == this item");
  field("runs so far", std::to_string(runs), "workqueue_execute_start events for this item");
  if (last) {
    field("last run",
          format_duration(last->start) + " to " +
              (last->end >= 0 && last->end_event < ctx.state.events ? format_duration(last->end)
                                                                    : std::string("(running)")),
          "workqueue_execute_start .. workqueue_execute_end");
    field("waited", format_duration(last->start - last->queued_at),
          "from queue_work() to workqueue_execute_start");
  }
}

void inspect_worker(ViewContext& ctx, int32_t pid) {
  if (inspect_legacy_thread(ctx, pid)) return;
  const model::WorkerInfo* w = ctx.state.worker(pid);
  ImGui::TextColored(ImColor(palette::kGreen), "worker %s", ctx.ps_name_of(pid).c_str());
  if (!w) {
    ImGui::TextDisabled("Not alive at this moment.");
    return;
  }
  const model::PoolInfo* pool = ctx.state.pool(w->pool);
  const bool manager = pool && pool->manager == pid;
  field("pid", std::to_string(pid), "task_struct.pid");
  field("state", palette::worker_look(model::worker_state(*w, manager)).label,
        "WORKER_IDLE, worker->sleeping, pool->manager, WORKER_DIE, rescuer");
  field("pool", pool ? pool_name(*pool) : std::string("none (between rescues)"), "worker->pool");
  if (w->rescuer) field("rescues", ctx.name_of_wq(w->rescue_wq), "worker->rescue_wq");
  const model::Instance* cur = ctx.state.instance(w->current);
  field("current work", cur ? ctx.str(cur->func) : std::string("none"), "worker->current_work");
  std::string scheduled;
  for (int32_t id : w->scheduled)
    if (const model::Instance* i = ctx.state.instance(id)) scheduled += ctx.str(i->func) + " ";
  field("scheduled", scheduled.empty() ? "empty" : scheduled, "worker->scheduled");
  if (const model::TaskInfo* t = ctx.state.task(pid))
    field("nice", std::to_string(t->nice), "task_struct nice (static_prio)");
}

void inspect_pool(ViewContext& ctx, int32_t id) {
  const model::PoolInfo* p = ctx.state.pool(id);
  if (!p) return;
  ImGui::TextColored(ImColor(palette::kSkyBlue), "%s", pool_name(*p).c_str());
  field("nr_workers", std::to_string(p->nr_workers), "worker_pool.nr_workers");
  field("nr_idle", std::to_string(p->nr_idle), "worker_pool.nr_idle");
  field("nr_running", std::to_string(p->nr_running), "worker_pool.nr_running");
  std::string list;
  for (int32_t i : p->worklist)
    if (const model::Instance* inst = ctx.state.instance(i)) list += ctx.str(inst->func) + " ";
  field("worklist", list.empty() ? "empty" : list, "worker_pool.worklist");
  field("manager", p->manager ? ctx.comm_of(p->manager) : "none", "worker_pool.manager");
}

void inspect_workqueue(ViewContext& ctx, int32_t index) {
  if (inspect_legacy_workqueue(ctx, index)) return;
  const model::WorkqueueInfo* wq = ctx.state.workqueue(index);
  if (!wq) return;
  ImGui::TextColored(ImColor(palette::workqueue_colour(index)), "workqueue %s",
                     ctx.str(wq->name).c_str());
  field("flags", wq_flags_text(wq->flags), "workqueue_struct.flags");
  field("max_active", std::to_string(wq->max_active), "workqueue_struct.max_active");
  field("rescuer", wq->rescuer ? ctx.comm_of(wq->rescuer) : "none", "workqueue_struct.rescuer");
  int active = 0;
  size_t inactive = 0;
  for (int32_t id : wq->pwqs)
    if (const model::PwqInfo* pwq = ctx.state.pwq(id)) {
      active += pwq->nr_active;
      inactive += pwq->inactive.size();
    }
  field("pwqs", std::to_string(wq->pwqs.size()), "workqueue_struct.pwqs");
  field("nr_active", std::to_string(active), "sum of pool_workqueue.nr_active");
  field("inactive", std::to_string(inactive), "items on the pwqs' inactive_works lists");
  field("started", std::to_string(wq->counters.started), "PWQ_STAT_STARTED");
}

}  // namespace

void LessonView::draw_inspector(ViewContext& ctx) {
  draw_why_bar(ctx, false);
  ImGui::Separator();
  const ObjectRef o = ctx.selection.object;
  ImGui::TextDisabled("Selected (at %s s)", trace::format_time(ctx.moment_time).c_str());
  if (!o) {
    ImGui::TextWrapped("Click a work item, worker, pool or workqueue in any view to inspect it.");
    return;
  }
  ImGui::SameLine();
  if (ImGui::SmallButton("Clear")) ctx.selection.select({});
  switch (o.kind) {
    case ObjectKind::Work:
      inspect_work(ctx, o.id);
      break;
    case ObjectKind::Worker:
      inspect_worker(ctx, static_cast<int32_t>(o.id));
      break;
    case ObjectKind::Pool:
      inspect_pool(ctx, static_cast<int32_t>(o.id));
      break;
    case ObjectKind::Workqueue:
      inspect_workqueue(ctx, static_cast<int32_t>(o.id));
      break;
    case ObjectKind::None:
      break;
  }
  ++drawn_;
}

}  // namespace wqlab

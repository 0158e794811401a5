// The machine room's workqueues: one row each, with its flags and max_active, its busy pwqs
// (nr_active / max_active and the inactive list), delayed items, and its rescuer while it waits.
#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>
#include <vector>

#include "imgui.h"
#include "model/engine_vocabulary.h"
#include "views/machine_room_view.h"
#include "views/names.h"

namespace wqlab {
namespace {

using room::interact;

// A small tag such as "unbound" after a workqueue's name; returns its width.
float tag(ImDrawList* dl, ImVec2 at, const char* text, ImU32 colour) {
  const ImVec2 size = ImGui::CalcTextSize(text);
  dl->AddRect(ImVec2(at.x, at.y), ImVec2(at.x + size.x + 6, at.y + size.y + 1), colour, 3.0f);
  dl->AddText(ImVec2(at.x + 3, at.y), colour, text);
  return size.x + 10;
}

}  // namespace

// Whether a workqueue has something to show at this moment: active or waiting items, a
// delayed item, a mayday, or a rescuer out rescuing.
bool MachineRoomView::workqueue_busy(const ViewContext& ctx, const model::WorkqueueInfo& wq) const {
  for (int32_t id : wq.pwqs)
    if (const model::PwqInfo* pwq = ctx.state.pwq(id);
        pwq && in_zoom(ctx, *pwq) && (pwq->nr_active || !pwq->inactive.empty() || pwq->mayday))
      return true;
  return zoom_.kind == ZoomKind::None && delayed_wqs_.count(wq.index) > 0;
}

// Zoomed into a CPU or a pool, a workqueue shows only the pwqs that feed it.
bool MachineRoomView::in_zoom(const ViewContext& ctx, const model::PwqInfo& pwq) const {
  switch (zoom_.kind) {
    case ZoomKind::Cpu: {
      const model::PoolInfo* pool = ctx.state.pool(pwq.pool);
      return pool && !pool->unbound && pool->cpu == zoom_.id;
    }
    case ZoomKind::Pool:
      return pwq.pool == zoom_.id;
    default:
      return true;
  }
}

float MachineRoomView::draw_workqueues(ViewContext& ctx, ImVec2 origin, float width) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  delayed_wqs_.clear();
  for (const auto& [id, inst] : ctx.state.instances)
    if (inst.where == model::WorkWhere::Delayed ||
        (inst.where == model::WorkWhere::Worklist && inst.pool < 0))
      delayed_wqs_.insert(inst.wq);
  std::vector<const model::WorkqueueInfo*> shown;
  std::string quiet;
  int quiet_count = 0;
  for (const model::WorkqueueInfo& wq : ctx.state.workqueues) {
    if (wq.index < 0) continue;
    const bool chosen = ctx.selection.is(ObjectRef::workqueue(wq.index));
    if (show_idle_workqueues || chosen || workqueue_busy(ctx, wq) || wq.rescuer != 0) {
      shown.push_back(&wq);
    } else {
      quiet += (quiet_count++ % 4 == 0 ? "\n  " : ", ") + ctx.str(wq.name);
    }
  }
  std::string title = zoom_.kind == ZoomKind::None ? "Workqueues" : "Workqueues feeding it";
  if (quiet_count > 0) title += " (" + std::to_string(quiet_count) + " quiet ones hidden)";
  dl->AddText(origin, palette::kTextDim, title.c_str());
  interact(
      ctx, origin, ImVec2(origin.x + ImGui::CalcTextSize(title.c_str()).x, origin.y + m_.font), {},
      "struct workqueue_struct: what drivers queue work on. Each has one pool_workqueue (pwq)\n"
      "per pool it feeds; a pwq lets max_active items be active and keeps the rest on its\n"
      "inactive list. Workqueues with nothing queued right now are hidden:" +
          quiet);
  float y = origin.y + m_.font + m_.pad;
  for (const model::WorkqueueInfo* wq : shown)
    y += draw_workqueue(ctx, *wq, ImVec2(origin.x, y), width) + m_.pad;
  return y - origin.y;
}

float MachineRoomView::draw_workqueue(ViewContext& ctx, const model::WorkqueueInfo& wq,
                                      ImVec2 origin, float width) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const model::MachineState& s = ctx.state;
  const float pad = m_.pad, line = m_.font + pad;
  const ImU32 colour = palette::workqueue_colour(wq.index);
  const ObjectRef me = ObjectRef::workqueue(wq.index);
  const std::string name = ctx.str(wq.name);

  // The name, with its flags as tags.
  float x = origin.x;
  dl->AddRectFilled(ImVec2(x, origin.y + 2), ImVec2(x + 5, origin.y + m_.font), colour);
  x += 9;
  dl->AddText(ImVec2(x, origin.y), wq.destroyed ? palette::kTextDim : colour, name.c_str());
  const float name_w = ImGui::CalcTextSize(name.c_str()).x;
  interact(ctx, ImVec2(origin.x, origin.y), ImVec2(x + name_w, origin.y + m_.font), me,
           "struct workqueue_struct \"" + name + "\"\nflags: " + wq_flags_text(wq.flags) +
               " (wq->flags)\nmax_active: " + std::to_string(wq.max_active) + " (wq->max_active)" +
               (wq.destroyed ? "\ndestroyed" : "") + "\nClick to select it in every view.");
  if (ctx.selection.is(me))
    dl->AddRect(ImVec2(origin.x - 2, origin.y - 1), ImVec2(x + name_w + 2, origin.y + m_.font + 1),
                palette::kSelection, 3.0f);
  wq_entry_[wq.index] = ImVec2(x + name_w + 4, origin.y);
  x += name_w + 8;
  if (wq.flags & wq::WQ_UNBOUND) x += tag(dl, ImVec2(x, origin.y), "unbound", palette::kTextDim);
  if (wq.flags & wq::WQ_HIGHPRI) x += tag(dl, ImVec2(x, origin.y), "highpri", palette::kYellow);
  if (wq.flags & wq::WQ_MEM_RECLAIM)
    x += tag(dl, ImVec2(x, origin.y), "mem_reclaim", palette::kPurple);
  if (wq.flags & wq::WQ_CPU_INTENSIVE)
    x += tag(dl, ImVec2(x, origin.y), "cpu_intensive", palette::kOrange);
  const std::string max = "max_active " + std::to_string(wq.max_active);
  dl->AddText(ImVec2(x, origin.y), palette::kTextDim, max.c_str());
  interact(ctx, ImVec2(x, origin.y),
           ImVec2(x + ImGui::CalcTextSize(max.c_str()).x, origin.y + m_.font), {},
           "workqueue_struct.max_active: how many of its items may be active at once per pwq\n"
           "(for unbound workqueues, across all its pwqs). The rest wait on inactive lists.");
  ++drawn_;

  // The busy pwqs, in a flowing row of boxes, then the rescuer and delayed items.
  float bx = origin.x + 9, by = origin.y + line;
  float row_h = 0.0f;
  int idle_pwqs = 0;
  auto next_box = [&](float w, float h) {
    if (bx + w > origin.x + width && bx > origin.x + 9) {
      bx = origin.x + 9;
      by += row_h + pad;
      row_h = 0.0f;
    }
    const ImVec2 at(bx, by);
    bx += w + pad;
    row_h = std::max(row_h, h);
    return at;
  };
  for (int32_t id : wq.pwqs) {
    const model::PwqInfo* pwq = s.pwq(id);
    if (!pwq || !in_zoom(ctx, *pwq)) continue;
    if (pwq->nr_active == 0 && pwq->inactive.empty() && !pwq->mayday) {
      ++idle_pwqs;
      continue;
    }
    const std::string where = pwq->cpu >= 0 ? "CPU " + std::to_string(pwq->cpu) : "dfl";
    const std::string head = "pwq " + std::to_string(pwq->id) + " \xc2\xb7 " + where;  // ·
    const std::string active =
        "active " + std::to_string(pwq->nr_active) + "/" + std::to_string(wq.max_active);
    const size_t shown = std::min<size_t>(pwq->inactive.size(), 6);
    const float tokens_w = static_cast<float>(std::max<size_t>(shown, 1)) * (m_.token_w + pad);
    const float w = std::max({ImGui::CalcTextSize(head.c_str()).x,
                              ImGui::CalcTextSize(active.c_str()).x, tokens_w}) +
                    pad * 2;
    const float h = line * 2 + m_.token_h + pad * 2;
    const ImVec2 a = next_box(w, h), b(a.x + w, a.y + h);
    dl->AddRectFilled(a, b, palette::kBoxBg, 4.0f);
    dl->AddRect(a, b, pwq->mayday ? palette::kVermillion : palette::with_alpha(colour, 160), 4.0f,
                0, pwq->mayday ? 2.0f : 1.0f);
    dl->AddText(ImVec2(a.x + pad, a.y + pad * 0.5f), palette::kText, head.c_str());
    const bool full = pwq->nr_active >= wq.max_active;
    dl->AddText(ImVec2(a.x + pad, a.y + line), full ? palette::kOrange : palette::kTextDim,
                active.c_str());
    if (pwq->mayday)
      dl->AddText(ImVec2(b.x - pad - ImGui::CalcTextSize("MAYDAY").x, a.y + line),
                  palette::kVermillion, "MAYDAY");
    const model::PoolInfo* pool = s.pool(pwq->pool);
    interact(
        ctx, a, b, {},
        "struct pool_workqueue " + std::to_string(pwq->id) + ": links " + name + " to " +
            (pool ? pool_name(*pool) : "pool " + std::to_string(pwq->pool)) + "\nnr_active " +
            std::to_string(pwq->nr_active) + " of max_active " + std::to_string(wq.max_active) +
            " (pwq->nr_active)\ninactive_works: " + std::to_string(pwq->inactive.size()) +
            " item(s) waiting for a slot" +
            (pwq->mayday ? "\nOn wq->maydays: its pool called the rescuer (send_mayday())" : ""));
    for (size_t i = 0; i < pwq->inactive.size(); ++i) {
      const size_t slot = std::min(i, shown - 1);
      if (const model::Instance* inst = s.instance(pwq->inactive[i]))
        place(*inst,
              ImVec2(a.x + pad + static_cast<float>(slot) * (m_.token_w + pad), a.y + line * 2));
    }
    if (pwq->inactive.empty())
      dl->AddText(ImVec2(a.x + pad, a.y + line * 2 + 1), palette::kTextDim, "no inactive items");
    ++drawn_;
  }
  // Delayed items of this workqueue wait on their timers here.
  for (const auto& [iid, inst] : s.instances) {
    if (inst.wq != wq.index || !delayed_wqs_.count(wq.index) || zoom_.kind != ZoomKind::None)
      continue;
    if (inst.where == model::WorkWhere::Delayed ||
        (inst.where == model::WorkWhere::Worklist && inst.pool < 0)) {
      const ImVec2 at = next_box(m_.token_w, m_.token_h);
      place(inst, at);
    }
  }
  // The rescuer, while it waits for a mayday (it joins a pool to rescue).
  if (wq.rescuer) {
    const model::WorkerInfo* r = s.worker(wq.rescuer);
    const std::string label = "R " + ctx.comm_of(wq.rescuer);
    const float w = ImGui::CalcTextSize(label.c_str()).x + pad * 2;
    const ImVec2 a = next_box(w, line), b(a.x + w, a.y + line);
    const bool away = r && r->pool >= 0;
    const ObjectRef rm = ObjectRef::worker(wq.rescuer);
    dl->AddRect(a, b,
                ctx.selection.is(rm) ? palette::kSelection
                                     : palette::with_alpha(palette::kPurple, away ? 90 : 255),
                4.0f);
    dl->AddText(ImVec2(a.x + pad, a.y + pad * 0.5f),
                palette::with_alpha(palette::kPurple, away ? 110 : 255), label.c_str());
    interact(ctx, a, b, rm,
             "wq->rescuer: " + ctx.comm_of(wq.rescuer) +
                 "\nA WQ_MEM_RECLAIM workqueue keeps this kworker in reserve. When a pool\n"
                 "cannot create workers (memory pressure), its mayday timer wakes the rescuer,\n"
                 "which joins the pool and runs this workqueue's items." +
                 (away ? "\nNow rescuing in pool " + std::to_string(r->pool) + "."
                       : "\nNow parked, waiting for a mayday."));
    ++drawn_;
  }
  if (idle_pwqs > 0) {
    const std::string idle = std::to_string(idle_pwqs) + " idle pwq" + (idle_pwqs > 1 ? "s" : "");
    const ImVec2 at = next_box(ImGui::CalcTextSize(idle.c_str()).x, m_.font);
    dl->AddText(at, palette::kTextDim, idle.c_str());
    interact(ctx, at, ImVec2(at.x + ImGui::CalcTextSize(idle.c_str()).x, at.y + m_.font), {},
             "pool_workqueues of " + name + " with nothing active and nothing waiting");
  }
  return by + row_h - origin.y;
}

}  // namespace wqlab

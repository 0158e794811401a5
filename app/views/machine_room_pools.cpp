// The machine room's CPUs and pools: a column per CPU (who computes, the normal and highpri
// pools), unbound pools, and inside each pool its counters, worklist and workers.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "imgui.h"
#include "views/machine_room_view.h"
#include "views/names.h"
#include "views/test_hooks.h"

namespace wqlab {
namespace {

using room::counter;
using room::interact;

// "kworker/0:1" -> "0:1" when columns are narrow.
std::string short_name(const std::string& comm, bool compact) {
  if (!compact || comm.rfind("kworker/", 0) != 0) return comm;
  return comm.substr(8);
}

std::string pool_tooltip(const model::PoolInfo& p) {
  std::string t = "struct worker_pool, pool->id " + std::to_string(p.id) + "\n";
  if (p.bh) {
    t += std::string(p.highpri() ? "The highpri BH pool" : "The BH pool") + " of CPU " +
         std::to_string(p.cpu) + ": its items run in softirq context on this CPU\n(" +
         (p.highpri() ? "HI_SOFTIRQ" : "TASKLET_SOFTIRQ") +
         ", in ksoftirqd here), by bh_worker(); its one worker has no task.";
  } else if (p.unbound) {
    t += "An unbound pool: its workers may run on any CPU of its pod, and concurrency is not\n"
         "managed (nr_running stays 0): every queued item gets a worker.";
  } else {
    t += std::string(p.highpri() ? "The highpri pool" : "The normal pool") + " of CPU " +
         std::to_string(p.cpu) + " (attrs->nice " + std::to_string(p.nice) +
         "): it runs the items of every\nbound workqueue queued on this CPU" +
         (p.highpri() ? " with WQ_HIGHPRI." : ".");
  }
  return t + "\n";
}

}  // namespace

void MachineRoomView::draw_columns(ViewContext& ctx, ImVec2 origin, float width,
                                   const std::vector<int>& cpus, float* height, bool with_unbound) {
  std::vector<const model::PoolInfo*> unbound;
  for (const model::PoolInfo& p : ctx.state.pools)
    if (p.id >= 0 && p.unbound && with_unbound) unbound.push_back(&p);
  const int columns = static_cast<int>(cpus.size() + unbound.size());
  const float gap = m_.pad * 2;
  const float col_w = std::floor((width - gap * static_cast<float>(columns - 1)) /
                                 static_cast<float>(std::max(columns, 1)));
  float x = origin.x, tallest = 0.0f;
  for (int cpu : cpus) {
    tallest = std::max(tallest, draw_cpu_column(ctx, cpu, ImVec2(x, origin.y), col_w));
    x += col_w + gap;
  }
  ImDrawList* dl = ImGui::GetWindowDrawList();
  for (const model::PoolInfo* p : unbound) {
    // The column's head: unbound pools have no CPU of their own.
    const float strip = m_.font + m_.pad * 2;
    dl->AddRectFilled(ImVec2(x, origin.y), ImVec2(x + col_w, origin.y + strip),
                      palette::rgb(0x262A35), 4.0f);
    dl->AddText(ImVec2(x + m_.pad, origin.y + m_.pad), palette::kSkyBlue, "unbound");
    const float h = draw_pool(ctx, *p, ImVec2(x, origin.y + strip + m_.pad), col_w);
    tallest = std::max(tallest, strip + m_.pad + h);
    x += col_w + gap;
  }
  *height = tallest;
}

float MachineRoomView::draw_cpu_column(ViewContext& ctx, int cpu, ImVec2 origin, float width) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const model::CpuInfo* c = static_cast<size_t>(cpu) < ctx.state.cpus.size()
                                ? &ctx.state.cpus[static_cast<size_t>(cpu)]
                                : nullptr;
  const float strip = m_.font + m_.pad * 2;
  const bool busy = c && c->running != 0;
  const ImVec2 a = origin, b(origin.x + width, origin.y + strip);
  dl->AddRectFilled(a, b, busy ? palette::with_alpha(palette::kGreen, 90) : palette::rgb(0x262A35),
                    4.0f);
  std::string who = !c || !c->online ? "offline" : busy ? ctx.comm_of(c->running) : "idle";
  const std::string head = "CPU " + std::to_string(cpu);
  dl->AddText(ImVec2(a.x + m_.pad, a.y + m_.pad), palette::kSkyBlue, head.c_str());
  const float hw = ImGui::CalcTextSize(head.c_str()).x;
  who = room::fit_text(who, width - hw - m_.pad * 4);
  dl->AddText(ImVec2(a.x + m_.pad * 2 + hw, a.y + m_.pad),
              busy ? palette::kText : palette::kTextDim, who.c_str());
  const bool zoomed = zoom_.kind == ZoomKind::Cpu && zoom_.id == cpu;
  if (interact(ctx, a, b, {},
               "CPU " + std::to_string(cpu) +
                   (busy ? ": " + ctx.comm_of(c->running) + " computes on it (cpu_run)"
                         : ": nothing computes on it now (cpu_run)") +
                   (zoomed ? "" : "\nClick to zoom into this CPU's pools")) &&
      !zoomed && ImGui::IsMouseClicked(ImGuiMouseButton_Left))
    zoom_ = {ZoomKind::Cpu, cpu};
  ++drawn_;
  float y = origin.y + strip + m_.pad;
  for (bool highpri : {false, true}) {
    for (const model::PoolInfo& p : ctx.state.pools) {
      if (p.id < 0 || p.unbound || p.cpu != cpu || p.highpri() != highpri) continue;
      y += draw_pool(ctx, p, ImVec2(origin.x, y), width) + m_.pad;
    }
  }
  return y - origin.y;
}

float MachineRoomView::draw_pool(ViewContext& ctx, const model::PoolInfo& pool, ImVec2 origin,
                                 float width) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float pad = m_.pad, line = m_.font + pad;
  const ObjectRef me = ObjectRef::pool(pool.id);
  const bool starved = !pool.worklist.empty() && pool.nr_running == 0 && pool.nr_idle == 0;
  std::string title = "pool " + std::to_string(pool.id);
  if (pool.bh) title += " \xc2\xb7 BH";              // ·
  if (pool.highpri()) title += " \xc2\xb7 highpri";  // ·
  const float title_w = ImGui::CalcTextSize(title.c_str()).x;
  const float counters_w = ImGui::CalcTextSize("run 0  idle 00  all 00").x;
  const bool one_line = title_w + counters_w + pad * 4 < width;
  // Lay out first, to size the box: the worklist's tokens follow its label, workers flow below.
  const float inner = width - pad * 2;
  const float list_label_w = ImGui::CalcTextSize("worklist").x + pad;
  const int tokens_per_row =
      std::max(1, static_cast<int>((inner - list_label_w + pad) / (m_.token_w + pad)));
  const int token_rows = std::min(
      3, std::max(
             1, static_cast<int>((pool.worklist.size() + static_cast<size_t>(tokens_per_row) - 1) /
                                 static_cast<size_t>(tokens_per_row))));
  const int chips_per_row = std::max(1, static_cast<int>((inner + pad) / (m_.chip_w + pad)));
  const int chip_rows =
      static_cast<int>((pool.workers.size() + static_cast<size_t>(chips_per_row) - 1) /
                       static_cast<size_t>(chips_per_row));
  const float h = pad + line * (one_line ? 1.0f : 2.0f) +
                  static_cast<float>(token_rows) * (m_.token_h + pad) +
                  static_cast<float>(chip_rows) * (m_.chip_h + pad) + pad;
  const ImVec2 a = origin, b(origin.x + width, origin.y + h);
  dl->AddRectFilled(a, b, palette::kBoxBg, 5.0f);
  dl->AddRect(a, b,
              ctx.selection.is(me) ? palette::kSelection
              : starved            ? palette::kVermillion
                                   : palette::kBoxBorder,
              5.0f, 0, ctx.selection.is(me) || starved ? 2.0f : 1.0f);
  ++drawn_;

  // Which pool, and its counters, each naming its field.
  float y = a.y + pad;
  dl->AddText(ImVec2(a.x + pad, y), pool.highpri() ? palette::kYellow : palette::kText,
              title.c_str());
  const bool zoomed = zoom_.kind == ZoomKind::Pool && zoom_.id == pool.id;
  if (interact(ctx, ImVec2(a.x, a.y), ImVec2(a.x + pad + title_w, y + m_.font), me,
               pool_tooltip(pool) + (zoomed ? "" : " Click to select it and zoom into it.")) &&
      !zoomed && ImGui::IsMouseClicked(ImGuiMouseButton_Left))
    zoom_ = {ZoomKind::Pool, pool.id};
  if (test_hooks::kEnabled)
    test_hooks::note_rect(("room:pool " + std::to_string(pool.id)).c_str(), a.x, a.y,
                          a.x + pad + title_w, y + m_.font);
  float x = a.x + pad;
  if (one_line) {
    x += title_w + pad * 3;
  } else {
    y += line;
  }
  x += counter(
           ctx, dl, ImVec2(x, y), "run", pool.nr_running,
           pool.nr_running ? palette::kGreen : palette::kTextDim,
           "worker_pool.nr_running = " + std::to_string(pool.nr_running) +
               ": workers running, not sleeping.\nConcurrency management wakes an idle worker only "
               "when this is 0 while items wait.") +
       pad * 2;
  x += counter(ctx, dl, ImVec2(x, y), "idle", pool.nr_idle, palette::kText,
               "worker_pool.nr_idle = " + std::to_string(pool.nr_idle) +
                   ": workers on pool->idle_list") +
       pad * 2;
  counter(ctx, dl, ImVec2(x, y), "all", pool.nr_workers, palette::kText,
          "worker_pool.nr_workers = " + std::to_string(pool.nr_workers) +
              ": workers attached to the pool");
  y += line;
  // The worklist: its label, then its tokens.
  dl->AddText(ImVec2(a.x + pad, y + 1), starved ? palette::kVermillion : palette::kTextDim,
              "worklist");
  interact(ctx, ImVec2(a.x + pad, y), ImVec2(a.x + pad + list_label_w, y + m_.font), {},
           "worker_pool.worklist: items whose pwq let them run (nr_active < max_active),\n"
           "oldest first; an idle worker takes the first one." +
               std::string(starved ? "\nNo worker is running or idle: the manager must create one\n"
                                     "(if that fails, the mayday timer calls the rescuers)."
                                   : ""));
  const float list_x = a.x + pad + list_label_w;
  if (pool.worklist.empty())
    dl->AddText(ImVec2(list_x, y + 1), palette::with_alpha(palette::kTextDim, 140), "empty");
  const size_t shown = static_cast<size_t>(tokens_per_row * token_rows);
  for (size_t i = 0; i < pool.worklist.size(); ++i) {
    const size_t slot = std::min(i, shown - 1);  // the overflow piles up on the last slot
    const ImVec2 at(
        list_x +
            static_cast<float>(slot % static_cast<size_t>(tokens_per_row)) * (m_.token_w + pad),
        y + static_cast<float>(slot / static_cast<size_t>(tokens_per_row)) * (m_.token_h + pad));
    if (const model::Instance* inst = ctx.state.instance(pool.worklist[i])) place(*inst, at);
  }
  y += static_cast<float>(token_rows) * (m_.token_h + pad);
  if (pool.worklist.size() > shown) {
    const std::string more = "+" + std::to_string(pool.worklist.size() - shown + 1) + " more";
    dl->AddText(ImVec2(b.x - pad - ImGui::CalcTextSize(more.c_str()).x, y - pad - m_.font),
                palette::kOrange, more.c_str());
  }
  // The workers.
  for (size_t i = 0; i < pool.workers.size(); ++i) {
    const ImVec2 at(
        a.x + pad + static_cast<float>(i % static_cast<size_t>(chips_per_row)) * (m_.chip_w + pad),
        y + static_cast<float>(i / static_cast<size_t>(chips_per_row)) * (m_.chip_h + pad));
    draw_worker(ctx, pool, pool.workers[i], at);
  }
  return h;
}

float MachineRoomView::draw_worker(ViewContext& ctx, const model::PoolInfo& pool, int32_t pid,
                                   ImVec2 at) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const model::WorkerInfo* w = ctx.state.worker(pid);
  if (!w) return 0.0f;
  const model::WorkerState st = model::worker_state(*w, pool.manager == pid);
  const palette::StateLook look = palette::worker_look(st);
  const ImVec2 b(at.x + m_.chip_w, at.y + m_.chip_h);
  const ObjectRef me = ObjectRef::worker(pid);
  const bool running = st == model::WorkerState::Running;
  dl->AddRectFilled(at, b, palette::rgb(0x1A1D24), 4.0f);
  dl->AddRect(at, b, ctx.selection.is(me) ? palette::kSelection : look.colour, 4.0f, 0,
              running || ctx.selection.is(me) ? 2.0f : 1.0f);
  const float pad = m_.pad;
  dl->AddText(ImVec2(at.x + pad, at.y + pad * 0.5f), look.colour, look.glyph);
  const float gw = ImGui::CalcTextSize(look.glyph).x + 3;
  const std::string name =
      room::fit_text(short_name(ctx.comm_of(pid), m_.compact), m_.chip_w - pad * 2 - gw);
  dl->AddText(ImVec2(at.x + pad + gw, at.y + pad * 0.5f), palette::kText, name.c_str());
  const ImVec2 slot(at.x + pad, at.y + m_.font + pad * 1.5f);
  // The item it runs sits in its slot; items scheduled behind it stack up a little lower.
  if (const model::Instance* cur = ctx.state.instance(w->current)) place(*cur, slot);
  for (size_t i = 0; i < w->scheduled.size(); ++i)
    if (const model::Instance* s = ctx.state.instance(w->scheduled[i]))
      place(*s, ImVec2(slot.x + 4.0f * static_cast<float>(i + 1),
                       slot.y + 3.0f * static_cast<float>(i + 1)));
  if (w->current < 0 && w->scheduled.empty())
    dl->AddText(ImVec2(slot.x, slot.y + 1), palette::with_alpha(look.colour, 200), look.label);
  if (st == model::WorkerState::Sleeping)
    dl->AddText(ImVec2(b.x - pad - ImGui::CalcTextSize("zz").x, at.y + pad * 0.5f),
                palette::kSkyBlue, "zz");
  ++drawn_;
  if (!room::mouse_over(at, b)) return m_.chip_h;  // the tooltip is built only when it shows
  std::string tip = "struct worker: " + ctx.comm_of(pid) + " (task_struct.comm), pid " +
                    std::to_string(pid) + "\nps shows " + ctx.ps_name_of(pid) +
                    " (wq_worker_comm())\nstate: " + look.label;
  switch (st) {
    case model::WorkerState::Idle:
      tip += " (WORKER_IDLE, on pool->idle_list)";
      break;
    case model::WorkerState::Busy:
      tip += ": awake, looking at the worklist";
      break;
    case model::WorkerState::Running:
      tip += ": runs worker->current_work";
      break;
    case model::WorkerState::Sleeping:
      tip += ": blocked inside its work item; wq_worker_sleeping() took it out of nr_running";
      break;
    case model::WorkerState::Manager:
      tip += ": pool->manager, creating a worker (maybe_create_worker())";
      break;
    case model::WorkerState::Rescuer:
      tip += ": the workqueue's rescuer (wq->rescuer), attached to this pool to run its items";
      break;
    case model::WorkerState::Dying:
      tip += " (WORKER_DIE): idle too long, being reaped";
      break;
  }
  if (!w->scheduled.empty())
    tip += "\nworker->scheduled: " + std::to_string(w->scheduled.size()) + " more item(s)";
  interact(ctx, at, b, me, tip + "\nClick to select it in every view.");
  return m_.chip_h;
}

}  // namespace wqlab

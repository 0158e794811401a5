// CountersView: the tab bar and the wq_monitor table.
#include "views/counters_view.h"

#include <cinttypes>
#include <cstdio>

#include "imgui.h"
#include "model/engine_vocabulary.h"
#include "views/palette.h"
#include "views/test_hooks.h"

namespace wqlab {
namespace {

struct Column {
  const char* name;
  const char* tooltip;
};
// The columns of wq_monitor.py, with the struct fields they read.
constexpr Column kColumns[] = {
    {"workqueue", "workqueue_struct.name"},
    {"total",
     "pool_workqueue.stats[PWQ_STAT_STARTED], summed over the workqueue's pwqs:\n"
     "work items started"},
    {"infl", "PWQ_STAT_STARTED - PWQ_STAT_COMPLETED: work items running right now"},
    {"CPUtime",
     "PWQ_STAT_CPU_TIME in milliseconds (wq_monitor.py prints seconds): CPU time\n"
     "charged by wq_worker_tick() to the workqueue's items, one jiffy per tick"},
    {"CPUitsv",
     "PWQ_STAT_CPU_INTENSIVE: items that hogged the CPU past\n"
     "wq_cpu_intensive_thresh_us and were made CPU-intensive ('-' for unbound)"},
    {"CMW/RPR",
     "PWQ_STAT_CM_WAKEUP: concurrency-management wake-ups (a worker slept, so\n"
     "wq_worker_sleeping() woke an idle one); for unbound workqueues\n"
     "PWQ_STAT_REPATRIATED: kick_pool() woke a worker inside its pod's CPUs\n"
     "after it had last run outside them"},
    {"mayday", "PWQ_STAT_MAYDAY: times a pwq called its rescuer (WQ_MEM_RECLAIM only)"},
    {"rescued", "PWQ_STAT_RESCUED: items the rescuer ran (WQ_MEM_RECLAIM only)"},
};

void cell(const char* text, ImU32 colour = palette::kText) {
  ImGui::TableNextColumn();
  const float w = ImGui::CalcTextSize(text).x;
  ImGui::SetCursorPosX(ImGui::GetCursorPosX() + ImGui::GetColumnWidth() - w -
                       ImGui::GetStyle().CellPadding.x);
  ImGui::PushStyleColor(ImGuiCol_Text, colour);
  ImGui::TextUnformatted(text);
  ImGui::PopStyleColor();
}

void number_cell(uint64_t v, bool applies = true) {
  char text[32];
  if (!applies) {
    cell("-", palette::kTextDim);
    return;
  }
  std::snprintf(text, sizeof text, "%" PRIu64, v);
  cell(text, v ? palette::kText : palette::kTextDim);
}

}  // namespace

void CountersView::draw(ViewContext& ctx) {
  drawn_ = 0;
  if (!ImGui::BeginTabBar("##counters")) return;
  struct TabInfo {
    Tab tab;
    const char* label;
    const char* note;
  };
  constexpr TabInfo kTabs[] = {{Tab::Monitor, "wq_monitor", "counters:tab:monitor"},
                               {Tab::Plots, "Plots", "counters:tab:plots"},
                               {Tab::Pools, "Pools (wq_dump)", "counters:tab:pools"}};
  for (const TabInfo& t : kTabs) {
    ImGuiTabItemFlags flags = 0;
    if (requested_ && *requested_ == t.tab) flags |= ImGuiTabItemFlags_SetSelected;
    const bool open = ImGui::BeginTabItem(t.label, nullptr, flags);
    test_hooks::note_item(t.note);
    if (!open) continue;
    tab_ = t.tab;
    switch (t.tab) {
      case Tab::Monitor:
        draw_monitor(ctx);
        break;
      case Tab::Plots:
        draw_plots(ctx);
        break;
      case Tab::Pools:
        draw_pools(ctx);
        break;
    }
    ImGui::EndTabItem();
  }
  requested_.reset();
  ImGui::EndTabBar();
}

void CountersView::draw_monitor(ViewContext& ctx) {
  if (ctx.state.legacy.active() && ctx.state.workqueues.empty()) {
    // wq_monitor.py reads cmwq's pool_workqueue stats; 2.6.24 kept none.
    ImGui::TextWrapped(
        "This machine runs the legacy (2.6.24) workqueues, which keep no per-pwq "
        "statistics for wq_monitor: see the Plots tab for threads and PIDs, and "
        "the machine room for each thread.");
    ++drawn_;
    return;
  }
  ImGui::Checkbox("Only workqueues that ran something", &only_busy);
  constexpr ImGuiTableFlags kFlags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV |
                                     ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingFixedFit |
                                     ImGuiTableFlags_ScrollX;
  if (!ImGui::BeginTable("##wq_monitor", 8, kFlags)) return;
  ImGui::TableSetupScrollFreeze(1, 1);
  const float name_w = ImGui::GetFontSize() * 9.0f;
  for (const Column& c : kColumns)
    ImGui::TableSetupColumn(c.name, ImGuiTableColumnFlags_WidthFixed,
                            c.name == kColumns[0].name ? name_w : 0.0f);
  // Header row with the kernel field each column reads.
  ImGui::TableNextRow(ImGuiTableRowFlags_Headers);
  for (int i = 0; i < 8; ++i) {
    ImGui::TableSetColumnIndex(i);
    ImGui::TableHeader(kColumns[i].name);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", kColumns[i].tooltip);
  }
  for (const model::WorkqueueInfo& wq : ctx.state.workqueues) {
    if (wq.index < 0) continue;
    const model::WqCounters& c = wq.counters;
    if (only_busy && c.started == 0 && c.queued == 0) continue;
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    const bool unbound = wq.flags & wq::WQ_UNBOUND;
    const bool reclaim = wq.flags & wq::WQ_MEM_RECLAIM;
    const ObjectRef me = ObjectRef::workqueue(wq.index);
    ImGui::PushID(wq.index);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 p = ImGui::GetCursorScreenPos();
    dl->AddRectFilled(p, ImVec2(p.x + 4, p.y + ImGui::GetTextLineHeight()),
                      palette::workqueue_colour(wq.index));
    ImGui::SetCursorScreenPos(ImVec2(p.x + 8, p.y));
    if (ImGui::Selectable(ctx.str(wq.name).c_str(), ctx.selection.is(me),
                          ImGuiSelectableFlags_SpanAllColumns)) {
      ctx.selection.select(me);
    }
    if (ImGui::IsItemHovered()) {
      ctx.selection.hovered = me;
      ImGui::SetTooltip("workqueue_struct %s: flags 0x%x, max_active %d%s%s",
                        ctx.str(wq.name).c_str(), wq.flags, wq.max_active,
                        wq.destroyed ? " (destroyed)" : "", wq.rescuer ? ", has a rescuer" : "");
    }
    ImGui::PopID();
    number_cell(c.started);
    number_cell(c.started >= c.completed ? c.started - c.completed : 0);
    char ms[32];
    std::snprintf(ms, sizeof ms, "%.1f ms", static_cast<double>(c.cpu_time_us) / 1000.0);
    cell(ms, c.cpu_time_us ? palette::kText : palette::kTextDim);
    number_cell(c.cpu_intensive, !unbound);
    number_cell(unbound ? c.repatriated : c.cm_wakeup);
    number_cell(c.mayday, reclaim);
    number_cell(c.rescued, reclaim);
    ++drawn_;
  }
  ImGui::EndTable();
}

}  // namespace wqlab

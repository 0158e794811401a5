// CountersView's pools tab, in the spirit of tools/workqueue/wq_dump.py: every worker pool
// with its counters, then which pool each workqueue uses on each CPU.
#include <cstdio>
#include <string>

#include "imgui.h"
#include "model/engine_vocabulary.h"
#include "views/counters_view.h"
#include "views/palette.h"

namespace wqlab {
namespace {

void text_cell(const char* text, ImU32 colour = palette::kText) {
  ImGui::TableNextColumn();
  ImGui::PushStyleColor(ImGuiCol_Text, colour);
  ImGui::TextUnformatted(text);
  ImGui::PopStyleColor();
}

void int_cell(int64_t v) {
  char t[24];
  std::snprintf(t, sizeof t, "%lld", static_cast<long long>(v));
  text_cell(t, v ? palette::kText : palette::kTextDim);
}

struct Header {
  const char* name;
  const char* tooltip;
};
constexpr Header kPoolColumns[] = {
    {"pool", "worker_pool.id"},
    {"cpu", "worker_pool.cpu (-1: unbound)"},
    {"nice", "worker_pool.attrs->nice (-20: the highpri pool)"},
    {"workers", "worker_pool.nr_workers"},
    {"idle", "worker_pool.nr_idle"},
    {"running", "worker_pool.nr_running"},
    {"worklist", "items on worker_pool.worklist"},
    {"manager", "worker_pool.manager: the worker creating workers, if any"},
};

}  // namespace

void CountersView::draw_pools(ViewContext& ctx) {
  const model::MachineState& s = ctx.state;
  const float half = ImGui::GetContentRegionAvail().y * 0.55f;
  constexpr ImGuiTableFlags kFlags = ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY |
                                     ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingFixedFit;
  ImGui::TextDisabled("Worker pools");
  if (ImGui::BeginTable("##pools", 8, kFlags, ImVec2(0, half))) {
    ImGui::TableSetupScrollFreeze(0, 1);
    for (const Header& h : kPoolColumns) ImGui::TableSetupColumn(h.name);
    ImGui::TableNextRow(ImGuiTableRowFlags_Headers);
    for (int i = 0; i < 8; ++i) {
      ImGui::TableSetColumnIndex(i);
      ImGui::TableHeader(kPoolColumns[i].name);
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", kPoolColumns[i].tooltip);
    }
    ImGuiListClipper clipper;
    std::vector<const model::PoolInfo*> pools;
    for (const model::PoolInfo& p : s.pools)
      if (p.id >= 0) pools.push_back(&p);
    clipper.Begin(static_cast<int>(pools.size()));
    while (clipper.Step()) {
      for (int row = clipper.DisplayStart; row < clipper.DisplayEnd; ++row) {
        const model::PoolInfo& p = *pools[static_cast<size_t>(row)];
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        char label[24];
        std::snprintf(label, sizeof label, "pool[%02d]", p.id);
        const ObjectRef me = ObjectRef::pool(p.id);
        if (ImGui::Selectable(label, ctx.selection.is(me), ImGuiSelectableFlags_SpanAllColumns))
          ctx.selection.select(me);
        if (ImGui::IsItemHovered()) ctx.selection.hovered = me;
        int_cell(p.cpu);
        int_cell(p.nice);
        int_cell(p.nr_workers);
        int_cell(p.nr_idle);
        int_cell(p.nr_running);
        int_cell(static_cast<int64_t>(p.worklist.size()));
        text_cell(p.manager ? ctx.comm_of(p.manager).c_str() : "-",
                  p.manager ? palette::kYellow : palette::kTextDim);
        ++drawn_;
      }
    }
    ImGui::EndTable();
  }
  // Workqueue CPU -> pool, as wq_dump.py prints it (the first CPUs only when there are many).
  const int cpus = std::min(ctx.model.config().nr_cpus, 16);
  ImGui::TextDisabled("Workqueue CPU -> pool%s",
                      ctx.model.config().nr_cpus > 16 ? " (CPUs 0-15)" : "");
  if (ImGui::BeginTable("##wq_pools", cpus + 3, kFlags | ImGuiTableFlags_ScrollX)) {
    ImGui::TableSetupScrollFreeze(1, 1);
    ImGui::TableSetupColumn("workqueue");
    ImGui::TableSetupColumn("type");
    for (int c = 0; c < cpus; ++c) ImGui::TableSetupColumn(std::to_string(c).c_str());
    ImGui::TableSetupColumn("dfl");
    ImGui::TableHeadersRow();
    for (const model::WorkqueueInfo& wq : s.workqueues) {
      if (wq.index < 0 || wq.destroyed) continue;
      ImGui::TableNextRow();
      text_cell(ctx.str(wq.name).c_str(), palette::workqueue_colour(wq.index));
      const bool unbound = wq.flags & wq::WQ_UNBOUND;
      text_cell(unbound ? ((wq.flags & wq::__WQ_ORDERED) ? "ordered" : "unbound") : "percpu",
                palette::kTextDim);
      std::vector<int32_t> by_cpu(static_cast<size_t>(cpus), -1);
      int32_t dfl = -1;
      for (int32_t id : wq.pwqs) {
        const model::PwqInfo* pwq = s.pwq(id);
        if (!pwq) continue;
        if (pwq->cpu < 0) {
          dfl = pwq->pool;
        } else if (pwq->cpu < cpus) {
          by_cpu[static_cast<size_t>(pwq->cpu)] = pwq->pool;
        }
      }
      for (int32_t p : by_cpu) p >= 0 ? int_cell(p) : text_cell("");
      dfl >= 0 ? int_cell(dfl) : text_cell("");
      ++drawn_;
    }
    ImGui::EndTable();
  }
}

}  // namespace wqlab

// The machine room with many CPUs: a heat strip with one cell per CPU (how many of its workers
// run, how much waits on its worklists), and below it the chosen CPU's column in detail next to
// the unbound pools.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "imgui.h"
#include "views/machine_room_view.h"
#include "views/test_hooks.h"

namespace wqlab {

void MachineRoomView::draw_overview(ViewContext& ctx, ImVec2 origin, float width, float* height) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const model::MachineState& s = ctx.state;
  const int cpus = ctx.model.config().nr_cpus;
  struct Cell {
    int running = 0;
    size_t waiting = 0;
    int workers = 0;
  };
  std::vector<Cell> cells(static_cast<size_t>(cpus));
  for (const model::PoolInfo& p : s.pools) {
    if (p.id < 0 || p.unbound || p.cpu < 0 || p.cpu >= cpus) continue;
    Cell& c = cells[static_cast<size_t>(p.cpu)];
    c.running += p.nr_running;
    c.waiting += p.worklist.size();
    c.workers += p.nr_workers;
  }
  // Until a CPU is clicked, the busiest one is shown in detail.
  if (!focus_chosen_) {
    int best = 0;
    for (int c = 1; c < cpus; ++c) {
      const Cell& x = cells[static_cast<size_t>(c)];
      const Cell& y = cells[static_cast<size_t>(best)];
      if (x.running * 100 + static_cast<int>(x.waiting) >
          y.running * 100 + static_cast<int>(y.waiting))
        best = c;
    }
    focus_cpu = best;
  }
  focus_cpu = std::clamp(focus_cpu, 0, cpus - 1);
  const float legend_h = m_.font + m_.pad;
  const char* legend =
      "CPUs: green = a worker runs, orange = items wait; click a CPU to zoom (or [ and ], Enter)";
  if (ImGui::CalcTextSize(legend).x > width) legend = "green: runs, orange: items wait";
  dl->AddText(origin, palette::kTextDim, legend);
  const float cell = std::max(
      m_.font * 1.6f, std::floor(std::sqrt(width * m_.font * 5.0f / static_cast<float>(cpus))));
  const int per_row = std::max(1, static_cast<int>(width / cell));
  const int rows = (cpus + per_row - 1) / per_row;
  const float top = origin.y + legend_h;
  for (int c = 0; c < cpus; ++c) {
    const Cell& info = cells[static_cast<size_t>(c)];
    const ImVec2 a(origin.x + static_cast<float>(c % per_row) * cell,
                   top + static_cast<float>(c / per_row) * cell);
    const ImVec2 b(a.x + cell - 2, a.y + cell - 2);
    const bool online =
        static_cast<size_t>(c) < s.cpus.size() && s.cpus[static_cast<size_t>(c)].online;
    ImU32 fill = online ? palette::kBoxBg : palette::rgb(0x15171C);
    if (info.running > 0)
      fill = palette::with_alpha(palette::kGreen,
                                 static_cast<uint8_t>(std::min(255, 120 + 60 * info.running)));
    dl->AddRectFilled(a, b, fill, 2.0f);
    if (info.waiting > 0) {
      const float frac = std::min(1.0f, static_cast<float>(info.waiting) / 4.0f);
      dl->AddRectFilled(ImVec2(a.x, b.y - (b.y - a.y) * frac * 0.5f), b, palette::kOrange, 2.0f);
    }
    if (c == focus_cpu) dl->AddRect(a, b, palette::kSelection, 2.0f, 0, 2.0f);
    if (cell >= m_.font * 1.9f) {
      const std::string n = std::to_string(c);
      dl->AddText(ImVec2(a.x + 2, a.y + 1),
                  info.running ? palette::text_on(fill) : palette::kTextDim, n.c_str());
    }
    if (room::mouse_over(a, b)) {
      ImGui::SetTooltip(
          "CPU %d: %d running (nr_running of its two pools), %zu waiting on worklists, %d workers\n"
          "Click to zoom into its pools (below: the busiest CPU, or the one picked with "
          "[ and ]).",
          c, info.running, info.waiting, info.workers);
      if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
        focus_cpu = c;
        focus_chosen_ = true;
        zoom_ = {ZoomKind::Cpu, c};
      }
    }
    if (test_hooks::kEnabled)
      test_hooks::note_rect(("room:cpu " + std::to_string(c)).c_str(), a.x, a.y, b.x, b.y);
    ++drawn_;
  }
  const float strip_h = legend_h + static_cast<float>(rows) * cell + m_.pad * 2;
  float detail_h = 0.0f;
  // The chosen CPU in full, next to the unbound pools (at least two columns' worth of room).
  const bool saved = m_.compact;
  m_.compact = true;
  draw_columns(ctx, ImVec2(origin.x, origin.y + strip_h), width, {focus_cpu}, &detail_h);
  m_.compact = saved;
  *height = strip_h + detail_h;
}

}  // namespace wqlab

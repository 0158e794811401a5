// CountersView's plots: threads and PIDs, kworkers, active and pending items, nr_running per
// pool. They follow the timeline's visible range and show the selected moment.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "imgui.h"
#include "views/counters_view.h"
#include "views/palette.h"
#include "views/plot_widget.h"

namespace wqlab {

void CountersView::draw_plots(ViewContext& ctx) {
  const model::RunHistory& h = ctx.model.history();
  model::Nanos t0 = ctx.selection.range_start, t1 = ctx.selection.range_end;
  if (t1 <= t0) {
    t0 = 0;
    t1 = std::max<model::Nanos>(h.end_time, 1);
  }
  const float avail = ImGui::GetContentRegionAvail().y;
  const float height =
      std::max(ImGui::GetFontSize() * 4.0f, (avail - ImGui::GetStyle().ItemSpacing.y * 4) / 4.0f);
  ImGui::BeginChild("##plots");
  auto show = [&](const PlotArgs& a) {
    if (auto t = draw_plot(a, &drawn_)) ctx.selection.show_moment(ctx.model.events_at_time(*t));
  };
  show({"threads / PIDs in use",
        "Kernel threads alive (task_struct), and PIDs allocated (pid_max shown dashed when near).",
        {{&h.plots.threads, palette::kSkyBlue, "threads"},
         {&h.plots.pids, palette::kOrange, "PIDs"}},
        t0,
        t1,
        ctx.moment_time,
        height,
        h.plots.pids.max_value() * 2 > ctx.model.config().pid_max ? ctx.model.config().pid_max
                                                                  : -1});
  show({"kworkers",
        "Workers alive in all pools (struct worker, rescuers not counted).",
        {{&h.plots.kworkers, palette::kGreen, "kworkers"}},
        t0,
        t1,
        ctx.moment_time,
        height});
  show({"active / pending items",
        "active: the sum of pool_workqueue.nr_active (items allowed to run by max_active).\n"
        "pending: items queued (or on their timer) that no worker has started yet.",
        {{&h.plots.active, palette::kOrange, "active"},
         {&h.plots.pending, palette::kPurple, "pending"}},
        t0,
        t1,
        ctx.moment_time,
        height});
  // nr_running: one line per pool that ever ran something, the busiest first, at most six.
  std::vector<int32_t> pools;
  for (size_t p = 0; p < h.plots.nr_running.size(); ++p)
    if (h.plots.nr_running[p].max_value() > 0) pools.push_back(static_cast<int32_t>(p));
  std::stable_sort(pools.begin(), pools.end(), [&](int32_t a, int32_t b) {
    return h.plots.nr_running[static_cast<size_t>(a)].t.size() >
           h.plots.nr_running[static_cast<size_t>(b)].t.size();
  });
  if (pools.size() > 6) pools.resize(6);
  std::sort(pools.begin(), pools.end());
  static std::vector<std::string> names;  // the legend's text must outlive draw_plot()
  names.clear();
  for (int32_t p : pools) names.push_back("pool " + std::to_string(p));
  PlotArgs running{"nr_running",
                   "worker_pool.nr_running: workers of the pool running (not sleeping) work.\n"
                   "Concurrency management keeps it at 1 for a per-CPU pool when it can.",
                   {},
                   t0,
                   t1,
                   ctx.moment_time,
                   height};
  static constexpr ImU32 kLines[] = {palette::kGreen,  palette::kSkyBlue, palette::kOrange,
                                     palette::kPurple, palette::kYellow,  palette::kVermillion};
  for (size_t i = 0; i < pools.size(); ++i)
    running.lines.push_back(
        {&h.plots.nr_running[static_cast<size_t>(pools[i])], kLines[i], names[i].c_str()});
  if (running.lines.empty()) {
    ImGui::TextDisabled("nr_running: no pool has run anything yet.");
  } else {
    show(running);
  }
  ImGui::EndChild();
}

}  // namespace wqlab

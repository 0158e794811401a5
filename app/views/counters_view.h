// CountersView: what tools/workqueue/wq_monitor.py and wq_dump.py print, for the selected moment,
// and plots over time (threads, PIDs in use, nr_running, active items).
#pragma once

#include <optional>

#include "views/view_context.h"

namespace wqlab {

class CountersView {
 public:
  enum class Tab { Monitor, Plots, Pools };

  void draw(ViewContext& ctx);
  int drawn_items() const { return drawn_; }
  Tab tab() const { return tab_; }
  void show_tab(Tab t) { requested_ = t; }
  bool only_busy = false;  // wq_monitor: hide workqueues that never ran anything (persisted)

 private:
  void draw_monitor(ViewContext& ctx);
  void draw_plots(ViewContext& ctx);
  void draw_pools(ViewContext& ctx);

  Tab tab_ = Tab::Monitor;
  std::optional<Tab> requested_;
  int drawn_ = 0;
};

}  // namespace wqlab

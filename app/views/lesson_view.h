// LessonView: the left column. Until lesson files arrive it explains the running demo (in
// English and 简体中文), offers its interesting moments, and inspects the selected object at the
// selected moment: a work item, a worker, a pool or a workqueue, named as the kernel names them.
#pragma once

#include "views/view_context.h"

namespace wqlab {

class LessonView {
 public:
  void draw(ViewContext& ctx);
  // The selected object at the selected moment (also shown under a lesson's player).
  void draw_inspector(ViewContext& ctx);
  int drawn_items() const { return drawn_; }
  bool show_chinese = true;  // persisted

 private:
  void draw_scenario(ViewContext& ctx);
  int drawn_ = 0;
};

}  // namespace wqlab

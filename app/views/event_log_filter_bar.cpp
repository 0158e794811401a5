// EventLogView's filter bar: event kinds (by family), workqueue, function, CPU, and following.
#include <algorithm>
#include <cstdio>
#include <string>

#include "imgui.h"
#include "imgui_internal.h"  // ImGuiItemFlags_MixedValue: the group checkbox's "some" state
#include "views/event_log_view.h"
#include "views/test_hooks.h"

namespace wqlab {

using trace::EventKind;

namespace {

struct KindGroup {
  const char* name;
  EventKind first, last;  // inclusive
};
constexpr KindGroup kGroups[] = {
    {"Simulated kernel", EventKind::TaskCreate, EventKind::EventsLost},
    {"Workqueue tracepoints", EventKind::WqQueueWork, EventKind::WqExecuteEnd},
    {"cmwq internals", EventKind::WqAlloc, EventKind::WqDelayedArm},
    {"Legacy workqueues", EventKind::LegacyCreate,
     static_cast<EventKind>(static_cast<int>(EventKind::Count) - 1)},
};

// Places the next item on this line if `width` still fits, else on the next.
void same_line_if_fits(float width) {
  ImGui::SameLine();
  if (ImGui::GetContentRegionAvail().x < width) ImGui::NewLine();
}

bool group_checkbox(model::EventFilter& f, const KindGroup& g) {
  const auto a = static_cast<size_t>(g.first), b = static_cast<size_t>(g.last);
  size_t on = 0;
  for (size_t k = a; k <= b; ++k) on += f.kinds[k] ? 1 : 0;
  bool all = on == b - a + 1;
  if (on > 0 && !all) ImGui::PushItemFlag(ImGuiItemFlags_MixedValue, true);
  const bool pressed = ImGui::Checkbox(g.name, &all);
  if (on > 0 && on != b - a + 1) ImGui::PopItemFlag();
  if (pressed) {
    for (size_t k = a; k <= b; ++k) f.kinds[k] = all;
  }
  return pressed;
}

}  // namespace

void EventLogView::draw_kind_menu() {
  model::EventFilter f = rows_.filter();
  bool changed = false;
  if (ImGui::Button("All")) {
    f.kinds.assign(f.kinds.size(), true);
    changed = true;
  }
  ImGui::SameLine();
  if (ImGui::Button("Workqueue only")) {
    f.kinds.assign(f.kinds.size(), false);
    for (size_t k = static_cast<size_t>(EventKind::WqQueueWork);
         k <= static_cast<size_t>(EventKind::WqDelayedArm); ++k)
      f.kinds[k] = true;
    changed = true;
  }
  ImGui::SameLine();
  if (ImGui::Button("Tracepoints only")) {
    f.kinds.assign(f.kinds.size(), false);
    for (size_t k = static_cast<size_t>(EventKind::WqQueueWork);
         k <= static_cast<size_t>(EventKind::WqExecuteEnd); ++k)
      f.kinds[k] = true;
    changed = true;
  }
  ImGui::Separator();
  for (const KindGroup& g : kGroups) {
    ImGui::PushID(g.name);
    changed |= group_checkbox(f, g);
    if (ImGui::BeginTable("##kinds", 3, ImGuiTableFlags_SizingStretchSame)) {
      for (size_t k = static_cast<size_t>(g.first); k <= static_cast<size_t>(g.last); ++k) {
        ImGui::TableNextColumn();
        bool on = f.kinds[k];
        if (ImGui::Checkbox(
                std::string(trace::event_kind_info(static_cast<EventKind>(k)).name).c_str(), &on)) {
          f.kinds[k] = on;
          changed = true;
        }
      }
      ImGui::EndTable();
    }
    ImGui::Spacing();
    ImGui::PopID();
  }
  if (changed) apply(f);
}

void EventLogView::draw_filter_bar(ViewContext& ctx) {
  model::EventFilter f = rows_.filter();
  bool changed = false;
  const float font = ImGui::GetFontSize();

  const size_t on = static_cast<size_t>(std::count(f.kinds.begin(), f.kinds.end(), true));
  char kinds_label[48];
  if (on == f.kinds.size()) {
    std::snprintf(kinds_label, sizeof kinds_label, "Kinds: all");
  } else {
    std::snprintf(kinds_label, sizeof kinds_label, "Kinds: %zu of %zu", on, f.kinds.size() - 1);
  }
  if (ImGui::Button(kinds_label)) ImGui::OpenPopup("kinds");
  test_hooks::note_item("eventlog:kinds");
  if (ImGui::BeginPopup("kinds")) {
    draw_kind_menu();
    ImGui::EndPopup();
    f = rows_.filter();
  }

  // Workqueue.
  same_line_if_fits(font * 8);
  ImGui::SetNextItemWidth(font * 8);
  const char* wq_preview = f.workqueue < 0 ? "any workqueue" : ctx.str(f.workqueue).c_str();
  if (ImGui::BeginCombo("##wq", wq_preview)) {
    if (ImGui::Selectable("any workqueue", f.workqueue < 0)) {
      f.workqueue = -1;
      changed = true;
    }
    for (const model::WorkqueueInfo& wq : ctx.model.head().workqueues) {
      if (wq.index < 0) continue;
      if (ImGui::Selectable(ctx.str(wq.name).c_str(), f.workqueue == wq.name)) {
        f.workqueue = wq.name;
        changed = true;
      }
    }
    ImGui::EndCombo();
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Only events of this workqueue and its items");

  // Function.
  same_line_if_fits(font * 7);
  ImGui::SetNextItemWidth(font * 7);
  const char* fn_preview = f.function < 0 ? "any function" : ctx.str(f.function).c_str();
  if (ImGui::BeginCombo("##fn", fn_preview)) {
    if (ImGui::Selectable("any function", f.function < 0)) {
      f.function = -1;
      changed = true;
    }
    for (int64_t id : functions_) {
      if (ImGui::Selectable(ctx.str(id).c_str(), f.function == id)) {
        f.function = id;
        changed = true;
      }
    }
    ImGui::EndCombo();
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Only events of work items running this function");

  // CPU.
  same_line_if_fits(font * 5);
  ImGui::SetNextItemWidth(font * 5);
  char cpu_preview[24];
  std::snprintf(cpu_preview, sizeof cpu_preview, f.cpu < 0 ? "any CPU" : "CPU %d", f.cpu);
  if (ImGui::BeginCombo("##cpu", cpu_preview)) {
    if (ImGui::Selectable("any CPU", f.cpu < 0)) {
      f.cpu = -1;
      changed = true;
    }
    for (int c = 0; c < ctx.model.config().nr_cpus; ++c) {
      char label[16];
      std::snprintf(label, sizeof label, "CPU %d", c);
      if (ImGui::Selectable(label, f.cpu == c)) {
        f.cpu = c;
        changed = true;
      }
    }
    ImGui::EndCombo();
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Only events on this CPU or about it");

  same_line_if_fits(font * 5);
  ImGui::Checkbox("Follow", &follow_);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Keep the newest event in view");
  // The legend for the log's one mark.
  same_line_if_fits(font * 6);
  ImGui::TextDisabled("%s tracepoint", kTracepointMark);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(
        "%s marks the real kernel's tracepoints: workqueue_queue_work, workqueue_activate_work,\n"
        "workqueue_execute_start and workqueue_execute_end, what tracefs, trace-cmd and perf\n"
        "record. Every other line is the lab's own bookkeeping, shown so that you can see\n"
        "inside the machine; Kinds > Tracepoints only hides it.",
        kTracepointMark);
  if (!f.passes_everything()) {
    same_line_if_fits(font * 4);
    if (ImGui::SmallButton("Clear")) {
      f = model::EventFilter{};
      changed = true;
    }
  }
  if (changed) apply(f);
}

}  // namespace wqlab

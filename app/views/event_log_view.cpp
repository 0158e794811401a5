// EventLogView: learning names from the log, formatting lines, and the virtual list of rows.
#include "views/event_log_view.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>

#include "imgui.h"
#include "imgui_internal.h"  // ScrollbarEx: a scrollbar over a 64-bit row position
#include "model/engine_vocabulary.h"
#include "views/palette.h"
#include "views/test_hooks.h"
#include "views/why_bar.h"

namespace wqlab {

using trace::ArgType;
using trace::EventKind;

namespace {

// How many events the filter examines per frame while it catches up with a long log.
constexpr uint64_t kFilterBudget = 400'000;

ImU32 kind_colour(EventKind k) {
  switch (k) {
    case EventKind::WqQueueWork:
    case EventKind::WqActivateWork:
    case EventKind::WqExecuteStart:
    case EventKind::WqExecuteEnd:
      return palette::kSkyBlue;
    case EventKind::WqMayday:
    case EventKind::WqMaydayTimer:
    case EventKind::WqLockup:
    case EventKind::WqWorkerCreateFail:
    case EventKind::TaskCreateFail:
    case EventKind::PidExhausted:
    case EventKind::CarrierExhausted:
      return palette::kVermillion;
    case EventKind::WqRescue:
    case EventKind::WqRescuerRun:
      return palette::kPurple;
    case EventKind::WqWarn:
    case EventKind::Printk:
      return palette::kYellow;
    case EventKind::LabNote:  // the lab speaking, not the kernel
      return palette::kGreen;
    default:
      break;
  }
  return k >= EventKind::WqAlloc ? palette::rgb(0xB8D8C8) : palette::kTextDim;
}

}  // namespace

void EventLogView::reset() {
  rows_.reset();
  first_row_ = 0;
  follow_ = true;
  shown_moment_ = UINT64_MAX;
  learned_ = 0;
  comms_.clear();
  functions_.clear();
}

void EventLogView::learn(const ViewContext& ctx) {
  const trace::EventLog& log = *ctx.model.log();
  const uint64_t end = ctx.model.events();
  for (; learned_ < end; ++learned_) {
    const trace::Event& ev = log[learned_];
    if (ev.kind == EventKind::TaskCreate) {
      comms_[static_cast<int32_t>(ev.args[0])].emplace_back(learned_, ev.args[1]);
    } else if (ev.kind == EventKind::WqQueueWork || ev.kind == EventKind::WqExecuteStart) {
      auto it = std::lower_bound(functions_.begin(), functions_.end(), ev.args[1]);
      if (it == functions_.end() || *it != ev.args[1]) functions_.insert(it, ev.args[1]);
    }
  }
}

std::string EventLogView::comm_at(const ViewContext& ctx, int32_t pid, uint64_t event) const {
  if (pid == 0) return "<idle>";
  auto it = comms_.find(pid);
  if (it == comms_.end()) return "<...>";
  // The name the pid had at `event` (pids are reused after pid_max wraps).
  auto at =
      std::upper_bound(it->second.begin(), it->second.end(), std::make_pair(event, INT64_MAX));
  if (at == it->second.begin()) return "<...>";
  return ctx.str((at - 1)->second);
}

std::string EventLogView::format(const ViewContext& ctx, const trace::Event& ev, uint64_t) const {
  trace::TextFormatter f(ctx.model.recorder()->strings());
  return f.args(ev);
}

bool EventLogView::mentions(const ViewContext& ctx, const trace::Event& ev, ObjectRef o) const {
  if (!o) return false;
  const trace::EventKindInfo& info = trace::event_kind_info(ev.kind);
  if (o.kind == ObjectKind::Worker && ev.pid == o.id) return true;
  for (int i = 0; i < trace::kMaxEventArgs; ++i) {
    const trace::ArgInfo& a = info.args[i];
    const int64_t v = ev.args[i];
    switch (o.kind) {
      case ObjectKind::Work:
        if (a.type == ArgType::Obj && a.label == "work" && v == o.id) return true;
        break;
      case ObjectKind::Worker:
        if (a.type == ArgType::Pid && v == o.id) return true;
        break;
      case ObjectKind::Pool:
        if (a.type == ArgType::Int && a.label == "pool" && v == o.id) return true;
        break;
      case ObjectKind::Workqueue:
        if (a.type == ArgType::Str && a.label == "workqueue" &&
            !(ev.kind == EventKind::WqWorkInactive && i == 2)) {
          const model::WorkqueueInfo* wq = ctx.model.head().workqueue(static_cast<int32_t>(o.id));
          if (wq && v == wq->name) return true;
        }
        break;
      case ObjectKind::None:
        break;
    }
  }
  return false;
}

void EventLogView::draw(ViewContext& ctx) {
  drawn_ = 0;
  drawn_tracepoints_ = 0;
  if (!ctx.model.log()) return;
  learn(ctx);
  rows_.update(*ctx.model.log(), ctx.model.events(), kFilterBudget);
  draw_filter_bar(ctx);
  draw_why_bar(ctx, true);  // the trail of Why? steps, once there is one
  draw_rows(ctx);
}

void EventLogView::draw_rows(ViewContext& ctx) {
  const trace::EventLog& log = *ctx.model.log();
  const ImGuiStyle& style = ImGui::GetStyle();
  const float text_h = ImGui::GetTextLineHeightWithSpacing();
  const float scrollbar_w = style.ScrollbarSize;
  ImGui::BeginChild("##rows", ImVec2(0, 0), false,
                    ImGuiWindowFlags_NoScrollWithMouse | ImGuiWindowFlags_NoScrollbar);
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  // A narrow panel shows each event on two lines: who and when, then what.
  const bool narrow = avail.x < ImGui::GetFontSize() * 36.0f;
  const float line_h = narrow ? text_h * 2.0f : text_h;
  const int64_t total = static_cast<int64_t>(rows_.rows());
  const int64_t visible = std::max<int64_t>(1, static_cast<int64_t>(avail.y / line_h));

  // Scrolling: wheel, page keys, following the newest line, or jumping to the selected moment.
  const bool hovered = ImGui::IsWindowHovered();
  if (hovered && ImGui::GetIO().MouseWheel != 0.0f) {
    first_row_ -= static_cast<int64_t>(ImGui::GetIO().MouseWheel * 3.0f);
    follow_ = false;
  }
  if (hovered && ImGui::IsKeyPressed(ImGuiKey_PageDown)) first_row_ += visible - 1;
  if (hovered && ImGui::IsKeyPressed(ImGuiKey_PageUp)) first_row_ -= visible - 1;
  const uint64_t moment = ctx.selection.live ? ctx.model.events() : ctx.selection.moment;
  if (!ctx.selection.live && moment != shown_moment_ && moment > 0) {
    const int64_t row = static_cast<int64_t>(rows_.row_at_or_after(moment - 1));
    if (row < first_row_ || row >= first_row_ + visible) first_row_ = row - visible / 2;
    follow_ = false;
  }
  if (ctx.selection.live && shown_moment_ != UINT64_MAX) follow_ = true;  // back to live
  shown_moment_ = ctx.selection.live ? UINT64_MAX : moment;
  if (follow_) first_row_ = total - visible;
  first_row_ = std::clamp<int64_t>(first_row_, 0, std::max<int64_t>(0, total - visible));

  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float text_w = avail.x - scrollbar_w;
  const float x_time = origin.x + style.FramePadding.x;
  const float w_time = ImGui::CalcTextSize("00.000000").x;
  const float x_cpu = x_time + w_time + style.ItemSpacing.x;
  const float x_comm = x_cpu + ImGui::CalcTextSize("[000]").x + style.ItemSpacing.x;
  // A tracepoint's kind has a dot before it, in a column of its own.
  const float mark_w = ImGui::CalcTextSize(kTracepointMark).x + style.ItemSpacing.x * 0.5f;
  const float x_mark =
      narrow ? origin.x + style.FramePadding.x + ImGui::GetFontSize()
             : x_comm + ImGui::CalcTextSize("kworker/R-reclaim-10").x + style.ItemSpacing.x;
  const float x_kind = x_mark + mark_w;
  const int64_t last = std::min(total, first_row_ + visible + 1);
  dl->PushClipRect(origin, ImVec2(origin.x + text_w, origin.y + avail.y), true);
  uint64_t next_hover_row = UINT64_MAX;
  for (int64_t row = first_row_; row < last; ++row) {
    const uint64_t index = rows_.index(static_cast<uint64_t>(row));
    const trace::Event& ev = log[index];
    const float y = origin.y + static_cast<float>(row - first_row_) * line_h;
    const ImVec2 a(origin.x, y), b(origin.x + text_w, y + line_h);
    ImGui::SetCursorScreenPos(a);
    ImGui::PushID(static_cast<int>(index));
    // The selected row and the one under the mouse get a Why? button over their right end. The
    // row lets the button overlap it only once it was hovered the frame before: an overlapped
    // item ignores a click in its first hovered frame, and a quick move-and-click is one frame.
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    const bool cursor_row = !ctx.selection.live && index + 1 == moment;
    if (hovered && mouse.x >= a.x && mouse.x < b.x && mouse.y >= a.y && mouse.y < b.y)
      next_hover_row = index;
    const bool why_here = cursor_row || index == hover_row_;
    if (why_here) ImGui::SetNextItemAllowOverlap();
    ImGui::InvisibleButton("##row", ImVec2(text_w, line_h));
    const bool row_hovered = ImGui::IsItemHovered();
    if (ImGui::IsItemClicked()) {
      ctx.selection.show_moment(index + 1);
      const trace::EventKindInfo& info = trace::event_kind_info(ev.kind);
      for (int i = 0; i < trace::kMaxEventArgs; ++i)
        if (info.args[i].type == ArgType::Obj && info.args[i].label == "work")
          ctx.selection.select(ObjectRef::work(ev.args[i]));
    }
    ImGui::PopID();
    const bool future = !ctx.selection.live && index >= moment;
    if (index + 1 == moment && !ctx.selection.live) {
      dl->AddRectFilled(a, b, palette::with_alpha(palette::kCursor, 60));
    } else if (row_hovered) {
      dl->AddRectFilled(a, b, palette::with_alpha(palette::kHover, 30));
    }
    if (mentions(ctx, ev, ctx.selection.object)) {
      dl->AddRectFilled(a, ImVec2(a.x + 3, b.y), palette::kSelection);
    }
    const uint8_t alpha = future ? 110 : 255;
    char time_text[32];
    std::snprintf(time_text, sizeof time_text, "%s", trace::format_time(ev.time_ns).c_str());
    const float tw = ImGui::CalcTextSize(time_text).x;
    const float ty = y + (text_h - ImGui::GetTextLineHeight()) * 0.5f;
    const float ky = narrow ? ty + text_h : ty;  // the line with the event and its arguments
    dl->AddText(ImVec2(x_time + w_time - tw, ty), palette::with_alpha(palette::kTextDim, alpha),
                time_text);
    char cpu_text[16];
    std::snprintf(cpu_text, sizeof cpu_text, ev.cpu >= 0 ? "[%03d]" : "[---]", ev.cpu);
    dl->AddText(ImVec2(x_cpu, ty), palette::with_alpha(palette::kTextDim, alpha), cpu_text);
    const std::string who = comm_at(ctx, ev.pid, index) + "-" + std::to_string(ev.pid);
    dl->AddText(ImVec2(x_comm, ty), palette::with_alpha(palette::kText, alpha), who.c_str());
    const std::string_view kind = trace::event_kind_info(ev.kind).name;
    const bool tracepoint = is_kernel_tracepoint(ev.kind);
    if (tracepoint) {
      dl->AddText(ImVec2(x_mark, ky), palette::with_alpha(kind_colour(ev.kind), alpha),
                  kTracepointMark);
      ++drawn_tracepoints_;
    }
    dl->AddText(ImVec2(x_kind, ky), palette::with_alpha(kind_colour(ev.kind), alpha), kind.data(),
                kind.data() + kind.size());
    const float x_args = x_kind + ImGui::CalcTextSize(kind.data(), kind.data() + kind.size()).x +
                         style.ItemSpacing.x;
    const std::string args = format(ctx, ev, index);
    dl->AddText(ImVec2(x_args, ky), palette::with_alpha(palette::kText, alpha), args.c_str());
    const float mouse_x = ImGui::GetIO().MousePos.x;
    if (row_hovered && mouse_x >= x_mark && mouse_x < x_args) {
      // Over the kind: where it comes from.
      ImGui::SetTooltip(tracepoint ? "%s: a real kernel tracepoint (tracefs: "
                                     "events/workqueue/%s)"
                                   : "%s: the lab's own event, not a kernel tracepoint",
                        std::string(kind).c_str(), std::string(kind).c_str());
    } else if (row_hovered && x_args + ImGui::CalcTextSize(args.c_str()).x > origin.x + text_w) {
      ImGui::SetTooltip("%s: %s", std::string(kind).c_str(), args.c_str());
    }
    if (why_here) {
      const float w = ImGui::CalcTextSize("Why?").x + style.FramePadding.x * 2;
      ImGui::SetCursorScreenPos(ImVec2(b.x - w - style.ItemSpacing.x, y));
      why_button(ctx, cursor_row ? "why-cursor" : "why-hover", index);
      if (cursor_row) test_hooks::note_item("eventlog:why");
    }
    ++drawn_;
  }
  hover_row_ = next_hover_row;
  dl->PopClipRect();
  if (total == 0) {
    ImGui::SetCursorScreenPos(origin);
    ImGui::TextDisabled(rows_.scanned() < ctx.model.events() ? "Filtering..."
                                                             : "No event matches the filter.");
  }

  // The scrollbar: a 64-bit row position, with the visible rows as its page.
  ImS64 scroll = first_row_;
  const ImRect bar(ImVec2(origin.x + avail.x - scrollbar_w, origin.y),
                   ImVec2(origin.x + avail.x, origin.y + avail.y));
  if (ImGui::ScrollbarEx(bar, ImGui::GetID("##vscroll"), ImGuiAxis_Y, &scroll, visible,
                         std::max<int64_t>(total, visible), ImDrawFlags_RoundCornersAll)) {
    first_row_ = scroll;
    follow_ = false;
  }
  if (first_row_ + visible >= total && ImGui::GetIO().MouseWheel < 0.0f && hovered) follow_ = true;
  ImGui::EndChild();
}

}  // namespace wqlab

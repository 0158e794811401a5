// TimelineView: rows, the toolbar, zoom/pan/click handling and the frame's layout. The lanes
// themselves are drawn in timeline_lanes.cpp, the ruler and arrows in timeline_overlay.cpp.
#include "views/timeline_view.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "imgui.h"
#include "imgui_internal.h"  // ScrollbarEx
#include "model/engine_vocabulary.h"
#include "views/names.h"
#include "views/palette.h"
#include "views/test_hooks.h"
#include "views/timeline_geometry.h"
#include "views/why_bar.h"

namespace wqlab {
namespace {

constexpr model::Nanos kMinSpan = 2'000;  // the deepest zoom shows 2 us
// While live, the whole run shows until it is this long (unless the scenario says how long its
// interesting part is); then the view slides along.
constexpr model::Nanos kLiveWindow = 200'000'000;
constexpr float kZoomStep = 1.25f;

std::string row_label(const ViewContext& ctx, const model::TaskTrack& t) {
  return ctx.str(t.comm) + " (" + std::to_string(t.pid) + ")";
}

}  // namespace

void TimelineView::fit_all() {
  fit_requested_ = true;
  explicit_fit_ = true;
}

void TimelineView::reset(model::Nanos focus) {
  focus_ = focus;
  rows_.clear();
  built_tracks_ = SIZE_MAX;
  fit_requested_ = true;
  explicit_fit_ = false;
  following_ = true;
  scroll_y_ = 0.0f;
  t0_ = 0;
  t1_ = 0;
}

void TimelineView::set_range(model::Nanos t0, model::Nanos t1) {
  t0_ = t0;
  t1_ = std::max(t1, t0 + kMinSpan);
  fit_requested_ = false;
  following_ = false;
}

void TimelineView::zoom_by(double factor) {
  const double span = static_cast<double>(t1_ - t0_);
  const double mid = static_cast<double>(t0_) + span * 0.5;
  const double new_span = std::clamp(span * factor, static_cast<double>(kMinSpan), 1e15);
  t0_ = std::max<model::Nanos>(0, static_cast<model::Nanos>(mid - new_span * 0.5));
  t1_ = t0_ + static_cast<model::Nanos>(new_span);
  fit_requested_ = false;
  following_ = false;
  explicit_fit_ = false;
}

void TimelineView::pan_by(double fraction) {
  const model::Nanos span = t1_ - t0_;
  t0_ = std::max<model::Nanos>(
      0, t0_ + static_cast<model::Nanos>(static_cast<double>(span) * fraction));
  t1_ = t0_ + span;
  fit_requested_ = false;
  following_ = false;
}

void TimelineView::build_rows(const ViewContext& ctx) {
  const auto& tracks = ctx.model.history().tracks;
  if (tracks.size() == built_tracks_) return;
  built_tracks_ = tracks.size();
  const int cpus = ctx.model.config().nr_cpus;
  std::vector<std::vector<uint32_t>> by_cpu(static_cast<size_t>(cpus));
  std::vector<uint32_t> unbound, rescuers, others, singles;
  for (uint32_t i = 0; i < tracks.size(); ++i) {
    const model::TaskTrack& t = tracks[i];
    if (t.rescuer) {
      rescuers.push_back(i);
    } else if (t.legacy && t.cpu < 0) {
      singles.push_back(i);  // a single-threaded legacy workqueue's thread
    } else if ((t.worker || t.legacy) && t.cpu >= 0 && t.cpu < cpus) {
      by_cpu[static_cast<size_t>(t.cpu)].push_back(i);
    } else if (t.worker) {
      unbound.push_back(i);
    } else {
      others.push_back(i);
    }
  }
  // Normal pool before highpri, then creation order (kworker/0:0, kworker/0:1, ...).
  auto by_pool = [&](uint32_t a, uint32_t b) {
    return std::make_pair(tracks[a].pool, a) < std::make_pair(tracks[b].pool, b);
  };
  rows_.clear();
  rows_.push_back({Row::Kind::Markers, -1, "markers", -1});
  auto group = [&](Row::Kind kind, int32_t index, std::string label,
                   std::vector<uint32_t>& members) {
    const auto header = static_cast<int32_t>(rows_.size());
    if (!collapsed_.count(label)) collapsed_[label] = cpus > 8 && index > 0;
    rows_.push_back({kind, index, std::move(label), -1});
    std::sort(members.begin(), members.end(), by_pool);
    for (uint32_t i : members)
      rows_.push_back(
          {Row::Kind::Task, static_cast<int32_t>(i), row_label(ctx, tracks[i]), header});
  };
  for (int c = 0; c < cpus; ++c)
    group(Row::Kind::Cpu, c, "CPU " + std::to_string(c), by_cpu[static_cast<size_t>(c)]);
  if (!unbound.empty()) group(Row::Kind::Header, -1, "unbound pools", unbound);
  if (!rescuers.empty()) group(Row::Kind::Header, -2, "rescuers", rescuers);
  if (!singles.empty()) group(Row::Kind::Header, -4, "single-threaded workqueues", singles);
  if (!others.empty()) group(Row::Kind::Header, -3, "other threads", others);
}

void TimelineView::draw(ViewContext& ctx) {
  drawn_ = 0;
  build_rows(ctx);
  const model::Nanos end = std::max<model::Nanos>(ctx.model.history().end_time, 1'000'000);
  const bool live = ctx.selection.live;
  if (live && !was_live_) following_ = true;  // back to live: follow the newest events again
  was_live_ = live;
  const model::Nanos window = focus_ > 0 ? focus_ : kLiveWindow;
  const bool out_of_sight = !live && ctx.moment_time != shown_moment_time_ &&
                            (ctx.moment_time < t0_ || ctx.moment_time > t1_);
  // Fit: a request, or a view that followed a run which has just jumped ahead (a run to the
  // end in one go) and must not keep the tiny span it had at the start.
  if (fit_requested_ || t1_ <= t0_ || (out_of_sight && following_)) {
    const model::Nanos shown = explicit_fit_ || focus_ <= 0 ? end : std::min(end, focus_);
    t0_ = 0;
    t1_ = shown + shown / 50;
    fit_requested_ = false;
    following_ = live;
  } else if (following_ && live) {
    if (explicit_fit_ || end <= window) {
      t0_ = 0;
      t1_ = end + end / 50;
    } else if (end > t1_ - (t1_ - t0_) / 50) {
      const model::Nanos span = t1_ - t0_;
      t1_ = end + span / 50;
      t0_ = std::max<model::Nanos>(0, t1_ - span);
    }
  }
  if (!live && ctx.moment_time != shown_moment_time_ &&
      (ctx.moment_time < t0_ || ctx.moment_time > t1_)) {
    // Another view picked a moment out of sight: bring it to the middle.
    const model::Nanos span = t1_ - t0_;
    t0_ = std::max<model::Nanos>(0, ctx.moment_time - span / 2);
    t1_ = t0_ + span;
  }
  shown_moment_time_ = ctx.moment_time;

  // Toolbar.
  const ImGuiStyle& style = ImGui::GetStyle();
  if (ImGui::SmallButton("Fit (F)")) fit_all();
  test_hooks::note_item("timeline:fit");
  ImGui::SameLine();
  ImGui::Checkbox("arrows", &show_arrows);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Arrows from queue_work() to the execution");
  ImGui::SameLine();
  ImGui::Checkbox("states", &show_states);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Under each bar: sleeping (blue), waiting (purple), computing (orange)");
  if (const std::optional<uint64_t> event = selected_event(ctx)) {
    ImGui::SameLine();
    why_button(ctx, "timeline-why", *event);  // of the bar or marker picked (the moment shown)
    test_hooks::note_item("timeline:why");
  }
  ImGui::SameLine();
  ImGui::TextDisabled("%s - %s   wheel/W/S zoom, drag/A/D pan", format_duration(t0_).c_str(),
                      format_duration(t1_).c_str());

  TimelineGeometry g;
  g.origin = ImGui::GetCursorScreenPos();
  g.size = ImGui::GetContentRegionAvail();
  if (g.size.x < 50 || g.size.y < 30) return;
  const float font = ImGui::GetFontSize();
  g.label_w = std::min(font * 12.0f, g.size.x * 0.3f);
  g.ruler_h = font + style.FramePadding.y * 2;
  g.row_h = font + 8.0f;
  g.lanes_x0 = g.origin.x + g.label_w;
  g.lanes_x1 = g.origin.x + g.size.x - style.ScrollbarSize;
  g.lanes_y0 = g.origin.y + g.ruler_h;
  g.lanes_y1 = g.origin.y + g.size.y;
  g.t0 = t0_;
  g.t1 = t1_;

  // Rows shown (collapsed groups hide their members) and the vertical scroll.
  std::vector<const Row*> shown;
  shown.reserve(rows_.size());
  for (const Row& r : rows_) {
    if (r.group >= 0 && collapsed_[rows_[static_cast<size_t>(r.group)].label]) continue;
    shown.push_back(&r);
  }
  const float content_h = static_cast<float>(shown.size()) * g.row_h;
  const float view_h = g.lanes_y1 - g.lanes_y0;
  scroll_y_ = std::clamp(scroll_y_, 0.0f, std::max(0.0f, content_h - view_h));

  handle_input(ctx, g);
  g.t0 = t0_;
  g.t1 = t1_;
  ctx.selection.range_start = t0_;
  ctx.selection.range_end = t1_;

  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(ImVec2(g.origin.x, g.lanes_y0), ImVec2(g.lanes_x1, g.lanes_y1),
                    palette::kPanelBg);
  visible_execs_.clear();
  lane_y_.clear();
  hover_exec_ = -1;
  hover_marker_ = -1;
  hover_row_ = nullptr;
  const size_t first = static_cast<size_t>(scroll_y_ / g.row_h);
  dl->PushClipRect(ImVec2(g.origin.x, g.lanes_y0), ImVec2(g.lanes_x1, g.lanes_y1), true);
  for (size_t i = first; i < shown.size(); ++i) {
    const float y = g.lanes_y0 + static_cast<float>(i) * g.row_h - scroll_y_;
    if (y > g.lanes_y1) break;
    draw_row(ctx, g, *shown[i], y);
  }
  if (show_arrows || ctx.selection.object.kind == ObjectKind::Work) draw_arrows(ctx, g);
  // The selected moment; what happened after it is dimmed.
  if (ctx.moment_time >= g.t0 && ctx.moment_time <= g.t1) {
    const float x = g.x_of(ctx.moment_time);
    if (!ctx.selection.live)
      dl->AddRectFilled(ImVec2(x, g.lanes_y0), ImVec2(g.lanes_x1, g.lanes_y1),
                        palette::rgb(0x0C0D11, 150));
    dl->AddLine(ImVec2(x, g.lanes_y0), ImVec2(x, g.lanes_y1),
                palette::with_alpha(palette::kCursor, 220), 1.5f);
  }
  dl->PopClipRect();
  draw_ruler(ctx, g);

  // Vertical scrollbar over the rows.
  if (content_h > view_h) {
    ImS64 scroll = static_cast<ImS64>(scroll_y_);
    const ImRect bar(ImVec2(g.lanes_x1, g.lanes_y0), ImVec2(g.origin.x + g.size.x, g.lanes_y1));
    if (ImGui::ScrollbarEx(bar, ImGui::GetID("##tl_scroll"), ImGuiAxis_Y, &scroll,
                           static_cast<ImS64>(view_h), static_cast<ImS64>(content_h), 0))
      scroll_y_ = static_cast<float>(scroll);
  }
  finish_click(ctx, g);
}

void TimelineView::handle_input(ViewContext& ctx, const TimelineGeometry& g) {
  ImGui::SetCursorScreenPos(ImVec2(g.origin.x, g.origin.y));
  ImGui::InvisibleButton("##timeline", ImVec2(g.lanes_x1 - g.origin.x, g.size.y),
                         ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight);
  test_hooks::note_item("timeline:lanes");
  const ImGuiIO& io = ImGui::GetIO();
  const bool hovered = ImGui::IsItemHovered();
  const bool in_lanes = io.MousePos.x >= g.lanes_x0;
  model::Nanos span = t1_ - t0_;
  auto zoom_at = [&](float x, float factor) {
    const model::Nanos at = g.t_of(x);
    const double new_span =
        std::clamp(static_cast<double>(span) * factor, static_cast<double>(kMinSpan), 1e15);
    const double left = static_cast<double>(at - t0_) / static_cast<double>(span);
    t0_ = std::max<model::Nanos>(0, at - static_cast<model::Nanos>(new_span * left));
    t1_ = t0_ + static_cast<model::Nanos>(new_span);
    following_ = false;
    explicit_fit_ = false;
  };
  if (hovered && io.MouseWheel != 0.0f) {
    if (io.KeyShift) {
      scroll_y_ -= io.MouseWheel * g.row_h * 3;
    } else {
      zoom_at(in_lanes ? io.MousePos.x : (g.lanes_x0 + g.lanes_x1) * 0.5f,
              std::pow(kZoomStep, -io.MouseWheel));
    }
  }
  // Drag to pan (either button); a press that does not move is a click (finish_click()).
  if (ImGui::IsItemActive() && (ImGui::IsMouseDragging(ImGuiMouseButton_Left, 3.0f) ||
                                ImGui::IsMouseDragging(ImGuiMouseButton_Right, 3.0f))) {
    const model::Nanos dt =
        static_cast<model::Nanos>(static_cast<double>(io.MouseDelta.x) * g.ns_per_px());
    t0_ = std::max<model::Nanos>(0, t0_ - dt);
    t1_ = t0_ + span;
    scroll_y_ -= io.MouseDelta.y;
    following_ = false;
    dragged_ = true;
  }
  if (ImGui::IsItemActivated()) dragged_ = false;
  const bool clicked =
      ImGui::IsItemDeactivated() && !dragged_ && ImGui::IsMouseReleased(ImGuiMouseButton_Left);
  click_pending_ = clicked && io.MousePos.y >= g.lanes_y0;
  if (clicked && in_lanes && io.MousePos.y < g.lanes_y0) {
    ctx.selection.show_moment(ctx.model.events_at_time(g.t_of(io.MousePos.x)));  // on the ruler
  }
}

// A click on a bar selects its work item and shows the machine when it started; a click on
// empty lane shows the machine at that time.
void TimelineView::finish_click(ViewContext& ctx, const TimelineGeometry& g) {
  if (!click_pending_) return;
  click_pending_ = false;
  if (ImGui::GetIO().MousePos.x < g.lanes_x0) {
    // The label column: a group header folds or unfolds, a thread's name selects its worker.
    if (!hover_row_) return;
    if (hover_row_->kind == Row::Kind::Task) {
      const model::TaskTrack& t =
          ctx.model.history().tracks[static_cast<size_t>(hover_row_->index)];
      if (t.worker || t.rescuer || t.legacy) ctx.selection.select(ObjectRef::worker(t.pid));
    } else if (hover_row_->kind != Row::Kind::Markers) {
      collapsed_[hover_row_->label] = !collapsed_[hover_row_->label];
    }
    return;
  }
  if (hover_marker_ >= 0) {
    // A marker: the machine right after the event it marks (ask Why? of it from there).
    const model::Marker& mk = ctx.model.history().markers[static_cast<size_t>(hover_marker_)];
    ctx.selection.show_moment(mk.event + 1);
    return;
  }
  if (hover_exec_ >= 0) {
    const model::ExecutionRecord& e =
        ctx.model.history().executions[static_cast<size_t>(hover_exec_)];
    ctx.selection.select(ObjectRef::work(e.work));
    ctx.selection.execution = hover_exec_;
    ctx.selection.show_moment(e.start_event + 1);
    return;
  }
  ctx.selection.show_moment(ctx.model.events_at_time(g.t_of(ImGui::GetIO().MousePos.x)));
  if (hover_row_ && hover_row_->kind == Row::Kind::Task) {
    const model::TaskTrack& t = ctx.model.history().tracks[static_cast<size_t>(hover_row_->index)];
    if (t.worker || t.rescuer || t.legacy) ctx.selection.select(ObjectRef::worker(t.pid));
  }
}

}  // namespace wqlab

// MachineRoomView: the frame's layout (columns or overview, then the workqueues) and the work
// tokens, which glide from where they were to where the model now puts them.
#include "views/machine_room_view.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "imgui.h"
#include "views/names.h"
#include "views/test_hooks.h"

namespace wqlab {
namespace {

// A jump of more events than this between frames places tokens at once instead of gliding.
constexpr uint64_t kSnapEvents = 300;
constexpr float kGlideRate = 10.0f;  // per second: how fast a token closes the distance

std::string token_tooltip(const ViewContext& ctx, const model::Instance& inst) {
  std::string t = "struct work_struct: " + ctx.str(inst.func) + " (work->func)";
  if (inst.barrier) t += ", a flush_work() barrier (struct wq_barrier)";
  t += "\nqueued on workqueue " + std::string(ctx.name_of_wq(inst.wq)) + " at " +
       format_duration(inst.queued_at) + "\nnow " + model::work_where_name(inst.where);
  switch (inst.where) {
    case model::WorkWhere::Delayed:
      t += ": a delayed_work waiting for its timer";
      break;
    case model::WorkWhere::Inactive:
      t += " (WORK_STRUCT_INACTIVE): its pwq already has max_active items active";
      break;
    case model::WorkWhere::Worklist:
      t += ": active (counted in pwq->nr_active), waiting for a worker";
      break;
    case model::WorkWhere::Scheduled:
      t += inst.rescued ? ": taken by the rescuer" : ": the same item runs there already";
      break;
    case model::WorkWhere::Running:
      t += ": " + ctx.comm_of(inst.owner) + " runs it";
      break;
  }
  if (inst.mayday) t += "\nits pool called mayday for it (send_mayday())";
  if (inst.cpu_intensive) t += "\nflagged CPU-intensive: it no longer counts in nr_running";
  t += "\nClick to select it in every view.";
  return t;
}

}  // namespace

void MachineRoomView::reset() {
  tokens_.clear();
  wq_entry_.clear();
  last_moment_ = UINT64_MAX;
  focus_cpu = 0;
  focus_chosen_ = false;
  zoom_ = {};
}

void MachineRoomView::place(const model::Instance& inst, ImVec2 at) {
  auto [it, fresh] = tokens_.try_emplace(inst.id);
  Token& t = it->second;
  if (fresh || t.leaving) {
    // A new item enters at its workqueue (where queue_work() put it).
    auto entry = wq_entry_.find(inst.wq);
    t.pos = snap_ || entry == wq_entry_.end() ? at : entry->second;
    t.alpha = snap_ ? 1.0f : 0.0f;
    t.leaving = false;
  }
  t.target = at;
  t.seen = true;
  t.inst = inst;
}

void MachineRoomView::draw(ViewContext& ctx) {
  drawn_ = 0;
  tokens_drawn_ = 0;
  const uint64_t moment = ctx.selection.live ? ctx.model.events() : ctx.selection.moment;
  snap_ = !animate || last_moment_ == UINT64_MAX || moment > last_moment_ + kSnapEvents ||
          moment + kSnapEvents < last_moment_;
  last_moment_ = moment;
  for (auto& [id, t] : tokens_) t.seen = false;

  const float font = ImGui::GetFontSize();
  m_.font = font;
  m_.pad = std::round(font * 0.25f);
  m_.token_h = font + 4;
  m_.token_w = std::round(font * 3.6f);

  // Toolbar: what the machine has, where the view is zoomed, and the view's options.
  const model::MachineState& s = ctx.state;
  legacy_ = s.legacy.active() && s.live_pools() == 0;
  if (legacy_) {
    ImGui::TextDisabled("%d CPUs, Linux 2.6.24 model: %d workqueue threads of %d threads",
                        ctx.model.config().nr_cpus, s.legacy.wq_threads, s.threads);
  } else {
    ImGui::TextDisabled("%d CPUs, %zu pools, %zu workers, %zu workqueues",
                        ctx.model.config().nr_cpus, s.live_pools(), s.workers.size(),
                        s.live_workqueues());
    // A narrow room (a lesson's machines side by side) puts the options on lines of their own.
    auto same_line_if_fits = [](const char* label) {
      ImGui::SameLine();
      const float w = ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x +
                      ImGui::CalcTextSize(label).x;
      if (ImGui::GetContentRegionAvail().x < w) ImGui::NewLine();
    };
    same_line_if_fits("animate");
    ImGui::Checkbox("animate", &animate);
    same_line_if_fits("idle workqueues");
    ImGui::Checkbox("idle workqueues", &show_idle_workqueues);
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("Also list workqueues with nothing queued right now");
  }
  draw_breadcrumb(ctx);
  handle_zoom_keys(ctx);

  ImGui::BeginChild("##room", ImVec2(0, 0), false, ImGuiWindowFlags_NoMove);
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const float width = ImGui::GetContentRegionAvail().x;
  float height = 0.0f;
  if (legacy_) {
    // The legacy (pre-2.6.36) layout: a PID-space bar and a workqueues x CPUs grid of threads.
    draw_legacy(ctx, origin, width, &height);
    mode_ = zoom_.kind == ZoomKind::None ? "legacy" : "legacy-zoom";
  } else {
    // One column per CPU plus one per unbound pool, while a column stays wide enough.
    int unbound = 0;
    for (const model::PoolInfo& p : s.pools) unbound += (p.id >= 0 && p.unbound) ? 1 : 0;
    const int cpus = ctx.model.config().nr_cpus;
    const float col_w = width / static_cast<float>(cpus + unbound);
    overview_ = col_w < font * 7.0f;
    // Worker chips show the kernel name when two fit side by side, else its CPU:id part.
    const float glyph_w = ImGui::CalcTextSize("\xe2\x97\x8b ").x;
    const float full_chip = ImGui::CalcTextSize("kworker/u16:10").x + glyph_w + m_.pad * 3;
    m_.compact = overview_ || col_w < full_chip * 2 + m_.pad * 4;
    m_.chip_w = m_.compact ? std::max(m_.token_w + m_.pad * 2,
                                      ImGui::CalcTextSize("u1024:10").x + glyph_w + m_.pad * 3)
                           : full_chip;
    m_.chip_h = font + m_.token_h + m_.pad * 3;
    // Workqueues on top (where items are queued), the pools and their workers below (where they
    // run): tokens flow downwards.
    height = draw_workqueues(ctx, origin, width) + m_.pad * 2;
    float machine_h = 0.0f;
    const ImVec2 machine(origin.x, origin.y + height);
    if (zoom_.kind != ZoomKind::None) {
      draw_zoomed(ctx, machine, width, &machine_h);
      mode_ = "zoom";
    } else if (overview_) {
      draw_overview(ctx, machine, width, &machine_h);
      mode_ = "overview";
    } else {
      std::vector<int> all(static_cast<size_t>(cpus));
      for (int c = 0; c < cpus; ++c) all[static_cast<size_t>(c)] = c;
      draw_columns(ctx, machine, width, all, &machine_h);
      mode_ = "columns";
    }
    height += machine_h + m_.pad;
    draw_tokens(ctx);
  }
  ImGui::SetCursorScreenPos(origin);
  ImGui::Dummy(ImVec2(width, height));
  content_h_ = height;
  ImGui::EndChild();
}

void MachineRoomView::draw_tokens(ViewContext& ctx) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float dt = std::clamp(ctx.dt, 0.0f, 0.1f);
  const float k = snap_ ? 1.0f : 1.0f - std::exp(-dt * kGlideRate);
  for (auto it = tokens_.begin(); it != tokens_.end();) {
    Token& t = it->second;
    if (!t.seen) {
      // It ran (or was cancelled): it drifts out and fades.
      if (!t.leaving) {
        t.leaving = true;
        t.target = ImVec2(t.pos.x + m_.token_w * 0.6f, t.pos.y - m_.token_h * 0.8f);
      }
      t.alpha -= snap_ ? 1.0f : dt * 2.5f;
      if (t.alpha <= 0.0f) {
        it = tokens_.erase(it);
        continue;
      }
    } else {
      t.alpha = snap_ ? 1.0f : std::min(1.0f, t.alpha + dt * 4.0f);
    }
    t.pos.x += (t.target.x - t.pos.x) * k;
    t.pos.y += (t.target.y - t.pos.y) * k;
    draw_token(ctx, t, dl);
    ++it;
  }
}

void MachineRoomView::draw_token(ViewContext& ctx, const Token& t, ImDrawList* dl) {
  const model::Instance& inst = t.inst;
  const auto a = static_cast<uint8_t>(std::clamp(t.alpha, 0.0f, 1.0f) * 255.0f);
  const ImVec2 p0 = t.pos, p1(t.pos.x + m_.token_w, t.pos.y + m_.token_h);
  const ImU32 wq_colour = palette::workqueue_colour(inst.wq);
  const float r = 4.0f;
  const bool held =
      inst.where == model::WorkWhere::Inactive || inst.where == model::WorkWhere::Delayed;
  ImU32 text;
  if (held) {
    // Held back (max_active, or a timer): hollow, in the workqueue's colour.
    dl->AddRectFilled(p0, p1, palette::with_alpha(palette::kBoxBg, a), r);
    dl->AddRect(p0, p1, palette::with_alpha(wq_colour, a), r, 0, 1.5f);
    text = palette::with_alpha(wq_colour, a);
  } else {
    dl->AddRectFilled(p0, p1, palette::with_alpha(wq_colour, a), r);
    text = palette::with_alpha(palette::text_on(wq_colour), a);
    if (inst.where == model::WorkWhere::Running)
      dl->AddRect(p0, p1, palette::with_alpha(palette::kText, a), r, 0, 1.5f);
  }
  if (inst.rescued) dl->AddRect(p0, p1, palette::with_alpha(palette::kPurple, a), r, 0, 2.5f);
  std::string label = inst.where == model::WorkWhere::Delayed ? "\xe2\x80\xa6" : "";  // …
  label += ctx.str(inst.func);
  label = room::fit_text(label, m_.token_w - 6);
  dl->AddText(ImVec2(p0.x + 3, p0.y + 2), text, label.c_str());
  if (inst.mayday && !inst.rescued) {
    const ImVec2 c(p1.x - 2, p0.y + 2);
    dl->AddCircleFilled(c, 6.0f, palette::with_alpha(palette::kVermillion, a));
    dl->AddText(ImVec2(c.x - 2, c.y - m_.font * 0.5f), palette::with_alpha(palette::kText, a), "!");
  }
  const ObjectRef me = ObjectRef::work(inst.work);
  if (ctx.selection.is(me) || ctx.selection.is(ObjectRef::workqueue(inst.wq)))
    dl->AddRect(ImVec2(p0.x - 2, p0.y - 2), ImVec2(p1.x + 2, p1.y + 2), palette::kSelection, r, 0,
                2.0f);
  if (!t.leaving) {
    if (room::mouse_over(p0, p1)) room::interact(ctx, p0, p1, me, token_tooltip(ctx, inst));
    if (test_hooks::kEnabled)
      test_hooks::note_rect(("token:" + ctx.str(inst.func)).c_str(), p0.x, p0.y, p1.x, p1.y);
  }
  ++tokens_drawn_;
  ++drawn_;
}

}  // namespace wqlab

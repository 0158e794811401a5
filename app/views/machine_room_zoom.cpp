// The machine room up close: one CPU (its pools), one pool (its worklist and workers at full
// size) or, on the legacy model, one CPU's or one workqueue's threads. A breadcrumb leads back;
// the keys Escape (out), [ and ] (the previous/next one) and Enter (zoom into the highlighted
// CPU) do the same from the keyboard.
#include <algorithm>
#include <charconv>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "imgui.h"
#include "views/machine_room_view.h"
#include "views/test_hooks.h"

namespace wqlab {
namespace {

std::optional<int32_t> number(std::string_view s) {
  int32_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v < 0) return std::nullopt;
  return v;
}

// The live pool ids, in order.
std::vector<int32_t> pool_ids(const model::MachineState& s) {
  std::vector<int32_t> ids;
  for (const model::PoolInfo& p : s.pools)
    if (p.id >= 0) ids.push_back(p.id);
  return ids;
}

}  // namespace

bool MachineRoomView::zoom_to(const std::string& spec, const model::MachineState& s,
                              const model::ModelStrings& strings) {
  const size_t colon = spec.find(':');
  if (colon == std::string::npos) return false;
  const std::string kind = spec.substr(0, colon), what = spec.substr(colon + 1);
  if (kind == "wq") {
    auto it = s.legacy.by_name.find(strings.find(what));
    if (it == s.legacy.by_name.end()) return false;
    zoom_ = {ZoomKind::Workqueue, it->second};
    return true;
  }
  const std::optional<int32_t> n = number(what);
  if (!n) return false;
  if (kind == "cpu" && *n < static_cast<int32_t>(s.cpus.size())) {
    zoom_ = {ZoomKind::Cpu, *n};
    return true;
  }
  if (kind == "pool" && s.pool(*n)) {
    zoom_ = {ZoomKind::Pool, *n};
    return true;
  }
  return false;
}

std::string MachineRoomView::zoom_text(const model::MachineState& s,
                                       const model::ModelStrings& strings) const {
  switch (zoom_.kind) {
    case ZoomKind::None:
      return "none";
    case ZoomKind::Cpu:
      return "cpu " + std::to_string(zoom_.id);
    case ZoomKind::Pool:
      return "pool " + std::to_string(zoom_.id);
    case ZoomKind::Workqueue: {
      const model::LegacyWqInfo* wq = s.legacy.workqueue(zoom_.id);
      return "wq " + (wq ? strings.get(wq->name) : std::to_string(zoom_.id));
    }
  }
  return "?";
}

void MachineRoomView::draw_breadcrumb(ViewContext& ctx) {
  const model::MachineState& s = ctx.state;
  // Machine > CPU 3 > pool 6: a pool's parent is its CPU (an unbound pool has none).
  struct Crumb {
    std::string label;
    RoomZoom target;
  };
  std::vector<Crumb> crumbs{{"Machine", {}}};
  if (zoom_.kind == ZoomKind::Cpu) crumbs.push_back({"CPU " + std::to_string(zoom_.id), zoom_});
  if (zoom_.kind == ZoomKind::Pool) {
    const model::PoolInfo* p = s.pool(zoom_.id);
    if (p && !p->unbound)
      crumbs.push_back({"CPU " + std::to_string(p->cpu), {ZoomKind::Cpu, p->cpu}});
    crumbs.push_back(
        {"pool " + std::to_string(zoom_.id) + (p && p->highpri() ? " (highpri)" : ""), zoom_});
  }
  if (zoom_.kind == ZoomKind::Workqueue) {
    const model::LegacyWqInfo* wq = s.legacy.workqueue(zoom_.id);
    crumbs.push_back({"workqueue " + (wq ? ctx.str(wq->name) : std::to_string(zoom_.id)), zoom_});
  }
  ImGui::SameLine(0, ImGui::GetStyle().ItemSpacing.x * 3);
  for (size_t i = 0; i < crumbs.size(); ++i) {
    if (i > 0) {
      ImGui::SameLine(0, 4);
      ImGui::TextDisabled("\xe2\x80\xba");  // ›
      ImGui::SameLine(0, 4);
    }
    const bool last = i + 1 == crumbs.size();
    ImGui::PushID(static_cast<int>(i));
    ImGui::BeginDisabled(last);
    if (ImGui::SmallButton(crumbs[i].label.c_str())) zoom_ = crumbs[i].target;
    ImGui::EndDisabled();
    ImGui::PopID();
    test_hooks::note_item(("room:crumb " + std::to_string(i)).c_str());
  }
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip(zoom_.kind == ZoomKind::None
                          ? "Click a CPU, a pool or (legacy) a workqueue to see it up close"
                          : "Esc: back out; [ and ]: the previous/next one");
}

// Esc and Enter belong to the machine room (read only while it is hovered or focused); the
// previous/next keys are the keymap's room_prev/room_next, which call step_zoom().
void MachineRoomView::handle_zoom_keys(ViewContext& ctx) {
  if (!ImGui::IsWindowHovered(ImGuiHoveredFlags_ChildWindows) &&
      !ImGui::IsWindowFocused(ImGuiFocusedFlags_ChildWindows))
    return;
  if (ImGui::GetIO().WantTextInput) return;
  if (ImGui::IsKeyPressed(ImGuiKey_Escape, false)) {
    if (zoom_.kind == ZoomKind::Pool) {
      const model::PoolInfo* p = ctx.state.pool(zoom_.id);
      zoom_ = p && !p->unbound ? RoomZoom{ZoomKind::Cpu, p->cpu} : RoomZoom{};
    } else {
      zoom_ = {};
    }
    return;
  }
  if (zoom_.kind == ZoomKind::None && ImGui::IsKeyPressed(ImGuiKey_Enter, false))
    zoom_ = {ZoomKind::Cpu, focus_cpu};
}

void MachineRoomView::step_zoom(const ViewContext& ctx, int step) {
  const model::MachineState& s = ctx.state;
  const int cpus = std::max(1, ctx.model.config().nr_cpus);
  switch (zoom_.kind) {
    case ZoomKind::None:  // the highlighted CPU (the overview's detail) moves
      focus_cpu = (focus_cpu + step + cpus) % cpus;
      focus_chosen_ = true;
      break;
    case ZoomKind::Cpu:
      zoom_.id = (zoom_.id + step + cpus) % cpus;
      break;
    case ZoomKind::Pool: {
      const std::vector<int32_t> ids = pool_ids(s);
      auto it = std::find(ids.begin(), ids.end(), zoom_.id);
      if (it != ids.end()) {
        const auto n = static_cast<int64_t>(ids.size());
        zoom_.id = ids[static_cast<size_t>(((it - ids.begin()) + step + n) % n)];
      }
      break;
    }
    case ZoomKind::Workqueue: {
      const auto n = static_cast<int32_t>(s.legacy.workqueues.size());
      if (n > 0) zoom_.id = (zoom_.id + step + n) % n;
      break;
    }
  }
}

// cmwq up close: a CPU's column alone at full width (its pools, full worker names), or one
// pool alone.
void MachineRoomView::draw_zoomed(ViewContext& ctx, ImVec2 origin, float width, float* height) {
  const bool saved = m_.compact;
  const float saved_chip = m_.chip_w;
  m_.compact = false;
  m_.chip_w =
      ImGui::CalcTextSize("kworker/u16:10").x + ImGui::CalcTextSize("\xe2\x97\x8b ").x + m_.pad * 3;
  if (zoom_.kind == ZoomKind::Cpu) {
    draw_columns(ctx, origin, width, {zoom_.id}, height, false);
  } else if (const model::PoolInfo* p = ctx.state.pool(zoom_.id)) {
    *height = draw_pool(ctx, *p, origin, width);
  } else {
    ImGui::GetWindowDrawList()->AddText(origin, palette::kTextDim,
                                        "This pool does not exist at this moment.");
    *height = m_.font;
  }
  m_.compact = saved;
  m_.chip_w = saved_chip;
}

}  // namespace wqlab

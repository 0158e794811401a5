// "Why?": walking the selected moment back along the model's causes, and the bar that shows the
// trail and the rule of the last step.
#include "views/why_bar.h"

#include <string>

#include "imgui.h"
#include "model/why.h"
#include "shell/keyboard_map.h"
#include "views/palette.h"
#include "views/test_hooks.h"
#include "views/wrapped_text.h"

namespace wqlab {
namespace {

using trace::ArgType;
using trace::EventKind;

// "execute_start w1": an event's kind without the tracepoint prefix, and its function.
std::string crumb_label(const ViewContext& ctx, uint64_t event) {
  const trace::Event& e = (*ctx.model.log())[event];
  const trace::EventKindInfo& info = trace::event_kind_info(e.kind);
  std::string name(info.name);
  for (const char* prefix : {"workqueue_", "wq_"})
    if (name.rfind(prefix, 0) == 0) name = name.substr(std::string(prefix).size());
  for (int i = 0; i < trace::kMaxEventArgs; ++i)
    if (info.args[i].type == ArgType::Str &&
        (info.args[i].label == "function" || info.args[i].label == "workqueue"))
      return name + " " + ctx.str(e.args[i]);
  return name;
}

std::string because(const ViewContext& ctx, uint64_t event) {
  return model::explain_why(ctx.model, event);
}

}  // namespace

std::optional<uint64_t> selected_event(const ViewContext& ctx) {
  if (ctx.selection.live || ctx.selection.moment == 0 || !ctx.model.log()) return std::nullopt;
  if (ctx.selection.moment > ctx.model.events()) return std::nullopt;
  return ctx.selection.moment - 1;
}

ObjectRef object_of_event(const model::MachineModel& m, const model::MachineState& s,
                          uint64_t event) {
  if (!m.log() || event >= m.events()) return {};
  const trace::Event& e = (*m.log())[event];
  const trace::EventKindInfo& info = trace::event_kind_info(e.kind);
  auto worker_if_known = [&](int64_t pid) {
    const model::TaskTrack* t = m.history().track_for(static_cast<int32_t>(pid));
    return t && (t->worker || t->rescuer || t->legacy) ? ObjectRef::worker(pid) : ObjectRef{};
  };
  for (int i = 0; i < trace::kMaxEventArgs; ++i)
    if (info.args[i].type == ArgType::Obj && info.args[i].label == "work")
      return ObjectRef::work(e.args[i]);
  switch (e.kind) {
    case EventKind::WqWorkerCreate:
      return ObjectRef::worker(e.args[2]);
    case EventKind::LegacyCreate:
      return worker_if_known(e.args[1]);
    case EventKind::TaskWake:
      return worker_if_known(e.args[0]);
    case EventKind::WqManagerStart:
    case EventKind::WqManagerEnd:
      return ObjectRef::worker(e.pid);
    case EventKind::WqMayday:
      return ObjectRef::pool(e.args[2]);
    default:
      break;
  }
  for (int i = 0; i < trace::kMaxEventArgs; ++i) {
    const trace::ArgInfo& a = info.args[i];
    if (a.type == ArgType::Int && a.label == "pool") return ObjectRef::pool(e.args[i]);
    if (a.type == ArgType::Str && a.label == "workqueue") {
      if (int32_t wq = s.workqueue_index(e.args[i]); wq >= 0) return ObjectRef::workqueue(wq);
      auto it = s.legacy.by_name.find(e.args[i]);
      if (it != s.legacy.by_name.end()) return ObjectRef::workqueue(it->second);
    }
  }
  return {};
}

void show_event(ViewContext& ctx, uint64_t event) {
  ctx.selection.show_moment(event + 1);
  if (ObjectRef o = object_of_event(ctx.model, ctx.model.head(), event)) ctx.selection.select(o);
}

const std::vector<uint64_t>* why_trail(const ViewContext& ctx) {
  const std::vector<uint64_t>& t = ctx.selection.why_trail;
  if (t.empty() || ctx.selection.live || ctx.selection.moment != t.back() + 1) return nullptr;
  return &t;
}

bool why_step(ViewContext& ctx) {
  const std::optional<uint64_t> event = selected_event(ctx);
  if (!event) {
    ctx.selection.hint_why(
        "Why? asks about one event: pick a line of the event log or a bar or marker of the "
        "timeline (or step back with Left), then press " +
        shortcut_label(Command::kWhy));
    return false;
  }
  const model::Cause cause = model::cause_of(ctx.model, *event);
  if (!cause) {
    ctx.selection.hint_why("Nothing earlier in the recording caused " + crumb_label(ctx, *event));
    return false;
  }
  ctx.selection.why_hint.clear();
  if (!why_trail(ctx)) ctx.selection.why_trail = {*event};
  ctx.selection.why_trail.push_back(cause.event);
  show_event(ctx, cause.event);
  return true;
}

bool why_back(ViewContext& ctx) {
  if (!why_trail(ctx) || ctx.selection.why_trail.size() < 2) return false;
  ctx.selection.why_trail.pop_back();
  show_event(ctx, ctx.selection.why_trail.back());
  return true;
}

bool why_button(ViewContext& ctx, const char* id, uint64_t event) {
  ImGui::PushID(id);
  const model::Cause cause = model::cause_of(ctx.model, event);
  ImGui::BeginDisabled(!cause);
  const bool pressed = ImGui::SmallButton("Why?");
  ImGui::EndDisabled();
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip("%s",
                      (cause ? "Because " + because(ctx, event) + "\nClick: show that event (" +
                                   shortcut_label(Command::kWhy) + ")"
                             : because(ctx, event))
                          .c_str());
  ImGui::PopID();
  if (pressed) {
    if (selected_event(ctx) != event) {
      ctx.selection.why_trail.clear();
      show_event(ctx, event);
    }
    why_step(ctx);
  }
  return pressed;
}

void draw_why_bar(ViewContext& ctx, bool compact) {
  const std::optional<uint64_t> event = selected_event(ctx);
  const std::vector<uint64_t>* trail = why_trail(ctx);
  if (const std::string& hint = ctx.selection.why_hint_now(); !hint.empty()) {
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextColored(ImVec4(1.0f, 0.78f, 0.35f, 1.0f), "%s", hint.c_str());
    ImGui::PopTextWrapPos();
  }
  if (compact && (!trail || trail->size() < 2)) return;
  if (!event) {
    ImGui::TextDisabled("Why?  Pick an event (a log line, a timeline bar or marker) to ask.");
    return;
  }
  const model::Cause cause = model::cause_of(ctx.model, *event);
  ImGui::BeginDisabled(!cause);
  const std::string why_label = "Why? (" + shortcut_label(Command::kWhy) + ")###why";
  if (ImGui::SmallButton(why_label.c_str())) why_step(ctx);
  ImGui::EndDisabled();
  test_hooks::note_item("why:button");
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip(
        "%s",
        cause
            ? ("Jump to the event that caused this one:\n" + crumb_label(ctx, cause.event)).c_str()
            : "Nothing earlier in the recording caused this event.");
  ImGui::SameLine();
  ImGui::BeginDisabled(!trail || trail->size() < 2);
  if (ImGui::SmallButton("Back")) why_back(ctx);
  ImGui::EndDisabled();
  test_hooks::note_item("why:back");
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip("One step back along the trail (%s)",
                      shortcut_label(Command::kWhyBack).c_str());
  // The trail, oldest first, wrapping at the panel's edge; a crumb shows that step again.
  if (trail && trail->size() >= 2) {
    const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
    const ImGuiStyle& style = ImGui::GetStyle();
    for (size_t i = 0; i < trail->size(); ++i) {
      const std::string label = crumb_label(ctx, (*trail)[i]);
      const float w = ImGui::CalcTextSize(label.c_str()).x + style.FramePadding.x * 2 +
                      ImGui::CalcTextSize("\xe2\x80\xb9").x + 8;
      if (ImGui::GetItemRectMax().x + w < right) ImGui::SameLine(0, 4);
      if (i > 0) {
        ImGui::TextDisabled("\xe2\x80\xb9");  // ‹
        ImGui::SameLine(0, 4);
      }
      ImGui::PushID(static_cast<int>(i));
      const bool last = i + 1 == trail->size();
      ImGui::PushStyleColor(ImGuiCol_Text, last ? palette::kYellow : palette::kText);
      if (ImGui::SmallButton(label.c_str()) && !last) {
        ctx.selection.why_trail.resize(i + 1);
        show_event(ctx, (*trail)[i]);
        ImGui::PopStyleColor();
        ImGui::PopID();
        return;  // the trail changed under us
      }
      ImGui::PopStyleColor();
      ImGui::PopID();
    }
  }
  // What the last step means: why the event before it happened.
  if (trail && trail->size() >= 2) {
    const uint64_t effect = (*trail)[trail->size() - 2];
    ImGui::PushStyleColor(ImGuiCol_Text, palette::kYellow);
    wrapped_text(crumb_label(ctx, effect) + " happened because " + because(ctx, effect));
    ImGui::PopStyleColor();
  } else if (!compact) {
    ImGui::PushStyleColor(ImGuiCol_Text, palette::kTextDim);
    wrapped_text(model::describe_event(ctx.model, *event) + ": " + (cause ? "because " : "") +
                 because(ctx, *event));
    ImGui::PopStyleColor();
  }
}

}  // namespace wqlab

// LessonPlayerView: the step dots, the scrubber (the lesson's recorded events, one stretch per
// step, with a tick per checkpoint result at each step's end) and the transport buttons.
#include <algorithm>
#include <cfloat>
#include <string>

#include "imgui.h"
#include "shell/keyboard_map.h"
#include "views/lesson_player_view.h"
#include "views/palette.h"
#include "views/test_hooks.h"

namespace wqlab {
namespace {

// Where each segment of the timeline (the boot, then one per step) lies on the bar: every
// step gets the same width, so a step of ten events is as easy to hit as one of ten thousand.
struct BarLayout {
  float x0, x1;
  size_t steps;
  float boot_w;
  float seg_x(size_t k) const {  // left edge of segment k
    if (k == 0) return x0;
    return x0 + boot_w + (x1 - x0 - boot_w) * static_cast<float>(k - 1) / static_cast<float>(steps);
  }
};

std::string check_tooltip(const scenario::StepResult& r, bool zh) {
  std::string t;
  for (const scenario::CheckResult& c : r.checks) {
    t += std::string(c.pass ? "✔ " : "✘ ");
    const std::string& say = c.check->say.in(zh);
    t += say.empty() ? c.check->field.path : say;
    t += "\n    " + c.machine + ": " + c.check->field.path + " " + c.expected + ", " +
         (c.measured.empty() ? "no value: " + c.why : tr(zh, "measured ", "实测 ") + c.measured) +
         "\n";
  }
  return t;
}

}  // namespace

void LessonPlayerView::draw_progress(player::LessonPlayer& p, bool zh) {
  const size_t n = p.scenario()->steps.size();
  ImGui::TextDisabled("%s %zu / %zu", tr(zh, "Step", "步骤"), p.shown_step() + 1, n);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float r = ImGui::GetFontSize() * 0.3f;
  for (size_t i = 0; i < n; ++i) {
    ImGui::SameLine();
    ImGui::PushID(static_cast<int>(i));
    const ImVec2 at = ImGui::GetCursorScreenPos();
    const ImVec2 size(r * 2.6f, ImGui::GetTextLineHeight());
    const bool clicked = ImGui::InvisibleButton("##dot", size);
    const ImVec2 c(at.x + size.x * 0.5f, at.y + size.y * 0.5f);
    const session::StepRecord* rec = p.record(i);
    ImU32 colour = palette::kBoxBorder;
    if (rec && rec->finished)
      colour = rec->result.failed() ? palette::kVermillion : palette::kGreen;
    if (rec && !rec->finished) colour = palette::kOrange;
    dl->AddCircleFilled(c, r, colour);
    if (i == p.shown_step()) dl->AddCircle(c, r + 2.0f, palette::kText, 0, 1.5f);
    if (ImGui::IsItemHovered()) {
      const scenario::Step& s = p.scenario()->steps[i];
      ImGui::SetTooltip("%zu. %s", i + 1,
                        s.title.in(zh).empty() ? s.id.c_str() : s.title.in(zh).c_str());
    }
    if (clicked && rec && rec->finished) p.show_checkpoint(i);
    ImGui::PopID();
  }
}

void LessonPlayerView::draw_scrubber(player::LessonPlayer& p, bool zh) {
  const player::LessonTimeline& tl = p.timeline();
  const size_t n = p.scenario()->steps.size();
  const float h = ImGui::GetFrameHeight();
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  const float w = std::max(ImGui::GetContentRegionAvail().x, 40.0f);
  ImGui::InvisibleButton("##scrubber", ImVec2(w, h));
  test_hooks::note_item("lesson:scrubber");
  const bool hovered = ImGui::IsItemHovered();
  const bool active = ImGui::IsItemActive();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const BarLayout bar{p0.x, p0.x + w, n, std::max(6.0f, w * 0.04f)};
  const float y0 = p0.y + h * 0.25f, y1 = p0.y + h * 0.75f;
  dl->AddRectFilled(ImVec2(bar.x0, y0), ImVec2(bar.x1, y1), palette::kBoxBg, 3.0f);
  // The recorded part of each segment, and where a position lies on the bar.
  auto x_of = [&](uint64_t position) {
    const size_t k = std::min(tl.segment_of(position), n);
    const uint64_t first = tl.segment_begin(k), last = tl.segment_end(k);
    const float f = last > first
                        ? static_cast<float>(position - first) / static_cast<float>(last - first)
                        : 1.0f;
    return bar.seg_x(k) + (bar.seg_x(k + 1) - bar.seg_x(k)) * f;
  };
  for (size_t k = 0; k < tl.segments() && k <= n; ++k) {
    const session::StepRecord* rec = k == 0 ? nullptr : p.record(k - 1);
    if (k > 0 && !rec) break;
    const bool done = k == 0 || rec->finished;
    const float xa = bar.seg_x(k), xb = done ? bar.seg_x(k + 1) : x_of(tl.end());
    dl->AddRectFilled(ImVec2(xa, y0), ImVec2(xb, y1),
                      palette::with_alpha(done ? palette::kSkyBlue : palette::kOrange, 90), 3.0f);
  }
  for (size_t k = 1; k <= n; ++k)  // step boundaries
    dl->AddLine(ImVec2(bar.seg_x(k), y0 - 2), ImVec2(bar.seg_x(k), y1 + 2), palette::kBoxBorder);
  // Checkpoint ticks: one per result, stacked at the step's end, green passed, red failed.
  std::string tooltip;
  const float tick_w = std::max(3.0f, ImGui::GetFontSize() * 0.22f);
  for (const session::StepRecord& rec : p.info()->steps) {
    if (!rec.finished) continue;
    const float xe = bar.seg_x(rec.index + 2) - 1.0f;
    const size_t results = rec.result.checks.size() + rec.result.questions.size();
    const float tick_h =
        std::max(2.0f, (h - 2.0f) / static_cast<float>(std::max<size_t>(results, 1)));
    float y = p0.y + 1.0f;
    auto tick = [&](bool pass) {
      dl->AddRectFilled(ImVec2(xe - tick_w, y), ImVec2(xe, y + tick_h - 1.0f),
                        pass ? palette::kGreen : palette::kVermillion);
      y += tick_h;
    };
    for (const scenario::CheckResult& c : rec.result.checks) tick(c.pass);
    for (const scenario::QuestionResult& q : rec.result.questions)
      if (q.checked) tick(q.verified);
    const float mx = ImGui::GetIO().MousePos.x;
    if (hovered && mx >= bar.seg_x(rec.index + 1) && mx < bar.seg_x(rec.index + 2))
      tooltip = check_tooltip(rec.result, zh);
  }
  // The cursor: the position shown.
  const float cx = x_of(p.position());
  dl->AddRectFilled(ImVec2(cx - 1.5f, p0.y), ImVec2(cx + 1.5f, p0.y + h), palette::kCursor);
  if (active) {
    // Dragging picks a position in the segment under the mouse (recorded events only).
    const float mx = std::clamp(ImGui::GetIO().MousePos.x, bar.x0, bar.x1);
    size_t k = 0;
    while (k + 1 < tl.segments() && k < n && mx >= bar.seg_x(k + 1)) ++k;
    const float f = (mx - bar.seg_x(k)) / std::max(1.0f, bar.seg_x(k + 1) - bar.seg_x(k));
    const uint64_t first = tl.segment_begin(k), last = tl.segment_end(k);
    const uint64_t to =
        first +
        static_cast<uint64_t>(static_cast<float>(last - first) * std::clamp(f, 0.0f, 1.0f) + 0.5f);
    if (to != p.position()) p.seek(to);
  } else if (hovered) {
    ImGui::SetTooltip("%s%s", tooltip.c_str(),
                      tr(zh, "Drag to show any recorded moment", "拖动以查看任何已记录的时刻"));
  }
  ++drawn_;
}

void LessonPlayerView::draw_transport(player::LessonPlayer& p, bool zh, LessonPanelOutput& out) {
  auto button = [&](const char* label, const char* item, const char* tip) {
    const bool pressed = ImGui::Button(label);
    test_hooks::note_item(item);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tip);
    ImGui::SameLine(0, 3);
    return pressed;
  };
  const std::string prev_key = shortcut_label(Command::kPrevCheckpoint);
  const std::string next_key = shortcut_label(Command::kNextCheckpoint);
  const std::string prev_tip =
      std::string(tr(zh, "Back to the previous checkpoint (", "回到上一个检查点（")) + prev_key +
      tr(zh, ")", "）");
  const std::string next_tip = std::string(tr(zh, "To the next checkpoint (", "到下一个检查点（")) +
                               next_key + tr(zh, "): the end of the step", "）：这一步的结尾");
  if (button("|◀", "lesson:previous checkpoint", prev_tip.c_str())) p.to_previous_checkpoint();
  if (button("◀", "lesson:back", tr(zh, "Step back one event (,)", "后退一个事件（,）")))
    p.step_back();
  // Play carries a word, so it is not taken for the step buttons on either side of it.
  const std::string play = p.playing() ? std::string("‖ ") + tr(zh, "Pause", "暂停")
                                       : std::string("▶ ") + tr(zh, "Play", "播放");
  if (button((play + "###play").c_str(), "lesson:play",
             tr(zh, "Play or pause (Space); playing stops at each checkpoint",
                "播放或暂停（空格）；每到检查点就停下")))
    p.playing() ? p.pause() : static_cast<void>(p.play());
  if (button("▶", "lesson:step",
             tr(zh, "Step one event (.); at the newest one the machines run one dispatch",
                "前进一个事件（.）；已是最新时机器执行一次调度")))
    p.step_forward();
  if (button("▶|", "lesson:next checkpoint", next_tip.c_str())) p.to_next_checkpoint();
  if (button("↺", "lesson:restart",
             tr(zh, "Start the lesson again (new machines, no answers)",
                "重新开始本课（新的机器，清空答案）")))
    out.restart = true;
  ImGui::NewLine();
  if (p.blocked()) {
    ImGui::PushStyleColor(ImGuiCol_Text, palette::kOrange);
    ImGui::TextWrapped("%s", tr(zh, "Predict first: answer the question below, or skip it.",
                                "先预测：回答下面的问题，或者跳过。"));
    ImGui::PopStyleColor();
  }
  ++drawn_;
}

}  // namespace wqlab

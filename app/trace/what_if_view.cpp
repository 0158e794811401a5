// WhatIfView: running the comparison off the UI thread and drawing its two runs.
#include "trace/what_if_view.h"

#include <algorithm>
#include <cfloat>
#include <cmath>

#include "engine/import/summary.h"
#include "imgui.h"
#include "platform/web_bridge.h"
#include "session/platform_limits.h"

namespace wqlab {

namespace {

using Kind = whatif::Policy::Kind;
struct Choice {
  whatif::Policy policy;
  const char* label;
};
const Choice kPolicies[] = {
    {{Kind::AsTraced}, "cmwq, as traced (Linux 6.12 model)"},
    {{Kind::Legacy}, "Linux 2.6.24: a thread per CPU per workqueue"},
    {{Kind::Ordered}, "every workqueue ordered"},
    {{Kind::MaxActive, 1}, "max_active = 1 on every workqueue"},
};
constexpr int kNumPolicies = static_cast<int>(std::size(kPolicies));

const whatif::Policy& policy(int index) {
  return kPolicies[index].policy;
}

// The row of kPolicies that is `p`, or -1 (max_active=N with N other than 1).
int choice_of(const whatif::Policy& p) {
  for (int i = 0; i < kNumPolicies; ++i)
    if (policy(i).kind == p.kind && policy(i).max_active == p.max_active) return i;
  return -1;
}

const ImU32 kLeftColour = IM_COL32(110, 200, 140, 255);   // the first run (often the trace)
const ImU32 kRightColour = IM_COL32(190, 140, 255, 255);  // the second run (a model)
const ImVec4 kDim(0.65f, 0.65f, 0.7f, 1.0f);

std::string duration(int64_t ns) {
  return import::format_duration(ns);
}

// A bucket bound (1, 2 or 5 times a power of ten, in ns) as briefly as it reads: "20us", "1s".
std::string bound(int64_t ns) {
  if (ns >= 1'000'000'000 && ns % 1'000'000'000 == 0)
    return std::to_string(ns / 1'000'000'000) + "s";
  if (ns >= 1'000'000 && ns % 1'000'000 == 0) return std::to_string(ns / 1'000'000) + "ms";
  if (ns >= 1'000 && ns % 1'000 == 0) return std::to_string(ns / 1'000) + "us";
  return duration(ns);
}

std::string bucket_label(const whatif::Histogram& h, size_t i) {
  if (i == h.upper.size()) return ">=" + bound(h.upper.back());
  return "<" + bound(h.upper[i]);
}

}  // namespace

WhatIfView::~WhatIfView() {
  if (job_) job_->thread.join();
}

void WhatIfView::start(const import::OpenedTrace* trace, std::vector<whatif::Policy> policies) {
  open_ = true;
  if (job_ || trace == nullptr || policies.empty()) return;
  // The choices show what runs (start-up's --whatif names it on the command line).
  const int left = policies.size() == 2 ? choice_of(policies.front()) : -1;
  const int right = choice_of(policies.back());
  if (right >= 0 && (policies.size() == 1 || left >= 0)) {
    left_ = left + 1;
    right_ = right;
  }
  job_ = std::make_unique<Job>();
  job_->policies = std::move(policies);
  Job* j = job_.get();
  j->thread = std::thread([j, trace] {
    j->result = std::make_unique<whatif::Comparison>(
        whatif::what_if(*trace, j->policies, session::kCarrierCap));
    j->finished.store(true, std::memory_order_release);
  });
}

void WhatIfView::run_now(const import::OpenedTrace* trace, std::vector<whatif::Policy> policies) {
  start(trace, std::move(policies));
  if (job_) adopt();
}

void WhatIfView::update() {
  if (job_ && job_->finished.load(std::memory_order_acquire)) adopt();
}

void WhatIfView::adopt() {
  job_->thread.join();
  std::unique_ptr<Job> done = std::move(job_);
  result_ = std::move(done->result);
  shown_policies_ = std::move(done->policies);
}

void WhatIfView::forget() {
  if (job_) job_->thread.join();
  job_.reset();
  result_.reset();
  shown_policies_.clear();
  open_ = false;
}

void WhatIfView::draw(const import::OpenedTrace* trace) {
  if (!open_ || trace == nullptr) return;
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(viewport->GetCenter(), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSize(ImVec2(viewport->WorkSize.x * 0.78f, viewport->WorkSize.y * 0.78f),
                           ImGuiCond_Appearing);
  if (!ImGui::Begin("What if this workload ran elsewhere?", &open_,
                    ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoCollapse)) {
    ImGui::End();
    return;
  }
  web_bridge::note_rect("whatif:window", ImGui::GetWindowPos().x, ImGui::GetWindowPos().y,
                        ImGui::GetWindowPos().x + ImGui::GetWindowSize().x,
                        ImGui::GetWindowPos().y + ImGui::GetWindowSize().y);
  drawn_columns_ = drawn_bars_ = 0;
  draw_controls(trace);
  if (result_) {
    ImGui::Separator();
    draw_summary(*result_);
    ImGui::TextColored(kDim,
                       "A model's waits come only from these items; a real kernel's also hold "
                       "wake-up latency and everything else its CPUs ran.");
    ImGui::Spacing();
    draw_axis(*result_);
    ImGui::Spacing();
    draw_histograms(*result_);
  }
  ImGui::End();
}

void WhatIfView::draw_controls(const import::OpenedTrace* trace) {
  ImGui::TextWrapped(
      "The trace's work items are replayed on the lab's model: each queued at its traced time on "
      "its traced CPU and workqueue, running for its traced time (the scenario `wqlab open FILE "
      "--to-scenario` writes). Pick what to compare; both runs share one time axis.");
  const float combo_width = ImGui::GetFontSize() * 20;
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("Compare");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(combo_width);
  const char* left_label = left_ == 0 ? "the real trace" : kPolicies[left_ - 1].label;
  if (ImGui::BeginCombo("##left", left_label)) {
    if (ImGui::Selectable("the real trace", left_ == 0)) left_ = 0;
    for (int i = 0; i < kNumPolicies; ++i)
      if (ImGui::Selectable(kPolicies[i].label, left_ == i + 1)) left_ = i + 1;
    ImGui::EndCombo();
  }
  ImGui::SameLine();
  ImGui::TextUnformatted("with");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(combo_width);
  if (ImGui::BeginCombo("##right", kPolicies[right_].label)) {
    for (int i = 0; i < kNumPolicies; ++i)
      if (ImGui::Selectable(kPolicies[i].label, right_ == i)) right_ = i;
    ImGui::EndCombo();
  }
  ImGui::SameLine();
  ImGui::BeginDisabled(running());
  if (ImGui::Button(running() ? "Running the model..." : "Compare")) {
    std::vector<whatif::Policy> policies;
    if (left_ > 0) policies.push_back(policy(left_ - 1));
    policies.push_back(policy(right_));
    start(trace, std::move(policies));
  }
  web_bridge::note_item("whatif:compare");
  ImGui::EndDisabled();
  if (!result_ && !running()) ImGui::TextColored(kDim, "Press Compare to run the model.");
}

void WhatIfView::draw_summary(const whatif::Comparison& c) {
  if (!ImGui::BeginTable(
          "whatif-summary", 7,
          ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingFixedFit))
    return;
  for (const char* h : {"", "run", "executions", "p50 wait", "p99 wait", "longest wait", "ends at"})
    ImGui::TableSetupColumn(h);
  ImGui::TableHeadersRow();
  for (int i = 0; i < 2; ++i) {
    const whatif::RunSeries& s = i == 0 ? c.a : c.b;
    const whatif::LatencySummary l = whatif::latency_summary(s);
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::ColorButton("##colour",
                       ImGui::ColorConvertU32ToFloat4(i == 0 ? kLeftColour : kRightColour),
                       ImGuiColorEditFlags_NoTooltip | ImGuiColorEditFlags_NoPicker,
                       ImVec2(ImGui::GetFontSize(), ImGui::GetFontSize()));
    for (const std::string& text : {s.name, std::to_string(s.executions.size()), duration(l.p50),
                                    duration(l.p99), duration(l.max), duration(s.span())}) {
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(text.c_str());
    }
  }
  ImGui::EndTable();
}

// Executions started per pixel column of one shared axis, a lane per run, on one scale.
void WhatIfView::draw_axis(const whatif::Comparison& c) {
  ImGui::TextUnformatted("When the items started (one time axis; bar height: items started)");
  const float font = ImGui::GetFontSize();
  const float label_w = font * 9;
  const float width = std::max(ImGui::GetContentRegionAvail().x - label_w, font * 10);
  const float lane_h = font * 3.2f;
  const int columns = std::max(1, static_cast<int>(width));
  const int64_t span = std::max<int64_t>(c.span, 1);
  std::vector<int> counts[2];
  int most = 1;
  for (int r = 0; r < 2; ++r) {
    counts[r].assign(static_cast<size_t>(columns), 0);
    for (const whatif::Execution& e : (r == 0 ? c.a : c.b).executions) {
      const int64_t col = std::clamp<int64_t>(e.started * columns / span, 0, columns - 1);
      most = std::max(most, ++counts[r][static_cast<size_t>(col)]);
    }
  }
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const ImU32 grid = ImGui::GetColorU32(ImGuiCol_Border);
  const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text);
  for (int r = 0; r < 2; ++r) {
    const float top = origin.y + static_cast<float>(r) * (lane_h + font * 0.4f);
    const float base = top + lane_h;
    dl->AddText(ImVec2(origin.x, top + (lane_h - font) * 0.5f), r == 0 ? kLeftColour : kRightColour,
                (r == 0 ? c.a : c.b).name.c_str());
    const float x0 = origin.x + label_w;
    dl->AddRectFilled(ImVec2(x0, top), ImVec2(x0 + width, base), IM_COL32(255, 255, 255, 12));
    dl->AddLine(ImVec2(x0, base), ImVec2(x0 + width, base), grid);
    for (int col = 0; col < columns; ++col) {
      const int n = counts[r][static_cast<size_t>(col)];
      if (n == 0) continue;
      // Square-root scale: one lone item stays visible beside a burst of hundreds.
      const float h = std::max(2.0f, lane_h * std::sqrt(static_cast<float>(n) / most));
      const float x = x0 + static_cast<float>(col);
      ++drawn_columns_;
      dl->AddRectFilled(ImVec2(x, base - h), ImVec2(x + 1.0f, base),
                        r == 0 ? kLeftColour : kRightColour);
    }
  }
  const float axis_y = origin.y + 2 * (lane_h + font * 0.4f);
  for (int tick = 0; tick <= 4; ++tick) {
    const float x = origin.x + label_w + width * static_cast<float>(tick) / 4.0f;
    dl->AddLine(ImVec2(x, origin.y), ImVec2(x, axis_y), grid);
    const std::string label = duration(span * tick / 4);
    const float tw = ImGui::CalcTextSize(label.c_str()).x;
    dl->AddText(ImVec2(std::min(x, origin.x + label_w + width - tw), axis_y), text, label.c_str());
  }
  ImGui::Dummy(ImVec2(label_w + width, axis_y - origin.y + font * 1.2f));
  if (ImGui::IsItemHovered()) {
    const float mx = ImGui::GetIO().MousePos.x - origin.x - label_w;
    const int col = static_cast<int>(mx);
    if (col >= 0 && col < columns)
      ImGui::SetTooltip("%s to %s: %d started in %s, %d in %s",
                        duration(span * col / columns).c_str(),
                        duration(span * (col + 1) / columns).c_str(), counts[0][size_t(col)],
                        c.a.name.c_str(), counts[1][size_t(col)], c.b.name.c_str());
  }
}

// A pair of bars per latency bucket (queued -> started), from the first bucket either run uses
// to the last.
void WhatIfView::draw_histograms(const whatif::Comparison& c) {
  ImGui::TextUnformatted("How long items waited to start (queued -> execute_start), per bucket");
  size_t first = c.ha.counts.size(), last = 0;
  uint64_t most = 1;
  for (size_t i = 0; i < c.ha.counts.size(); ++i) {
    if (c.ha.counts[i] == 0 && c.hb.counts[i] == 0) continue;
    first = std::min(first, i);
    last = std::max(last, i);
    most = std::max({most, c.ha.counts[i], c.hb.counts[i]});
  }
  if (first > last) {
    ImGui::TextColored(kDim, "Neither run has an execution.");
    return;
  }
  const float font = ImGui::GetFontSize();
  const float avail = ImGui::GetContentRegionAvail().x;
  const size_t n = last - first + 1;
  const float group = std::max(font * 3.0f, avail / static_cast<float>(n));
  const float height = std::max(font * 5, ImGui::GetContentRegionAvail().y - font * 3);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const float base = origin.y + font * 1.2f + height;
  const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text);
  int hovered_bucket = -1;
  for (size_t k = 0; k < n; ++k) {
    const size_t i = first + k;
    const float gx = origin.x + group * static_cast<float>(k);
    const float bar_w = (group - font * 0.6f) / 2;
    for (int r = 0; r < 2; ++r) {
      const uint64_t v = (r == 0 ? c.ha : c.hb).counts[i];
      const float h = height * static_cast<float>(v) / static_cast<float>(most);
      const float x = gx + font * 0.3f + bar_w * static_cast<float>(r);
      if (v > 0) {
        dl->AddRectFilled(ImVec2(x, base - std::max(h, 1.5f)), ImVec2(x + bar_w - 1, base),
                          r == 0 ? kLeftColour : kRightColour);
        ++drawn_bars_;
      }
      const std::string count = std::to_string(v);
      const float tw = ImGui::CalcTextSize(count.c_str()).x;
      if (tw <= bar_w + font * 0.3f)
        dl->AddText(ImVec2(x + (bar_w - tw) / 2, base - h - font * 1.1f), text, count.c_str());
    }
    const std::string label = bucket_label(c.ha, i);
    const float lw = ImGui::CalcTextSize(label.c_str()).x;
    dl->AddText(ImVec2(gx + (group - lw) / 2, base + font * 0.2f), text, label.c_str());
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    if (mouse.x >= gx && mouse.x < gx + group && mouse.y >= origin.y &&
        mouse.y < base + font * 1.4f)
      hovered_bucket = static_cast<int>(i);
  }
  ImGui::Dummy(ImVec2(group * static_cast<float>(n), base + font * 1.4f - origin.y));
  if (hovered_bucket >= 0 && ImGui::IsItemHovered()) {
    const size_t i = static_cast<size_t>(hovered_bucket);
    const std::string lo = i == 0 ? "0" : bound(c.ha.upper[i - 1]);
    const std::string hi = i == c.ha.upper.size() ? "more" : bound(c.ha.upper[i]);
    ImGui::SetTooltip("waited %s to %s:\n  %s: %llu\n  %s: %llu", lo.c_str(), hi.c_str(),
                      c.a.name.c_str(), static_cast<unsigned long long>(c.ha.counts[i]),
                      c.b.name.c_str(), static_cast<unsigned long long>(c.hb.counts[i]));
  }
}

nlohmann::ordered_json WhatIfView::state() const {
  nlohmann::ordered_json j;
  j["shown"] = open_;
  j["running"] = running();
  std::string policies;
  for (const whatif::Policy& p : shown_policies_)
    policies += (policies.empty() ? "" : ",") + p.name();
  j["policies"] = policies;
  j["choices"] = (left_ == 0 ? std::string("trace") : policy(left_ - 1).name()) + " vs " +
                 policy(right_).name();
  j["drawnColumns"] = drawn_columns_;
  j["drawnBars"] = drawn_bars_;
  if (result_) {
    const whatif::Comparison& c = *result_;
    j["spanNs"] = c.span;
    j["bucketUpperNs"] = c.ha.upper;
    nlohmann::ordered_json runs = nlohmann::ordered_json::array();
    for (int r = 0; r < 2; ++r) {
      const whatif::RunSeries& s = r == 0 ? c.a : c.b;
      const whatif::LatencySummary l = whatif::latency_summary(s);
      nlohmann::ordered_json run;
      run["name"] = s.name;
      run["executions"] = s.executions.size();
      run["histogram"] = (r == 0 ? c.ha : c.hb).counts;
      run["p50Ns"] = l.p50;
      run["p99Ns"] = l.p99;
      run["maxNs"] = l.max;
      run["endNs"] = s.span();
      runs.push_back(run);
    }
    j["runs"] = runs;
  }
  return j;
}

}  // namespace wqlab

// TraceUi's Lesson panel: what was recorded, the wq_monitor-like table per workqueue, the pools
// and their kworkers, the outliers, and the lines the importer could not use. "?" marks what the
// trace cannot tell (engine/import/summary.h's convention).
#include <cinttypes>
#include <cstdio>

#include "engine/import/summary.h"
#include "imgui.h"
#include "platform/web_bridge.h"
#include "trace/trace_ui.h"

namespace wqlab {

namespace {

const ImVec4 kRealKernel(0.45f, 0.85f, 0.55f, 1.0f);
const ImVec4 kWarning(1.0f, 0.7f, 0.35f, 1.0f);

void cell(const std::string& text) {
  ImGui::TableNextColumn();
  ImGui::TextUnformatted(text.c_str());
}

bool begin_table(const char* id, int columns) {
  return ImGui::BeginTable(id, columns,
                           ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV |
                               ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_ScrollX,
                           ImVec2(0, 0));
}

}  // namespace

void TraceUi::draw_panel() {
  if (!trace_) {
    draw_live_waiting();
    return;
  }
  ImGui::TextColored(kRealKernel, live_ ? "Live from a real kernel" : "Recorded on a real kernel");
  web_bridge::note_item("trace:banner");
  ImGui::SameLine();
  // Closing swaps MachineUi's panel callback, the one running this: update() does it.
  if (ImGui::SmallButton("Close trace")) close_requested_ = true;
  web_bridge::note_item("trace:close");
  ImGui::TextWrapped("%s", origin_.c_str());
  draw_live_bar();
  draw_facts();
  draw_what_if_invite();
  ImGui::Spacing();
  if (ImGui::CollapsingHeader("Workqueues (as wq_monitor.py counts them)",
                              ImGuiTreeNodeFlags_DefaultOpen))
    draw_workqueues();
  if (ImGui::CollapsingHeader("Pools and their kworkers", ImGuiTreeNodeFlags_DefaultOpen))
    draw_pools();
  if (ImGui::CollapsingHeader("Outliers")) draw_outliers();
  if (ImGui::CollapsingHeader("What the importer could not use")) draw_problems();
}

// The way into the split view: the same workload on the lab's model, or under another policy.
void TraceUi::draw_what_if_invite() {
  ImGui::Spacing();
  if (ImGui::Button("What if it ran elsewhere?")) what_if_.open();
  web_bridge::note_item("trace:whatif");
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(
        "Replay this trace's work items on the lab's model (cmwq, Linux 2.6.24, ordered, "
        "max_active = 1) and compare the runs on one time axis");
}

void TraceUi::draw_facts() {
  const import::ParsedTrace& t = trace_->trace;
  const import::TraceMachine& m = trace_->machine;
  ImGui::TextWrapped("%s, %d CPUs, %s from first to last event",
                     import::format_name(t.report.format), trace_->log.nr_cpus,
                     import::format_duration(m.end_ns - m.start_ns).c_str());
  ImGui::TextWrapped("%" PRIu64 " events, %zu work items, %zu kworkers", t.report.records,
                     m.items.size(), m.kworkers.size());
  if (!m.has_sched)
    ImGui::TextWrapped(
        "No sched_switch events: when kworkers ran or slept, and CPU time, are unknown (capture "
        "with --sched).");
  if (t.report.malformed > 0 || t.report.lost_events > 0)
    ImGui::TextColored(kWarning, "%" PRIu64 " malformed lines, %" PRIu64 " events lost",
                       t.report.malformed, t.report.lost_events);
  ImGui::TextWrapped(
      "Scrub the timeline or step with Left/Right: the views show the machine at each recorded "
      "event. Times start at the trace's first event.");
}

void TraceUi::draw_workqueues() {
  const import::TraceMachine& m = trace_->machine;
  if (!begin_table("##trace_wqs", 8)) return;
  for (const char* h : {"workqueue", "queued", "ran", "most in flight", "waited (max_active)",
                        "rescued", "latency p50 / max", "run p50 / max"})
    ImGui::TableSetupColumn(h);
  ImGui::TableHeadersRow();
  for (const import::TraceWorkqueue& w : m.workqueues) {
    ImGui::TableNextRow();
    std::string name = w.name;
    if (w.unbound == import::Tri::Yes) name += " (unbound)";
    if (w.highpri == import::Tri::Yes) name += " (highpri)";
    cell(name);
    cell(std::to_string(w.queued));
    cell(std::to_string(w.started));
    cell(std::to_string(w.max_in_flight));
    cell(std::to_string(w.waited_inactive));
    cell(std::to_string(w.rescued));
    cell(w.latency.count == 0 ? "?"
                              : import::format_duration(w.latency.p50) + " / " +
                                    import::format_duration(w.latency.max));
    cell(w.run.count == 0
             ? "?"
             : import::format_duration(w.run.p50) + " / " + import::format_duration(w.run.max));
  }
  ImGui::EndTable();
}

void TraceUi::draw_pools() {
  const import::TraceMachine& m = trace_->machine;
  if (!begin_table("##trace_pools", 5)) return;
  for (const char* h : {"pool", "kworkers", "items run", "most executing", "longest wait"})
    ImGui::TableSetupColumn(h);
  ImGui::TableHeadersRow();
  for (const import::TracePool& p : m.pools) {
    ImGui::TableNextRow();
    cell(p.name);
    std::string workers;
    for (int32_t pid : p.workers) {
      const import::TraceKworker* k = m.kworker(pid);
      if (!workers.empty()) workers += ", ";
      workers += (k ? k->comm : std::string("?")) + " (" + std::to_string(pid) + ")";
    }
    cell(workers);
    cell(std::to_string(p.executions));
    cell(std::to_string(p.max_executing));
    cell(import::format_duration(p.longest_wait));
  }
  ImGui::EndTable();
  for (const import::TraceKworker& k : m.kworkers)
    if (k.rescuer)
      ImGui::Text("Rescuer %s (pid %d) for %s: %" PRIu64 " items", k.comm.c_str(), k.pid,
                  k.rescuer_wq.c_str(), k.executions);
  ImGui::TextDisabled("CPU time of the kworkers: %s",
                      m.has_sched ? "in the counters view" : "? (no sched_switch events)");
}

void TraceUi::draw_outliers() {
  const import::ParsedTrace& t = trace_->trace;
  const import::TraceMachine& m = trace_->machine;
  auto item_line = [&](int32_t index, bool latency) {
    const import::TraceItem& it = m.items[static_cast<size_t>(index)];
    const std::string wq =
        it.wq >= 0 ? m.workqueues[static_cast<size_t>(it.wq)].name : std::string("?");
    const int64_t value = latency ? (it.latency_known() ? it.latency() : import::kUnknownTime)
                                  : (it.run_known() ? it.run_time() : import::kUnknownTime);
    ImGui::BulletText("%s  %s (%s), line %u", import::format_duration(value).c_str(),
                      t.names.get(it.function).c_str(), wq.c_str(),
                      latency ? it.queue_line : it.start_line);
  };
  ImGui::TextUnformatted("Longest wait from queue_work to execute_start:");
  for (int32_t i : m.outliers.longest_latency) item_line(i, true);
  ImGui::TextUnformatted("Longest runs:");
  for (int32_t i : m.outliers.longest_run) item_line(i, false);
  if (const import::TracePool* p = m.pool(m.outliers.stalled_pool))
    ImGui::Text("Pool that waited longest for a kworker: %s (%s)", p->name.c_str(),
                import::format_duration(p->longest_wait).c_str());
}

void TraceUi::draw_problems() {
  const import::ImportReport& r = trace_->trace.report;
  ImGui::Text("%" PRIu64 " lines read, %" PRIu64 " malformed, %" PRIu64
              " events of other kinds skipped, %" PRIu64 " duplicates",
              r.lines, r.malformed, r.unknown, r.duplicates);
  for (const auto& [kind, n] : r.unknown_kinds) ImGui::BulletText("%s: %" PRIu64, kind.c_str(), n);
  for (const import::Problem& p : r.problems)
    ImGui::TextWrapped("line %u: %s: %s", p.line, p.reason.c_str(), p.text.c_str());
}

}  // namespace wqlab

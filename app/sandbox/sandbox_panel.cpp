// SandboxUi's forms, drawn in the Lesson panel: the machine, workqueues, work items, actions
// performed now, runs and "you are the scheduler", and the file row; plus the Sandbox menu.
#include <algorithm>
#include <cstdio>
#include <iterator>
#include <string>
#include <vector>

#include "engine/scenario/writer.h"
#include "engine/trace/text_format.h"
#include "engine/wq/wq_types.h"
#include "imgui.h"
#include "platform/web_bridge.h"
#include "sandbox/sandbox_text.h"
#include "sandbox/sandbox_ui.h"
#include "share/share_url.h"

namespace wqlab {

namespace {

#ifdef __EMSCRIPTEN__
constexpr bool kBrowser = true;
#else
constexpr bool kBrowser = false;
#endif

struct FlagChoice {
  unsigned bit;
  const char* name;
};
constexpr FlagChoice kFlags[] = {{wq::WQ_UNBOUND, "WQ_UNBOUND"},
                                 {wq::WQ_HIGHPRI, "WQ_HIGHPRI"},
                                 {wq::WQ_CPU_INTENSIVE, "WQ_CPU_INTENSIVE"},
                                 {wq::WQ_MEM_RECLAIM, "WQ_MEM_RECLAIM"},
                                 {wq::WQ_FREEZABLE, "WQ_FREEZABLE"},
                                 {wq::WQ_POWER_EFFICIENT, "WQ_POWER_EFFICIENT"}};

scenario::Action action(scenario::ActionKind kind) {
  scenario::Action a;
  a.kind = kind;
  return a;
}

// A combo over `items`; `index` is clamped into range (items may have shrunk).
bool combo(const char* label, int* index, const std::vector<std::string>& items) {
  if (items.empty()) {
    ImGui::BeginDisabled();
    int none = 0;
    ImGui::Combo(label, &none, "(none)\0");
    ImGui::EndDisabled();
    return false;
  }
  *index = std::clamp(*index, 0, static_cast<int>(items.size()) - 1);
  bool changed = false;
  if (ImGui::BeginCombo(label, items[static_cast<size_t>(*index)].c_str())) {
    for (size_t i = 0; i < items.size(); ++i) {
      if (ImGui::Selectable(items[i].c_str(), static_cast<int>(i) == *index)) {
        *index = static_cast<int>(i);
        changed = true;
      }
    }
    ImGui::EndCombo();
  }
  return changed;
}

// Keeps a button or checkbox labelled `label` on the current row if it fits, so that the forms
// wrap in a narrow panel instead of running off its edge.
void same_row_if_fits(const char* label, bool checkbox = false) {
  const ImGuiStyle& style = ImGui::GetStyle();
  float w = ImGui::CalcTextSize(label, nullptr, true).x + style.FramePadding.x * 2;
  if (checkbox) w += ImGui::GetFrameHeight() + style.ItemInnerSpacing.x - style.FramePadding.x * 2;
  const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
  if (ImGui::GetItemRectMax().x + style.ItemSpacing.x + w <= right) ImGui::SameLine();
}

void hint(const char* text) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::TextWrapped("%s", text);
  ImGui::PopStyleColor();
}

bool button(const char* label) {
  same_row_if_fits(label);
  return ImGui::Button(label);
}

}  // namespace

void SandboxUi::draw_menu() {
  if (ImGui::MenuItem("Open the sandbox", nullptr, shown())) open();
  web_bridge::note_item("menu:Sandbox/Open");
  if (ImGui::MenuItem("New sandbox")) {
    started_ = false;
    open();
  }
  ImGui::BeginDisabled(!started_);
  if (ImGui::MenuItem(kBrowser ? "Download scenario file" : "Save scenario file")) save();
  web_bridge::note_item("menu:Sandbox/Save");
  if (ImGui::MenuItem("Copy share link")) share();
  web_bridge::note_item("menu:Sandbox/Share");
  ImGui::EndDisabled();
  ImGui::Separator();
  if (ImGui::MenuItem("Back to the demo", nullptr, false, shown())) machine_->show_external();
}

void SandboxUi::draw_panel() {
  ImGui::TextUnformatted("Sandbox");
  ImGui::SameLine();
  ImGui::TextDisabled("t = %s s   %s", trace::format_time(sandbox_->now()).c_str(),
                      sandbox_->ready() ? "ready" : "running...");
  const std::string& err = sandbox_->error();
  const std::string engine_err = session_->status().error;
  if (!err.empty() || !engine_err.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.45f, 0.4f, 1.0f));
    ImGui::TextWrapped("%s", (err.empty() ? engine_err : err).c_str());
    ImGui::PopStyleColor();
  } else if (!sandbox_->note().empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.55f, 0.85f, 0.55f, 1.0f));
    ImGui::TextWrapped("done: %s", sandbox_->note().c_str());
    ImGui::PopStyleColor();
  }
  ImGui::Separator();
  ImGui::BeginChild("##sandbox_forms");
  ImGui::PushItemWidth(-ImGui::GetFontSize() * 5.5f);  // room for the labels on the right
  draw_machine_row();
  ImGui::BeginDisabled(!sandbox_->can_act());
  draw_run_row();
  if (ImGui::CollapsingHeader("You are the scheduler", ImGuiTreeNodeFlags_DefaultOpen))
    draw_scheduler();
  // The forms that define things start open in an empty sandbox, closed in a loaded one.
  const bool empty = sandbox_->scenario().works.empty();
  ImGui::SetNextItemOpen(empty, ImGuiCond_Once);
  if (ImGui::CollapsingHeader("Workqueues")) draw_workqueue_form();
  ImGui::SetNextItemOpen(empty, ImGuiCond_Once);
  if (ImGui::CollapsingHeader("Work items")) draw_work_form();
  if (ImGui::CollapsingHeader("Do now", ImGuiTreeNodeFlags_DefaultOpen)) draw_actions();
  if (ImGui::CollapsingHeader("History (what Save writes)")) draw_history();
  ImGui::EndDisabled();
  if (ImGui::CollapsingHeader("Save, load, share", ImGuiTreeNodeFlags_DefaultOpen)) draw_file_row();
  ImGui::PopItemWidth();
  ImGui::EndChild();
}

void SandboxUi::draw_machine_row() {
  const scenario::MachineSpec& m = sandbox_->machine();
  int model = m.model == scenario::Model::Cmwq ? 0 : 1;
  ImGui::BeginDisabled(!sandbox_->can_act());
  if (ImGui::Combo("model", &model, "cmwq (6.12)\0legacy (2.6.24)\0"))
    sandbox_->set_model(model == 0 ? scenario::Model::Cmwq : scenario::Model::Legacy);
  int mode = m.mode == kernel::Mode::Deterministic ? 0 : 1;
  if (ImGui::Combo("mode", &mode, "deterministic\0realtime\0"))
    sandbox_->set_mode(mode == 0 ? kernel::Mode::Deterministic : kernel::Mode::Realtime);
  cpus_ = m.cpus;
  if (ImGui::InputInt("CPUs", &cpus_, 1, 1, ImGuiInputTextFlags_EnterReturnsTrue) ||
      (ImGui::IsItemDeactivatedAfterEdit() && cpus_ != m.cpus))
    sandbox_->set_cpus(cpus_);
  ImGui::EndDisabled();
}

void SandboxUi::draw_workqueue_form() {
  const bool legacy = sandbox_->machine().model == scenario::Model::Legacy;
  ImGui::InputText("name##wq", wq_name_, sizeof wq_name_);
  if (legacy && wq_create_ < 2) wq_create_ = 2;  // legacy has only the create_* calls
  if (ImGui::BeginCombo("call", sandbox::kCreateCalls[wq_create_])) {
    for (int i = legacy ? 2 : 0; i < 5; ++i)
      if (ImGui::Selectable(sandbox::kCreateCalls[i], i == wq_create_)) wq_create_ = i;
    ImGui::EndCombo();
  }
  const bool alloc = wq_create_ < 2;
  ImGui::BeginDisabled(!alloc);
  for (size_t i = 0; i < std::size(kFlags); ++i) {
    bool on = (wq_flags_ & kFlags[i].bit) != 0;
    if (i != 0) same_row_if_fits(kFlags[i].name, true);
    if (ImGui::Checkbox(kFlags[i].name, &on)) wq_flags_ ^= kFlags[i].bit;
  }
  ImGui::BeginDisabled(wq_create_ != 0);
  ImGui::InputInt("max_active", &wq_max_active_);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("0: the default (256)");
  ImGui::EndDisabled();
  ImGui::EndDisabled();
  if (ImGui::Button("Create workqueue"))
    sandbox_->create_workqueue(wq_name_, sandbox::kCreateCalls[wq_create_], alloc ? wq_flags_ : 0,
                               wq_create_ == 0 ? wq_max_active_ : 0);
  web_bridge::note_item("sandbox:create-wq");
  std::string live;
  for (const std::string& name : sandbox_->workqueues()) live += (live.empty() ? "" : ", ") + name;
  ImGui::TextDisabled("Workqueues now:");
  ImGui::TextWrapped("%s", live.c_str());
}

void SandboxUi::draw_work_form() {
  ImGui::InputText("name##work", work_name_, sizeof work_name_);
  ImGui::InputText("body", work_body_, sizeof work_body_);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(
        "Steps separated by ';': compute 5ms, sleep 10ms, alloc 64KiB, lock L / unlock L,\n"
        "queue self (requeue), queue W on WQ, flush W, flush_wq WQ, cancel W, pressure on");
  ImGui::Checkbox("delayed_work", &work_delayed_);
  if (button("Define work item")) sandbox_->add_work(work_name_, work_body_, work_delayed_);
  web_bridge::note_item("sandbox:define-work");
  for (const scenario::WorkSpec& w : sandbox_->scenario().works) {
    std::string body;
    for (const scenario::WorkOp& op : w.ops)
      body += (body.empty() ? "" : "; ") + scenario::workload_step_text(op);
    ImGui::Bullet();
    ImGui::TextWrapped("%s%s: %s", w.name.c_str(), w.delayed ? " (delayed)" : "", body.c_str());
  }
}

void SandboxUi::draw_actions() {
  std::vector<std::string> works;
  for (const scenario::WorkSpec& w : sandbox_->scenario().works) works.push_back(w.name);
  const std::vector<std::string>& wqs = sandbox_->workqueues();
  combo("work", &act_work_, works);
  combo("on wq", &act_wq_, wqs);
  std::vector<std::string> cpus{"unbound"};
  for (int c = 0; c < sandbox_->machine().cpus; ++c) cpus.push_back("CPU " + std::to_string(c));
  int cpu_index = act_cpu_ + 1;
  if (combo("cpu", &cpu_index, cpus)) act_cpu_ = cpu_index - 1;
  ImGui::InputFloat("delay ms", &act_delay_ms_, 1.0f, 10.0f, "%.1f");
  act_delay_ms_ = std::max(act_delay_ms_, 0.0f);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Above 0: queue_delayed_work (a delayed_work item)");
  const std::string work = works.empty() ? "" : works[static_cast<size_t>(act_work_)];
  const std::string wq = wqs.empty() ? "" : wqs[static_cast<size_t>(act_wq_)];
  auto on_work = [&](scenario::ActionKind kind, bool sync = false) {
    scenario::Action a = action(kind);
    a.work = work;
    a.sync = sync;
    return a;
  };
  auto on_wq = [&](scenario::ActionKind kind) {
    scenario::Action a = action(kind);
    a.wq = wq;
    return a;
  };
  if (ImGui::Button("Queue")) {
    scenario::Action a = on_work(scenario::ActionKind::Queue);
    a.wq = wq;
    a.cpu = act_cpu_;
    if (act_delay_ms_ > 0.0f) a.delay = static_cast<int64_t>(act_delay_ms_ * 1e6);
    sandbox_->perform(a);
  }
  web_bridge::note_item("sandbox:queue");
  if (button("Cancel")) sandbox_->perform(on_work(scenario::ActionKind::Cancel));
  if (button("Cancel sync")) sandbox_->perform(on_work(scenario::ActionKind::Cancel, true));
  if (button("Flush work")) sandbox_->perform(on_work(scenario::ActionKind::Flush));
  if (button("Flush wq")) sandbox_->perform(on_wq(scenario::ActionKind::Flush));
  if (button("Drain wq")) sandbox_->perform(on_wq(scenario::ActionKind::Drain));
  if (button("Destroy wq")) sandbox_->perform(on_wq(scenario::ActionKind::Destroy));

  scenario::Action p = action(scenario::ActionKind::Pressure);
  p.on = !sandbox_->pressure();
  if (button(p.on ? "Pressure: turn on" : "Pressure: turn off")) sandbox_->perform(p);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Memory pressure: every kmalloc() fails while on");
  if (button(sandbox_->frozen() ? "Thaw" : "Freeze"))
    sandbox_->perform(
        action(sandbox_->frozen() ? scenario::ActionKind::Thaw : scenario::ActionKind::Freeze));
  ImGui::InputInt("hotplug CPU", &hot_cpu_);
  hot_cpu_ = std::clamp(hot_cpu_, 0, sandbox_->machine().cpus - 1);
  const bool online = sandbox_->cpu_online(hot_cpu_);
  if (button(online ? "CPU offline" : "CPU online")) {
    scenario::Action a =
        action(online ? scenario::ActionKind::CpuOffline : scenario::ActionKind::CpuOnline);
    a.cpu = hot_cpu_;
    sandbox_->perform(a);
  }
}

void SandboxUi::draw_run_row() {
  const bool det = sandbox_->machine().mode == kernel::Mode::Deterministic;
  ImGui::BeginDisabled(!det);
  if (ImGui::Button("Step")) sandbox_->step();
  web_bridge::note_item("sandbox:step");
  ImGui::EndDisabled();
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip("One task dispatch (deterministic mode)");
  if (button("Run 1 ms")) sandbox_->run_for(kernel::msecs(1));
  if (button("Run 10 ms")) sandbox_->run_for(kernel::msecs(10));
  if (button("Run until idle")) sandbox_->run_until_idle();
  web_bridge::note_item("sandbox:run-idle");
}

void SandboxUi::draw_scheduler() {
  if (sandbox_->machine().mode != kernel::Mode::Deterministic) {
    hint("Deterministic mode only: in realtime mode the host schedules.");
    return;
  }
  ImGui::Checkbox("Pick the next task myself", &scheduler_);
  if (!scheduler_) return;
  if (runnable_.empty()) {
    hint("Nothing is runnable now: Step (or run the machine) until tasks wait for a CPU.");
    return;
  }
  hint("Ready to run now, then waiting for a CPU in EEVDF's order. Your pick is the next to run:");
  for (const session::RunnableTask& t : runnable_) {
    char label[160];
    std::snprintf(label, sizeof label, "Run pid %d %s (CPU %d)##pick%d", t.pid, t.comm.c_str(),
                  t.cpu, t.pid);
    if (ImGui::Button(label)) sandbox_->pick(t.pid);
    web_bridge::note_item(("sandbox:pick:" + std::to_string(t.pid)).c_str());
  }
  if (sandbox_->picks() > 0)
    hint((std::to_string(sandbox_->picks()) + (sandbox_->picks() == 1 ? " pick" : " picks") +
          " so far (a saved file does not keep them)")
             .c_str());
}

void SandboxUi::draw_history() {
  const std::vector<scenario::Step>& steps = sandbox_->scenario().steps;
  if (steps.empty()) ImGui::TextDisabled("Nothing done yet.");
  kernel::Nanos start = 0;
  for (const scenario::Step& st : steps) {
    std::string line = st.id + " at " + trace::format_time(start) + " s:";
    for (const scenario::Action& a : st.actions) line += " " + sandbox::describe_action(a) + ";";
    if (st.run.kind == scenario::RunKind::Until) {
      line += " run until " + trace::format_time(st.run.time) + " s";
      start = st.run.time;
    } else {
      line += st.run.kind == scenario::RunKind::Idle ? " run until idle" : " run for a while";
    }
    ImGui::Bullet();
    ImGui::TextWrapped("%s", line.c_str());
  }
}

void SandboxUi::draw_file_row() {
  if (!kBrowser) {
    ImGui::InputText("file", path_, sizeof path_);
  }
  if (ImGui::Button(kBrowser ? "Download" : "Save")) save();
  if (!kBrowser) {
    if (button("Load")) open_file(path_);
  }
  if (button("Share link")) share();
  web_bridge::note_item("sandbox:share");
  if (button("New")) {
    started_ = false;
    open();
  }
  if (!link_.empty()) {
    ImGui::SetNextItemWidth(-1.0f);
    ImGui::InputText("##link", link_.data(), link_.size() + 1, ImGuiInputTextFlags_ReadOnly);
  }
  if (kBrowser) {
    if (paste_.size() < share::kMaxScenarioBytes + 1)
      paste_.resize(share::kMaxScenarioBytes + 1, '\0');
    hint("Load: paste a scenario file's text here");
    ImGui::InputTextMultiline("##paste", paste_.data(), paste_.size(),
                              ImVec2(-1.0f, ImGui::GetTextLineHeight() * 4));
    if (ImGui::Button("Load the text")) open_text(paste_.data(), "pasted");
  }
}

}  // namespace wqlab

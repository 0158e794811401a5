// TraceUi: opening a trace, showing it through MachineUi's views, its commands and exposed state.
#include "trace/trace_ui.h"

#include <algorithm>
#include <cfloat>
#include <nlohmann/json.hpp>

#include "engine/import/importer.h"
#include "imgui.h"
#include "platform/page_files.h"

namespace wqlab {

namespace {

#ifdef __EMSCRIPTEN__
constexpr bool kDesktop = false;
#else
constexpr bool kDesktop = true;
#endif

// "linux-6.18-2cpu-writeback.trace.txt" from a path; what exported files are named after.
std::string base_name(const std::string& origin) {
  const size_t slash = origin.find_last_of("/\\");
  return slash == std::string::npos ? origin : origin.substr(slash + 1);
}

std::string stem(const std::string& origin) {
  std::string b = base_name(origin);
  for (const char* ext : {".txt", ".dat", ".trace", ".perf-script", ".report"})
    if (b.size() > std::string_view(ext).size() && b.ends_with(ext))
      b.resize(b.size() - std::string_view(ext).size());
  return b;
}

}  // namespace

TraceUi::TraceUi(Shell* shell, MachineUi* machine) : shell_(shell), machine_(machine) {}

TraceUi::~TraceUi() {
  stop_live();
  what_if_.forget();
  if (loading_) loading_->thread.join();  // an import cannot be stopped; it ends on its own
  if (shown()) machine_->show_external();
}

bool TraceUi::shown() const {
  return recording_ && machine_->external() &&
         &machine_->current() == static_cast<const Stage*>(this);
}

bool TraceUi::open_text(std::string_view text, const std::string& origin) {
  stop_live();  // a file opened in its place ends a live trace
  import::ImportOptions options;
  options.source = origin;
  return adopt(std::make_unique<import::OpenedTrace>(import::open_trace_text(text, options)),
               origin);
}

void TraceUi::open_text_async(std::string text, const std::string& origin) {
  if (loading_) {
    shell_->notify("Still opening " + base_name(loading_->origin) + "; try again when it is in",
                   true);
    return;
  }
  stop_live();
  loading_ = start_import(std::move(text), origin);
}

std::unique_ptr<TraceUi::Loading> TraceUi::start_import(std::string text,
                                                        const std::string& origin) {
  auto job = std::make_unique<Loading>();
  Loading* l = job.get();
  l->origin = origin;
  l->total = std::max<size_t>(text.size(), 1);
  l->thread = std::thread([l, text = std::move(text)] {
    import::ImportOptions options;
    options.source = l->origin;
    options.progress = [l](size_t done, size_t) {
      l->bytes.store(done, std::memory_order_relaxed);
    };
    l->result = std::make_unique<import::OpenedTrace>(import::open_trace_text(text, options));
    l->finished.store(true, std::memory_order_release);
  });
  return job;
}

void TraceUi::open_file_async(const std::string& path) {
  std::string error;
  std::optional<std::string> text = import::read_trace_file(path, &error);
  if (!text) {
    error_ = error;
    shell_->notify(error_, true);
    return;
  }
  open_text_async(std::move(*text), path);
}

void TraceUi::update() {
  what_if_.update();
  if (close_requested_) {
    close_requested_ = false;
    close();
  }
  update_live();
  if (!loading_ || !loading_->finished.load(std::memory_order_acquire)) return;
  loading_->thread.join();
  std::unique_ptr<Loading> done = std::move(loading_);
  adopt(std::move(done->result), done->origin);
}

bool TraceUi::adopt(std::unique_ptr<import::OpenedTrace> opened, const std::string& origin,
                    bool continues) {
  const import::ImportReport& r = opened->trace.report;
  if (r.records == 0) {
    error_ = origin + ": no workqueue or scheduler events in " + std::to_string(r.lines) +
             " lines (" + std::to_string(r.malformed) + " malformed, " + std::to_string(r.unknown) +
             " of other events); is this ftrace, trace-cmd report or perf script text?";
    shell_->notify(error_, true);
    return false;
  }
  error_.clear();
  // It compared the trace that goes now; more of a live trace keeps its last comparison (the
  // caller waits for a comparison still running, which reads the trace).
  if (!continues) what_if_.forget();
  trace_ = std::move(opened);
  origin_ = origin;
  auto rec = std::make_shared<session::Recording>();
  rec->recorder = trace_->log.recorder;
  rec->config.nr_cpus = trace_->log.nr_cpus;
  rec->scenario.name = "trace-" + stem(origin);
  rec->scenario.title = "Recorded on a real kernel: " + base_name(origin);
  rec->scenario.summary = "A workqueue trace from a Linux machine with " +
                          std::to_string(trace_->log.nr_cpus) + " CPUs, imported from " +
                          base_name(origin) + ".";
  rec->generation = ++generation_;
  if (continues && recording_) rec->continues = recording_->generation;
  recording_ = std::move(rec);
  show();
  if (continues) return true;
  std::string note = "Opened " + base_name(origin) + ": " + std::to_string(r.records) +
                     " events on " + std::to_string(trace_->log.nr_cpus) + " CPUs";
  if (r.malformed > 0) note += ", " + std::to_string(r.malformed) + " malformed lines skipped";
  shell_->notify(note);
  return true;
}

bool TraceUi::open_file(const std::string& path) {
  std::string error;
  std::optional<std::string> text = import::read_trace_file(path, &error);
  if (!text) {
    error_ = error;
    shell_->notify(error_, true);
    return false;
  }
  return open_text(*text, path);
}

void TraceUi::show() {
  machine_->show_external(
      this, [this]() -> std::shared_ptr<const session::Recording> { return recording_; },
      [this] { draw_panel(); }, this);
  machine_->selection().live = true;
}

void TraceUi::close() {
  stop_live();
  if (&machine_->current() == static_cast<Stage*>(this)) machine_->show_external();
}

bool TraceUi::what_if_now(const std::vector<whatif::Policy>& policies) {
  if (!shown()) return false;
  what_if_.run_now(trace_.get(), policies);
  return true;
}

bool TraceUi::run_command(Command c, float held_seconds) {
  return shown() && machine_->run_command(c, held_seconds);
}

std::string TraceUi::name() const {
  return recording_ ? recording_->scenario.name : "trace";
}

std::vector<exporting::MachineRecording> TraceUi::machines() const {
  if (!recording_) return {};
  exporting::MachineRecording m{"linux", false, recording_};
  m.real = true;
  return {m};
}

session::SessionStatus TraceUi::status() const {
  session::SessionStatus s;
  if (!recording_) return s;
  s.generation = recording_->generation;
  s.scenario = recording_->scenario.name;
  s.idle = true;
  if (live_) {
    // Following a live trace plays; caught up with its source, it waits (and is settled).
    const import::LiveFeed::Progress p = live_->feed->progress();
    s.playing = following() && !p.ended;
    s.busy = live_->import != nullptr || (following() && p.bytes > live_->shown);
    s.waiting = s.playing && !s.busy && p.caught_up;
  }
  s.events = recording_->recorder->log().size();
  s.now = trace_->machine.end_ns - trace_->machine.start_ns;
  return s;
}

bool TraceUi::Opener::run_command(Command c, float) {
  if (c != Command::kOpenTrace) return false;
  if (kDesktop) {
    ui_->dialog_ = true;
  } else {
    page_files::pick(".txt,.dat,.trace,.log,text/plain");
    ui_->shell_->notify("Choose a trace file (cat trace, trace-cmd report or perf script text)");
  }
  return true;
}

void TraceUi::draw_progress() {
  if (!loading_) return;
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(viewport->GetCenter(), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSize(ImVec2(ImGui::GetFontSize() * 30, 0), ImGuiCond_Always);
  ImGui::Begin(
      "Opening trace", nullptr,
      ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoResize);
  const size_t bytes = loading_->bytes.load(std::memory_order_relaxed);
  const size_t total = loading_->total.load(std::memory_order_relaxed);
  const float fraction =
      static_cast<float>(static_cast<double>(bytes) / static_cast<double>(total));
  ImGui::TextWrapped("%s", base_name(loading_->origin).c_str());
  ImGui::ProgressBar(fraction, ImVec2(-FLT_MIN, 0),
                     fraction >= 1.0f ? "building the machine" : nullptr);
  ImGui::End();
}

void TraceUi::draw_dialog() {
  draw_progress();
  if (shown()) what_if_.draw(trace_.get());
  constexpr const char* kTitle = "Open trace";
  if (dialog_) {
    ImGui::OpenPopup(kTitle);
    dialog_ = false;
  }
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(viewport->GetCenter(), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSize(ImVec2(ImGui::GetFontSize() * 36, 0), ImGuiCond_Always);
  if (!ImGui::BeginPopupModal(kTitle, nullptr, ImGuiWindowFlags_NoSavedSettings)) return;
  ImGui::TextWrapped(
      "A real kernel's workqueue trace: `cat trace` or `trace_pipe` text, `trace-cmd report` or "
      "`perf script` output (wqlab capture -o FILE records one). You can also drop the file on "
      "the window.");
  if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
  ImGui::SetNextItemWidth(-FLT_MIN);
  const bool enter =
      ImGui::InputText("##path", path_, sizeof path_, ImGuiInputTextFlags_EnterReturnsTrue);
  if (!error_.empty()) ImGui::TextColored(ImVec4(1.0f, 0.45f, 0.4f, 1.0f), "%s", error_.c_str());
  if ((ImGui::Button("Open") || enter) && path_[0] != '\0') {
    error_.clear();
    open_file_async(path_);
    if (error_.empty()) ImGui::CloseCurrentPopup();
  }
  ImGui::SameLine();
  if (ImGui::Button("Cancel") || ImGui::IsKeyPressed(ImGuiKey_Escape)) ImGui::CloseCurrentPopup();
  ImGui::EndPopup();
}

std::string TraceUi::state_json_members() const {
  nlohmann::ordered_json j;
  j["shown"] = shown();
  j["loading"] = loading();
  j["error"] = error_;
  if (trace_) {
    const import::ParsedTrace& t = trace_->trace;
    const import::TraceMachine& m = trace_->machine;
    j["file"] = base_name(origin_);
    j["format"] = import::format_name(t.report.format);
    j["cpus"] = trace_->log.nr_cpus;
    j["spanNs"] = m.end_ns - m.start_ns;
    j["lines"] = t.report.lines;
    j["records"] = t.report.records;
    j["malformed"] = t.report.malformed;
    j["unknown"] = t.report.unknown;
    j["sched"] = m.has_sched;
    j["kworkers"] = m.kworkers.size();
    j["items"] = m.items.size();
    nlohmann::ordered_json wqs = nlohmann::ordered_json::object();
    for (const import::TraceWorkqueue& w : m.workqueues) wqs[w.name] = w.started;
    j["workqueues"] = wqs;
  }
  j["whatif"] = what_if_.state();
  j["live"] = nlohmann::ordered_json::parse(live_state_json());
  const std::string text = j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  return "\"trace\":" + text;
}

}  // namespace wqlab

// SandboxUi: showing the sandbox, pacing its play, files and links, and the exposed state.
#include "sandbox/sandbox_ui.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "export/deliver.h"
#include "share/page_link.h"
#include "share/share_url.h"
#include "shell/json_escape.h"

namespace wqlab {

namespace {

#ifdef __EMSCRIPTEN__
constexpr size_t kCarrierBudget = session::kCarrierCap;
#else
constexpr size_t kCarrierBudget = 0;
#endif

const char* mode_name(kernel::Mode m) {
  return m == kernel::Mode::Deterministic ? "deterministic" : "realtime";
}

}  // namespace

SandboxUi::SandboxUi(Shell* shell, MachineUi* machine) : shell_(shell), machine_(machine) {
  machine_->sandbox_menu = [this] { draw_menu(); };
}

SandboxUi::~SandboxUi() {
  if (machine_->external()) machine_->show_external();
  machine_->sandbox_menu = nullptr;
  sandbox_.reset();
  session_.reset();  // joins the sandbox's driver (its machine shuts down on it)
}

void SandboxUi::show() {
  shown_ = true;
  machine_->show_external(
      this,
      [this]() -> std::shared_ptr<const session::Recording> {
        std::shared_ptr<const session::LessonInfo> info = session_ ? session_->info() : nullptr;
        if (!info || info->machines.empty()) return nullptr;
        return info->machines.front().recording;
      },
      [this] { draw_panel(); }, this);
}

bool SandboxUi::run_command(Command c, float held_seconds) {
  return shown() && machine_->run_command(c, held_seconds);
}

// "sandbox", or "sandbox-ID" for a scenario with an id of its own.
std::string SandboxUi::name() const {
  const std::string id = started_ ? sandbox_->scenario().id : "";
  return id.empty() || id == "sandbox" ? "sandbox" : "sandbox-" + id;
}

std::vector<exporting::MachineRecording> SandboxUi::machines() const {
  std::shared_ptr<const session::LessonInfo> info = session_ ? session_->info() : nullptr;
  if (!info) return {};
  std::vector<exporting::MachineRecording> out;
  for (const session::LessonMachine& m : info->machines)
    out.push_back({m.id, m.legacy, m.recording});
  return out;
}

std::string SandboxUi::scenario_text() const {
  return started_ ? sandbox_->save_text() : "";
}

void SandboxUi::open() {
  if (!session_) {
    session_ = std::make_unique<session::LessonSession>(kCarrierBudget);
    sandbox_ = std::make_unique<sandbox::Sandbox>(*session_);
  }
  if (!started_) {
    sandbox_->reset(cpus_);
    started_ = true;
    last_reported_ = sandbox_->note();  // a fresh sandbox needs no notice
  }
  show();
}

bool SandboxUi::open_text(const std::string& text, const std::string& origin) {
  open();
  const bool ok = sandbox_->load(text, origin);
  report();
  return ok;
}

bool SandboxUi::open_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    open();
    shell_->notify("sandbox: cannot read " + path, true);
    return false;
  }
  std::stringstream text;
  text << in.rdbuf();
  return open_text(text.str(), path);
}

bool SandboxUi::open_scenario(const scenario::Scenario& s, const std::string& origin) {
  open();
  scenario::Scenario copy = s;
  if (copy.file.empty()) copy.file = origin;
  const bool ok = sandbox_->load(std::move(copy));
  report();
  return ok;
}

void SandboxUi::update(float dt) {
  dt_ = dt;
  if (!started_) return;
  sandbox_->sync(session_->status());
  runnable_ = session_->runnable();
  if (playing_ && shown() && sandbox_->ready()) {
    // Play: a slice of virtual time per frame at the chosen speed (at least a microsecond).
    const double ns = speed_ * static_cast<double>(std::min(dt, 0.1f)) * 1e9;
    sandbox_->run_for(std::max<kernel::Nanos>(1000, static_cast<kernel::Nanos>(ns)));
  }
  report();
}

void SandboxUi::report() {
  const std::string& e = sandbox_->error();
  const std::string text = e.empty() ? sandbox_->note() : e;
  if (text.empty() || text == last_reported_ || playing_) return;
  last_reported_ = text;
  shell_->notify("sandbox: " + text, !e.empty());
}

void SandboxUi::step() {
  playing_ = false;
  if (!started_) return;
  if (sandbox_->machine().mode == kernel::Mode::Deterministic)
    sandbox_->step();
  else
    sandbox_->run_for(kernel::msecs(1));
}

void SandboxUi::run_until_idle() {
  playing_ = false;
  if (!started_) return;
  sandbox_->run_until_idle();
}

session::SessionStatus SandboxUi::status() const {
  if (!started_) return {};
  session::SessionStatus s = session_->status();
  s.playing = playing_;
  s.speed = speed_;
  s.busy = s.busy || !sandbox_->ready();
  return s;
}

void SandboxUi::save() {
  const std::string text = sandbox_->save_text();
#ifdef __EMSCRIPTEN__
  exporting::Delivered d = exporting::deliver_file("", "sandbox.toml", "application/toml", text);
#else
  exporting::Delivered d;
  d.where = path_;
  std::ofstream out(path_, std::ios::binary);
  out << text;
  if (!out) d.error = std::string("cannot write ") + path_;
#endif
  if (d.error.empty())
    shell_->notify("sandbox: saved " + d.where);
  else
    shell_->notify("sandbox: " + d.error, true);
}

void SandboxUi::share() {
  share::EncodedLink link = share::make_share_url(page_link::base_url(), sandbox_->save_text());
  if (!link.error.empty()) {
    link_.clear();
    shell_->notify("sandbox: " + link.error, true);
    return;
  }
  link_ = link.fragment;
  page_link::copy_to_clipboard(link_);
  shell_->notify("sandbox: share link copied (" + std::to_string(link_.size()) + " characters)");
}

std::string SandboxUi::state_json_members() const {
  std::string j = "\"sandbox\":{\"shown\":" + std::string(shown() ? "true" : "false");
  if (!started_) return j + "}";
  const scenario::MachineSpec& m = sandbox_->machine();
  size_t actions = 0;
  for (const scenario::Step& st : sandbox_->scenario().steps) actions += st.actions.size();
  auto list = [](const std::vector<std::string>& items) {
    std::string out = "[";
    for (size_t i = 0; i < items.size(); ++i)
      out += (i ? ",\"" : "\"") + json_escape(items[i]) + "\"";
    return out + "]";
  };
  std::vector<std::string> works;
  for (const scenario::WorkSpec& w : sandbox_->scenario().works) works.push_back(w.name);
  std::string rq = "[";
  for (size_t i = 0; i < runnable_.size(); ++i)
    rq += (i ? "," : "") + std::string("{\"pid\":") + std::to_string(runnable_[i].pid) +
          ",\"comm\":\"" + json_escape(runnable_[i].comm) + "\"}";
  rq += "]";
  j += ",\"ready\":" + std::string(sandbox_->ready() ? "true" : "false") + ",\"model\":\"" +
       (m.model == scenario::Model::Cmwq ? "cmwq" : "legacy") + "\",\"mode\":\"" +
       mode_name(m.mode) + "\",\"cpus\":" + std::to_string(m.cpus) +
       ",\"nowNs\":" + std::to_string(sandbox_->now()) +
       ",\"steps\":" + std::to_string(sandbox_->scenario().steps.size()) +
       ",\"actions\":" + std::to_string(actions) + ",\"works\":" + list(works) +
       ",\"workqueues\":" + list(sandbox_->workqueues()) + ",\"runnable\":" + rq +
       ",\"picks\":" + std::to_string(sandbox_->picks()) + ",\"error\":\"" +
       json_escape(sandbox_->error()) + "\",\"note\":\"" + json_escape(sandbox_->note()) +
       "\",\"engineError\":\"" + json_escape(session_->status().error) + "\",\"link\":\"" +
       json_escape(link_) + "\"}";
  return j;
}

}  // namespace wqlab

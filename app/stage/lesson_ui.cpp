// LessonUi: opening and closing lessons, the per-frame update, and one set of views per machine.
#include "stage/lesson_ui.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "stage/machine_ui.h"
#include "views/missing_glyphs.h"

namespace wqlab {
namespace {

// Where the lesson files are: next to (or above) the program, else the source tree's lessons/
// (desktop); bundled into the page at /lessons (browser).
std::string lesson_dir() {
#ifdef __EMSCRIPTEN__
  return WQLAB_LESSONS_DIR;
#else
  std::error_code ec;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return player::find_lesson_dir(ec ? "" : exe.string(), WQLAB_LESSONS_DIR);
#endif
}

}  // namespace

LessonUi::LessonUi(MachineUi& host) : host_(host) {
  const std::string dir = lesson_dir();
  if (!dir.empty()) catalog_.scan(dir);
}

LessonUi::~LessonUi() {
  player_.reset();
  session_.reset();  // joins the driver before the panes' models let go of the recordings
  panes_.clear();
}

void LessonUi::ensure_player() {
  if (player_) return;
  session_ = std::make_unique<session::LessonSession>();
  player_ = std::make_unique<player::LessonPlayer>(*session_);
  player_->set_speed(host_.speed());
}

bool LessonUi::open(const std::string& file_or_name) {
  std::string path = file_or_name;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec))
    if (const player::CatalogEntry* e = catalog_.find(file_or_name)) path = e->path;
  ensure_player();
  std::string error;
  if (!player::open_lesson_file(*player_, path, &error)) {
    error_ = error;
    return false;
  }
  error_.clear();
  host_.on_lesson_opened();
  return true;
}

void LessonUi::open_scenario(const scenario::Scenario& lesson) {
  ensure_player();
  player_->open(std::make_shared<const scenario::Scenario>(lesson));
  error_.clear();
  host_.on_lesson_opened();
}

void LessonUi::restart() {
  if (!active()) return;
  player_->restart();
}

void LessonUi::close() {
  if (player_) player_->close();
  panes_.clear();
  panes_generation_ = 0;
}

void LessonUi::set_speed(double speed) {
  if (player_) player_->set_speed(speed);
}

void LessonUi::update(float dt) {
  dt_ = dt;
  if (!player_) return;
  player_->update(dt);
  sync_panes();
  fit_timelines();
}

// Each machine's timeline shows the shown step: from its start to its checkpoint once it has
// run, following the newest events while it runs.
void LessonUi::fit_timelines() {
  if (!active() || panes_.size() != player_->machines().size()) return;
  const size_t step = player_->shown_step();
  const session::StepRecord* rec = player_->record(step);
  const std::pair<size_t, bool> key{step, rec && rec->finished};
  for (size_t i : player_->step_machines(step)) {
    MachinePane& pane = *panes_[i];
    if (pane.fitted == key) continue;
    pane.fitted = key;
    if (!key.second) {
      pane.timeline.reset(0);
      continue;
    }
    const kernel::Nanos t0 = rec->begin_time[i], t1 = rec->end_time[i];
    const kernel::Nanos span = std::max<kernel::Nanos>(t1 - t0, kernel::msecs(1));
    pane.timeline.set_range(std::max<kernel::Nanos>(0, t0 - span / 50), t0 + span + span / 50);
  }
}

// A fresh set of views for each machine of a newly booted lesson.
void LessonUi::sync_panes() {
  const session::LessonInfo* info = player_->info();
  if (!info) {
    panes_.clear();  // a lesson is booting: its machines have no views yet
    panes_generation_ = 0;
    return;
  }
  if (info->generation == panes_generation_) return;
  panes_generation_ = info->generation;
  panes_.clear();
  for (size_t i = 0; i < info->machines.size(); ++i) {
    auto pane = std::make_unique<MachinePane>();
    pane->timeline.reset(0);
    panes_.push_back(std::move(pane));
  }
  focus_ = 0;
  focus_step_ = SIZE_MAX;
}

bool LessonUi::settled() const {
  return player_ && player_->settled();
}

// Chinese characters of the open lesson that the UI font lacks (0 when it has them all).
int LessonUi::glyphs_missing() const {
  if (!player_ || !player_->scenario()) return 0;
  const scenario::Scenario& s = *player_->scenario();
  std::string text = s.title.zh + s.summary.zh;
  for (const scenario::MachineSpec& m : s.machines) text += m.label.zh;
  for (const scenario::Step& st : s.steps) {
    text += st.title.zh + st.say.zh;
    for (const scenario::Question& q : st.questions) {
      text += q.ask.zh + q.reveal.zh;
      for (const scenario::Text& c : q.choices) text += c.zh;
    }
    for (const scenario::Check& c : st.checks) text += c.say.zh;
  }
  return missing_glyphs(text);
}

}  // namespace wqlab

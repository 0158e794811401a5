// MachineUi: recordings, folding, the selected moment, panels, and the exposed state.
#include "stage/machine_ui.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "automation/view_state_json.h"
#include "engine/trace/text_format.h"
#include "imgui.h"
#include "imgui_internal.h"  // MarkIniSettingsDirty
#include "model/why.h"
#include "session/demo_scenarios.h"
#include "views/missing_glyphs.h"
#include "views/why_bar.h"

namespace wqlab {
namespace {

// Events folded per frame at most, so a fast machine never stalls the UI (the model catches
// up over the next frames).
constexpr size_t kFoldPerFrame = 400'000;

}  // namespace

MachineUi::MachineUi()
    : session_(std::make_unique<session::MachineSession>(session::demo_scenarios())),
      control_(session_.get()),
      lessons_(std::make_unique<LessonUi>(*this)) {}

void MachineUi::show_external(session::SessionControl* control,
                              std::function<std::shared_ptr<const session::Recording>()> recording,
                              std::function<void()> panel, Stage* stage) {
  session_->pause();
  if (control != nullptr) lessons_->close();  // the sandbox replaces an open lesson
  control_ = control != nullptr ? control : session_.get();
  external_recording_ = control != nullptr ? std::move(recording) : nullptr;
  external_panel_ = control != nullptr ? std::move(panel) : nullptr;
  external_stage_ = control != nullptr ? stage : nullptr;
  pending_at_ = -1;
  pending_play_ = false;
}

MachineUi::~MachineUi() {
  lessons_.reset();
  session_.reset();  // joins the driver before the model lets go of the recording
}

Stage& MachineUi::current() {
  if (lessons_->active()) return *lessons_;
  if (external() && external_stage_ != nullptr) return *external_stage_;
  return *this;
}

std::string MachineUi::name() const {
  std::shared_ptr<const session::Recording> rec = session_->recording();
  return rec ? rec->scenario.name : "";
}

std::vector<exporting::MachineRecording> MachineUi::machines() const {
  std::shared_ptr<const session::Recording> rec = session_->recording();
  if (!rec) return {};
  return {{rec->scenario.name, false, rec}};
}

bool MachineUi::load_demo(const std::string& name, model::Nanos at) {
  if (session_->source().find(name) == nullptr) return false;
  lessons_->close();
  show_external();  // the views go back to the demo's machine
  if (!session_->load(name)) return false;
  pending_at_ = at;
  pending_play_ = at < 0;
  if (at >= 0) session_->run_until_idle();
  return true;
}

void MachineUi::request_view(std::string why, std::string zoom) {
  pending_why_ = std::move(why);
  pending_zoom_ = std::move(zoom);
}

void MachineUi::apply_view_request() {
  if (!pending_zoom_.empty() && !room_.zoom_to(pending_zoom_, model_.head(), model_.strings()))
    std::fprintf(stderr, "wqlab: --zoom: the machine has no %s\n", pending_zoom_.c_str());
  pending_zoom_.clear();
  if (pending_why_.empty()) return;
  std::string error;
  const std::optional<model::EventSpec> spec = model::parse_event_spec(pending_why_, &error);
  const std::optional<uint64_t> event = spec ? model::find_event(model_, *spec) : std::nullopt;
  if (!event) {
    std::fprintf(stderr, "wqlab: --why: no event matches '%s'\n", pending_why_.c_str());
  } else {
    ViewContext ctx = context();
    show_event(ctx, *event);
    while (why_step(ctx)) {
    }
  }
  pending_why_.clear();
}

void MachineUi::set_speed(double s) {
  speed_ = std::clamp(s, session::MachineSession::kMinSpeed, session::MachineSession::kMaxSpeed);
  control_->set_speed(speed_);
  lessons_->set_speed(speed_);
}

void MachineUi::on_lesson_opened() {
  pending_at_ = -1;
  pending_play_ = false;
  session_->unload();
  show_external();  // a lesson replaces the sandbox too
}

void MachineUi::attach(std::shared_ptr<const session::Recording> rec) {
  const bool continues =
      rec && recording_ && rec->continues != 0 && rec->continues == recording_->generation;
  recording_ = std::move(rec);
  model_.attach(recording_ ? recording_->recorder.get() : nullptr,
                recording_ ? recording_->config : model::MachineConfig{});
  if (continues) {
    // More of the same run (a live trace): the views keep their place and a picked kworker (a
    // real pid); the rows and tokens are rebuilt from the new model.
    const ObjectRef picked =
        selection_.object.kind == ObjectKind::Worker ? selection_.object : ObjectRef{};
    selection_ = Selection{};
    selection_.object = picked;
    past_moment_ = UINT64_MAX;
    pending_step_ = false;
    event_log_.reset();
    timeline_.rebuild();
    room_.forget_tokens();
    return;
  }
  selection_ = Selection{};
  past_moment_ = UINT64_MAX;
  pending_step_ = false;
  event_log_.reset();
  timeline_.reset(recording_ ? recording_->scenario.focus : 0);
  room_.reset();
}

void MachineUi::update(float dt) {
  dt_ = dt;
  lessons_->update(dt);
  if (std::string now = view_settings_signature(*this); now != saved_settings_) {
    if (!saved_settings_.empty()) ImGui::MarkIniSettingsDirty();
    saved_settings_ = std::move(now);
  }
  status_ = control_->status();
  auto rec = external_recording_ ? external_recording_() : session_->recording();
  if (rec != recording_) {
    attach(rec);
    if (pending_play_) {
      pending_play_ = false;
      control_->set_speed(speed_);
      control_->play();
    }
  }
  model_.update(kFoldPerFrame);
  if (pending_at_ >= 0 && !status_.busy && model_.caught_up() && model_.events() > 0 &&
      status_.generation == (recording_ ? recording_->generation : 0)) {
    selection_.show_moment(model_.events_at_time(pending_at_));
    pending_at_ = -1;
  }
  if ((!pending_why_.empty() || !pending_zoom_.empty()) && pending_at_ < 0 && !status_.busy &&
      model_.caught_up() && model_.events() > 0)
    apply_view_request();
  if (pending_step_ && model_.events() > selection_.moment) {
    ++selection_.moment;
    pending_step_ = false;
  }
  if (!selection_.live) {
    selection_.moment = std::min(selection_.moment, model_.events());
    if (selection_.moment != past_moment_) {
      past_ = model_.state_at(selection_.moment);
      past_moment_ = selection_.moment;
    }
  }
}

bool MachineUi::settled() const {
  if (lessons_->active()) return lessons_->settled();
  return recording_ && !status_.busy && (!status_.playing || status_.waiting) &&
         model_.caught_up() && pending_at_ < 0 && !pending_step_ && pending_why_.empty() &&
         pending_zoom_.empty();
}

ViewContext MachineUi::context() {
  const bool live = selection_.live;
  const model::MachineState& state = live ? model_.head() : past_;
  const uint64_t moment = live ? model_.events() : selection_.moment;
  return ViewContext{model_,
                     state,
                     selection_,
                     status_,
                     *control_,
                     recording_ ? &recording_->scenario : nullptr,
                     model_.time_of(moment),
                     dt_};
}

bool MachineUi::draw_panel(PanelId id) {
  // A lesson fills every panel; the Lesson panel also lists the lessons (and shows a lesson
  // file's errors) while no demo runs.
  if (lessons_->active() || (id == PanelId::kLesson && (!recording_ || !lessons_->error().empty())))
    return lessons_->draw_panel(id);
  if (!recording_ && id != PanelId::kLesson) return false;
  if (!recording_ && external_panel_) {
    external_panel_();
    return true;
  }
  ViewContext ctx = context();
  switch (id) {
    case PanelId::kLesson:
      if (external_panel_) {
        external_panel_();
        return true;
      }
      lesson_.draw(ctx);
      return true;
    case PanelId::kMachineRoom:
      room_.draw(ctx);
      return true;
    case PanelId::kTimeline:
      timeline_.draw(ctx);
      return true;
    case PanelId::kCounters:
      counters_.draw(ctx);
      return true;
    case PanelId::kEventLog:
      event_log_.draw(ctx);
      return true;
  }
  return false;
}

Playback& MachineUi::transport() {
  if (lessons_->active()) return *lessons_;
  return *this;  // the demo's, or the sandbox's through control_
}

bool MachineUi::playing() const {
  return lessons_->active() ? lessons_->playing() : status_.playing;
}

bool MachineUi::live() const {
  return lessons_->active() ? lessons_->live() : selection_.live;
}

void MachineUi::toggle_play() {
  if (status_.playing) {
    control_->pause();
  } else {
    selection_.live = true;
    control_->set_speed(speed_);
    control_->play();
  }
}

void MachineUi::step_forward() {
  if (selection_.live) selection_.show_moment(model_.events());
  control_->pause();
  if (selection_.moment < model_.events()) {
    ++selection_.moment;
  } else if (model_.caught_up() && !pending_step_) {
    control_->step();
    pending_step_ = true;
  }
}

void MachineUi::step_back() {
  control_->pause();
  if (selection_.live) selection_.show_moment(model_.events());
  if (selection_.moment > 0) --selection_.moment;
}

void MachineUi::go_live() {
  selection_.live = true;
}

int MachineUi::glyphs_missing() const {
  if (!recording_) return 0;
  return missing_glyphs(recording_->scenario.title_zh + recording_->scenario.summary_zh);
}

std::string MachineUi::state_json_members() const {
  using nlohmann::ordered_json;
  const bool live = selection_.live;
  const model::MachineState& s = live ? model_.head() : past_;
  const uint64_t moment = live ? model_.events() : selection_.moment;
  std::string label;
  const ObjectRef o = selection_.object;
  if (o.kind == ObjectKind::Work) {
    auto e = model_.history().work_execs.find(o.id);
    if (e != model_.history().work_execs.end() && !e->second.empty())
      label = model_.strings().get(model_.history().executions[e->second.front()].func);
  }
  const char* stage_kind = lessons_->active()                         ? lessons_->kind()
                           : external() && external_stage_ != nullptr ? external_stage_->kind()
                                                                      : kind();
  ordered_json j;
  j["demo"] = recording_ ? recording_->scenario.name : "";
  j["generation"] = status_.generation;
  j["virtualTimeNs"] = status_.now;
  j["virtualTime"] = trace::format_time(status_.now);
  j["events"] = model_.events();
  j["moment"] = moment;
  j["momentTimeNs"] = model_.time_of(moment);
  j["live"] = live;
  j["playing"] = status_.playing;
  j["idle"] = status_.idle;
  j["settled"] = settled();
  j["speed"] = speed_;
  j["workers"] = s.workers.size();
  j["kworkers"] = s.kworkers;
  j["pools"] = s.live_pools();
  j["workqueues"] = s.live_workqueues();
  j["executionsDone"] = s.executions_done;
  j["threads"] = s.threads;
  j["pidsInUse"] = s.pids_in_use;
  j["selected"] = {{"kind", object_kind_name(o.kind)},
                   {"id", o.id},
                   {"label", label},
                   {"execution", selection_.execution}};
  j["views"] = {{"machineRoom", room_state(room_, model_, s)},
                {"timeline",
                 {{"drawnItems", timeline_.drawn_items()},
                  {"tracks", timeline_.tracks()},
                  {"rangeStartNs", selection_.range_start},
                  {"rangeEndNs", selection_.range_end}}},
                {"counters", {{"drawnItems", counters_.drawn_items()}}},
                {"eventLog",
                 {{"drawnItems", event_log_.drawn_items()},
                  {"drawnTracepoints", event_log_.drawn_tracepoints()},
                  {"rows", event_log_.rows()}}},
                {"lesson", {{"drawnItems", lesson_.drawn_items()}}}};
  j["fontGlyphsMissing"] = glyphs_missing();
  j["machineError"] = status_.error;
  j["why"] = ordered_json::parse("{" + why_state_json(model_, selection_) + "}")["why"];
  j["mode"] = lessons_->active() ? "lesson" : "demo";
  j["stage"] = stage_kind;
  j["lesson"] = ordered_json::parse(lessons_->state_json());
  // Invalid UTF-8 (a name from a damaged file) becomes U+FFFD instead of an exception.
  const std::string text = j.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
  return text.substr(1, text.size() - 2);  // the members, without the braces
}

}  // namespace wqlab

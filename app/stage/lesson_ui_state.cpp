// LessonUi's exposed state: what the tests read (--state-json on the desktop, window.wqlabStatus
// in the browser): the lesson, the step shown, every checkpoint's results, the answers given,
// the position and each machine as shown, and what each panel drew.
#include <nlohmann/json.hpp>

#include "automation/view_state_json.h"
#include "stage/lesson_ui.h"

namespace wqlab {
namespace {

const char* phase_name(player::StepPhase p) {
  switch (p) {
    case player::StepPhase::NotStarted:
      return "not started";
    case player::StepPhase::Running:
      return "running";
    case player::StepPhase::Done:
      return "done";
  }
  return "?";
}

}  // namespace

std::string LessonUi::state_json() const {
  using nlohmann::ordered_json;
  ordered_json j;
  j["open"] = active();
  j["error"] = error_;
  j["language"] = chinese ? "zh" : "en";
  j["catalog"] = catalog_.entries().size();
  if (!active()) return j.dump();
  const player::LessonPlayer& p = *player_;
  const scenario::Scenario& s = *p.scenario();
  j["id"] = s.id;
  j["file"] = s.file;
  j["title"] = s.title.in(chinese);
  j["booting"] = p.booting();
  j["settled"] = p.settled();
  j["steps"] = s.steps.size();
  if (!p.info()) return j.dump();
  const size_t shown = p.shown_step();
  j["step"] = shown + 1;
  j["stepId"] = s.steps[shown].id;
  j["phase"] = phase_name(p.phase(shown));
  j["atCheckpoint"] = p.at_checkpoint();
  // The checkpoint shown (1 for step 1's), 0 between checkpoints.
  j["checkpointShown"] = p.at_checkpoint() ? shown + 1 : 0;
  j["checkpointsReached"] = p.info()->steps_finished();
  j["complete"] = p.info()->complete();
  j["live"] = p.live();
  j["playing"] = p.playing();
  j["blocked"] = p.blocked();
  j["position"] = p.position();
  j["end"] = p.timeline().end();
  ordered_json checkpoints = ordered_json::array();
  for (const session::StepRecord& r : p.info()->steps) {
    if (!r.finished) continue;
    ordered_json c;
    c["step"] = r.index + 1;
    c["id"] = s.steps[r.index].id;
    c["passed"] = r.result.passed();
    c["failed"] = r.result.failed();
    c["position"] = p.timeline().segment_end(r.index + 1);  // where the scrubber puts it
    ordered_json checks = ordered_json::array();
    for (const scenario::CheckResult& cr : r.result.checks)
      checks.push_back({{"machine", cr.machine},
                        {"what", cr.check->field.path},
                        {"pass", cr.pass},
                        {"measured", cr.measured},
                        {"expected", cr.expected}});
    c["checks"] = checks;
    ordered_json questions = ordered_json::array();
    for (const scenario::QuestionResult& q : r.result.questions)
      questions.push_back(
          {{"id", q.question->id}, {"verified", q.verified}, {"measured", q.measured}});
    c["questions"] = questions;
    c["notes"] = r.result.notes;
    checkpoints.push_back(c);
  }
  j["checkpoints"] = checkpoints;
  ordered_json answers = ordered_json::array();
  for (const player::RecordedAnswer& a : p.answers().all())
    answers.push_back({{"step", a.step + 1},
                       {"id", a.id},
                       {"skipped", a.skipped},
                       {"value", a.value},
                       {"correct", a.correct}});
  j["answers"] = answers;
  ordered_json machines = ordered_json::array();
  for (size_t i = 0; i < p.machines().size(); ++i) {
    const player::PlayerMachine& m = *p.machines()[i];
    const model::MachineState& st = m.state();
    ordered_json machine = {{"id", m.info.id},
                            {"model", m.info.legacy ? "legacy" : "cmwq"},
                            {"events", m.model.events()},
                            {"moment", m.shown},
                            {"momentTimeNs", m.model.time_of(m.shown)},
                            {"threads", st.threads},
                            {"pidsInUse", st.pids_in_use},
                            {"kworkers", st.kworkers}};
    if (i < panes_.size()) {
      // What this machine's views show: the keys act on them (lesson_ui_commands.cpp).
      const MachinePane& pane = *panes_[i];
      machine["rangeStartNs"] = pane.selection.range_start;
      machine["rangeEndNs"] = pane.selection.range_end;
      machine["roomZoom"] = pane.room.zoom_text(st, m.model.strings());
      machine["roomFocusCpu"] = pane.room.focus_cpu;
      machine["why"] =
          ordered_json::parse("{" + why_state_json(m.model, pane.selection) + "}")["why"];
    }
    machines.push_back(machine);
  }
  j["machines"] = machines;
  ordered_json shown_ids = ordered_json::array();
  for (size_t i : shown_machines()) shown_ids.push_back(p.machines()[i]->info.id);
  j["machinesShown"] = shown_ids;
  j["focus"] = focus_ < p.machines().size() ? p.machines()[focus_]->info.id : "";
  j["panes"] = {{"machineRoom", panes_drawn_[static_cast<int>(PanelId::kMachineRoom)]},
                {"timeline", panes_drawn_[static_cast<int>(PanelId::kTimeline)]},
                {"counters", panes_drawn_[static_cast<int>(PanelId::kCounters)]},
                {"eventLog", panes_drawn_[static_cast<int>(PanelId::kEventLog)]}};
  int room_items = 0, timeline_items = 0;
  for (size_t i : shown_machines()) {
    if (i >= panes_.size()) continue;
    room_items += panes_[i]->room.drawn_items();
    timeline_items += panes_[i]->timeline.drawn_items();
  }
  j["views"] = {
      {"player", view_.drawn_items()}, {"machineRoom", room_items}, {"timeline", timeline_items}};
  j["glyphsMissing"] = glyphs_missing();
  return j.dump();
}

}  // namespace wqlab

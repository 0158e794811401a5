// TraceUi's live mode: a trace still being written (wqlab --live reads trace_pipe; --live-from a
// pipe, FIFO or growing file). What has come is imported again on a thread, at most one import
// at a time and no more often than every 250 ms (or twice the last import's time, so a long
// session does not eat the CPU), and shown as more of the same run.
#include <algorithm>
#include <cfloat>
#include <nlohmann/json.hpp>

#include "imgui.h"
#include "trace/trace_ui.h"

namespace wqlab {

namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kMinRefresh = std::chrono::milliseconds(250);

const ImVec4 kLiveRed(1.0f, 0.4f, 0.35f, 1.0f);

}  // namespace

void TraceUi::open_live(std::unique_ptr<import::LiveFeed> feed) {
  stop_live();
  live_ = std::make_unique<Live>();
  live_->feed = std::move(feed);
  // The stage is the live trace from now on, with no machine until the first event comes.
  what_if_.forget();
  trace_.reset();
  recording_.reset();
  show();
  shell_->notify("Live: reading " + live_->feed->origin());
}

bool TraceUi::following() const {
  return live_ && !live_->paused && (!shown() || machine_->selection().live);
}

void TraceUi::play() {
  if (live_) live_->paused = false;
}

void TraceUi::pause() {
  if (live_) live_->paused = true;
}

void TraceUi::stop_live() {
  if (!live_) return;
  if (live_->import) live_->import->thread.join();  // an import ends on its own
  live_->feed->stop();                              // tracefs is restored here
  live_.reset();
}

void TraceUi::start_live_import() {
  Live& l = *live_;
  std::string text = l.feed->text();
  l.importing = text.size();
  l.started_import = Clock::now();
  l.import = start_import(std::move(text), l.feed->origin());
}

void TraceUi::update_live() {
  if (!live_) return;
  Live& l = *live_;
  const Clock::time_point now = Clock::now();
  // What if reads the shown trace on its thread: a refresh waits for it.
  if (l.import && l.import->finished.load(std::memory_order_acquire) && !what_if_.running()) {
    l.import->thread.join();
    std::unique_ptr<Loading> done = std::move(l.import);
    const size_t records = done->result->trace.report.records;
    // Nothing the importer can use yet (a header, other events): keep waiting for more.
    if (records > 0) {
      adopt(std::move(done->result), done->origin, l.shown_records > 0);
      l.shown_records = records;
      ++l.refreshes;
    }
    l.shown = l.importing;
    l.next_import = now + std::max<Clock::duration>(kMinRefresh, 2 * (now - l.started_import));
  }
  // The user went to another stage (a demo, a lesson, another trace): the live trace ends.
  if (&machine_->current() != static_cast<Stage*>(this) && !l.import) {
    shell_->notify("Live trace closed; " + std::to_string(l.shown_records) + " events were shown");
    stop_live();
    return;
  }
  const import::LiveFeed::Progress p = l.feed->progress();
  if (!l.import && following() && now >= l.next_import && p.bytes > l.shown) start_live_import();
  if (p.ended && !l.ended_told && !l.import && p.bytes == l.shown) {
    l.ended_told = true;
    shell_->notify("Live trace ended (" + p.end_reason + "): " + std::to_string(l.shown_records) +
                       " events from " + std::to_string(p.lines) + " lines",
                   p.end_reason != "the source closed" && p.end_reason != "stopped");
  }
}

// Above the trace's facts while live: where it comes from, how much, and follow / pause / stop.
void TraceUi::draw_live_bar() {
  if (!live_) return;
  Live& l = *live_;
  const import::LiveFeed::Progress p = l.feed->progress();
  if (!p.ended) {
    ImGui::TextColored(kLiveRed, following() ? "\xe2\x97\x8f LIVE" : "\xe2\x80\x96 LIVE, paused");
  } else {
    ImGui::TextColored(kLiveRed, "LIVE ended");
  }
  ImGui::SameLine();
  ImGui::TextDisabled("%zu lines received", p.lines);
  const bool behind = p.bytes > l.shown || l.import;
  if (!following() && !p.ended) {
    if (ImGui::SmallButton(behind ? "Follow (more has come)" : "Follow")) {
      l.paused = false;
      machine_->selection().live = true;
    }
  } else if (!p.ended) {
    if (ImGui::SmallButton("Pause")) l.paused = true;
  }
  if (!p.ended) {
    ImGui::SameLine();
    if (ImGui::SmallButton("Stop reading")) l.feed->stop();
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip(
          "Stop reading the source (tracing is turned off and tracefs restored); "
          "what came stays shown");
  } else {
    ImGui::TextWrapped("%s.", p.end_reason.c_str());
  }
}

// Until the first workqueue event has come, the stage's panel says what it waits for (the other
// panels are empty: there is no machine yet).
void TraceUi::draw_live_waiting() {
  if (!live_) return;
  const import::LiveFeed::Progress p = live_->feed->progress();
  ImGui::TextColored(kLiveRed, "\xe2\x97\x8f LIVE");
  ImGui::TextWrapped("Reading %s", live_->feed->origin().c_str());
  if (p.ended) {
    ImGui::TextWrapped("It ended (%s) before any workqueue event came.", p.end_reason.c_str());
  } else {
    ImGui::TextWrapped(
        "Waiting for the first workqueue event (%zu lines so far). Anything that queues kernel "
        "work makes one: writing a file and syncing it, plugging in a device, a network "
        "packet.",
        p.lines);
  }
  if (ImGui::SmallButton(p.ended ? "Back to the demo" : "Stop and go back to the demo"))
    close_requested_ = true;
}

std::string TraceUi::live_state_json() const {
  nlohmann::ordered_json j;
  j["on"] = live_ != nullptr;
  if (live_) {
    const import::LiveFeed::Progress p = live_->feed->progress();
    j["source"] = live_->feed->origin();
    j["following"] = following();
    j["paused"] = live_->paused;
    j["linesReceived"] = p.lines;
    j["bytesReceived"] = p.bytes;
    j["bytesShown"] = live_->shown;
    j["recordsShown"] = live_->shown_records;
    j["refreshes"] = live_->refreshes;
    j["caughtUp"] = p.caught_up;
    j["ended"] = p.ended;
    j["endReason"] = p.end_reason;
  }
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace wqlab

// cause_of(): a stored link, or for the per-execution links (which the fold does not store, to
// stay small) the execution records: a start's queue_work, an end's start, an activation's
// queue_work just before it.
#include "model/why.h"

#include <algorithm>
#include <charconv>

namespace wqlab::model {
namespace {

using trace::EventKind;

// An immediate activation follows its queue_work within the same __queue_work() call.
constexpr uint64_t kScanBack = 8;

const ExecutionRecord* execution_started_at(const RunHistory& h, uint64_t event) {
  auto it =
      std::lower_bound(h.executions.begin(), h.executions.end(), event,
                       [](const ExecutionRecord& r, uint64_t e) { return r.start_event < e; });
  return it != h.executions.end() && it->start_event == event ? &*it : nullptr;
}

// A work item's executions never overlap (non-reentrancy), so their ends are in order too.
const ExecutionRecord* execution_ended_at(const RunHistory& h, int64_t work, uint64_t event) {
  auto execs = h.work_execs.find(work);
  if (execs == h.work_execs.end()) return nullptr;
  const std::vector<uint32_t>& v = execs->second;
  auto it = std::lower_bound(v.begin(), v.end(), event, [&](uint32_t i, uint64_t e) {
    const ExecutionRecord& r = h.executions[i];
    return (r.end == kOpen ? UINT64_MAX : r.end_event) < e;
  });
  if (it == v.end() || h.executions[*it].end_event != event) return nullptr;
  return &h.executions[*it];
}

}  // namespace

Cause cause_of(const MachineModel& m, uint64_t event) {
  if (!m.log() || event >= m.events()) return {};
  const RunHistory& h = m.history();
  if (Cause c = h.causes.stored(event)) return c;
  const trace::EventLog& log = *m.log();
  const trace::Event& ev = log[event];
  switch (ev.kind) {
    case EventKind::WqExecuteStart:
      // A flush barrier is inserted, not queued: its record starts where it was "queued".
      if (const ExecutionRecord* r = execution_started_at(h, event); r && r->queue_event < event)
        return {r->queue_event, CauseRule::Queued};
      break;
    case EventKind::WqExecuteEnd:
      if (const ExecutionRecord* r = execution_ended_at(h, ev.args[0], event))
        return {r->start_event, CauseRule::Ran};
      break;
    case EventKind::WqActivateWork:
      for (uint64_t i = event; i > 0 && event - i < kScanBack; --i) {
        const trace::Event& q = log[i - 1];
        if (q.kind == EventKind::WqQueueWork && q.args[0] == ev.args[0])
          return {i - 1, CauseRule::ActivatedAtQueue};
      }
      break;
    default:
      break;
  }
  return {};
}

std::vector<uint64_t> why_chain(const MachineModel& m, uint64_t event, size_t max_steps) {
  std::vector<uint64_t> chain;
  if (!m.log() || event >= m.events()) return chain;
  chain.push_back(event);
  for (size_t i = 0; i < max_steps; ++i) {
    const Cause c = cause_of(m, chain.back());
    if (!c) break;
    chain.push_back(c.event);
  }
  return chain;
}

std::optional<EventSpec> parse_event_spec(std::string_view text, std::string* error) {
  EventSpec spec;
  if (const size_t hash = text.find('#'); hash != std::string_view::npos) {
    const std::string_view n = text.substr(hash + 1);
    auto [end, ec] = std::from_chars(n.data(), n.data() + n.size(), spec.nth);
    if (ec != std::errc() || end != n.data() + n.size() || spec.nth < 0) {
      *error = "'" + std::string(n) + "' after '#' is not a count from 0";
      return std::nullopt;
    }
    text = text.substr(0, hash);
  }
  if (const size_t colon = text.find(':'); colon != std::string_view::npos) {
    spec.name = std::string(text.substr(colon + 1));
    text = text.substr(0, colon);
  }
  spec.kind = trace::event_kind_by_name(text);
  if (spec.kind == trace::EventKind::None) {
    *error = "there is no event kind called '" + std::string(text) + "'";
    return std::nullopt;
  }
  return spec;
}

std::optional<uint64_t> find_event(const MachineModel& m, const EventSpec& spec) {
  if (!m.log()) return std::nullopt;
  const int64_t name = spec.name.empty() ? -1 : m.strings().find(spec.name);
  if (!spec.name.empty() && name < 0) return std::nullopt;
  const trace::EventKindInfo& info = trace::event_kind_info(spec.kind);
  int nth = spec.nth;
  for (uint64_t i = 0; i < m.events(); ++i) {
    const trace::Event& e = (*m.log())[i];
    if (e.kind != spec.kind) continue;
    bool named = spec.name.empty();
    for (int a = 0; a < trace::kMaxEventArgs && !named; ++a)
      named = info.args[a].type == trace::ArgType::Str &&
              (info.args[a].label == "function" || info.args[a].label == "workqueue") &&
              e.args[a] == name;
    if (named && nth-- == 0) return i;
  }
  return std::nullopt;
}

}  // namespace wqlab::model

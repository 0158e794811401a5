#include "engine/scenario/field.h"

#include <utility>
#include <vector>

#include "engine/trace/event_kind.h"

namespace wqlab::scenario {
namespace {

struct Attr {
  const char* name;
  ValueType type;
};

const std::vector<Attr> kWorkAttrs = {
    {"start", ValueType::Time},    {"end", ValueType::Time},        {"last_start", ValueType::Time},
    {"last_end", ValueType::Time}, {"runs", ValueType::Int},        {"pending", ValueType::Bool},
    {"worker", ValueType::Text},   {"cpu", ValueType::Int},         {"queued", ValueType::Time},
    {"waited", ValueType::Time},   {"last_worker", ValueType::Text}};
const std::vector<Attr> kWqAttrs = {
    {"exists", ValueType::Bool},   {"failed", ValueType::Bool},
    {"total", ValueType::Int},     {"infl", ValueType::Int},
    {"cpu_time", ValueType::Time}, {"cpu_intensive", ValueType::Int},
    {"cm_wakeup", ValueType::Int}, {"mayday", ValueType::Int},
    {"rescued", ValueType::Int},   {"max_active", ValueType::Int},
    {"threads", ValueType::Int},   {"repatriated", ValueType::Int}};
const std::vector<Attr> kPoolAttrs = {
    {"workers", ValueType::Int}, {"idle", ValueType::Int}, {"nr_running", ValueType::Int}};
const std::vector<Attr> kLoopAttrs = {{"created", ValueType::Int}, {"failed", ValueType::Bool}};

std::string list(const std::vector<Attr>& attrs) {
  std::string out;
  for (auto& a : attrs) out += (out.empty() ? "" : ", ") + std::string(a.name);
  return out;
}

bool pick(const std::vector<Attr>& attrs, std::string_view attr, Field* out, std::string* error,
          const char* what) {
  for (auto& a : attrs) {
    if (attr == a.name) {
      out->attr = a.name;
      out->type = a.type;
      return true;
    }
  }
  *error = std::string("unknown ") + what + " field \"" + std::string(attr) +
           "\" (known: " + list(attrs) + ")";
  return false;
}

}  // namespace

bool parse_field(std::string_view path, Field* out, std::string* error) {
  static const std::vector<std::pair<const char*, std::pair<FieldKind, ValueType>>> kPlain = {
      {"time", {FieldKind::Time, ValueType::Time}},
      {"threads", {FieldKind::Threads, ValueType::Int}},
      {"kworkers", {FieldKind::Kworkers, ValueType::Int}},
      {"rescuers", {FieldKind::Rescuers, ValueType::Int}},
      {"pids_used", {FieldKind::PidsUsed, ValueType::Int}},
      {"pid_max", {FieldKind::PidMax, ValueType::Int}},
      {"memory_used", {FieldKind::MemoryUsed, ValueType::Int}},
      {"printed", {FieldKind::Printed, ValueType::Bool}},
      {"noted", {FieldKind::Noted, ValueType::Bool}}};
  for (auto& [name, kt] : kPlain) {
    if (path == name) {
      out->kind = kt.first;
      out->type = kt.second;
      return true;
    }
  }
  size_t dot = path.find('.');
  if (dot == std::string_view::npos) {
    *error =
        "unknown checkpoint field \"" + std::string(path) +
        "\" (known: time, threads, kworkers, rescuers, pids_used, pid_max, memory_used, printed, "
        "noted, "
        "work.<name>.<field>, wq.<name>.<field>, pool.<cpu>.<field>, events.<kind>, "
        "loop.<id>.<field>)";
    return false;
  }
  std::string_view head = path.substr(0, dot);
  std::string_view rest = path.substr(dot + 1);
  if (head == "events") {
    if (trace::event_kind_by_name(rest) == trace::EventKind::None) {
      *error = "unknown event kind \"" + std::string(rest) + "\" in \"" + std::string(path) + "\"";
      return false;
    }
    out->kind = FieldKind::Events;
    out->name = std::string(rest);
    out->type = ValueType::Int;
    return true;
  }
  size_t last = rest.rfind('.');
  if (last == std::string_view::npos || last == 0 || last + 1 == rest.size()) {
    *error = "checkpoint field \"" + std::string(path) + "\" needs a name and a field, e.g. " +
             std::string(head) + ".<name>.<field>";
    return false;
  }
  out->name = std::string(rest.substr(0, last));
  std::string_view attr = rest.substr(last + 1);
  if (head == "work") {
    out->kind = FieldKind::Work;
    return pick(kWorkAttrs, attr, out, error, "work");
  }
  if (head == "wq") {
    out->kind = FieldKind::Wq;
    return pick(kWqAttrs, attr, out, error, "workqueue");
  }
  if (head == "pool") {
    out->kind = FieldKind::Pool;
    return pick(kPoolAttrs, attr, out, error, "pool");
  }
  if (head == "loop") {
    out->kind = FieldKind::Loop;
    return pick(kLoopAttrs, attr, out, error, "loop");
  }
  *error = "unknown checkpoint field \"" + std::string(path) +
           "\" (it should start with work., wq., pool., events. or loop.)";
  return false;
}

bool model_measures(const Field& f, Model model, std::string* why) {
  if (model != Model::Legacy) return true;
  const char* missing = nullptr;
  switch (f.kind) {
    case FieldKind::Kworkers:
      missing = "kworkers (it has one thread per CPU per workqueue; count them with threads)";
      break;
    case FieldKind::Rescuers:
      missing = "rescuers (2.6.24 has no rescuer threads)";
      break;
    case FieldKind::Pool:
      missing = "worker pools (2.6.24 has none; each workqueue has its own threads)";
      break;
    case FieldKind::Wq:
      if (f.attr == "exists" || f.attr == "failed" || f.attr == "total" || f.attr == "threads")
        return true;
      missing = f.attr == "max_active"
                    ? "a workqueue's max_active (2.6.24 has none: each thread runs one item)"
                    : "wq_monitor.py's columns other than total (2.6.24 keeps no such counts)";
      break;
    default:
      return true;
  }
  *why = std::string("the legacy model (Linux 2.6.24) does not measure ") + missing;
  return false;
}

}  // namespace wqlab::scenario

#include "engine/trace/text_format.h"

#include <cinttypes>
#include <cstdio>
#include <cstring>

namespace wqlab::trace {

std::string format_time(int64_t ns) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%" PRId64 ".%06" PRId64, ns / 1000000000,
                (ns % 1000000000) / 1000);
  return buf;
}

namespace {

std::string errno_name(int64_t err) {
  switch (err) {
    case -11:
      return "-EAGAIN";
    case -12:
      return "-ENOMEM";
    case -4:
      return "-EINTR";
    case -16:
      return "-EBUSY";
    case -22:
      return "-EINVAL";
    default:
      return std::to_string(err);
  }
}

}  // namespace

std::string TextFormatter::comm(int32_t pid) const {
  if (pid == 0) return "<idle>";
  auto it = comms_.find(pid);
  return it == comms_.end() ? "<...>" : it->second;
}

std::string TextFormatter::args(const Event& ev) const {
  const EventKindInfo& info = event_kind_info(ev.kind);
  std::string out;
  for (int i = 0; i < kMaxEventArgs; ++i) {
    const ArgInfo& a = info.args[i];
    if (a.type == ArgType::None) continue;
    if (!out.empty()) out += ' ';
    out += a.label;
    out += '=';
    int64_t v = ev.args[i];
    switch (a.type) {
      case ArgType::Str:
        out += strings_.get(v);
        break;
      case ArgType::Time:
        out += format_time(v);
        break;
      case ArgType::Errno:
        out += errno_name(v);
        break;
      case ArgType::Bool:
        out += v ? "1" : "0";
        break;
      case ArgType::Obj:
      case ArgType::Hex: {
        char buf[24];
        std::snprintf(buf, sizeof buf, a.type == ArgType::Hex ? "0x%" PRIx64 : "%" PRIx64,
                      static_cast<uint64_t>(v));
        out += buf;
        break;
      }
      default:
        out += std::to_string(v);
        break;
    }
  }
  if (ev.kind == EventKind::TaskBlock) {
    out += " (";
    out += block_reason_name(ev.args[0]);
    out += ')';
  }
  return out;
}

std::string TextFormatter::line(const Event& ev) {
  if (ev.kind == EventKind::TaskCreate)
    comms_[static_cast<int32_t>(ev.args[0])] = std::string(strings_.get(ev.args[1]));
  char head[96];
  std::string who = comm(ev.pid);
  std::snprintf(head, sizeof head, "%16s-%-5d [%03d] %12s: ", who.c_str(), ev.pid, ev.cpu,
                format_time(ev.time_ns).c_str());
  std::string out = head;
  out += event_kind_info(ev.kind).name;
  out += ": ";
  out += args(ev);
  return out;
}

}  // namespace wqlab::trace

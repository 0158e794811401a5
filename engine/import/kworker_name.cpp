#include "engine/import/kworker_name.h"

#include "engine/import/line_parser.h"

namespace wqlab::import {

namespace {
constexpr size_t kTaskCommLen = 16;  // TASK_COMM_LEN: comms are at most 15 characters

bool read_number(std::string_view& s, int& out) {
  size_t n = 0;
  while (n < s.size() && n < 6 && s[n] >= '0' && s[n] <= '9') ++n;
  int64_t v = 0;
  if (n == 0 || !parse_int(s.substr(0, n), v)) return false;
  out = static_cast<int>(v);
  s.remove_prefix(n);
  return true;
}
}  // namespace

std::optional<KworkerName> parse_kworker_comm(std::string_view comm) {
  constexpr std::string_view kPrefix = "kworker/";
  if (comm.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  KworkerName k;
  k.cut = comm.size() == kTaskCommLen - 1;
  std::string_view s = comm.substr(kPrefix.size());
  if (s.substr(0, 2) == "R-") {
    k.kind = KworkerName::Kind::Rescuer;
    k.wq = std::string(s.substr(2));
    k.base = std::string(comm);
    return k.wq.empty() ? std::nullopt : std::optional(k);
  }
  if (!s.empty() && s[0] == 'u') {
    k.kind = KworkerName::Kind::Unbound;
    s.remove_prefix(1);
    if (!read_number(s, k.pool)) return std::nullopt;
  } else if (!read_number(s, k.cpu)) {
    return std::nullopt;
  }
  if (s.empty() || s[0] != ':') return std::nullopt;
  s.remove_prefix(1);
  if (!read_number(s, k.id)) return std::nullopt;
  if (!s.empty() && s[0] == 'H' && k.kind == KworkerName::Kind::PerCpu) {
    k.highpri = true;
    s.remove_prefix(1);
  }
  k.base = std::string(comm.substr(0, comm.size() - s.size()));
  if (s.empty()) {
    k.cut = false;
    return k;
  }
  if (s[0] != '+' && s[0] != '-') return std::nullopt;
  k.busy = s[0] == '+';
  k.wq = std::string(s.substr(1));
  return k;
}

}  // namespace wqlab::import

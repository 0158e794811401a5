// Workload steps: "compute 5ms", "sleep 10ms", "alloc 64KiB", "free 64KiB", "lock NAME",
// "unlock NAME", "queue WORK [on WQ]", "flush WORK", "flush_wq WQ", "cancel WORK",
// "wait_for NAME", "complete NAME", "pressure on|off".
#include <algorithm>
#include <sstream>

#include "engine/scenario/toml_reader.h"
#include "engine/scenario/units.h"

namespace wqlab::scenario {

std::vector<WorkOp> parse_workload(TomlReader& r,
                                   const std::vector<std::pair<std::string, SourceLoc>>& lines) {
  std::vector<WorkOp> ops;
  for (auto& entry : lines) {
    const std::string& line = entry.first;  // not a structured binding: clang 14 cannot capture those
    const SourceLoc at = entry.second;
    std::istringstream in(line);
    std::string verb, a, b, c;
    in >> verb >> a >> b >> c;
    // Quantities may be written with a space: "sleep 10 ms".
    std::string amount = line.substr(std::min(line.size(), line.find(verb) + verb.size()));
    amount.erase(0, amount.find_first_not_of(' '));
    WorkOp op;
    op.loc = at;
    auto need_arg = [&](const char* what) {
      if (a.empty()) r.error(at, "\"" + verb + "\" needs " + what + " (in \"" + line + "\")");
      return !a.empty();
    };
    if (verb == "compute" || verb == "sleep") {
      op.kind = verb == "compute" ? OpKind::Compute : OpKind::Sleep;
      Parsed p = parse_duration(amount);
      if (!p.ok()) {
        r.error(at, "bad duration in \"" + line + "\": " + p.error);
        continue;
      }
      op.amount = p.value;
    } else if (verb == "alloc" || verb == "free") {
      op.kind = verb == "alloc" ? OpKind::Alloc : OpKind::Free;
      Parsed p = parse_size(amount);
      if (a.empty() || !p.ok()) {
        r.error(at,
                "bad size in \"" + line + "\": " + (a.empty() ? std::string("missing") : p.error));
        continue;
      }
      op.amount = p.value;
    } else if (verb == "lock" || verb == "unlock") {
      op.kind = verb == "lock" ? OpKind::Lock : OpKind::Unlock;
      if (!need_arg("a lock name")) continue;
      op.target = a;
    } else if (verb == "queue") {
      op.kind = OpKind::Queue;
      if (!need_arg("a work item")) continue;
      op.target = a;
      if (b == "on") {
        if (c.empty()) r.error(at, "\"queue " + a + " on\" needs a workqueue");
        op.target2 = c;
      } else if (!b.empty()) {
        r.error(at, "expected \"queue WORK\" or \"queue WORK on WQ\", got \"" + line + "\"");
      }
    } else if (verb == "flush") {
      op.kind = OpKind::Flush;
      if (!need_arg("a work item")) continue;
      op.target = a;
    } else if (verb == "flush_wq") {
      op.kind = OpKind::FlushWq;
      if (!need_arg("a workqueue")) continue;
      op.target = a;
    } else if (verb == "cancel") {
      op.kind = OpKind::Cancel;
      if (!need_arg("a work item")) continue;
      op.target = a;
    } else if (verb == "wait_for" || verb == "complete") {
      op.kind = verb == "wait_for" ? OpKind::WaitFor : OpKind::Complete;
      if (!need_arg("a completion name")) continue;
      op.target = a;
    } else if (verb == "pressure") {
      op.kind = OpKind::Pressure;
      if (a != "on" && a != "off") {
        r.error(at, "expected \"pressure on\" or \"pressure off\", got \"" + line + "\"");
        continue;
      }
      op.amount = a == "on";
    } else {
      r.error(at, "unknown workload step \"" + verb +
                      "\" (known: compute, sleep, alloc, free, lock, unlock, queue, flush, "
                      "flush_wq, cancel, "
                      "wait_for, complete, pressure)");
      continue;
    }
    ops.push_back(op);
  }
  return ops;
}

}  // namespace wqlab::scenario

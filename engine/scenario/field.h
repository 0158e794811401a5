// Checkpoint fields: the things a lesson can assert on. The grammar, checked when the file is
// read so that a typo is a file:line:col error, not a failed check:
//   time | threads | kworkers | rescuers | pids_used | pid_max | memory_used | printed | noted
//   work.<work>.{start,end,last_start,last_end,runs,pending,worker,last_worker,cpu,queued,waited}
//   wq.<wq>.{exists,failed,total,infl,cpu_time,cpu_intensive,cm_wakeup,mayday,rescued,
//            max_active,threads}
//   pool.<cpu>[H|unbound].{workers,idle,nr_running}     events.<event kind name>
//   loop.<action id>.{created,failed}
#pragma once

#include <string>
#include <string_view>

#include "engine/scenario/spec.h"

namespace wqlab::scenario {

enum class FieldKind {
  Time,
  Threads,
  Kworkers,
  Rescuers,
  PidsUsed,
  PidMax,
  MemoryUsed,
  Printed,
  Noted,  // the lab's narration (lab_note events), apart from the kernel log
  Work,
  Wq,
  Pool,
  Events,
  Loop
};

struct Field {
  FieldKind kind = FieldKind::Time;
  std::string name;  // the work, workqueue, pool ("0", "0H", "unbound"), event kind or loop
  std::string attr;  // the part after the name
  ValueType type = ValueType::Int;
};

// Parses `path`; on error returns false with a message saying what is allowed.
bool parse_field(std::string_view path, Field* out, std::string* error);

// Does a machine of `model` measure `f`? The legacy model (Linux 2.6.24) has no pools, no
// kworkers or rescuers and none of wq_monitor.py's accounting: reading those would only give a
// constant. When it does not, `why` says so.
bool model_measures(const Field& f, Model model, std::string* why);

}  // namespace wqlab::scenario

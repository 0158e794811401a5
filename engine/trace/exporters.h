// Exporting an event log for other tools: ftrace text in the kernel's format (what `cat trace`
// and `trace-cmd report` print for the workqueue tracepoints) and Chrome/Perfetto JSON (one track
// per kernel thread, named as in the kernel, with flow arrows from queue_work to execution).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "engine/trace/event_log.h"
#include "engine/trace/string_table.h"

namespace wqlab::trace {

struct ExportInfo {
  int nr_cpus = 1;
  std::string process_name = "wqlab";  // the Perfetto process the thread tracks belong to
  int process_id = 1;
  // Only the first `max_events` events: a live log keeps growing while it is exported.
  size_t max_events = SIZE_MAX;
};

// One machine's recording in a document that may hold several (the headless runner's
// multi-machine lessons; the app exports one). The CLI and the app both write through these.
struct TraceSource {
  const EventLog* log = nullptr;
  const StringTable* strings = nullptr;
  ExportInfo info;
  std::string machine;  // named in a "# machine:" line when an ftrace document has several
};

// A complete Chrome trace-event JSON document: one Perfetto process per source.
std::string export_perfetto(std::span<const TraceSource> sources);
// ftrace text; with more than one source, each begins with "# machine: NAME".
std::string export_ftrace(std::span<const TraceSource> sources);

// The workqueue tracepoints (and, for legacy machines, 2.6.3x's workqueue_* events) as ftrace
// text with the standard header.
std::string export_ftrace(const EventLog& log, const StringTable& strings, const ExportInfo& info);

// A complete Chrome trace-event JSON document.
std::string export_perfetto(const EventLog& log, const StringTable& strings,
                            const ExportInfo& info);

// A kernel-looking pointer for a work id, as trace-cmd prints %p.
std::string work_pointer(int64_t work_id);

}  // namespace wqlab::trace

// What `wqlab open FILE --summary` prints and `--json` writes: the capture's shape, each pool
// with its kworkers, a wq_monitor-like table per workqueue, the outliers, and what the importer
// could not use. "?" (text) and null (JSON) mark what the trace cannot tell.
#pragma once

#include <string>

#include "engine/import/machine.h"
#include "engine/import/records.h"

namespace wqlab::import {

std::string summary_text(const ParsedTrace& t, const TraceMachine& m);
// Everything summary_text() shows plus every item, as one JSON document.
std::string summary_json(const ParsedTrace& t, const TraceMachine& m);

// "850 ns", "12.3 us", "1.234 ms", "2.500 s"; "?" for kUnknownTime.
std::string format_duration(int64_t ns);

}  // namespace wqlab::import

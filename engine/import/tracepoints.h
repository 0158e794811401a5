// Reading the fields of the tracepoints the importer understands, in the formats kernels have
// printed them (include/trace/events/workqueue.h and sched.h since 2.6.36), and in the short
// form trace-cmd's and perf's sched plugins print ("bash:17289 [120] S ==> cc1:88 [120]").
#pragma once

#include <string_view>

#include "engine/import/records.h"

namespace wqlab::import {

enum class BodyResult : uint8_t { Ok, Unknown, Malformed };

// Fills `r` (whose header columns are already set) from an event named `event` with `body`.
// Unknown: not an event the importer uses. Malformed: a known event whose fields are not there
// (`why` says which).
BodyResult parse_tracepoint(std::string_view event, std::string_view body, Record& r, Names& names,
                            const char** why);

}  // namespace wqlab::import

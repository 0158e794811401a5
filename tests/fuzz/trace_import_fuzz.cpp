// The trace importer's libFuzzer target: any bytes, as a trace file, must import, reconstruct
// and become a lab log without crashing, and every count must add up. Seeds: corpus/trace_import
// and the real captures in tests/data/traces. tests/import/fuzz_replay_test.cpp also feeds it
// deterministic mutations of the seeds in every preset.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "engine/import/open_trace.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  wqlab::import::OpenedTrace o = wqlab::import::open_trace_text(text);
  const wqlab::import::ImportReport& r = o.trace.report;
  // Every record kept is in the log's order; problems never exceed what was counted.
  if (r.records != o.trace.records.size() || r.problems.size() > r.malformed ||
      o.machine.record_item.size() != o.trace.records.size())
    std::abort();
  for (size_t i = 1; i < o.trace.records.size(); ++i)
    if (o.trace.records[i - 1].time_ns > o.trace.records[i].time_ns) std::abort();
  const wqlab::trace::EventLog& log = o.log.recorder->log();
  for (size_t i = 1; i < log.size(); ++i)
    if (log[i - 1].time_ns > log[i].time_ns) std::abort();
  return 0;
}

// Opening a real trace: a 1 M-event ftrace text (the shared writeback capture, repeated with its
// timestamps shifted) through the importer alone, and through the whole open (import,
// reconstruction, the lab's event log). Goal: >= 1 M lines/s ("items_per_second" = lines per
// CPU second of this single thread; on an idle machine its wall time is the same).
#include <benchmark/benchmark.h>

#include <cinttypes>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "engine/import/open_trace.h"
#include "engine/import/reconstruct.h"
#include "engine/import/repeat_trace.h"

namespace {

// The capture's event lines, repeated until there are a million of them, each copy 3 s later.
const std::string& million_line_trace(size_t* count) {
  static size_t n = 0;
  static const std::string text = [] {
    std::ifstream f(WQLAB_TRACES_DIR "/linux-6.18-2cpu-writeback.trace.txt");
    std::stringstream capture;
    capture << f.rdbuf();
    return wqlab::import::repeat_trace(capture.str(), 1'000'000, 3, &n);
  }();
  *count = n;
  return text;
}

void BM_ImportMillionLines(benchmark::State& state) {
  size_t lines = 0;
  const std::string& text = million_line_trace(&lines);
  for (auto _ : state) {
    wqlab::import::ParsedTrace t = wqlab::import::import_trace_text(text);
    if (t.report.records != lines) state.SkipWithError("not every line imported");
    benchmark::DoNotOptimize(t.records.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * lines));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_ImportMillionLines)->Unit(benchmark::kMillisecond);

void BM_OpenMillionLines(benchmark::State& state) {
  size_t lines = 0;
  const std::string& text = million_line_trace(&lines);
  for (auto _ : state) {
    wqlab::import::OpenedTrace o = wqlab::import::open_trace_text(text);
    if (o.trace.report.records != lines) state.SkipWithError("not every line imported");
    benchmark::DoNotOptimize(o.log.recorder->log().size());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * lines));
}
BENCHMARK(BM_OpenMillionLines)->Unit(benchmark::kMillisecond);

}  // namespace

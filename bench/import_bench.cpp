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

namespace {

// The capture's event lines, repeated until there are `lines` of them, each copy 3 s later.
const std::string& million_line_trace(size_t* count) {
  static size_t n = 0;
  static const std::string text = [] {
    std::ifstream f(WQLAB_TRACES_DIR "/linux-6.18-2cpu-writeback.trace.txt");
    std::vector<std::string> body;
    std::string line;
    while (std::getline(f, line))
      if (!line.empty() && line[0] != '#') body.push_back(line);
    std::string out =
        "# tracer: nop\n#\n# entries-in-buffer/entries-written: 1000000/1000000   #P:2\n";
    out.reserve(size_t{150} << 20);
    for (int copy = 0; n < 1'000'000 && !body.empty(); ++copy) {
      for (const std::string& l : body) {
        if (n == 1'000'000) break;
        // "... [001] d..2.  8393.189180: ..." -> seconds + 3 * copy
        const size_t colon = l.find(": ");
        const size_t dot = l.rfind('.', colon);
        size_t sp = l.rfind(' ', dot);
        const long secs = std::stol(l.substr(sp + 1, dot - sp - 1)) + 3L * copy;
        out.append(l, 0, sp + 1);
        out += std::to_string(secs);
        out.append(l, dot, std::string::npos);
        out += '\n';
        ++n;
      }
    }
    return out;
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

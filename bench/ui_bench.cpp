// The UI benchmark: runs `wqlab --bench-ui` (frame build times at 1280 x 800 with a million
// recorded executions in the timeline, and the time to show past moments) and reports its
// figures as counters; the app's own table goes to stderr. The app measures itself because the
// views, the model and ImGui live there (app/automation/bench_ui.cpp).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>
#include <string>

namespace {

void BM_UiFrameBuild(benchmark::State& state) {
  std::map<std::string, double> results;
  std::string table;
  for (auto _ : state) {
    FILE* app = popen(WQLAB_APP " --bench-ui", "r");
    if (app == nullptr) {
      state.SkipWithError("cannot start " WQLAB_APP);
      return;
    }
    char line[512];
    while (std::fgets(line, sizeof line, app) != nullptr) {
      char name[64];
      double value = 0;
      if (std::sscanf(line, "RESULT %63[^=]=%lf", name, &value) == 2) {
        results[name] = value;
      } else {
        table += line;
      }
    }
    if (pclose(app) != 0) state.SkipWithError("wqlab --bench-ui failed");
  }
  std::fputs(table.c_str(), stderr);
  for (const auto& [name, value] : results) state.counters[name] = value;
}
BENCHMARK(BM_UiFrameBuild)->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();

}  // namespace

// run_ui_bench(): record, fold, then time frames and past moments.
#include "automation/bench_ui.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "engine/import/importer.h"
#include "engine/import/repeat_trace.h"
#include "imgui.h"
#include "platform/fonts.h"
#include "session/demo_scenarios.h"
#include "shell/number_format.h"
#include "shell/shell.h"
#include "stage/machine_ui.h"
#include "trace/trace_ui.h"

namespace wqlab {
namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

struct Stats {
  double p50 = 0, p99 = 0, max = 0;
  size_t n = 0;
};

Stats stats(std::vector<double> v) {
  Stats s;
  if (v.empty()) return s;
  std::sort(v.begin(), v.end());
  s.n = v.size();
  s.p50 = v[v.size() / 2];
  s.p99 = v[std::min(v.size() - 1, v.size() * 99 / 100)];
  s.max = v.back();
  return s;
}

void row(const char* name, const Stats& s) {
  std::printf("  %-26s %8.2f %8.2f %8.2f %8zu\n", name, s.p50, s.p99, s.max, s.n);
}

// One frame of the whole window; returns the milliseconds ImGui took to build it.
double frame(Shell& shell, MachineUi& ui) {
  ui.update(1.0f / 60.0f);
  const auto t0 = Clock::now();
  ImGui::NewFrame();
  shell.draw(ShellFacts{});
  ImGui::Render();
  return ms_since(t0);
}

}  // namespace

int run_ui_bench(const Options& options) {
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  io.DisplaySize = ImVec2(static_cast<float>(options.width), static_cast<float>(options.height));
  io.DeltaTime = 1.0f / 60.0f;
  UiFonts fonts;
  fonts.update(1.0f, 1.0f, false);
  apply_theme(1.0f);

  Shell shell;
  auto ui = std::make_unique<MachineUi>();
  shell.content = ui.get();
  ui->machine_room().animate = false;

  // Record the run and fold it; or (--trace FILE) open a real trace repeated to a million
  // events, the way the app opens one, and fold it.
  std::unique_ptr<TraceUi> trace;
  std::string what = "bench-1m demo";
  const auto rec_t0 = Clock::now();
  if (!options.trace_file.empty()) {
    std::string error;
    std::optional<std::string> capture = import::read_trace_file(options.trace_file, &error);
    size_t lines = 0;
    const std::string text =
        capture ? import::repeat_trace(*capture, 1'000'000, 3600, &lines) : std::string();
    trace = std::make_unique<TraceUi>(&shell, ui.get());
    if (!capture || !trace->open_text(text, options.trace_file)) {
      std::fprintf(stderr, "wqlab --bench-ui --trace: %s\n",
                   capture ? trace->last_error().c_str() : error.c_str());
      trace.reset();
      ui.reset();
      ImGui::DestroyContext();
      return 2;
    }
    what = with_thousands(lines) + " trace lines (" + options.trace_file + " repeated)";
  } else {
    ui->load_demo("bench-1m", 0);
  }
  while (!ui->settled()) {
    ui->update(0.0f);
    if (trace || !ui->session().status().busy) continue;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  const double record_ms = ms_since(rec_t0);
  const model::MachineModel& m = ui->model();
  const size_t execs = m.history().executions.size();
  const uint64_t events = m.events();
  // Fold speed, measured on its own: the same log folded again from the start.
  const auto fold_t0 = Clock::now();
  {
    model::MachineModel again;
    again.attach(m.recorder(), m.config());
    again.update();
  }
  const double fold_ms = ms_since(fold_t0);

  // Frames: fit-all, then zooming and panning around random places, then the newest moment.
  const model::Nanos end = m.history().end_time;
  std::mt19937_64 rng(1);
  std::vector<double> fit, zoom, all;
  for (int i = 0; i < 120; ++i) {
    ui->timeline().fit_all();
    const double t = frame(shell, *ui);
    if (i >= 5) fit.push_back(t);  // the first frames build fonts and tables
  }
  for (int i = 0; i < 400; ++i) {
    const double span = static_cast<double>(end) * std::pow(0.5, static_cast<double>(i % 20));
    const model::Nanos centre =
        static_cast<model::Nanos>(rng() % static_cast<uint64_t>(std::max<model::Nanos>(end, 1)));
    const model::Nanos t0 = std::max<model::Nanos>(0, centre - static_cast<model::Nanos>(span / 2));
    ui->timeline().set_range(t0,
                             t0 + std::max<model::Nanos>(static_cast<model::Nanos>(span), 1000));
    zoom.push_back(frame(shell, *ui));
  }
  all = fit;
  all.insert(all.end(), zoom.begin(), zoom.end());

  // Past moments: state_at() alone, and with the frame that shows it.
  std::vector<double> seek, seek_frame;
  for (int i = 0; i < 60; ++i) {
    const uint64_t moment = rng() % std::max<uint64_t>(events, 1);
    const auto t0 = Clock::now();
    ui->selection().show_moment(moment);
    ui->update(0.0f);
    seek.push_back(ms_since(t0));
    ImGui::NewFrame();
    shell.draw(ShellFacts{});
    ImGui::Render();
    seek_frame.push_back(ms_since(t0));
  }
  ui->go_live();

  const Stats f = stats(fit), z = stats(zoom), a = stats(all), s = stats(seek),
              sf = stats(seek_frame);
  std::printf("wqlab UI benchmark: %d x %d, every panel shown, ImGui frame build (no GPU)\n",
              options.width, options.height);
  std::printf(
      "run: %s: %s executions, %s events, %s in %.1f s; folded again in %.2f s (%.1f M "
      "events/s)\n",
      what.c_str(), with_thousands(execs).c_str(), with_thousands(events).c_str(),
      trace ? "opened and folded" : "recorded", record_ms / 1000.0, fold_ms / 1000.0,
      static_cast<double>(events) / (fold_ms * 1000.0));
  std::printf("model: history %.0f MB, %zu snapshots every %llu events\n\n",
              static_cast<double>(m.history().memory_bytes()) / 1e6, m.snapshots().snapshots(),
              static_cast<unsigned long long>(m.snapshots().interval()));
  std::printf("  %-26s %8s %8s %8s %8s\n", "milliseconds", "p50", "p99", "max", "samples");
  row("frame, timeline fit-all", f);
  row("frame, zooming and panning", z);
  row("frame, all", a);
  row("past moment: state_at()", s);
  row("past moment + its frame", sf);
  const bool frames_ok = a.p99 <= 8.0, moments_ok = sf.max <= 50.0;
  std::printf("\ngoals: frame p99 <= 8 ms: %s (%.2f ms); any moment <= 50 ms: %s (worst %.2f ms)\n",
              frames_ok ? "met" : "NOT met", a.p99, moments_ok ? "met" : "NOT met", sf.max);
  std::printf(
      "RESULT executions=%zu\nRESULT events=%llu\nRESULT frame_p50_ms=%.3f\n"
      "RESULT frame_p99_ms=%.3f\nRESULT moment_p50_ms=%.3f\nRESULT moment_max_ms=%.3f\n",
      execs, static_cast<unsigned long long>(events), a.p50, a.p99, sf.p50, sf.max);
  trace.reset();
  ui.reset();
  ImGui::DestroyContext();
  return 0;
}

}  // namespace wqlab

// The browser benchmark (./lab bench --web): deterministic task switches, recorded events and
// the run time of lessons 01 and 03, measured by one program built twice, for the browser
// (site/bench/) and natively, so the table can set the browser beside the desktop running the
// same code with the same limits (the browser's carrier cap on both). Prints "RESULT name=value"
// lines, which web/bench.mjs reads; --quick makes every part small (the browser suite's check).
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "engine/kernel/kernel.h"
#include "engine/scenario/parser.h"
#include "engine/scenario/runner.h"
#include "engine/trace/recorder.h"

#ifndef WQLAB_BENCH_LESSONS_DIR
#define WQLAB_BENCH_LESSONS_DIR "lessons"
#endif

namespace {

using Clock = std::chrono::steady_clock;
using wqlab::kernel::Kernel;
using wqlab::kernel::KernelConfig;
using wqlab::kernel::Task;
using wqlab::kernel::TaskState;

// The app lets a machine's carriers use 9 of the browser's 12 pre-spawned Web Workers
// (app/session/platform_limits.h); both builds run everything here with that cap. A ring keeps
// every task blocked mid-body, one carrier each, so the larger ring has 8 tasks: 64 would need
// 64 carriers (CarrierExhausted under the cap; uncapped, 64 Web Workers on 2 cores ran ~200
// switches/s).
constexpr size_t kCarrierCap = 9;
constexpr int kRingSizes[] = {2, 8};

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

void result(const char* name, double value) {
  std::printf("RESULT %s=%.6g\n", name, value);
  std::fflush(stdout);
}

// N tasks pass a baton round a ring (as bench/kernel_bench.cpp's BM_DetTaskSwitches): each
// wakes the next and blocks, one deterministic switch per block. Returns switches per second,
// or -1 (after printing why) if the ring did not run to its end.
double det_switches_per_second(int n, int total_rounds) {
  const int rounds = total_rounds / n;
  KernelConfig cfg;
  cfg.nr_cpus = 4;
  cfg.carrier_cap = kCarrierCap;
  Kernel k(cfg);
  std::vector<Task*> ring(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    auto t = k.kthread_create(
        [&k, &ring, i, n, rounds] {
          for (int r = 0; r < rounds; ++r) {
            k.set_current_state(TaskState::Interruptible);
            k.wake_up_process(*ring[static_cast<size_t>((i + 1) % n)]);
            k.schedule();
          }
          return wqlab::kernel::TaskStep::Exit;
        },
        "ring/" + std::to_string(i), i % cfg.nr_cpus);
    ring[static_cast<size_t>(i)] = t.task;
  }
  k.wake_up_process(*ring[0]);
  const uint64_t before = k.switches();
  const auto t0 = Clock::now();
  const auto run = k.run_for(wqlab::kernel::secs(1));  // the ring stalls once the last task exits
  const double s = seconds_since(t0);
  const uint64_t switches = k.switches() - before;
  if (run.stop == wqlab::kernel::RunStop::Error || switches < static_cast<uint64_t>(n) * rounds) {
    std::fprintf(stderr, "ring of %d: %llu switches of %d expected%s%s\n", n,
                 static_cast<unsigned long long>(switches), n * rounds,
                 run.error.empty() ? "" : ": ", run.error.c_str());
    return -1;
  }
  return static_cast<double>(switches) / s;
}

// One thread emits events into a Recorder drained inline (as BM_RecordedEvent). Events/s.
double recorded_events_per_second(int count) {
  wqlab::trace::Recorder rec(size_t{1} << 16, wqlab::trace::OverflowPolicy::DrainInline);
  wqlab::trace::Event ev;
  ev.kind = wqlab::trace::EventKind::Printk;
  const auto t0 = Clock::now();
  for (int i = 0; i < count; ++i) {
    ev.args[0] = i;
    rec.emit(ev);
  }
  const double s = seconds_since(t0);
  return count / s;
}

// Parses a lesson and runs every step as `wqlab run` does, with the browser's carrier budget.
// Returns false (after printing why) if the file does not parse or a checkpoint fails.
bool run_lesson(const std::string& path, double& seconds, int& checks) {
  const auto t0 = Clock::now();
  auto parsed = wqlab::scenario::parse_scenario_file(path);
  if (!parsed.ok()) {
    std::fprintf(stderr, "%s", parsed.error_text().c_str());
    return false;
  }
  wqlab::scenario::Runner runner(*parsed.scenario, kCarrierCap);
  int failed = 0;
  checks = 0;
  for (size_t i = 0; i < parsed.scenario->steps.size(); ++i) {
    auto r = runner.run_step(i);
    checks += r.passed() + r.failed();
    failed += r.failed();
  }
  seconds = seconds_since(t0);
  if (failed != 0) std::fprintf(stderr, "%s: %d checkpoint(s) failed\n", path.c_str(), failed);
  return failed == 0;
}

}  // namespace

int main(int argc, char** argv) {
  bool quick = false;
  std::string lessons = WQLAB_BENCH_LESSONS_DIR;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--quick") == 0) {
      quick = true;
    } else if (std::strcmp(argv[i], "--lessons") == 0 && i + 1 < argc) {
      lessons = argv[++i];
    } else {
      std::fprintf(stderr, "usage: wqlab_browser_bench [--quick] [--lessons DIR]\n");
      return 2;
    }
  }
#ifdef __EMSCRIPTEN__
  result("browser", 1);
#else
  result("browser", 0);
#endif
  const int rounds = quick ? 2'000 : 200'000;
  bool ok = true;
  for (int n : kRingSizes) {
    const double rate = det_switches_per_second(n, rounds);
    if (rate < 0) {
      ok = false;
      continue;
    }
    result(("det_switches_" + std::to_string(n) + "_per_s").c_str(), rate);
  }
  result("recorded_events_per_s", recorded_events_per_second(quick ? 100'000 : 4'000'000));
  // --quick skips lesson 01 (30 000 threads): the check only needs one lesson to run.
  const std::vector<std::pair<const char*, const char*>> runs = {
      {"lesson_01", "01_pid_exhaustion.toml"}, {"lesson_03", "03_rescuer.toml"}};
  for (const auto& [name, file] : runs) {
    if (quick && std::strcmp(name, "lesson_01") == 0) continue;
    double s = 0;
    int checks = 0;
    if (!run_lesson(lessons + "/" + file, s, checks)) {
      ok = false;
      continue;
    }
    result((std::string(name) + "_s").c_str(), s);
    result((std::string(name) + "_checks").c_str(), checks);
  }
  result("done", ok ? 1 : 0);
  return ok ? 0 : 1;
}

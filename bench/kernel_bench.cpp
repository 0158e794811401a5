// The simulated kernel's cost: deterministic task switches, and 32 768 kernel threads that park.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <string>
#include <vector>

#include "engine/kernel/kernel.h"
#include "proc_stats.h"

namespace {

using wqlab::kernel::Kernel;
using wqlab::kernel::KernelConfig;
using wqlab::kernel::Mode;
using wqlab::kernel::Task;
using wqlab::kernel::TaskState;

// N tasks pass the baton round a ring: each wakes the next and blocks. Every block is one
// deterministic task switch (one OS-level hand-off between carriers).
void BM_DetTaskSwitches(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const int rounds = 200'000 / n;
  uint64_t switches = 0;
  for (auto _ : state) {
    KernelConfig cfg;
    cfg.nr_cpus = 4;
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
    uint64_t before = k.switches();
    k.run_for(wqlab::kernel::secs(1));  // the ring stalls once the last task exits
    switches += k.switches() - before;
  }
  state.SetItemsProcessed(static_cast<int64_t>(switches));
  state.SetLabel("task switches/s = items/s");
}
BENCHMARK(BM_DetTaskSwitches)->Arg(2)->Arg(64)->Unit(benchmark::kMillisecond)->UseRealTime();

// Creates `count` kernel threads (as the PID-exhaustion lesson does), wakes each once, and lets
// them park at the top of their loop. Reports OS threads and memory.
void BM_Create32kParkedThreads(benchmark::State& state) {
  const int count = 32768;
  int peak_threads = 0;
  int64_t rss_delta = 0;
  size_t carriers = 0;
  for (auto _ : state) {
    KernelConfig cfg;
    cfg.nr_cpus = 256;
    cfg.pid_max = 65536;
    cfg.mode = static_cast<Mode>(state.range(0));
    wqlab::bench::release_free_memory();
    int threads_before = wqlab::bench::os_threads();
    int64_t rss_before = wqlab::bench::resident_bytes();
    {
      Kernel k(cfg);
      for (int i = 0; i < count; ++i) {
        auto t = k.kthread_create(
            [&k] {
              k.set_current_state(TaskState::Idle);
              return wqlab::kernel::TaskStep::Park;
            },
            "events/" + std::to_string(i % 256), i % 256);
        if (!t) {
          state.SkipWithError("kthread_create failed");
          break;
        }
        k.wake_up_process(*t.task);
      }
      k.run_until_idle();
      peak_threads = std::max(peak_threads, wqlab::bench::os_threads() - threads_before);
      rss_delta = std::max(rss_delta, wqlab::bench::resident_bytes() - rss_before);
      carriers = std::max(carriers, k.carriers_live());
    }
  }
  state.counters["os_threads_added"] = peak_threads;
  state.counters["carriers"] = static_cast<double>(carriers);
  state.counters["rss_MiB"] = static_cast<double>(rss_delta) / (1024.0 * 1024.0);
  state.counters["bytes_per_thread"] = static_cast<double>(rss_delta) / count;
}
BENCHMARK(BM_Create32kParkedThreads)
    ->Arg(static_cast<int>(Mode::Deterministic))
    ->Arg(static_cast<int>(Mode::Realtime))
    ->ArgName("realtime")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(3);

}  // namespace

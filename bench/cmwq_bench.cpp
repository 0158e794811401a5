// cmwq against general-purpose thread pools: N empty work items queued from one thread and
// executed, realtime mode, side by side with Boost.Asio's thread_pool and oneTBB's task_group
// (2 threads each), and cmwq again with every event recorded.
#include <benchmark/benchmark.h>

#include <tbb/task_arena.h>
#include <tbb/task_group.h>
#include <atomic>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <memory>
#include <vector>

#include "engine/kernel/sync.h"
#include "engine/trace/recorder.h"
#include "engine/wq/cmwq.h"

namespace {

constexpr int64_t kItems = 200'000;

using Clock = std::chrono::steady_clock;

// One run: a producer task queues kItems items on a bound workqueue of a 2-CPU realtime
// machine and waits until the last one has run. Returns seconds from the first queue_work to
// the last item's return.
double run_cmwq(bool recorded, unsigned wq_flags, double* events_per_item) {
  std::unique_ptr<wqlab::trace::Recorder> rec;
  if (recorded) {
    rec = std::make_unique<wqlab::trace::Recorder>(size_t{1} << 20,
                                                   wqlab::trace::OverflowPolicy::DrainInline);
    rec->start_consumer(200);
  }
  wqlab::kernel::KernelConfig cfg;
  cfg.nr_cpus = 2;
  cfg.mode = wqlab::kernel::Mode::Realtime;
  wqlab::kernel::Kernel k(cfg, rec.get());
  double seconds = 0;
  {
    wqlab::wq::Cmwq cmwq(k);
    auto* wq = cmwq.alloc_workqueue("bench", wq_flags, wqlab::wq::WQ_MAX_ACTIVE);
    std::vector<wqlab::wq::Work> works(static_cast<size_t>(kItems));
    std::atomic<int64_t> done{0};
    wqlab::kernel::Completion all_done;
    for (auto& w : works) {
      wqlab::wq::INIT_WORK(
          &w,
          [&](wqlab::wq::Work*) {
            if (done.fetch_add(1, std::memory_order_relaxed) + 1 == kItems) all_done.complete();
          },
          "empty_fn");
    }
    k.spawn(
        "producer",
        [&] {
          auto t0 = Clock::now();
          for (auto& w : works) cmwq.queue_work(wq, &w);
          all_done.wait_for_completion();
          seconds = std::chrono::duration<double>(Clock::now() - t0).count();
        },
        0);
    k.run_until_idle();
  }
  if (rec) {
    rec->stop_consumer();
    rec->drain();
    *events_per_item = static_cast<double>(rec->log().size()) / static_cast<double>(kItems);
  }
  return seconds;
}

void BM_CmwqEmptyItems(benchmark::State& state) {
  bool recorded = state.range(0) != 0;
  unsigned flags = state.range(1) ? wqlab::wq::WQ_UNBOUND : 0u;
  double events_per_item = 0;
  for (auto _ : state) state.SetIterationTime(run_cmwq(recorded, flags, &events_per_item));
  state.SetItemsProcessed(state.iterations() * kItems);
  // What recording costs per item scales with this (each event is 64 bytes with a timestamp).
  if (recorded) state.counters["events_per_item"] = events_per_item;
}
BENCHMARK(BM_CmwqEmptyItems)
    ->ArgsProduct({{0, 1}, {0, 1}})
    ->ArgNames({"recorded", "unbound"})
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(5);

void BM_AsioThreadPool(benchmark::State& state) {
  for (auto _ : state) {
    boost::asio::thread_pool pool(2);
    std::atomic<int64_t> done{0};
    auto t0 = Clock::now();
    for (int64_t i = 0; i < kItems; ++i)
      boost::asio::post(pool, [&done] { done.fetch_add(1, std::memory_order_relaxed); });
    pool.join();
    state.SetIterationTime(std::chrono::duration<double>(Clock::now() - t0).count());
    if (done.load() != kItems) state.SkipWithError("lost items");
  }
  state.SetItemsProcessed(state.iterations() * kItems);
}
BENCHMARK(BM_AsioThreadPool)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(5);

void BM_TbbTaskGroup(benchmark::State& state) {
  tbb::task_arena arena(2);
  for (auto _ : state) {
    std::atomic<int64_t> done{0};
    double seconds = 0;
    arena.execute([&] {
      tbb::task_group g;
      auto t0 = Clock::now();
      for (int64_t i = 0; i < kItems; ++i)
        g.run([&done] { done.fetch_add(1, std::memory_order_relaxed); });
      g.wait();
      seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    });
    state.SetIterationTime(seconds);
    if (done.load() != kItems) state.SkipWithError("lost items");
  }
  state.SetItemsProcessed(state.iterations() * kItems);
}
BENCHMARK(BM_TbbTaskGroup)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(5);

}  // namespace

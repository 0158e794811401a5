// The event stream's cost: ring throughput with two producers, a recorded event, and an event
// nobody records (the one branch every engine step pays).
#include <benchmark/benchmark.h>

#include <atomic>
#include <thread>
#include <vector>

#include "engine/kernel/kernel.h"
#include "engine/trace/event_ring.h"
#include "engine/trace/recorder.h"

namespace {

using wqlab::trace::Event;
using wqlab::trace::EventKind;

// Two producers push into the ring while one consumer appends to the log, as in realtime mode.
void BM_RingTwoProducers(benchmark::State& state) {
  const int64_t per_producer = state.range(0);
  for (auto _ : state) {
    wqlab::trace::Recorder rec(size_t{1} << 16, wqlab::trace::OverflowPolicy::DrainInline);
    std::atomic<int> done{0};
    std::thread consumer([&] {
      while (done.load(std::memory_order_acquire) < 2) rec.drain();
      rec.drain();
    });
    auto produce = [&](int who) {
      Event ev;
      ev.kind = EventKind::Printk;
      ev.args[0] = who;
      for (int64_t i = 0; i < per_producer; ++i) {
        ev.args[1] = i;
        rec.emit(ev);
      }
      done.fetch_add(1, std::memory_order_release);
    };
    std::thread a(produce, 1), b(produce, 2);
    a.join();
    b.join();
    consumer.join();
    if (rec.log().size() != static_cast<size_t>(2 * per_producer))
      state.SkipWithError("events lost");
  }
  state.SetItemsProcessed(state.iterations() * 2 * per_producer);
  state.SetLabel("events/s = items/s");
}
BENCHMARK(BM_RingTwoProducers)->Arg(2'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();

// One event into the ring from one thread, drained in batches (the deterministic-mode path).
void BM_RecordedEvent(benchmark::State& state) {
  wqlab::trace::Recorder rec(size_t{1} << 16, wqlab::trace::OverflowPolicy::DrainInline);
  Event ev;
  ev.kind = EventKind::Printk;
  int64_t i = 0;
  for (auto _ : state) {
    ev.args[0] = i++;
    rec.emit(ev);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RecordedEvent);

// Kernel::emit() with no recorder attached.
void BM_UnrecordedEvent(benchmark::State& state) {
  wqlab::kernel::KernelConfig cfg;
  cfg.nr_cpus = 1;
  wqlab::kernel::Kernel k(cfg, nullptr);
  int64_t i = 0;
  for (auto _ : state) {
    k.emit(EventKind::Printk, i++, 2, 3, 4);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_UnrecordedEvent);

// The same loop with no emit at all: the baseline the unrecorded event is compared with.
void BM_NoEventBaseline(benchmark::State& state) {
  int64_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(i++);
    benchmark::ClobberMemory();
  }
}
BENCHMARK(BM_NoEventBaseline);

}  // namespace

// The race: cmwq against general-purpose thread pools on equal terms. For T consumer threads
// (1, 2 and the host's cores) every contender gets
//  - T consumers: cmwq bound on a T-CPU machine (one kworker per CPU pool, the items spread
//    round robin with queue_work_on), cmwq unbound with max_active = T, Boost.Asio's
//    thread_pool(T), oneTBB's task_arena(T) with no slot kept for the producer;
//  - one producer on its own thread that does each item's setup (INIT_WORK / the allocation a
//    post or enqueue makes) inside the timed region;
//  - the same item (count, and the last one wakes the producer) and the same end: the clock
//    stops when the producer sees the last item done; tearing the pool down is not timed.
// BM_RaceRatios runs all of them once more at T = 2 and prints one line of ratios.
#include <benchmark/benchmark.h>

#include <tbb/global_control.h>
#include <tbb/task_arena.h>
#include <algorithm>
#include <atomic>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "engine/kernel/sync.h"
#include "engine/trace/recorder.h"
#include "engine/wq/cmwq.h"

namespace {

constexpr int64_t kItems = 200'000;
using Clock = std::chrono::steady_clock;

double since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// What every contender's item does: count, and the last one tells the waiting producer.
struct Finish {
  std::atomic<int64_t> done{0};
  std::atomic<bool> all{false};
  void item() {
    if (done.fetch_add(1, std::memory_order_relaxed) + 1 == kItems) {
      all.store(true, std::memory_order_release);
      all.notify_one();
    }
  }
  void wait() { all.wait(false, std::memory_order_acquire); }
};

enum class Contender { CmwqBound, CmwqUnbound, Asio, Tbb };

struct RunStats {
  double seconds = 0;
  double events_per_item = 0;
  uint64_t lost = 0;
};

// cmwq on a T-CPU realtime machine; the producer is a kernel task and waits on a completion.
RunStats run_cmwq(int threads, bool unbound, bool recorded) {
  RunStats st;
  std::unique_ptr<wqlab::trace::Recorder> rec;
  if (recorded) {
    rec = std::make_unique<wqlab::trace::Recorder>(size_t{1} << 20,
                                                   wqlab::trace::OverflowPolicy::DrainInline);
    rec->start_consumer(200);
  }
  wqlab::kernel::KernelConfig cfg;
  cfg.nr_cpus = threads;
  cfg.mode = wqlab::kernel::Mode::Realtime;
  wqlab::kernel::Kernel k(cfg, rec.get());
  {
    wqlab::wq::Cmwq cmwq(k);
    auto* wq = cmwq.alloc_workqueue("bench", unbound ? wqlab::wq::WQ_UNBOUND : 0u,
                                    unbound ? threads : wqlab::wq::WQ_MAX_ACTIVE);
    std::vector<wqlab::wq::Work> works(static_cast<size_t>(kItems));
    Finish finish;
    wqlab::kernel::Completion all_done;
    k.spawn(
        "producer",
        [&] {
          auto t0 = Clock::now();
          int cpu = 0;
          for (auto& w : works) {
            wqlab::wq::INIT_WORK(
                &w,
                [&](wqlab::wq::Work*) {
                  if (finish.done.fetch_add(1, std::memory_order_relaxed) + 1 == kItems)
                    all_done.complete();
                },
                "empty_fn");
            if (unbound) {
              cmwq.queue_work(wq, &w);
            } else {
              cmwq.queue_work_on(cpu, wq, &w);
              cpu = cpu + 1 == threads ? 0 : cpu + 1;
            }
          }
          all_done.wait_for_completion();
          st.seconds = since(t0);
        },
        0);
    k.run_until_idle();
  }
  if (rec) {
    rec->stop_consumer();
    rec->drain();
    st.events_per_item = static_cast<double>(rec->log().size()) / static_cast<double>(kItems);
    st.lost = rec->lost();
  }
  return st;
}

RunStats run_asio(int threads) {
  RunStats st;
  boost::asio::thread_pool pool(static_cast<size_t>(threads));
  Finish finish;
  std::thread producer([&] {
    auto t0 = Clock::now();
    for (int64_t i = 0; i < kItems; ++i) boost::asio::post(pool, [&finish] { finish.item(); });
    finish.wait();
    st.seconds = since(t0);
  });
  producer.join();
  pool.join();
  return st;
}

RunStats run_tbb(int threads) {
  RunStats st;
  // T workers, none reserved for a master: the producer below never joins the arena. TBB's
  // default allows cores - 1 workers in all; raise the limit so T workers exist.
  tbb::global_control gc(tbb::global_control::max_allowed_parallelism,
                         static_cast<size_t>(threads) + 1);
  tbb::task_arena arena(threads, 0);
  arena.initialize();
  Finish finish;
  std::thread producer([&] {
    auto t0 = Clock::now();
    for (int64_t i = 0; i < kItems; ++i) arena.enqueue([&finish] { finish.item(); });
    finish.wait();
    st.seconds = since(t0);
  });
  producer.join();
  return st;
}

RunStats run_one(Contender c, int threads, bool recorded) {
  switch (c) {
    case Contender::CmwqBound:
      return run_cmwq(threads, false, recorded);
    case Contender::CmwqUnbound:
      return run_cmwq(threads, true, recorded);
    case Contender::Asio:
      return run_asio(threads);
    case Contender::Tbb:
      return run_tbb(threads);
  }
  return {};
}

const char* describe(Contender c, bool recorded) {
  switch (c) {
    case Contender::CmwqBound:
      return recorded ? "cmwq bound, T CPUs, queue_work_on round robin, every event recorded"
                      : "cmwq bound, T CPUs, queue_work_on round robin";
    case Contender::CmwqUnbound:
      return recorded ? "cmwq WQ_UNBOUND, T CPUs, max_active T, every event recorded"
                      : "cmwq WQ_UNBOUND, T CPUs, max_active T";
    case Contender::Asio:
      return "boost::asio::thread_pool(T), post() from the producer";
    case Contender::Tbb:
      return "tbb::task_arena(T, 0 reserved), enqueue() from the producer";
  }
  return "";
}

void BM_Race(benchmark::State& state, Contender c) {
  int threads = static_cast<int>(state.range(0));
  bool recorded = state.range(1) != 0;
  RunStats st;
  for (auto _ : state) {
    st = run_one(c, threads, recorded);
    state.SetIterationTime(st.seconds);
  }
  state.SetItemsProcessed(state.iterations() * kItems);
  state.SetLabel(describe(c, recorded));
  if (recorded) {
    state.counters["events_per_item"] = st.events_per_item;
    state.counters["lost"] = static_cast<double>(st.lost);
  }
}

std::vector<int64_t> thread_counts() {
  std::vector<int64_t> t{1, 2};
  auto cores = static_cast<int64_t>(std::max(1u, std::thread::hardware_concurrency()));
  if (cores > 2) t.push_back(cores);
  return t;
}

// Names read race/<contender>/threads:T/recorded:R, T = 1, 2 and the host's cores.
struct RaceRegistrar {
  RaceRegistrar() {
    struct Entry {
      const char* name;
      Contender c;
      bool can_record;
    };
    const Entry entries[] = {{"race/cmwq_bound", Contender::CmwqBound, true},
                             {"race/cmwq_unbound", Contender::CmwqUnbound, true},
                             {"race/asio", Contender::Asio, false},
                             {"race/tbb", Contender::Tbb, false}};
    for (const Entry& e : entries) {
      auto* b = benchmark::RegisterBenchmark(e.name, BM_Race, e.c);
      for (int64_t t : thread_counts()) {
        b->Args({t, 0});
        if (e.can_record) b->Args({t, 1});
      }
      b->ArgNames({"threads", "recorded"})
          ->UseManualTime()
          ->Unit(benchmark::kMillisecond)
          ->Iterations(5);
    }
  }
};
const RaceRegistrar race_registrar;

// One more round at T = 2, best of 5 each, and the ratios from it: the line the goals
// are checked against.
void BM_RaceRatios(benchmark::State& state) {
  constexpr int kT = 2;
  constexpr int kRounds = 5;
  auto rate = [](Contender c, bool recorded) {
    double best = 1e30;
    for (int i = 0; i < kRounds; ++i) best = std::min(best, run_one(c, kT, recorded).seconds);
    return static_cast<double>(kItems) / best / 1e6;
  };
  double rec = 0, unrec = 0, asio = 0, tbb = 0;
  for (auto _ : state) {
    unrec = rate(Contender::CmwqBound, false);
    rec = rate(Contender::CmwqBound, true);
    asio = rate(Contender::Asio, false);
    tbb = rate(Contender::Tbb, false);
  }
  state.counters["cmwq_unrec_Mps"] = unrec;
  state.counters["cmwq_rec_Mps"] = rec;
  state.counters["asio_Mps"] = asio;
  state.counters["tbb_Mps"] = tbb;
  char line[256];
  std::snprintf(line, sizeof line,
                "T=2 bound: recorded/Asio %.2fx recorded/TBB %.2fx unrecorded/Asio %.2fx "
                "unrecorded/TBB %.2fx recording cost %.0f%%",
                rec / asio, rec / tbb, unrec / asio, unrec / tbb, (1.0 - rec / unrec) * 100.0);
  state.SetLabel(line);
}
BENCHMARK(BM_RaceRatios)->Name("race/ratios")->Iterations(1)->Unit(benchmark::kSecond);

}  // namespace

// Schedule exploration: a seeded chooser for the deterministic scheduler's tie-break
// (Kernel::set_chooser(), det_pick_locked()). Among the tasks that may run their code at the same
// virtual time it picks uniformly at random, or as PCT does (Burckhardt et al., "A randomized
// scheduler with probabilistic guarantees of finding bugs", ASPLOS 2010): every task gets a random
// priority when first seen, the highest runs, and at a few random decision points the running
// choice drops to the lowest priority. Same seed, same choices, same event log.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/kernel/kernel.h"

namespace wqlab::explore {

enum class Strategy : uint8_t { Uniform, Pct };
std::string_view strategy_name(Strategy s);

// splitmix64: small, fast and the same on every platform (std's distributions are not).
class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(seed) {}
  uint64_t next();
  uint64_t below(uint64_t n) { return n == 0 ? 0 : next() % n; }

 private:
  uint64_t s_;
};

struct ChooserStats {
  uint64_t decisions = 0;   // calls with two or more options
  uint64_t deviations = 0;  // picks other than the default (the first option)
};

class SeededChooser {
 public:
  // pct_depth: PCT's d (d - 1 priority change points); pct_horizon: the decisions over which the
  // change points are spread.
  SeededChooser(uint64_t seed, Strategy strategy, int pct_depth = 3, uint64_t pct_horizon = 400);
  // The strategy seed S uses in `./lab explore`: even seeds uniform, odd seeds PCT.
  static Strategy strategy_for(uint64_t seed) {
    return seed % 2 ? Strategy::Pct : Strategy::Uniform;
  }

  size_t choose(std::span<const kernel::Runnable> options);
  const ChooserStats& stats() const { return stats_; }
  uint64_t seed() const { return seed_; }
  Strategy strategy() const { return strategy_; }

 private:
  uint64_t priority_of(int32_t pid);

  uint64_t seed_;
  Strategy strategy_;
  Rng rng_;
  std::unordered_map<int32_t, uint64_t> prio_;  // PCT: pid -> priority (higher runs first)
  std::vector<uint64_t> change_points_;         // PCT: decision numbers, ascending
  size_t next_change_ = 0;
  ChooserStats stats_;
};

// A chooser for Kernel::set_chooser() that forwards to `c` (kept alive by the copy).
kernel::Chooser as_kernel_chooser(std::shared_ptr<SeededChooser> c);

}  // namespace wqlab::explore

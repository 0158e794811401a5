#include "engine/explore/seeded_chooser.h"

#include <algorithm>

namespace wqlab::explore {

std::string_view strategy_name(Strategy s) {
  return s == Strategy::Pct ? "pct" : "uniform";
}

uint64_t Rng::next() {
  uint64_t z = (s_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

SeededChooser::SeededChooser(uint64_t seed, Strategy strategy, int pct_depth, uint64_t pct_horizon)
    : seed_(seed), strategy_(strategy), rng_(seed * 0x2545f4914f6cdd1dULL + 1) {
  if (strategy_ == Strategy::Pct) {
    for (int i = 1; i < pct_depth; ++i) change_points_.push_back(1 + rng_.below(pct_horizon));
    std::sort(change_points_.begin(), change_points_.end());
  }
}

// PCT's initial priorities are all above the change-point priorities (0 .. d-2).
uint64_t SeededChooser::priority_of(int32_t pid) {
  auto it = prio_.find(pid);
  if (it != prio_.end()) return it->second;
  uint64_t p = change_points_.size() + 1 + (rng_.next() >> 1);
  prio_.emplace(pid, p);
  return p;
}

size_t SeededChooser::choose(std::span<const kernel::Runnable> options) {
  if (options.size() < 2) return 0;
  ++stats_.decisions;
  size_t pick = 0;
  if (strategy_ == Strategy::Uniform) {
    pick = static_cast<size_t>(rng_.below(options.size()));
  } else {
    uint64_t best = 0;
    for (size_t i = 0; i < options.size(); ++i) {
      uint64_t p = priority_of(options[i].task->pid);
      if (i == 0 || p > best) {
        best = p;
        pick = i;
      }
    }
    // A change point: the task that would run now drops below every other (later change points
    // drop lower still, as in PCT).
    while (next_change_ < change_points_.size() &&
           change_points_[next_change_] <= stats_.decisions) {
      prio_[options[pick].task->pid] = change_points_.size() - 1 - next_change_;
      ++next_change_;
      best = 0;
      for (size_t i = 0; i < options.size(); ++i) {
        uint64_t p = priority_of(options[i].task->pid);
        if (i == 0 || p > best) {
          best = p;
          pick = i;
        }
      }
    }
  }
  if (pick != 0) ++stats_.deviations;
  return pick;
}

kernel::Chooser as_kernel_chooser(std::shared_ptr<SeededChooser> c) {
  return
      [c = std::move(c)](std::span<const kernel::Runnable> options) { return c->choose(options); };
}

}  // namespace wqlab::explore

// The start-up thread probe: a sieve on a std::thread, result published through one atomic.
#include "platform/thread_probe.h"

#include <system_error>
#include <vector>

namespace wqlab {

std::uint64_t sum_of_primes_below(std::uint32_t bound) {
  std::vector<bool> composite(bound, false);
  std::uint64_t sum = 0;
  for (std::uint64_t n = 2; n < bound; ++n) {
    if (composite[n]) continue;
    sum += n;
    for (std::uint64_t m = n * n; m < bound; m += n) composite[m] = true;
  }
  return sum;
}

bool ThreadProbe::start() {
  try {
    thread_ = std::thread(
        [this] { result_.store(sum_of_primes_below(kPrimeBound), std::memory_order_release); });
  } catch (const std::system_error& e) {
    error_ = std::string("could not start a thread: ") + e.what();
    return false;
  }
  return true;
}

std::optional<std::uint64_t> ThreadProbe::result() const {
  std::uint64_t value = result_.load(std::memory_order_acquire);
  if (value == kPending) return std::nullopt;
  return value;
}

ThreadProbe::~ThreadProbe() {
  if (thread_.joinable()) thread_.join();
}

}  // namespace wqlab

// Proves at start-up that this build runs real OS threads (Web Workers in the browser): one
// std::thread sums the primes below a bound and publishes the result atomically.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <thread>

namespace wqlab {

class ThreadProbe {
 public:
  static constexpr std::uint32_t kPrimeBound = 2'000'000;  // the sum is 142'913'828'922

  ThreadProbe() = default;
  ThreadProbe(const ThreadProbe&) = delete;
  ThreadProbe& operator=(const ThreadProbe&) = delete;
  ~ThreadProbe();  // joins the thread

  // Launches the thread; returns false (and sets error()) if no thread could be created.
  bool start();
  // The sum once the thread has finished; nullopt while it is still working.
  std::optional<std::uint64_t> result() const;
  const std::string& error() const { return error_; }

 private:
  static constexpr std::uint64_t kPending = UINT64_MAX;

  std::thread thread_;
  std::atomic<std::uint64_t> result_{kPending};  // written once by the thread (release)
  std::string error_;
};

// Sum of the primes below `bound` (sieve of Eratosthenes); what the probe thread computes.
std::uint64_t sum_of_primes_below(std::uint32_t bound);

}  // namespace wqlab

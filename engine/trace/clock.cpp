#include "engine/trace/clock.h"

namespace wqlab::trace {

namespace {
struct Calibration {
  uint64_t ticks0 = 0;
  int64_t ns0 = 0;
  double rate = 1.0;  // ns per tick
};

#if WQLAB_HAVE_TSC
// Reads the steady clock and the TSC back to back; the pair with the shortest bracket wins.
void sample(uint64_t& ticks, int64_t& ns) {
  uint64_t best = UINT64_MAX;
  for (int i = 0; i < 5; ++i) {
    uint64_t a = host_ticks();
    int64_t n = steady_now_ns();
    uint64_t b = host_ticks();
    if (b - a < best) {
      best = b - a;
      ticks = a + (b - a) / 2;
      ns = n;
    }
  }
}
#endif

Calibration calibrate() {
  Calibration c;
#if WQLAB_HAVE_TSC
  // Spin ~2 ms: a read's jitter (tens of ns) over 2 ms keeps the rate within 1e-4.
  sample(c.ticks0, c.ns0);
  uint64_t t1 = 0;
  int64_t n1 = 0;
  do {
    sample(t1, n1);
  } while (n1 - c.ns0 < 2'000'000);
  c.rate = static_cast<double>(n1 - c.ns0) / static_cast<double>(t1 - c.ticks0);
#else
  c.ticks0 = 0;
  c.ns0 = 0;
#endif
  return c;
}

const Calibration& calibration() {
  static const Calibration c = calibrate();
  return c;
}
}  // namespace

int64_t ticks_to_ns(uint64_t ticks) {
  const Calibration& c = calibration();
  auto d = static_cast<int64_t>(ticks - c.ticks0);  // may be negative before calibration
  return c.ns0 + static_cast<int64_t>(static_cast<double>(d) * c.rate);
}

double ns_per_tick() {
  return calibration().rate;
}

}  // namespace wqlab::trace

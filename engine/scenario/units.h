// Quantities in scenario files: durations ("10ms", "1.5s", "300us", "250ns") and sizes
// ("64KiB", "1GiB", "4096"). Parsing returns nullopt with a reason on bad input.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace wqlab::scenario {

struct Parsed {
  int64_t value = 0;
  std::string error;  // empty when ok
  bool ok() const { return error.empty(); }
};

// Nanoseconds. Units: ns, us, ms, s, min; a bare number is rejected (units are required).
Parsed parse_duration(std::string_view text);
// Bytes. Units: B, KiB, MiB, GiB (also K/M/G as powers of 1024); a bare number is bytes.
Parsed parse_size(std::string_view text);

// "12.5ms", "3s", "250us": the shortest exact spelling.
std::string format_duration(int64_t ns);

}  // namespace wqlab::scenario

// Numbers as people read them in the UI.
#pragma once

#include <cstdint>
#include <string>

namespace wqlab {

// 142913828922 -> "142,913,828,922"
inline std::string with_thousands(std::uint64_t n) {
  const std::string digits = std::to_string(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

}  // namespace wqlab

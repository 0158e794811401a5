#include "engine/scenario/units.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace wqlab::scenario {
namespace {

struct Number {
  double value = 0;
  std::string_view unit;
  bool ok = false;
};

Number split(std::string_view text) {
  Number n;
  size_t i = 0;
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  size_t start = i;
  while (i < text.size() &&
         (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.' || text[i] == '_'))
    ++i;
  if (i == start) return n;
  std::string digits;
  for (size_t j = start; j < i; ++j)
    if (text[j] != '_') digits += text[j];
  char* end = nullptr;
  n.value = std::strtod(digits.c_str(), &end);
  if (end == nullptr || *end != '\0') return n;
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  size_t unit_end = text.size();
  while (unit_end > i && std::isspace(static_cast<unsigned char>(text[unit_end - 1]))) --unit_end;
  n.unit = text.substr(i, unit_end - i);
  n.ok = true;
  return n;
}

}  // namespace

Parsed parse_duration(std::string_view text) {
  Number n = split(text);
  if (!n.ok) return {0, "expected a duration such as \"10ms\", got \"" + std::string(text) + "\""};
  double scale = 0;
  if (n.unit == "ns")
    scale = 1;
  else if (n.unit == "us" || n.unit == "µs")
    scale = 1e3;
  else if (n.unit == "ms")
    scale = 1e6;
  else if (n.unit == "s")
    scale = 1e9;
  else if (n.unit == "min")
    scale = 60e9;
  else if (n.unit.empty())
    return {0, "duration \"" + std::string(text) + "\" needs a unit (ns, us, ms, s, min)"};
  else
    return {0, "unknown time unit \"" + std::string(n.unit) + "\" in \"" + std::string(text) +
                   "\" (use ns, us, ms, s, min)"};
  double ns = n.value * scale;
  if (ns > 9.2e18) return {0, "duration \"" + std::string(text) + "\" is too long"};
  return {static_cast<int64_t>(std::llround(ns)), ""};
}

Parsed parse_size(std::string_view text) {
  Number n = split(text);
  if (!n.ok) return {0, "expected a size such as \"64KiB\", got \"" + std::string(text) + "\""};
  double scale = 0;
  if (n.unit.empty() || n.unit == "B")
    scale = 1;
  else if (n.unit == "KiB" || n.unit == "K" || n.unit == "KB")
    scale = 1024;
  else if (n.unit == "MiB" || n.unit == "M" || n.unit == "MB")
    scale = 1024.0 * 1024;
  else if (n.unit == "GiB" || n.unit == "G" || n.unit == "GB")
    scale = 1024.0 * 1024 * 1024;
  else
    return {0, "unknown size unit \"" + std::string(n.unit) + "\" in \"" + std::string(text) +
                   "\" (use B, KiB, MiB, GiB)"};
  return {static_cast<int64_t>(std::llround(n.value * scale)), ""};
}

std::string format_duration(int64_t ns) {
  char buf[48];
  auto fmt = [&](double v, const char* unit) {
    std::snprintf(buf, sizeof buf, "%.6g%s", v, unit);
    return std::string(buf);
  };
  int64_t a = ns < 0 ? -ns : ns;
  if (a == 0) return "0ms";
  if (a % 1'000'000'000 == 0 || a >= 10'000'000'000) return fmt(static_cast<double>(ns) / 1e9, "s");
  if (a % 1'000'000 == 0 || a >= 1'000'000) return fmt(static_cast<double>(ns) / 1e6, "ms");
  if (a % 1'000 == 0 || a >= 1'000) return fmt(static_cast<double>(ns) / 1e3, "us");
  return fmt(static_cast<double>(ns), "ns");
}

}  // namespace wqlab::scenario

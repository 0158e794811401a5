// A pre-pass over scenario text before toml++ reads it. Debian's toml++ 3.3.0 reaches an
// unreachable branch (undefined behaviour) in is_non_ascii_horizontal_whitespace() for
// U+00A1..U+0499, U+2C5E..U+2FFF, U+3001..U+3057 and U+FB26..U+FEFE (Chinese 。 and 、 among
// them) wherever it tests a character for whitespace: outside strings, in quoted keys and after
// a backslash in a multi-line string. None of those places may hold such a character in valid
// TOML or in a lesson, so they are reported here, with line and column, and toml++ never sees
// them. Strings and comments keep any text.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace wqlab::scenario {

struct TomlHazard {
  int line = 1;
  int column = 1;  // in characters, as toml++ counts them
  std::string message;
};

std::optional<TomlHazard> find_toml_hazard(std::string_view text);

}  // namespace wqlab::scenario

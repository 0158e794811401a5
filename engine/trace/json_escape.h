// Escaping text for a JSON string (or a TOML basic string, whose escapes are the same): the
// exporters, the scenario writer and the app's exposed state all use this one.
#pragma once

#include <string>
#include <string_view>

namespace wqlab::trace {

// The characters between the quotes: " and \ escaped, \n and \t by name, other control
// characters as \u00XX; everything else (UTF-8 included) as it is.
std::string json_escape(std::string_view s);

}  // namespace wqlab::trace

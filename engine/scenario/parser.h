// Reading a scenario or lesson file: TOML (toml++), then the meaning of every key, then the
// cross-references (work items, workqueues, machines, checkpoint fields). Every problem is a
// ParseError with file:line:col; nothing already read is lost.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/scenario/spec.h"

namespace wqlab::scenario {

struct ParseResult {
  std::optional<Scenario> scenario;  // set when there are no errors
  std::vector<ParseError> errors;
  bool ok() const { return scenario.has_value(); }
  std::string error_text() const;  // every error on its own line
};

ParseResult parse_scenario(std::string_view text, const std::string& file);
ParseResult parse_scenario_file(const std::string& path);

// "WQ_UNBOUND", "WQ_MEM_RECLAIM", ... -> bit; 0 for an unknown name.
unsigned wq_flag_by_name(std::string_view name);

}  // namespace wqlab::scenario

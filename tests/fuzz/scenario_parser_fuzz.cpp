// Fuzz target: the scenario parser (engine/scenario/parser.h) on any bytes. Properties: it never
// crashes; a rejected text gets at least one error with a line, a column and a message; an
// accepted one is written (engine/scenario/writer.h) as text that parses back to the same
// scenario.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "../scenario/same_scenario.h"
#include "engine/scenario/parser.h"
#include "engine/scenario/writer.h"

namespace {

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "scenario_parser: %s\n", what.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace wqlab::scenario;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  ParseResult first = parse_scenario(text, "fuzz.toml");
  if (!first.ok()) {
    if (first.errors.empty()) fail("rejected without an error");
    for (const ParseError& e : first.errors)
      if (e.line < 1 || e.col < 1 || e.message.empty())
        fail("an error without a place: " + e.str());
    return 0;
  }
  const std::string written = write_scenario(*first.scenario);
  ParseResult again = parse_scenario(written, "written.toml");
  if (!again.ok()) fail("the written text does not parse:\n" + again.error_text() + written);
  const std::string diff = wqlab::test::scenario_difference(*first.scenario, *again.scenario);
  if (!diff.empty()) fail(diff + " after writing:\n" + written);
  return 0;
}

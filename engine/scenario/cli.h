// The headless runner's command line: `wqlab run FILE [--json OUT] [--perfetto OUT]
// [--ftrace OUT] [--zh]` and `wqlab check DIR`. The app's main() hands these subcommands here.
#pragma once

#include <ostream>

namespace wqlab::scenario {

// Returns the process exit code: 0 only if every file parsed and every checkpoint passed;
// 1 when a checkpoint failed; 2 for a malformed file or a bad command line.
int run_cli(int argc, char** argv, std::ostream& out, std::ostream& err);

// Is argv[1] a subcommand run_cli() handles?
bool is_cli_command(int argc, char** argv);

}  // namespace wqlab::scenario

// The command line for real traces: `wqlab open FILE [--summary] [--json OUT] [--perfetto OUT]
// [--to-scenario OUT [--policy P]] [--compare P[,P]]` and `wqlab capture [--seconds N]
// [--sched] -o FILE`. The app's main() (and the test runner wqlab_open) hand these here.
#pragma once

#include <ostream>

namespace wqlab::whatif {

bool is_trace_command(int argc, char** argv);
// `wqlab open FILE` with none of the headless options: the app shows the trace instead
// (main() passes it on as --trace FILE with the options after FILE).
bool open_wants_window(int argc, char** argv);

// Returns the exit code: 0 done; 1 capture could not record here; 2 a bad command line, a file
// that cannot be read or written, or a trace with no event the lab can use.
int run_trace_cli(int argc, char** argv, std::ostream& out, std::ostream& err);

}  // namespace wqlab::whatif

// wqlab's entry point: parse the command line, then hand over to the app.
#include <cstdio>
#include <string>
#include <vector>

#include <iostream>

#include "engine/scenario/cli.h"
#include "host/app.h"
#include "host/cli.h"
#include "host/version.h"
#ifndef __EMSCRIPTEN__
#include "engine/whatif/trace_cli.h"
#endif

int main(int argc, char** argv) {
  // `wqlab run FILE` and `wqlab check DIR`: the headless runner, no window.
  if (wqlab::scenario::is_cli_command(argc, argv))
    return wqlab::scenario::run_cli(argc, argv, std::cout, std::cerr);
#ifndef __EMSCRIPTEN__
  // `wqlab open FILE --summary` and `wqlab capture -o FILE`: real kernels' traces, no window.
  const bool trace_window = wqlab::whatif::open_wants_window(argc, argv);
  if (!trace_window && wqlab::whatif::is_trace_command(argc, argv))
    return wqlab::whatif::run_trace_cli(argc, argv, std::cout, std::cerr);
#else
  const bool trace_window = false;
#endif
  std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + argc);
  if (trace_window) args[0] = "--trace";  // `wqlab open FILE ...` is `wqlab --trace FILE ...`
  wqlab::ParseResult parsed = wqlab::parse_args(args);
  if (!parsed.error.empty()) {
    std::fprintf(stderr, "%s\n", parsed.error.c_str());
    return 2;
  }
  if (parsed.options.help) {
    std::fputs(wqlab::usage_text(), stdout);
    return 0;
  }
  if (parsed.options.version) {
    std::printf("wqlab %s (mirrors Linux %s)\n", wqlab::kVersion, wqlab::kMirroredLinux);
    return 0;
  }
  return wqlab::run_app(parsed.options);
}

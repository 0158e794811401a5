// `wqlab open` and `wqlab capture` without the app, for the tests (every preset builds it).
#include <iostream>

#include "engine/whatif/trace_cli.h"

int main(int argc, char** argv) {
  return wqlab::whatif::run_trace_cli(argc, argv, std::cout, std::cerr);
}

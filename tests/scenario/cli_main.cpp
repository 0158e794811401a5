// A command-line runner without the app, for the scenario tests: `wqlab_run run FILE ...`.
#include <iostream>

#include "engine/scenario/cli.h"

int main(int argc, char** argv) {
  return wqlab::scenario::run_cli(argc, argv, std::cout, std::cerr);
}

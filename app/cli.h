// Command-line options of the wqlab app, parsed before any window exists so that a bad flag
// gets a one-line answer even without a display.
#pragma once

#include <string>
#include <vector>

namespace wqlab {

struct Options {
  int width = 1280;  // initial window size in screen coordinates (desktop)
  int height = 800;
  std::string screenshot;  // PNG written after `frames` frames, then exit; empty: no screenshot
  int frames = 0;          // stop after this many frames; 0: run until the window closes
  bool help = false;
  bool version = false;
};

struct ParseResult {
  Options options;
  std::string error;  // one line naming the flag and the problem; empty when the arguments are fine
};

// `args` excludes the program name.
ParseResult parse_args(const std::vector<std::string>& args);

const char* usage_text();

}  // namespace wqlab

// One running wqlab: the window, Dear ImGui, the shell and the start-up thread probe, driven
// frame by frame the same way on the desktop and in the browser.
#pragma once

#include "host/cli.h"

namespace wqlab {

// Runs the app and returns the process exit code: 0 when it ends normally, 1 when something
// failed while running, 2 when no window could be opened. In the browser it returns as soon as
// the page's animation loop has taken over (or at once, on failure).
int run_app(const Options& options);

}  // namespace wqlab

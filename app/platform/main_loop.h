// Runs one function per frame: a plain loop on the desktop; requestAnimationFrame in the browser,
// where run_main_loop never returns (the page owns the app from then on).
#pragma once

namespace wqlab {

// `frame` returns false to stop.
using FrameFn = bool (*)(void* arg);
void run_main_loop(FrameFn frame, void* arg);

}  // namespace wqlab

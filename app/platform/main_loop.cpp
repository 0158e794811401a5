// Desktop: while-loop. Browser: emscripten_set_main_loop_arg, which unwinds out of main().
#include "platform/main_loop.h"

#ifdef __EMSCRIPTEN__
#include <emscripten/emscripten.h>
#endif

namespace wqlab {

#ifdef __EMSCRIPTEN__

namespace {
struct LoopState {
  FrameFn frame;
  void* arg;
};
LoopState g_loop;

void browser_tick(void*) {
  if (!g_loop.frame(g_loop.arg)) emscripten_cancel_main_loop();
}
}  // namespace

void run_main_loop(FrameFn frame, void* arg) {
  g_loop = {frame, arg};
  emscripten_set_main_loop_arg(browser_tick, nullptr, 0, 1);  // 0: requestAnimationFrame
}

#else

void run_main_loop(FrameFn frame, void* arg) {
  while (frame(arg)) {
  }
}

#endif

}  // namespace wqlab

// Limits that differ between the desktop and the browser build.
#pragma once

#include <cstddef>

namespace wqlab::session {

// The browser pre-spawns PTHREAD_POOL_SIZE Web Workers (app/cmake/site.cmake: 12). The machine's
// carrier threads may use 9 of them: the others run the session's driver and the start-up
// thread probe, and one stays spare.
inline constexpr size_t kBrowserCarrierCap = 9;

#ifdef __EMSCRIPTEN__
inline constexpr size_t kCarrierCap = kBrowserCarrierCap;
#else
inline constexpr size_t kCarrierCap = 0;  // unbounded
#endif

}  // namespace wqlab::session

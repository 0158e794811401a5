// What the views tell a test harness about where they drew things: the browser tests read these
// rectangles to click items by name. The views own this small interface and the platform layer
// implements it (platform/test_hooks_bridge.cpp: the page's window.wqlabStatus.items in the
// browser, nothing on the desktop), so no view depends on the platform.
#pragma once

namespace wqlab::test_hooks {

#ifdef __EMSCRIPTEN__
inline constexpr bool kEnabled = true;
#else
inline constexpr bool kEnabled = false;  // skip building names for note_item()/note_rect()
#endif

// Records the screen rectangle of ImGui's last item under `name`.
void note_item(const char* name);
// The same for any rectangle in screen pixels, e.g. a cell the view drew itself.
void note_rect(const char* name, float x0, float y0, float x1, float y1);

}  // namespace wqlab::test_hooks

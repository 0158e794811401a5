// The page's window.wqlabStatus object, which web/shell.html shows and the browser tests read:
// { ready, frames, pthreadValue, error, panels, uiScale, items }. Every call is a no-op on the
// desktop.
#pragma once

#include <string>

namespace wqlab::web_bridge {

#ifdef __EMSCRIPTEN__
inline constexpr bool kEnabled = true;
#else
inline constexpr bool kEnabled = false;  // skip building names for note_item()/note_rect()
#endif

// After each rendered frame: ready = true, frames = `frames`.
void publish_frame(int frames);
// The value computed by the start-up thread probe.
void publish_pthread_value(double value);
// A problem the page should show; the first one wins.
void publish_error(const std::string& message);
// Shell state the tests check (JSON object merged into wqlabStatus), sent only when it changed.
void publish_state(const std::string& json);

// Records the screen rectangle of ImGui's last item under `name`, in CSS pixels, so a test can
// click it; `css_per_pixel` converts from framebuffer pixels. Sent as wqlabStatus.items once
// per frame by publish_items(); items not drawn in a frame drop out.
void note_item(const char* name);
// The same for any rectangle (screen pixels), e.g. a panel's window.
void note_rect(const char* name, float x0, float y0, float x1, float y1);
void publish_items(float css_per_pixel);

}  // namespace wqlab::web_bridge

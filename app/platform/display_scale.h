// How big the UI should be drawn: the window's content scale on the desktop, devicePixelRatio in
// the browser.
#pragma once

struct GLFWwindow;

namespace wqlab {

struct DisplayScale {
  float ui = 1.0f;           // window coordinates per UI point (sizes, spacing, font size)
  float framebuffer = 1.0f;  // framebuffer pixels per window coordinate (>1 only where the OS
                             // scales windows itself, e.g. Wayland); fonts rasterise at this too
};

// Called once per frame before ImGui's NewFrame. In the browser it also keeps the canvas
// backing store at its CSS size x devicePixelRatio, so that text stays sharp on HiDPI screens.
DisplayScale update_display_scale(GLFWwindow* window);

// Browser: the canvas size in device pixels for its CSS size and devicePixelRatio.
// Desktop: leaves the requested size alone.
void initial_window_size(int* width, int* height);

}  // namespace wqlab

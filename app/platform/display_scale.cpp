// Display scale per target: glfwGetWindowContentScale (desktop) or devicePixelRatio (browser).
#include "platform/display_scale.h"

#include <algorithm>
#include <cmath>

#include "platform/gl.h"

#ifdef __EMSCRIPTEN__
#include <emscripten/emscripten.h>
#include <emscripten/html5.h>

// EM_JS bodies are JavaScript, which clang-format would mangle.
// clang-format off
// Browser.setCanvasSize also runs GLFW's resize listener, so glfwGetWindowSize and
// glfwGetFramebufferSize (read by ImGui's backend) follow the new backing-store size.
EM_JS(void, wqlab_js_set_canvas_size, (int width, int height), {
  Browser.setCanvasSize(width, height);
});
// clang-format on
#endif

namespace wqlab {
namespace {

float sane(float scale) {
  return std::isfinite(scale) && scale > 0.1f ? scale : 1.0f;
}

#ifdef __EMSCRIPTEN__
float canvas_device_size(int* width, int* height) {
  double css_w = 0, css_h = 0;
  emscripten_get_element_css_size("#canvas", &css_w, &css_h);
  const double dpr = emscripten_get_device_pixel_ratio();
  *width = std::max(1, static_cast<int>(std::lround(css_w * dpr)));
  *height = std::max(1, static_cast<int>(std::lround(css_h * dpr)));
  return sane(static_cast<float>(dpr));
}
#endif

}  // namespace

#ifdef __EMSCRIPTEN__

void initial_window_size(int* width, int* height) {
  canvas_device_size(width, height);
}

DisplayScale update_display_scale(GLFWwindow* window) {
  int want_w = 0, want_h = 0;
  const float dpr = canvas_device_size(&want_w, &want_h);
  int have_w = 0, have_h = 0;
  glfwGetWindowSize(window, &have_w, &have_h);
  if (want_w != have_w || want_h != have_h) wqlab_js_set_canvas_size(want_w, want_h);
  // The canvas is sized in device pixels, so window coordinates are device pixels too.
  return DisplayScale{dpr, 1.0f};
}

#else

void initial_window_size(int*, int*) {}

DisplayScale update_display_scale(GLFWwindow* window) {
  float x = 1.0f, y = 1.0f;
  glfwGetWindowContentScale(window, &x, &y);
  int win_w = 0, win_h = 0, fb_w = 0, fb_h = 0;
  glfwGetWindowSize(window, &win_w, &win_h);
  glfwGetFramebufferSize(window, &fb_w, &fb_h);
  const float framebuffer = win_w > 0 && fb_w > 0 ? sane(float(fb_w) / float(win_w)) : 1.0f;
  // X11 reports the monitor's scale and leaves windows in pixels; Wayland and macOS scale the
  // framebuffer instead, which the content scale then already includes.
  return DisplayScale{sane(std::max(x, y) / framebuffer), framebuffer};
}

#endif

}  // namespace wqlab

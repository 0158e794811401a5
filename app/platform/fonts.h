// The UI font: WenQuanYi Micro Hei when its file is there (the system .ttc on the desktop, a
// build-time subset in the browser), ImGui's built-in font otherwise; with the Chinese
// characters of the lessons and the app, collected at build time (cmake/ui_text_zh.py).
// Rebuilt when the scale changes.
#pragma once

#include <string>
#include <vector>

#include "imgui.h"

namespace wqlab {

class UiFonts {
 public:
  // Rebuilds the font atlas if `ui_scale` or `framebuffer_scale` changed since the last call and
  // uploads it to the renderer when `renderer_ready`. Call between frames, never inside one.
  // Returns true when it rebuilt.
  bool update(float ui_scale, float framebuffer_scale, bool renderer_ready);

  const std::string& description() const { return description_; }  // for Help > About

 private:
  void load_ttf_once();

  std::vector<unsigned char> ttf_;  // the font file, kept so rebuilds do not read it again
  ImVector<ImWchar> ranges_;        // Latin, symbols and the UI's Chinese characters
  bool tried_loading_ = false;
  float built_ui_scale_ = 0.0f;
  float built_framebuffer_scale_ = 0.0f;
  std::string description_;
};

}  // namespace wqlab

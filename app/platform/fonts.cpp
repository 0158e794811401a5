// Builds ImGui's font atlas at the current scale from WQLAB_UI_FONT, or from ImGui's own font.
#include "platform/fonts.h"

#include <cstdio>
#include <fstream>
#include <iterator>

#include "imgui.h"
#include "imgui_impl_opengl3.h"

namespace wqlab {
namespace {

constexpr float kTtfPixels = 16.0f;      // UI text size at scale 1
constexpr float kDefaultPixels = 13.0f;  // ImGui's ProggyClean is drawn for 13 px

// The characters beyond Latin-1 the UI shows: every lesson's and the app's (cmake/ui_text_zh.py).
constexpr const char* kChineseText =
#include "ui_text_zh.inc"
    ;

// Keep in step with assets/fonts/ui-glyphs.txt, which decides what the browser's subset holds.
constexpr ImWchar kGlyphRanges[] = {
    0x0020, 0x00FF,  // Basic Latin, Latin-1 Supplement
    0x2010, 0x2027,  // dashes, quotes, bullet, ellipsis
    0x2030, 0x203A,  // per mille, primes, angle quotes
    0x2190, 0x2193,  // arrows
    0x2212, 0x2212,  // minus sign
    0x25A0, 0x25D1,  // geometric shapes (to the half circles: an awake worker is ◐)
    0xFFFD, 0xFFFD,  // replacement character
    0,
};

}  // namespace

void UiFonts::load_ttf_once() {
  if (tried_loading_) return;
  tried_loading_ = true;
  std::ifstream in(WQLAB_UI_FONT, std::ios::binary);
  if (in) ttf_.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

bool UiFonts::update(float ui_scale, float framebuffer_scale, bool renderer_ready) {
  if (ui_scale == built_ui_scale_ && framebuffer_scale == built_framebuffer_scale_) return false;
  built_ui_scale_ = ui_scale;
  built_framebuffer_scale_ = framebuffer_scale;
  load_ttf_once();

  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  // Rasterise at framebuffer resolution, then draw at 1/framebuffer_scale: sharp text where the
  // OS scales the framebuffer (Wayland, macOS); both factors are 1 on X11 and in the browser.
  const float raster = ui_scale * framebuffer_scale;
  bool built = false;
  char size[32];
  if (!ttf_.empty()) {
    ImFontConfig config;
    config.FontDataOwnedByAtlas = false;
    config.OversampleH = 2;
    if (ranges_.empty()) {
      ImFontGlyphRangesBuilder builder;
      builder.AddRanges(kGlyphRanges);
      builder.AddText(kChineseText);
      builder.BuildRanges(&ranges_);
    }
    io.Fonts->AddFontFromMemoryTTF(ttf_.data(), static_cast<int>(ttf_.size()), kTtfPixels * raster,
                                   &config, ranges_.Data);
    built = io.Fonts->Build();  // false if the file is not a font stb_truetype can read
    std::snprintf(size, sizeof size, "%.0f px", kTtfPixels * ui_scale);
    description_ = std::string("WenQuanYi Micro Hei, ") + size + " (" WQLAB_UI_FONT ")";
  }
  if (!built) {
    io.Fonts->Clear();
    ImFontConfig config;
    config.SizePixels = kDefaultPixels * raster;
    io.Fonts->AddFontDefault(&config);
    io.Fonts->Build();
    std::snprintf(size, sizeof size, "%.0f px", kDefaultPixels * ui_scale);
    description_ = std::string("Dear ImGui's built-in ProggyClean, ") + size;
  }
  io.FontGlobalScale = 1.0f / framebuffer_scale;
  if (renderer_ready) {
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
  }
  return true;
}

}  // namespace wqlab

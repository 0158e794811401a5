// Counting the characters the UI font lacks.
#include "views/missing_glyphs.h"

#include "imgui.h"
#include "imgui_internal.h"  // ImTextCharFromUtf8

namespace wqlab {

int missing_glyphs(const std::string& text) {
  const ImFont* font = ImGui::GetFont();
  if (!font) return 0;
  int missing = 0;
  for (const char* p = text.c_str(); *p;) {
    unsigned int c = 0;
    const int n = ImTextCharFromUtf8(&c, p, nullptr);
    if (n <= 0) break;
    p += n;
    if (c >= 0x80 && font->FindGlyphNoFallback(static_cast<ImWchar>(c)) == nullptr) ++missing;
  }
  return missing;
}

}  // namespace wqlab

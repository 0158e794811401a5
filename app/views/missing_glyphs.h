// How many characters of a text (UTF-8) the current ImGui font has no glyph for: the exposed
// state's check that the Chinese texts of a demo or a lesson can be shown.
#pragma once

#include <string>

namespace wqlab {

// 0 when there is no font yet.
int missing_glyphs(const std::string& text);

}  // namespace wqlab

// Word-wrapped text that also breaks between Chinese characters: ImGui's own wrapping only
// breaks at spaces, which leaves a line of Chinese as one unbreakable word.
#pragma once

#include <string>

namespace wqlab {

// Draws `text` wrapped to the available width, in the current text colour.
void wrapped_text(const std::string& text);

}  // namespace wqlab

// Saves the current GL back buffer as a PNG (desktop only; used by --screenshot).
#pragma once

#include <string>

namespace wqlab {

// Reads the `width` x `height` back buffer with glReadPixels and writes it to `path` as an 8-bit
// RGB PNG. Call after rendering and before swapping buffers. Returns an error message, or "".
std::string save_back_buffer_png(const std::string& path, int width, int height);

}  // namespace wqlab

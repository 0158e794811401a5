// Colours and shapes of the views. The hues are Okabe and Ito's palette, which stays
// distinguishable with the common colour-vision deficiencies; every state is also told by a
// glyph or a label, never by colour alone.
#pragma once

#include <cstdint>

#include "imgui.h"
#include "model/machine_state.h"
#include "model/run_history.h"

namespace wqlab::palette {

inline constexpr ImU32 rgb(uint32_t hex, uint8_t alpha = 255) {
  return IM_COL32((hex >> 16) & 0xff, (hex >> 8) & 0xff, hex & 0xff, alpha);
}

// Okabe-Ito.
inline constexpr ImU32 kOrange = rgb(0xE69F00), kSkyBlue = rgb(0x56B4E9), kGreen = rgb(0x009E73),
                       kYellow = rgb(0xF0E442), kBlue = rgb(0x0072B2), kVermillion = rgb(0xD55E00),
                       kPurple = rgb(0xCC79A7), kGrey = rgb(0x9AA0A8);

inline constexpr ImU32 kText = rgb(0xE6E8EC), kTextDim = rgb(0x949AA6), kPanelBg = rgb(0x1C1F26),
                       kBoxBg = rgb(0x242833), kBoxBorder = rgb(0x3A4050),
                       kSelection = rgb(0xFFFFFF), kHover = rgb(0xFFFFFF, 120),
                       kCursor = rgb(0xF0E442);

// One colour per workqueue (by creation index), cycling through the palette.
ImU32 workqueue_colour(int32_t wq_index);
// Dark text or light text, whichever reads on `background`.
ImU32 text_on(ImU32 background);
ImU32 with_alpha(ImU32 c, uint8_t alpha);

struct StateLook {
  ImU32 colour;
  const char* glyph;  // drawn in the worker's box
  const char* label;  // worker_state_name()
};
StateLook worker_look(model::WorkerState s);

ImU32 span_colour(model::SpanKind k);
ImU32 marker_colour(model::MarkerKind k);
const char* marker_glyph(model::MarkerKind k);

}  // namespace wqlab::palette

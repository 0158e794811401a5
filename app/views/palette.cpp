// Palette look-ups: workqueue colours, worker states, spans and markers.
#include "views/palette.h"

namespace wqlab::palette {

ImU32 workqueue_colour(int32_t wq_index) {
  // Blue first: the system workqueues come first, and most lessons use few queues.
  static constexpr ImU32 kCycle[] = {kSkyBlue, kOrange, kGreen,     kPurple,
                                     kYellow,  kBlue,   kVermillion};
  if (wq_index < 0) return kGrey;
  return kCycle[static_cast<uint32_t>(wq_index) % (sizeof kCycle / sizeof kCycle[0])];
}

ImU32 with_alpha(ImU32 c, uint8_t alpha) {
  return (c & ~IM_COL32_A_MASK) | (static_cast<ImU32>(alpha) << IM_COL32_A_SHIFT);
}

ImU32 text_on(ImU32 background) {
  const float r = ((background >> IM_COL32_R_SHIFT) & 0xff) / 255.0f;
  const float g = ((background >> IM_COL32_G_SHIFT) & 0xff) / 255.0f;
  const float b = ((background >> IM_COL32_B_SHIFT) & 0xff) / 255.0f;
  return 0.2126f * r + 0.7152f * g + 0.0722f * b > 0.5f ? rgb(0x111318) : rgb(0xF4F5F7);
}

StateLook worker_look(model::WorkerState s) {
  switch (s) {
    case model::WorkerState::Idle:
      return {kGrey, "\xe2\x97\x8b", "idle"};  // ○
    case model::WorkerState::Busy:
      return {rgb(0xC8CCD4), "\xe2\x97\x90", "awake"};  // ◐
    case model::WorkerState::Running:
      return {kGreen, "\xe2\x96\xb6", "running"};  // ▶
    case model::WorkerState::Sleeping:
      return {kSkyBlue, "z", "sleeping"};
    case model::WorkerState::Manager:
      return {kYellow, "M", "manager"};
    case model::WorkerState::Rescuer:
      return {kPurple, "R", "rescuer"};
    case model::WorkerState::Dying:
      return {kVermillion, "\xc3\x97", "dying"};  // ×
  }
  return {kGrey, "?", "?"};
}

ImU32 span_colour(model::SpanKind k) {
  switch (k) {
    case model::SpanKind::Sleeping:
      return with_alpha(kSkyBlue, 230);
    case model::SpanKind::Waiting:
      return with_alpha(kPurple, 230);
    case model::SpanKind::Runnable:
      return with_alpha(kGrey, 200);
    case model::SpanKind::Computing:
      return with_alpha(kOrange, 230);
  }
  return kGrey;
}

ImU32 marker_colour(model::MarkerKind k) {
  switch (k) {
    case model::MarkerKind::Mayday:
    case model::MarkerKind::MaydayTimer:
    case model::MarkerKind::Lockup:
    case model::MarkerKind::CreateFail:
    case model::MarkerKind::PidExhausted:
    case model::MarkerKind::CarrierExhausted:
    case model::MarkerKind::EventsLost:
      return kVermillion;
    case model::MarkerKind::Rescue:
      return kPurple;
    case model::MarkerKind::Warning:
    case model::MarkerKind::Rejected:
      return kYellow;
    case model::MarkerKind::CpuIntensive:
      return kOrange;
    case model::MarkerKind::FlushStart:
    case model::MarkerKind::FlushDone:
      return kSkyBlue;
    case model::MarkerKind::MemPressureOn:
    case model::MarkerKind::MemPressureOff:
      return kBlue;
    case model::MarkerKind::LabNote:
      return kGreen;
    default:
      return kGrey;
  }
}

const char* marker_glyph(model::MarkerKind k) {
  switch (k) {
    case model::MarkerKind::Mayday:
    case model::MarkerKind::MaydayTimer:
      return "!";
    case model::MarkerKind::Rescue:
      return "R";
    case model::MarkerKind::Warning:
      return "W";
    case model::MarkerKind::Lockup:
      return "L";
    case model::MarkerKind::FlushStart:
      return "F";
    case model::MarkerKind::FlushDone:
      return "f";
    case model::MarkerKind::MemPressureOn:
    case model::MarkerKind::MemPressureOff:
      return "m";
    case model::MarkerKind::CpuIntensive:
      return "H";
    case model::MarkerKind::CreateFail:
    case model::MarkerKind::PidExhausted:
      return "X";
    case model::MarkerKind::LabNote:
      return "i";
    default:
      return "\xc2\xb7";  // ·
  }
}

}  // namespace wqlab::palette

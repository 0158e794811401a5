// LessonTimeline: one position for a whole lesson, whatever its machines. The position counts
// events shown over all machines. The lesson is cut into segments: the machines booting, then
// one per step (its checkpoint is the segment's end), then the next step's (empty until it
// runs). Inside a segment the events of its machines are merged by virtual time since the step
// started (ties: machines in file order), so a position shows every machine at the same
// moment of the step: side-by-side machines scrub together. Reads event times from the
// machines' models; works on what they have folded.
#pragma once

#include <cstdint>
#include <vector>

#include "model/machine_model.h"
#include "session/lesson_info.h"

namespace wqlab::player {

class LessonTimeline {
 public:
  // Rebuilds the segments (cheap; call whenever `info` changes or models fold more events).
  // `models[i]` is machine i of `info`.
  void update(const session::LessonInfo& info,
              const std::vector<const model::MachineModel*>& models);

  uint64_t end() const { return seg_.empty() ? 0 : seg_.back().last; }  // the live edge
  size_t segments() const { return seg_.size(); }
  uint64_t segment_begin(size_t k) const { return seg_[k].first; }
  uint64_t segment_end(size_t k) const { return seg_[k].last; }
  // The segment holding `position`: first < position <= last (0 for position 0). A
  // checkpoint (a segment's end) belongs to the segment that ends there.
  size_t segment_of(uint64_t position) const;
  // Segment k's step (k - 1), or SIZE_MAX for the boot segment.
  static size_t step_of_segment(size_t k) { return k == 0 ? SIZE_MAX : k - 1; }

  // How many events of each machine are shown at `position` (clamped to end()).
  std::vector<uint64_t> counts_at(uint64_t position) const;
  // The position at which machine `machine` shows its first `count` events, in the segment
  // that holds that event (the inverse of counts_at() for that machine).
  uint64_t position_of(size_t machine, uint64_t count) const;
  // Replay: the virtual time since the segment began at `position`, and the position reached
  // once every event of segment `k` up to `offset` is shown.
  int64_t offset_at(uint64_t position) const;
  uint64_t position_at_offset(size_t k, int64_t offset) const;

 private:
  struct Range {
    uint64_t begin = 0, end = 0;  // the machine's events [begin, end) in this segment
    int64_t start = 0;            // its virtual time when the segment began
  };
  struct Segment {
    uint64_t first = 0, last = 0;  // positions
    std::vector<Range> ranges;     // per machine
  };
  // Events of machine `m` in segment `s` at most `offset` after the segment began.
  uint64_t taken(const Segment& s, size_t m, int64_t offset) const;
  uint64_t taken_all(const Segment& s, int64_t offset) const;

  std::vector<const model::MachineModel*> models_;
  std::vector<Segment> seg_;
};

}  // namespace wqlab::player

// LessonTimeline: segments from the step marks, and the merge of each segment's machines.
#include "player/lesson_timeline.h"

#include <algorithm>
#include <limits>

namespace wqlab::player {

void LessonTimeline::update(const session::LessonInfo& info,
                            const std::vector<const model::MachineModel*>& models) {
  models_ = models;
  seg_.clear();
  const size_t n = models.size();
  std::vector<uint64_t> prev(n, 0);
  uint64_t position = 0;
  auto add = [&](const std::vector<uint64_t>* ends, const std::vector<int64_t>* starts) {
    Segment s;
    s.first = position;
    for (size_t m = 0; m < n; ++m) {
      const uint64_t folded = models[m]->events();
      Range r;
      r.begin = std::min(prev[m], folded);
      r.end = std::max(r.begin, std::min(ends ? (*ends)[m] : folded, folded));
      r.start = starts ? (*starts)[m] : 0;
      position += r.end - r.begin;
      prev[m] = ends ? std::max(prev[m], (*ends)[m]) : folded;
      s.ranges.push_back(r);
    }
    s.last = position;
    seg_.push_back(std::move(s));
  };
  add(&info.boot_events, nullptr);
  for (const session::StepRecord& rec : info.steps)
    add(rec.finished ? &rec.end_events : nullptr, &rec.begin_time);
  // The next step's segment: what comes after the last checkpoint (the sandbox's actions).
  if (!info.step_running()) {
    std::vector<int64_t> starts;
    for (size_t m = 0; m < n; ++m) starts.push_back(models[m]->time_of(prev[m]));
    add(nullptr, &starts);
  }
}

size_t LessonTimeline::segment_of(uint64_t position) const {
  for (size_t k = 0; k < seg_.size(); ++k)
    if (position <= seg_[k].last) return k;
  return seg_.empty() ? 0 : seg_.size() - 1;
}

uint64_t LessonTimeline::taken(const Segment& s, size_t m, int64_t offset) const {
  const Range& r = s.ranges[m];
  if (r.end == r.begin) return 0;
  // Saturate: an offset far past the segment must not overflow the time it names.
  const int64_t t = offset > std::numeric_limits<int64_t>::max() - r.start
                        ? std::numeric_limits<int64_t>::max()
                        : r.start + offset;
  const uint64_t upto = models_[m]->events_at_time(t);
  return std::clamp(upto, r.begin, r.end) - r.begin;
}

uint64_t LessonTimeline::taken_all(const Segment& s, int64_t offset) const {
  uint64_t n = 0;
  for (size_t m = 0; m < s.ranges.size(); ++m) n += taken(s, m, offset);
  return n;
}

std::vector<uint64_t> LessonTimeline::counts_at(uint64_t position) const {
  std::vector<uint64_t> counts(models_.size(), 0);
  if (seg_.empty()) return counts;
  position = std::min(position, end());
  const Segment& s = seg_[segment_of(position)];
  const uint64_t local = position - s.first;
  if (local == s.last - s.first) {
    for (size_t m = 0; m < counts.size(); ++m) counts[m] = s.ranges[m].end;
    return counts;
  }
  // The least offset T by which `local` events have happened; events at T are taken in
  // machine order.
  int64_t lo = std::numeric_limits<int64_t>::max(), hi = std::numeric_limits<int64_t>::min();
  for (size_t m = 0; m < s.ranges.size(); ++m) {
    const Range& r = s.ranges[m];
    if (r.end == r.begin) continue;
    lo = std::min(lo, models_[m]->time_of(r.begin + 1) - r.start);
    hi = std::max(hi, models_[m]->time_of(r.end) - r.start);
  }
  while (lo < hi) {
    const int64_t mid = lo + (hi - lo) / 2;
    if (taken_all(s, mid) >= local) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  uint64_t left = local;
  for (size_t m = 0; m < counts.size(); ++m) {
    const uint64_t before = taken(s, m, lo - 1);
    left -= before;
    counts[m] = s.ranges[m].begin + before;
  }
  for (size_t m = 0; m < counts.size() && left > 0; ++m) {
    const uint64_t at = taken(s, m, lo) - (counts[m] - s.ranges[m].begin);
    const uint64_t take = std::min(left, at);
    counts[m] += take;
    left -= take;
  }
  return counts;
}

uint64_t LessonTimeline::position_of(size_t machine, uint64_t count) const {
  if (count == 0) return 0;
  for (const Segment& s : seg_) {
    const Range& r = s.ranges[machine];
    if (count <= r.begin || count > r.end) continue;  // event count - 1 is not in this segment
    const int64_t offset = models_[machine]->time_of(count) - r.start;
    uint64_t p = s.first + (count - r.begin);
    for (size_t m = 0; m < s.ranges.size(); ++m) {
      if (m == machine) continue;
      p += taken(s, m, m < machine ? offset : offset - 1);
    }
    return p;
  }
  return end();
}

int64_t LessonTimeline::offset_at(uint64_t position) const {
  if (seg_.empty()) return 0;
  const Segment& s = seg_[segment_of(position)];
  const std::vector<uint64_t> counts = counts_at(position);
  int64_t offset = std::numeric_limits<int64_t>::min();
  for (size_t m = 0; m < counts.size(); ++m)
    if (counts[m] > s.ranges[m].begin)
      offset = std::max(offset, models_[m]->time_of(counts[m]) - s.ranges[m].start);
  return offset == std::numeric_limits<int64_t>::min() ? 0 : offset;
}

uint64_t LessonTimeline::position_at_offset(size_t k, int64_t offset) const {
  const Segment& s = seg_[k];
  return s.first + taken_all(s, offset);
}

}  // namespace wqlab::player

// Merging the producer threads' buffers into one stream (the Recorder's drain): each buffer is
// in its own producer's order; the merge takes the least key across them.
//  - serial: keys are consecutive emit numbers; `next` is the number the stream takes next. A
//    larger key waits (its predecessor is still being written), so the stream is the emit order.
//  - concurrent: keys are host_ticks() stamps; everything published is taken in stamp order.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <queue>
#include <span>
#include <utility>
#include <vector>

#include "engine/trace/thread_buffer.h"

namespace wqlab::trace {

// Calls sink(event) for each merged event (its seq still holds the key) and frees the buffer
// slots it took. Returns how many. Consumer side: one caller at a time.
template <typename Sink>
size_t merge_published(std::span<ThreadBuffer* const> buffers, bool serial, uint64_t& next,
                       Sink&& sink) {
  struct Cursor {
    ThreadBuffer* buf;
    uint64_t pos, end;
    uint64_t key() const { return buf->at(pos).seq; }
  };
  std::vector<Cursor> cursors;
  for (ThreadBuffer* b : buffers) {
    uint64_t end = b->published();
    uint64_t pos = b->tail();
    if (pos != end) cursors.push_back({b, pos, end});
  }
  size_t n = 0;
  if (cursors.size() == 1 && !serial) {
    Cursor& c = cursors[0];
    for (; c.pos != c.end; ++c.pos, ++n) sink(c.buf->at(c.pos));
  } else if (!cursors.empty()) {
    // Ties (concurrent stamps can be equal) go to the buffer listed first.
    using Item = std::pair<uint64_t, size_t>;  // key, cursor
    std::priority_queue<Item, std::vector<Item>, std::greater<>> heap;
    for (size_t i = 0; i < cursors.size(); ++i) heap.emplace(cursors[i].key(), i);
    while (!heap.empty()) {
      auto [key, i] = heap.top();
      if (serial && key > next) break;
      heap.pop();
      Cursor& c = cursors[i];
      sink(c.buf->at(c.pos));
      ++n;
      if (serial) next = std::max(next, key + 1);
      if (++c.pos != c.end) heap.emplace(c.key(), i);
    }
  }
  for (Cursor& c : cursors) c.buf->release_to(c.pos);
  return n;
}

}  // namespace wqlab::trace

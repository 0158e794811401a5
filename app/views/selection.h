// What every view shares: the selected moment (which past instant the views show) and the
// selected object (a work item, worker, pool or workqueue), highlighted in every view; plus the
// time range the timeline shows, which the plots follow.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/machine_state.h"

namespace wqlab {

enum class ObjectKind : uint8_t { None, Work, Worker, Pool, Workqueue };

// A work item by its work_struct id, a worker by pid, a pool by id, a workqueue by index.
struct ObjectRef {
  ObjectKind kind = ObjectKind::None;
  int64_t id = 0;
  bool operator==(const ObjectRef&) const = default;
  explicit operator bool() const { return kind != ObjectKind::None; }
  static ObjectRef work(int64_t id) { return {ObjectKind::Work, id}; }
  static ObjectRef worker(int64_t pid) { return {ObjectKind::Worker, pid}; }
  static ObjectRef pool(int64_t id) { return {ObjectKind::Pool, id}; }
  static ObjectRef workqueue(int64_t index) { return {ObjectKind::Workqueue, index}; }
};
const char* object_kind_name(ObjectKind k);

struct Selection {
  // The moment shown: the machine after `moment` events. While `live`, it follows the newest.
  bool live = true;
  uint64_t moment = 0;
  ObjectRef object;
  ObjectRef hovered;       // set by a view while the mouse is over an object; cleared every frame
  int64_t execution = -1;  // the execution picked in the timeline, if any
  // The timeline's visible time range (the plots follow it).
  model::Nanos range_start = 0, range_end = 0;
  // "Why?": the events walked so far, each the cause of the one before (views/why_bar.h). It
  // holds while the moment shown is right after its last event.
  std::vector<uint64_t> why_trail;
  // Why the last Why? did nothing (no event picked, or nothing caused it); it holds while the
  // moment shown is the one it was asked at.
  std::string why_hint;
  bool why_hint_live = false;
  uint64_t why_hint_moment = 0;

  void hint_why(std::string text) {
    why_hint = std::move(text);
    why_hint_live = live;
    why_hint_moment = moment;
  }
  const std::string& why_hint_now() const {
    static const std::string none;
    return live == why_hint_live && (live || moment == why_hint_moment) ? why_hint : none;
  }

  void select(ObjectRef o) {
    object = o;
    execution = -1;
  }
  void show_moment(uint64_t m) {
    live = false;
    moment = m;
  }
  bool is(ObjectRef o) const { return o && (object == o || hovered == o); }
};

}  // namespace wqlab

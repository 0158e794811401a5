#include "engine/import/tracepoints.h"

#include "engine/import/line_parser.h"

namespace wqlab::import {
namespace {

using sv = std::string_view;
constexpr size_t npos = sv::npos;

// The value after "key" up to the next blank (or the end).
bool word_after(sv body, sv key, sv& out) {
  const size_t k = body.find(key);
  if (k == npos) return false;
  sv v = body.substr(k + key.size());
  out = v.substr(0, v.find(' '));
  return true;
}

// The value after "key" up to "next_key" (values such as comms may contain blanks).
bool text_between(sv body, sv key, sv next_key, sv& out) {
  const size_t k = body.find(key);
  if (k == npos) return false;
  const size_t from = k + key.size();
  const size_t n = body.find(next_key, from);
  if (n == npos) return false;
  out = body.substr(from, n - from);
  return true;
}

bool int_after(sv body, sv key, int64_t& out) {
  sv v;
  return word_after(body, key, v) && parse_int(v, out);
}

// "work struct=PTR" (queue_work) or "work struct PTR" / "work struct PTR:" (the others).
bool work_pointer(sv body, uint64_t& out) {
  if (body.substr(0, 11) != "work struct") return false;
  sv v = body.substr(11);
  if (!v.empty() && (v[0] == '=' || v[0] == ' ')) v.remove_prefix(1);
  v = v.substr(0, v.find(' '));
  if (!v.empty() && v.back() == ':') v.remove_suffix(1);
  return parse_pointer(v, out);
}

// A workqueue printed as a pointer (kernels before 3.19 printed %p): "wq@ffff8880..." so it
// can never be mistaken for a name.
int32_t workqueue_name(sv v, Names& names) {
  uint64_t p = 0;
  if (v.size() >= 8 && parse_pointer(v, p)) {
    std::string name = "wq@";
    name += v.substr(v.size() > 2 && v[1] == 'x' ? 2 : 0);
    return names.intern(name);
  }
  return names.intern(v);
}

BodyResult queue_work(sv body, Record& r, Names& names, const char** why) {
  sv fn, wq;
  int64_t req = 0, cpu = 0;
  if (!work_pointer(body, r.work)) return *why = "no work struct pointer", BodyResult::Malformed;
  if (!word_after(body, "function=", fn) || fn.empty())
    return *why = "no function=", BodyResult::Malformed;
  if (!text_between(body, "workqueue=", " req_cpu=", wq) || wq.empty())
    return *why = "no workqueue=", BodyResult::Malformed;
  if (!int_after(body, "req_cpu=", req) || !int_after(body, " cpu=", cpu))
    return *why = "no req_cpu= or cpu=", BodyResult::Malformed;
  r.function = names.intern(fn);
  r.wq = workqueue_name(trim(wq), names);
  r.req_cpu = static_cast<int16_t>(req > 32767 ? 32767 : req);
  // An unsigned %u print of -1 (kernels before 4.x) is 4294967295.
  r.pool_cpu = static_cast<int16_t>(cpu < 0 || cpu > 32767 ? -1 : cpu);
  return BodyResult::Ok;
}

// activate_work and execute_start/end: "work struct PTR[:] [function=F | function F]".
BodyResult work_event(sv body, Record& r, Names& names, const char** why, bool need_function) {
  if (!work_pointer(body, r.work)) return *why = "no work struct pointer", BodyResult::Malformed;
  sv fn;
  if (word_after(body, "function=", fn) || word_after(body, "function ", fn)) {
    r.function = names.intern(fn);
  } else if (need_function) {
    return *why = "no function", BodyResult::Malformed;
  }
  return BodyResult::Ok;
}

// "comm:pid [prio]" of the plugin form; returns the rest after "]".
bool plugin_task(sv s, sv& comm, int64_t& pid, sv& rest) {
  s = trim(s);
  const size_t br = s.rfind(" [");
  if (br == npos) return false;
  sv who = s.substr(0, br);
  const size_t colon = who.rfind(':');
  if (colon == npos || !parse_int(who.substr(colon + 1), pid)) return false;
  comm = who.substr(0, colon);
  const size_t close = s.find(']', br);
  if (close == npos) return false;
  rest = trim(s.substr(close + 1));
  return true;
}

void set_prev_state(sv state, Record& r) {
  r.prev_state = state.empty() ? '?' : state[0];
  r.preempted = state.find('+') != npos;
}

BodyResult sched_switch(sv body, Record& r, Names& names, const char** why) {
  const size_t arrow = body.find(" ==> ");
  if (arrow == npos) return *why = "no ==> in sched_switch", BodyResult::Malformed;
  sv left = body.substr(0, arrow), right = body.substr(arrow + 5);
  int64_t prev = 0, next = 0;
  sv next_comm, state;
  if (left.find("prev_pid=") != npos) {
    if (!int_after(left, "prev_pid=", prev) || !word_after(left, "prev_state=", state) ||
        !int_after(right, "next_pid=", next) ||
        !text_between(right, "next_comm=", " next_pid=", next_comm))
      return *why = "sched_switch fields missing", BodyResult::Malformed;
  } else {
    sv prev_comm, rest;
    if (!plugin_task(left.substr(0, left.rfind(' ')), prev_comm, prev, rest) ||
        !plugin_task(right, next_comm, next, rest))
      return *why = "sched_switch fields missing", BodyResult::Malformed;
    state = trim(left.substr(left.rfind(' ')));
  }
  // The current task is the one leaving; trust the body over the header's pid (perf prints
  // the same pid in both, ftrace too, but the body is what the tracepoint recorded).
  r.pid = static_cast<int32_t>(prev);
  set_prev_state(state, r);
  r.other = static_cast<int32_t>(next);
  r.other_comm = names.intern(next_comm);
  return BodyResult::Ok;
}

BodyResult sched_task(sv body, Record& r, Names& names, const char** why, bool wakeup) {
  int64_t pid = 0, target = -1;
  sv comm;
  if (body.substr(0, 5) == "comm=") {
    if (!text_between(body, "comm=", " pid=", comm) || !int_after(body, " pid=", pid))
      return *why = "no comm= or pid=", BodyResult::Malformed;
    if (wakeup) int_after(body, "target_cpu=", target);
  } else {
    sv rest;
    if (!plugin_task(body.substr(0, body.find("] ") == npos ? body.size() : body.find("] ") + 1),
                     comm, pid, rest))
      return *why = "no comm:pid", BodyResult::Malformed;
    if (wakeup) int_after(body, "CPU:", target);
  }
  r.other = static_cast<int32_t>(pid);
  r.other_comm = names.intern(comm);
  r.pool_cpu = static_cast<int16_t>(target >= 0 && target < 4096 ? target : -1);
  return BodyResult::Ok;
}

BodyResult fork(sv body, Record& r, Names& names, const char** why) {
  int64_t child = 0;
  sv comm;
  if (!int_after(body, "child_pid=", child) ||
      !text_between(body, "child_comm=", " child_pid=", comm))
    return *why = "no child_comm= or child_pid=", BodyResult::Malformed;
  r.other = static_cast<int32_t>(child);
  r.other_comm = names.intern(comm);
  return BodyResult::Ok;
}

}  // namespace

BodyResult parse_tracepoint(sv event, sv body, Record& r, Names& names, const char** why) {
  if (event.substr(0, 10) == "workqueue_") {
    sv e = event.substr(10);
    if (e == "queue_work") {
      r.kind = RecordKind::QueueWork;
      return queue_work(body, r, names, why);
    }
    if (e == "activate_work") {
      r.kind = RecordKind::ActivateWork;
      return work_event(body, r, names, why, false);
    }
    if (e == "execute_start") {
      r.kind = RecordKind::ExecuteStart;
      return work_event(body, r, names, why, true);
    }
    if (e == "execute_end") {
      r.kind = RecordKind::ExecuteEnd;
      return work_event(body, r, names, why, false);
    }
    return BodyResult::Unknown;
  }
  if (event.substr(0, 6) != "sched_") return BodyResult::Unknown;
  sv e = event.substr(6);
  if (e == "switch") {
    r.kind = RecordKind::SchedSwitch;
    return sched_switch(body, r, names, why);
  }
  if (e == "wakeup" || e == "wakeup_new") {
    r.kind = RecordKind::SchedWakeup;
    return sched_task(body, r, names, why, true);
  }
  if (e == "process_fork") {
    r.kind = RecordKind::Fork;
    return fork(body, r, names, why);
  }
  if (e == "process_exit") {
    r.kind = RecordKind::Exit;
    return sched_task(body, r, names, why, false);
  }
  return BodyResult::Unknown;
}

}  // namespace wqlab::import

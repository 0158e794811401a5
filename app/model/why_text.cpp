// The words of "Why?": a short name for any event and, for each cause rule, one line that says
// which kernel function links the two events and what it saw.
#include <cstdio>

#include "model/why.h"

namespace wqlab::model {
namespace {

using trace::ArgType;
using trace::EventKind;

std::string errno_text(int64_t err) {
  if (err == -11) return "-EAGAIN";
  if (err == -12) return "-ENOMEM";
  return std::to_string(err);
}

// What a rule's sentence needs: both events and names from the model.
struct Words {
  const MachineModel& m;
  uint64_t bi, ai;  // the event explained (B) and its cause (A)
  const trace::Event& b;
  const trace::Event& a;

  const std::string& str(int64_t id) const { return m.strings().get(id); }
  std::string comm(int32_t pid) const {
    if (pid == 0) return "timer/IRQ context";
    const TaskTrack* t = m.history().track_for(pid);
    return t ? str(t->comm) : "pid " + std::to_string(pid);
  }
  std::string at(const trace::Event& e) const { return "at " + why_duration(e.time_ns); }
  std::string since() const { return why_duration(b.time_ns - a.time_ns); }
  // The function named by an event's "function" argument (the barrier's for wq_barrier_run).
  std::string func(const trace::Event& e) const {
    const trace::EventKindInfo& info = trace::event_kind_info(e.kind);
    for (int i = 0; i < trace::kMaxEventArgs; ++i)
      if (info.args[i].type == ArgType::Str && info.args[i].label == "function")
        return str(e.args[i]);
    return "the item";
  }
  std::string wq(const trace::Event& e, int arg) const { return "\"" + str(e.args[arg]) + "\""; }
};

std::string woken_by(const Words& w) {
  const std::string who = w.comm(static_cast<int32_t>(w.b.args[0]));
  switch (w.a.kind) {
    case EventKind::WqWorkerSleep:
      return "concurrency management: " + w.comm(w.a.pid) +
             " went to sleep inside its work item while items were pending, so "
             "wq_worker_sleeping() -> kick_pool() woke the idle " +
             who;
    case EventKind::WqCpuIntensive:
      return w.comm(w.a.pid) +
             "'s item turned CPU-intensive and left nr_running, so kick_pool() "
             "woke " +
             who + " for the items waiting behind it";
    case EventKind::WqQueueWork:
      return "queue_work() of " + w.func(w.a) + " by " + w.comm(w.a.pid) +
             " kicked the pool: kick_pool() wakes an idle worker while nr_running is 0";
    case EventKind::WqExecuteEnd:
      return w.comm(w.a.pid) + " finished " + w.func(w.a) +
             ", the last item someone waited for: complete() woke " + who;
    case EventKind::WqBarrierRun:
      return "the flush barrier ran on " + w.comm(w.a.pid) +
             " right after its target finished: complete() woke the flusher " + who;
    case EventKind::WqMaydayTimer:
    case EventKind::WqMayday:
      return "send_mayday() woke the rescuer " + who + " for its starving pool";
    case EventKind::LegacyInsertion:
      return "insert_work() put " + w.func(w.a) + " on " + who +
             "'s own list and woke it (wake_up(&cwq->more_work))";
    case EventKind::WqFlushDone:
      return "the first flusher, done, completed the flushers queued behind it: " + who;
    default:
      return w.comm(w.a.pid) + " woke " + who + " right after " +
             std::string(trace::event_kind_info(w.a.kind).name) + " (try_to_wake_up())";
  }
}

// The item that completed just before a deferred activation, on the activating worker.
std::string freed_by(const Words& w) {
  const trace::EventLog& log = *w.m.log();
  for (uint64_t i = w.bi; i > 0 && w.bi - i < 64; --i) {
    const trace::Event& e = log[i - 1];
    if (e.pid == w.b.pid && e.kind == EventKind::WqExecuteEnd) return w.func(e) + " completed";
  }
  return "an active item left";
}

std::string rule_text(const Words& w, CauseRule rule) {
  const trace::Event &a = w.a, &b = w.b;
  switch (rule) {
    case CauseRule::Queued:
      return w.func(b) + " was queued " + w.at(a) + " by " + w.comm(a.pid) + "; it waited " +
             w.since() + " on the pool's worklist until " + w.comm(b.pid) +
             " took it (worker_thread())";
    case CauseRule::Activated:
      return w.func(b) + " had waited on pwq->inactive_works for max_active; activated " + w.at(a) +
             ", it then waited " + w.since() + " for " + w.comm(b.pid);
    case CauseRule::Rescued:
      return "the rescuer " + w.comm(a.pid) + " took " + w.func(b) +
             " from the starving pool's worklist (rescuer_thread() -> assign_work())";
    case CauseRule::Ran:
    case CauseRule::LegacyRan:
      return w.func(b) + " started " + w.at(a) + " on " + w.comm(a.pid) + " and returned after " +
             w.since();
    case CauseRule::ActivatedAtQueue:
      return "its pwq had a free max_active slot, so __queue_work() put " + w.func(b) +
             " straight on the pool's worklist";
    case CauseRule::ActivatedLater:
      return w.func(b) + ", queued " + w.at(a) + ", waited " + w.since() +
             " on pwq->inactive_works (max_active); pwq_activate_first_inactive() let it in when " +
             freed_by(w);
    case CauseRule::TimerQueued:
      return "its timer expired: delayed_work_timer_fn() queued " + w.func(b) + " (__queue_work())";
    case CauseRule::TimerArmed:
      if (a.kind == EventKind::WqDelayedArm)
        return "queue_delayed_work() of " + w.func(a) + " armed this timer " + w.at(a) + ", " +
               w.since() + " earlier";
      return w.comm(a.pid) + " armed this timer (" + w.str(a.args[2]) + ") " + w.at(a) + ", " +
             w.since() + " earlier";
    case CauseRule::WokenByTimer:
      return "the timer it slept on expired: try_to_wake_up() of " +
             w.comm(static_cast<int32_t>(b.args[0]));
    case CauseRule::WokenBy:
      return woken_by(w);
    case CauseRule::CmWakeup:
      return w.comm(a.pid) +
             (a.kind == EventKind::WqCpuIntensive ? "'s item was flagged CPU-intensive"
                                                  : " blocked inside its work item") +
             " while items were pending: nr_running dropped to 0 (wq_worker_sleeping())";
    case CauseRule::SleptInWork:
      return w.comm(b.pid) + " blocked inside " + w.func(a) + ", which it started " + w.at(a) +
             ": the scheduler calls wq_worker_sleeping() before it switches away";
    case CauseRule::ManagerWoke:
      return w.comm(b.pid) +
             " woke, found items pending and no idle worker left in its pool, and became the "
             "manager (manage_workers())";
    case CauseRule::CreatedByManager:
      return "pool " + std::to_string(a.args[0]) + "'s manager " + w.comm(a.pid) +
             " ran maybe_create_worker(): items pending, no worker running, none idle";
    case CauseRule::CreatedWithPool:
      return "every worker pool starts with one idle worker (create_worker() when pool " +
             std::to_string(a.args[0]) + " was set up)";
    case CauseRule::RescuerOfWq:
      return "alloc_workqueue(" + w.wq(a, 0) +
             ") with WQ_MEM_RECLAIM creates the rescuer it keeps in reserve (init_rescuer())";
    case CauseRule::KthreadFailed:
      return "kthread_create() failed with " + errno_text(a.args[1]);
    case CauseRule::NoMemory:
      return "kmalloc() of " + w.str(a.args[1]) + " failed under memory pressure";
    case CauseRule::NoPid:
      return "alloc_pid() found no free PID below pid_max " + std::to_string(a.args[0]) + " (" +
             std::to_string(a.args[1]) + " in use)";
    case CauseRule::UnderPressure:
      return "memory pressure was switched on " + w.at(a) + ": allocations fail until it ends";
    case CauseRule::MaydayAfterFail:
      return "MAYDAY_INITIAL_TIMEOUT after the manager started, pool " + std::to_string(b.args[0]) +
             " still needed a worker: creating one had failed " + w.at(a) +
             " (pool_mayday_timeout())";
    case CauseRule::MaydaySlow:
      return "MAYDAY_INITIAL_TIMEOUT after the manager started, pool " + std::to_string(b.args[0]) +
             " still had no new worker (pool_mayday_timeout())";
    case CauseRule::Mayday:
      return "pool_mayday_timeout() found pool " + std::to_string(a.args[0]) +
             " starved and sent a mayday for each item on its worklist (send_mayday())";
    case CauseRule::Rescue:
      return "the mayday " + w.at(a) + " woke " + w.wq(a, 0) + "'s rescuer, which joined pool " +
             std::to_string(a.args[2]) + " to run its items (rescuer_thread())";
    case CauseRule::FlushWaited:
      if (a.kind == EventKind::WqFlushDone)
        return "the first flusher of " + w.wq(a, 0) + " finished " + w.at(a) +
               " and completed the flushers waiting behind it";
      return "flush_workqueue() waited for every item queued before it; the last, " + w.func(a) +
             ", finished " + w.at(a) + " and completed the flush";
    case CauseRule::FlushImmediate:
      return "nothing it had to wait for was pending when it started " + w.at(a) +
             ", so it returned at once";
    case CauseRule::FlushWorkWaited:
      return "flush_work() waited for " + w.func(a) +
             " (a barrier queued behind it); it finished " + w.at(a);
    case CauseRule::Lockup:
      return "pool " + std::to_string(b.args[0]) + " last made progress " + w.at(a) + ", " +
             w.since() +
             " earlier (pool->watchdog_ts); wq_watchdog_timer_fn() reports a pool whose items "
             "wait longer than wq_watchdog_thresh";
    case CauseRule::WhileDraining:
      return "drain_workqueue(" + w.wq(a, 0) + ") started " + w.at(a) +
             ": a draining workqueue only takes work queued by its own items";
    case CauseRule::WarnInWork:
      return "it was raised inside " + w.func(a) + ", which started " + w.at(a) + " on " +
             w.comm(a.pid);
    case CauseRule::CpuHog:
      return w.func(a) + " had run on the CPU since " + why_duration(a.time_ns) + " (" + w.since() +
             ") without sleeping: longer than wq_cpu_intensive_thresh_us (wq_worker_tick())";
    case CauseRule::PidSpaceFilled:
      return "create_workqueue(" + w.wq(a, 0) + ") had been creating one thread per CPU since " +
             why_duration(a.time_ns) + "; each took a PID until none was left";
    case CauseRule::LegacyQueued:
      return w.func(b) + " was queued on " + w.comm(static_cast<int32_t>(a.args[0])) +
             "'s own list " + w.at(a) + "; that one thread runs its list strictly in order";
    case CauseRule::None:
    case CauseRule::Count:
      break;
  }
  return "";
}

}  // namespace

std::string why_duration(Nanos ns) {
  char buf[32];
  const double v = static_cast<double>(ns);
  if (ns < 1000) {
    std::snprintf(buf, sizeof buf, "%lld ns", static_cast<long long>(ns));
  } else if (ns < 1'000'000) {
    std::snprintf(buf, sizeof buf, "%.3g us", v / 1e3);
  } else if (ns < 1'000'000'000) {
    std::snprintf(buf, sizeof buf, "%.4g ms", v / 1e6);
  } else {
    std::snprintf(buf, sizeof buf, "%.4g s", v / 1e9);
  }
  return buf;
}

std::string describe_event(const MachineModel& m, uint64_t event) {
  if (!m.log() || event >= m.events()) return "";
  const trace::Event& e = (*m.log())[event];
  const Words w{m, event, event, e, e};
  const trace::EventKindInfo& info = trace::event_kind_info(e.kind);
  std::string out(info.name);
  std::string subject;
  for (int i = 0; i < trace::kMaxEventArgs && subject.empty(); ++i)
    if (info.args[i].type == ArgType::Str && info.args[i].label == "function")
      subject = w.str(e.args[i]);
  for (int i = 0; i < trace::kMaxEventArgs && subject.empty(); ++i) {
    const trace::ArgInfo& a = info.args[i];
    if (a.type == ArgType::Pid && a.label != "waiting")
      subject = w.comm(static_cast<int32_t>(e.args[i]));
    if (a.type == ArgType::Str && a.label == "workqueue") subject = w.str(e.args[i]);
    if (a.type == ArgType::Int && a.label == "pool") subject = "pool " + std::to_string(e.args[i]);
  }
  if (!subject.empty()) out += " " + subject;
  if (e.pid != 0) out += " (" + w.comm(e.pid) + ")";
  return out;
}

std::string explain_why(const MachineModel& m, uint64_t event) {
  if (!m.log() || event >= m.events()) return "";
  const Cause c = cause_of(m, event);
  const trace::Event& b = (*m.log())[event];
  if (!c) {
    const Words w{m, event, event, b, b};
    return std::string(trace::event_kind_info(b.kind).name) +
           " starts this chain: nothing earlier in the recording caused it (it was called by " +
           (b.pid ? w.comm(b.pid) : std::string("the machine's driver or a timer")) + ")";
  }
  const Words w{m, event, c.event, b, (*m.log())[c.event]};
  return rule_text(w, c.rule);
}

}  // namespace wqlab::model

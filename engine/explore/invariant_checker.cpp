#include "engine/explore/invariant_checker.h"

#include <algorithm>

#include "engine/trace/text_format.h"
#include "engine/wq/list.h"

namespace wqlab::explore {

using trace::EventKind;
using wq::ListHead;
using wq::Work;
using wq::Worker;
using wq::WorkerPool;
using wq::Workqueue;

namespace {
std::string hex(int64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%llx", static_cast<unsigned long long>(v));
  return buf;
}
}  // namespace

const std::vector<std::string>& invariant_names() {
  static const std::vector<std::string> names = {"exactly-once", "pending-lists", "nr-running",
                                                 "nr-idle",      "max-active",    "ordered",
                                                 "flush",        "one-item",      "rescuer"};
  return names;
}

InvariantChecker::InvariantChecker(kernel::Kernel& k, wq::Cmwq& cmwq, size_t log_events)
    : k_(k), cmwq_(cmwq), log_events_(log_events) {
  k_.set_event_observer([this](const trace::Event& e) { on_event(e); });
  attached_ = true;
}

InvariantChecker::~InvariantChecker() {
  detach();
}

void InvariantChecker::detach() {
  if (!attached_) return;
  k_.set_event_observer(nullptr);
  attached_ = false;
}

std::string InvariantChecker::name(int64_t string_id) const {
  if (k_.recorder() == nullptr) return std::to_string(string_id);
  return std::string(k_.recorder()->strings().get(string_id));
}

void InvariantChecker::fail(std::string invariant, std::string detail) {
  if (violation_) return;  // the first one is the one that matters
  Violation v;
  v.invariant = std::move(invariant);
  v.detail = std::move(detail);
  v.time = k_.now();
  if (k_.recorder() != nullptr) {
    trace::TextFormatter fmt(k_.recorder()->strings());
    for (const trace::Event& e : recent_) v.log.push_back(fmt.line(e));
  }
  violation_ = std::move(v);
}

void InvariantChecker::on_event(const trace::Event& e) {
  if (violation_) return;
  ++events_;
  if (e.kind != EventKind::CpuRun && e.kind != EventKind::TimerArm &&
      e.kind != EventKind::TimerDel && e.kind != EventKind::PidAlloc) {
    recent_.push_back(e);
    if (recent_.size() > log_events_) recent_.pop_front();
  }
  switch (e.kind) {
    case EventKind::TaskRun:
      check_state();
      break;
    case EventKind::WqQueueWork: {
      Item& it = items_[e.args[0]];
      if (it.queued)
        fail("exactly-once", "work " + hex(e.args[0]) + " (" + name(e.args[1]) +
                                 ") was queued again while its earlier queueing had not run");
      it.queued = true;
      it.queued_wq = e.args[2];
      break;
    }
    case EventKind::WqWorkDequeue:
      if (e.args[3] == 0) {  // taken off a list (not just its timer): that queueing is cancelled
        Item& it = items_[e.args[0]];
        if (!it.queued)
          fail("exactly-once", "work " + hex(e.args[0]) + " (" + name(e.args[1]) +
                                   ") was taken off a list but no queueing was pending");
        it.queued = false;
        ++it.resolved;
      }
      break;
    case EventKind::WqExecuteStart:
      on_execute_start(e);
      break;
    case EventKind::WqExecuteEnd:
      on_execute_end(e);
      break;
    case EventKind::WqFlushStart: {
      Flush f;
      f.wq = e.args[0];
      for (auto& [id, it] : items_) {
        uint64_t owed = it.resolved + (it.queued && it.queued_wq == f.wq ? 1 : 0);
        for (auto& [pid, x] : running_)
          if (x.work == id && x.wq == f.wq && !x.barrier) ++owed;
        if (owed > it.resolved) f.owed.emplace_back(id, owed);
      }
      flushes_[e.pid] = std::move(f);
      break;
    }
    case EventKind::WqFlushDone: {
      auto fit = flushes_.find(e.pid);
      if (fit == flushes_.end()) break;
      for (auto& [id, owed] : fit->second.owed)
        if (items_[id].resolved < owed)
          fail("flush", "flush_workqueue(" + name(fit->second.wq) + ") returned before work " +
                            hex(id) + ", queued before the flush, finished");
      flushes_.erase(fit);
      break;
    }
    default:
      break;
  }
}

// The worker whose current_work is item `work_id` (a BH worker has no task; the rescuer is
// attached to the pool it rescues).
const Worker* InvariantChecker::executing_worker(int64_t work_id) const {
  for (WorkerPool* pool : cmwq_.pools())
    for (const ListHead* n = pool->workers.next; n != &pool->workers; n = n->next) {
      const Worker* w = n->entry<Worker>();
      if (w->current_work != nullptr && w->current_work->id.load() == work_id) return w;
    }
  return nullptr;
}

bool InvariantChecker::is_ordered(int64_t wq_name) const {
  for (Workqueue* wq : cmwq_.workqueues())
    if (wq->name_id == wq_name) return (wq->flags.load() & wq::__WQ_ORDERED) != 0;
  return false;
}

void InvariantChecker::on_execute_start(const trace::Event& e) {
  Exec x;
  x.work = e.args[0];
  x.wq = e.args[2];
  x.worker = executing_worker(x.work);
  x.barrier = x.worker != nullptr && x.worker->current_work->is_barrier;
  for (auto& [pid, other] : running_)
    if (pid == e.pid && (x.worker == nullptr || other.worker == x.worker))
      return fail("one-item", "pid " + std::to_string(e.pid) + " started work " + hex(x.work) +
                                  " while it still runs work " + hex(other.work));
  if (!x.barrier) {
    Item& it = items_[x.work];
    if (!it.queued)
      return fail("exactly-once", "work " + hex(x.work) + " (" + name(e.args[1]) +
                                      ") started but no queueing of it was pending: it runs "
                                      "once more than it was queued");
    it.queued = false;
  }
  if (x.worker != nullptr && x.worker->rescue_wq != nullptr && x.worker->current_pwq != nullptr &&
      x.worker->current_pwq->wq != x.worker->rescue_wq)
    return fail("rescuer", "the rescuer of " + x.worker->rescue_wq->name + " runs work " +
                               hex(x.work) + " of " + x.worker->current_pwq->wq->name);
  if (is_ordered(x.wq) && ++ordered_running_[x.wq] > 1)
    return fail("ordered", "ordered workqueue " + name(x.wq) + " runs two items at once (work " +
                               hex(x.work) + " started while another runs)");
  running_.emplace(e.pid, x);
}

void InvariantChecker::on_execute_end(const trace::Event& e) {
  auto range = running_.equal_range(e.pid);
  for (auto it = range.first; it != range.second; ++it) {
    if (it->second.work != e.args[0]) continue;
    if (!it->second.barrier) ++items_[it->second.work].resolved;
    auto ord = ordered_running_.find(it->second.wq);
    if (ord != ordered_running_.end() && ord->second > 0) --ord->second;
    running_.erase(it);
    return;
  }
}

void InvariantChecker::check_state() {
  ++state_checks_;
  std::vector<WorkerPool*> pools = cmwq_.pools();
  std::vector<Workqueue*> wqs = cmwq_.workqueues();
  check_counters(pools);
  if (!violation_) check_max_active(wqs);
  if (!violation_) check_lists(pools, wqs);
}

void InvariantChecker::check_counters(const std::vector<WorkerPool*>& pools) {
  for (WorkerPool* pool : pools) {
    std::string where = "pool " + std::to_string(pool->id);
    int idle = 0;
    for (const ListHead* n = pool->idle_list.next; n != &pool->idle_list; n = n->next) {
      ++idle;
      const Worker* w = n->entry<Worker>();
      if (!(w->flags & wq::WORKER_IDLE))
        return fail("nr-idle", where + ": a worker on the idle list is not WORKER_IDLE");
    }
    if (idle != pool->nr_idle)
      return fail("nr-idle", where + ": nr_idle is " + std::to_string(pool->nr_idle) +
                                 " but the idle list holds " + std::to_string(idle));
    if (pool->flags & wq::POOL_BH) continue;
    int running = 0;
    for (const ListHead* n = pool->workers.next; n != &pool->workers; n = n->next) {
      const Worker* w = n->entry<Worker>();
      if (!(w->flags & wq::WORKER_NOT_RUNNING) && w->sleeping.load() == 0) ++running;
    }
    if (running != pool->nr_running)
      return fail("nr-running", where + ": nr_running is " + std::to_string(pool->nr_running) +
                                    " but " + std::to_string(running) +
                                    " attached workers run without WORKER_NOT_RUNNING flags");
  }
}

void InvariantChecker::check_max_active(const std::vector<Workqueue*>& wqs) {
  for (Workqueue* wq : wqs) {
    int max = wq->max_active.load();
    auto [cit, fresh] = ceiling_.emplace(wq, max);
    int& ceiling = cit->second;
    if (max >= ceiling) {
      ceiling = max;
      lowered_.erase(wq);
    } else {
      lowered_[wq] = max;  // lowered: what is active may finish first
    }
    int most = 0;
    if (wq::WqNodeNrActive* nna = wq->node_nr_active.get()) {
      most = nna->nr.load();
    } else {
      for (const ListHead* n = wq->pwqs.next; n != &wq->pwqs; n = n->next)
        most = std::max(most, n->entry<wq::PoolWorkqueue>()->nr_active);
    }
    if (most > ceiling)
      return fail("max-active", "workqueue " + wq->name + " has " + std::to_string(most) +
                                    " items active, max_active is " + std::to_string(ceiling));
    if (auto l = lowered_.find(wq); l != lowered_.end() && most <= l->second) {
      ceiling = l->second;
      lowered_.erase(l);
    }
  }
}

void InvariantChecker::check_lists(const std::vector<WorkerPool*>& pools,
                                   const std::vector<Workqueue*>& wqs) {
  std::map<int64_t, const wq::PoolWorkqueue*> pwq_by_id;
  for (Workqueue* wq : wqs)
    for (const ListHead* n = wq->pwqs.next; n != &wq->pwqs; n = n->next) {
      auto* pwq = n->entry<wq::PoolWorkqueue>();
      pwq_by_id[pwq->id] = pwq;
    }
  std::set<int64_t> on_lists;
  auto item = [&](const Work* w, const std::string& list, bool inactive,
                  const wq::PoolWorkqueue* owner_pwq, const WorkerPool* owner_pool) {
    if (w->is_barrier) return true;
    uint64_t data = wq::work_data(w);
    int64_t id = w->id.load();
    std::string what = "work " + hex(id) + " (" + w->name() + ") on " + list;
    if (!(data & wq::WORK_STRUCT_PENDING) || !(data & wq::WORK_STRUCT_PWQ))
      return fail("pending-lists", what + " is not PENDING with a pwq"), false;
    if (inactive != ((data & wq::WORK_STRUCT_INACTIVE) != 0))
      return fail("pending-lists", what + (inactive ? " is not INACTIVE" : " is INACTIVE")), false;
    int64_t pwq_id = wq::data_pwq_id(data);
    if (owner_pwq != nullptr && pwq_id != owner_pwq->id)
      return fail("pending-lists", what + " names pwq " + std::to_string(pwq_id)), false;
    auto p = pwq_by_id.find(pwq_id);
    if (owner_pool != nullptr && p != pwq_by_id.end() && p->second->pool != owner_pool)
      return fail("pending-lists", what + " belongs to a pwq of another pool"), false;
    if (id != 0 && !on_lists.insert(id).second)
      return fail("pending-lists", what + " is on two lists"), false;
    return true;
  };
  for (WorkerPool* pool : pools) {
    std::string where = "pool " + std::to_string(pool->id);
    for (const ListHead* n = pool->worklist.next; n != &pool->worklist; n = n->next)
      if (!item(n->entry<Work>(), where + "'s worklist", false, nullptr, pool)) return;
    for (const ListHead* wn = pool->workers.next; wn != &pool->workers; wn = wn->next) {
      const Worker* w = wn->entry<Worker>();
      for (const ListHead* n = w->scheduled.next; n != &w->scheduled; n = n->next)
        if (!item(n->entry<Work>(), where + " worker " + std::to_string(w->id) + "'s scheduled",
                  false, nullptr, nullptr))
          return;
    }
  }
  for (Workqueue* wq : wqs)
    for (const ListHead* pn = wq->pwqs.next; pn != &wq->pwqs; pn = pn->next) {
      auto* pwq = pn->entry<wq::PoolWorkqueue>();
      for (const ListHead* n = pwq->inactive_works.next; n != &pwq->inactive_works; n = n->next)
        if (!item(n->entry<Work>(), wq->name + "'s pwq " + std::to_string(pwq->id) + " inactive",
                  true, pwq, nullptr))
          return;
    }
  for (auto& [id, it] : items_) {
    bool listed = on_lists.count(id) != 0;
    if (it.queued && !listed)
      return fail("exactly-once",
                  "work " + hex(id) + " was queued and has not run, but is on no list: lost");
    if (!it.queued && listed)
      return fail("pending-lists", "work " + hex(id) + " is on a list but no queueing is pending");
  }
}

void InvariantChecker::finish() {
  if (!attached_) return;
  if (!violation_) check_state();
}

}  // namespace wqlab::explore

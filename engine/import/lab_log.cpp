#include "engine/import/lab_log.h"

#include <algorithm>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "engine/wq/wq_types.h"

namespace wqlab::import {
namespace {

using trace::Event;
using trace::EventKind;

class LogBuilder {
 public:
  LogBuilder(const ParsedTrace& t, const TraceMachine& m, trace::Recorder& rec)
      : t_(t), m_(m), rec_(rec), str_(t.names.size(), -1) {}

  void build() {
    describe_machine();
    for (size_t i = 0; i < t_.records.size(); ++i) record(t_.records[i], m_.record_item[i]);
    rec_.drain();
  }

 private:
  int64_t sid(int32_t name) {
    int64_t& id = str_[static_cast<size_t>(name)];
    if (id < 0) id = rec_.strings().intern(t_.names.get(name));
    return id;
  }
  int64_t sid(const std::string& s) { return rec_.strings().intern(s); }

  void emit(int64_t time, int32_t pid, int16_t cpu, EventKind kind, int64_t a0 = 0, int64_t a1 = 0,
            int64_t a2 = 0, int64_t a3 = 0, int64_t a4 = 0) {
    Event e;
    e.time_ns = time - m_.start_ns;
    e.pid = pid;
    e.cpu = cpu;
    e.kind = kind;
    e.args[0] = a0;
    e.args[1] = a1;
    e.args[2] = a2;
    e.args[3] = a3;
    e.args[4] = a4;
    rec_.emit(e);
  }

  int32_t pwq_of(int32_t wq, int32_t pool) const {
    auto it = pwq_.find({wq, pool});
    return it == pwq_.end() ? -1 : it->second;
  }

  // Time 0: what existed before the first record, as the kernel would have reported creating it.
  void describe_machine() {
    const int64_t t0 = m_.start_ns;
    emit(t0, 0, -1, EventKind::MachineBoot, m_.nr_cpus, 0, 0, 0, 0);
    for (const TracePool& p : m_.pools)
      emit(t0, 0, -1, EventKind::WqPoolCreate, p.id, p.cpu, p.highpri ? -20 : 0, p.cpu < 0);
    for (const Record& r : t_.records)
      if (r.kind == RecordKind::Fork) forked_.insert(r.other);
    // Task states for the tasks the workqueue views follow: kworkers and whoever queued work
    // from task context (an interrupt queues in the name of whatever task it interrupted).
    // Every other task still has its name and its CPU time (CpuRun), not its every wake-up.
    for (const TraceKworker& k : m_.kworkers) followed_.insert(k.pid);
    for (const TraceItem& it : m_.items)
      if (it.queuer != 0 && !it.from_irq) followed_.insert(it.queuer);
    for (const auto& [pid, comm] : m_.tasks) {
      if (pid == 0 || forked_.count(pid)) continue;
      // A highpri pool's kworkers run at nice -20 (the pool's attrs->nice).
      const TraceKworker* k = m_.kworker(pid);
      const TracePool* p = k ? m_.pool(k->pool) : nullptr;
      emit(t0, 0, -1, EventKind::TaskCreate, pid, sid(comm), p ? p->cpu : -1,
           p && p->highpri ? -20 : 0);
    }
    std::map<int32_t, int> workers_in_pool;
    for (const TraceKworker& k : m_.kworkers) {
      if (k.rescuer) {
        emit(t0, 0, -1, EventKind::WqRescuerCreate, sid(k.rescuer_wq), k.pid);
        continue;
      }
      const TracePool* p = m_.pool(k.pool);
      const auto id = static_cast<int64_t>(
          p ? std::find(p->workers.begin(), p->workers.end(), k.pid) - p->workers.begin() : 0);
      emit(t0, 0, -1, EventKind::WqWorkerCreate, k.pool, id, k.pid, ++workers_in_pool[k.pool]);
    }
    int32_t next_pwq = 0;
    for (const TraceWorkqueue& w : m_.workqueues) {
      const int64_t name = sid(w.name);
      for (int32_t pool : w.pools) {
        const TracePool* p = m_.pool(pool);
        pwq_[{w.index, pool}] = next_pwq;
        emit(t0, 0, -1, EventKind::WqPwqCreate, name, next_pwq++, pool, p ? p->cpu : -1);
      }
      unsigned flags = 0;
      if (w.unbound == Tri::Yes) flags |= wq::WQ_UNBOUND;
      if (w.highpri == Tri::Yes) flags |= wq::WQ_HIGHPRI;
      emit(t0, 0, -1, EventKind::WqAlloc, name, flags, w.max_active_seen, w.index);
    }
  }

  void set_running(const TraceItem& it, int delta, int64_t time, int32_t pid, int16_t cpu) {
    if (it.pool < 0) return;
    int& n = running_[it.pool];
    n = std::max(0, n + delta);
    emit(time, pid, cpu, EventKind::WqNrRunning, it.pool, n, pid);
  }

  // worker_enter_idle() / worker_leave_idle() of a pool's kworker (not a rescuer's).
  void set_idle(int32_t pid, bool idle, int64_t time, int16_t cpu) {
    const TraceKworker* k = m_.kworker(pid);
    if (k == nullptr || k->rescuer || k->pool < 0) return;
    if (idle ? !idle_.insert(pid).second : idle_.erase(pid) == 0) return;
    int& n = nr_idle_[k->pool];
    n = std::max(0, n + (idle ? 1 : -1));
    emit(time, pid, cpu, idle ? EventKind::WqWorkerIdle : EventKind::WqWorkerBusy, k->pool, pid, n);
  }

  // Items on a pool's worklist as the trace shows them: queued (or activated from the inactive
  // list) and not started.
  void count_pending(int32_t item, bool add) {
    const TraceItem& it = m_.items[static_cast<size_t>(item)];
    if (it.pool < 0) return;
    if (add ? !pending_items_.insert(item).second : pending_items_.erase(item) == 0) return;
    int& n = pending_[it.pool];
    n = std::max(0, n + (add ? 1 : -1));
  }

  void record(const Record& r, int32_t item) {
    const TraceItem* it = item >= 0 ? &m_.items[static_cast<size_t>(item)] : nullptr;
    const int64_t fn = it ? sid(it->function) : sid(r.function);
    const int32_t pwq = it ? pwq_of(it->wq, it->pool) : -1;
    switch (r.kind) {
      case RecordKind::QueueWork: {
        if (!it) return;
        // An earlier queueing of the same work that never ran was taken back first.
        if (auto p = queued_.find(r.work); p != queued_.end()) {
          const TraceItem& old = m_.items[static_cast<size_t>(p->second)];
          emit(r.time_ns, r.pid, r.cpu, EventKind::WqWorkDequeue, r.work, sid(old.function),
               pwq_of(old.wq, old.pool), 0);
          count_pending(p->second, false);
        }
        queued_[r.work] = item;
        if (!it->waited_inactive) count_pending(item, true);
        emit(r.time_ns, r.pid, r.cpu, EventKind::WqQueueWork, r.work, fn, sid(r.wq), r.req_cpu,
             r.pool_cpu);
        if (it->waited_inactive && pwq >= 0)
          emit(r.time_ns, r.pid, r.cpu, EventKind::WqWorkInactive, r.work, fn, pwq, 0,
               m_.workqueues[static_cast<size_t>(it->wq)].max_active_seen);
        return;
      }
      case RecordKind::ActivateWork:
        if (!it) return;
        emit(r.time_ns, r.pid, r.cpu, EventKind::WqActivateWork, r.work, fn, it->pool, pwq);
        count_pending(item, true);
        return;
      case RecordKind::ExecuteStart: {
        queued_.erase(r.work);
        if (it) count_pending(item, false);
        set_idle(r.pid, false, r.time_ns, r.cpu);
        const int64_t wq =
            it && it->wq >= 0 ? sid(m_.workqueues[static_cast<size_t>(it->wq)].name) : 0;
        emit(r.time_ns, r.pid, r.cpu, EventKind::WqExecuteStart, r.work, fn, wq,
             it ? it->pool : -1);
        if (it) {
          executing_[r.pid] = item;
          set_running(*it, +1, r.time_ns, r.pid, r.cpu);
        }
        return;
      }
      case RecordKind::ExecuteEnd:
        if (!it) return;  // began before the trace: the model never saw it start
        emit(r.time_ns, r.pid, r.cpu, EventKind::WqExecuteEnd, r.work, fn, it->pool);
        if (!asleep_.erase(r.pid)) set_running(*it, -1, r.time_ns, r.pid, r.cpu);
        executing_.erase(r.pid);
        // worker_thread(): with nothing left on the worklist, the worker goes idle.
        if (it->pool >= 0 && pending_[it->pool] == 0) set_idle(r.pid, true, r.time_ns, r.cpu);
        return;
      case RecordKind::SchedSwitch:
        return sched_switch(r);
      case RecordKind::SchedWakeup:
        if (followed_.count(r.other))
          emit(r.time_ns, r.pid, r.cpu, EventKind::TaskWake, r.other, r.pool_cpu);
        return;
      case RecordKind::Fork:
        emit(r.time_ns, r.pid, r.cpu, EventKind::TaskCreate, r.other, sid(r.other_comm), r.cpu, 0);
        return;
      case RecordKind::Exit:
        emit(r.time_ns, r.other, r.cpu, EventKind::TaskExit, r.other, 0);
        return;
    }
  }

  void sched_switch(const Record& r) {
    const auto ex = executing_.find(r.pid);
    if (r.prev_state != 'R' && followed_.count(r.pid)) {
      if (ex != executing_.end()) {
        // wq_worker_sleeping(): a kworker blocked inside its work function.
        const TraceItem& it = m_.items[static_cast<size_t>(ex->second)];
        emit(r.time_ns, r.pid, r.cpu, EventKind::WqWorkerSleep, it.pool, r.pid, it.work);
        if (asleep_.insert(r.pid).second) set_running(it, -1, r.time_ns, r.pid, r.cpu);
        emit(r.time_ns, r.pid, r.cpu, EventKind::TaskBlock,
             static_cast<int64_t>(trace::BlockReason::WaitQueue), 0);
      } else if (m_.kworker(r.pid) && r.prev_state == 'I') {
        set_idle(r.pid, true, r.time_ns, r.cpu);
        emit(r.time_ns, r.pid, r.cpu, EventKind::TaskPark);  // an idle kworker waits for work
      } else {
        emit(r.time_ns, r.pid, r.cpu, EventKind::TaskBlock,
             static_cast<int64_t>(trace::BlockReason::WaitQueue), 0);
      }
    }
    emit(r.time_ns, r.other, r.cpu, EventKind::CpuRun, r.cpu, r.other);
    if (followed_.count(r.other)) emit(r.time_ns, r.other, r.cpu, EventKind::TaskRun, r.other, 0);
    // worker_thread() calls worker_leave_idle() first thing after it wakes.
    if (executing_.count(r.other) == 0) set_idle(r.other, false, r.time_ns, r.cpu);
    if (asleep_.erase(r.other)) {
      const TraceItem& it = m_.items[static_cast<size_t>(executing_[r.other])];
      emit(r.time_ns, r.other, r.cpu, EventKind::WqWorkerWake, it.pool, r.other, it.work);
      set_running(it, +1, r.time_ns, r.other, r.cpu);
    }
  }

  struct PairHash {
    size_t operator()(const std::pair<int32_t, int32_t>& k) const {
      return std::hash<int64_t>()((int64_t{k.first} << 32) ^ static_cast<uint32_t>(k.second));
    }
  };

  const ParsedTrace& t_;
  const TraceMachine& m_;
  trace::Recorder& rec_;
  std::vector<int64_t> str_;  // Names id -> StringTable id
  std::unordered_map<std::pair<int32_t, int32_t>, int32_t, PairHash> pwq_;  // (wq, pool) -> pwq
  std::unordered_set<int32_t> forked_;
  std::unordered_set<int32_t> followed_;            // tasks whose every state change is emitted
  std::unordered_map<uint64_t, int32_t> queued_;    // work -> item queued, not yet started
  std::unordered_map<int32_t, int32_t> executing_;  // kworker pid -> item
  std::unordered_set<int32_t> asleep_;              // kworkers blocked inside an item
  std::unordered_map<int32_t, int> running_;        // pool -> its workers in an item, awake
  std::unordered_set<int32_t> idle_;                // kworkers on their pool's idle list
  std::unordered_map<int32_t, int> nr_idle_;        // pool -> idle kworkers
  std::unordered_set<int32_t> pending_items_;       // items on a worklist, not started
  std::unordered_map<int32_t, int> pending_;        // pool -> pending_items_ in it
};

}  // namespace

LabLog build_lab_log(const ParsedTrace& t, const TraceMachine& m) {
  LabLog out;
  // A small ring: the builder is its only producer and drains it whenever it fills.
  out.recorder = std::make_shared<trace::Recorder>(4096);
  out.nr_cpus = std::max(1, m.nr_cpus);
  out.time_offset_ns = m.start_ns;
  LogBuilder(t, m, *out.recorder).build();
  return out;
}

}  // namespace wqlab::import

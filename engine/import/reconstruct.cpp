// One pass over the records in time order, matching each work item's four tracepoints by the
// work_struct's address, and each kworker's sched_switch lines to the item it is running.
#include "engine/import/reconstruct.h"

#include <algorithm>
#include <unordered_map>

#include "engine/import/kworker_name.h"

namespace wqlab::import {

const char* tri_name(Tri t) {
  return t == Tri::Yes ? "yes" : t == Tri::No ? "no" : "?";
}

// Both sorted by reconstruct() (pools by id, kworkers by pid): a big machine has hundreds.
const TracePool* TraceMachine::pool(int32_t id) const {
  auto it = std::lower_bound(pools.begin(), pools.end(), id,
                             [](const TracePool& p, int32_t v) { return p.id < v; });
  return it != pools.end() && it->id == id ? &*it : nullptr;
}

TracePool* TraceMachine::pool(int32_t id) {
  return const_cast<TracePool*>(static_cast<const TraceMachine*>(this)->pool(id));
}

const TraceKworker* TraceMachine::kworker(int32_t pid) const {
  auto it = std::lower_bound(kworkers.begin(), kworkers.end(), pid,
                             [](const TraceKworker& k, int32_t v) { return k.pid < v; });
  return it != kworkers.end() && it->pid == pid ? &*it : nullptr;
}

int32_t TraceMachine::workqueue_index(const std::string& name) const {
  for (const TraceWorkqueue& w : workqueues)
    if (w.name == name) return w.index;
  return -1;
}

void finish_machine(TraceMachine& m);  // reconstruct_stats.cpp

namespace {

struct TaskState {
  int32_t comm = 0;
  int32_t kworker = -1;  // index into m.kworkers
  int32_t item = -1;     // the item it is executing
  int64_t on_cpu_since = kUnknownTime;
  int64_t segment = kUnknownTime;  // since when it runs `item` on a CPU
  bool blocked = false;            // switched out asleep inside `item`
};

struct PoolState {
  int executing = 0;
  int running = 0;
};

class Reconstructor {
 public:
  Reconstructor(const ParsedTrace& t, TraceMachine& m) : t_(t), m_(m) {}

  void run() {
    m_.nr_cpus = t_.cpus();
    if (!t_.records.empty()) {
      m_.start_ns = t_.records.front().time_ns;
      m_.end_ns = t_.records.back().time_ns;
    }
    for (const Record& r : t_.records)
      if (r.kind == RecordKind::SchedSwitch) m_.has_sched = true;
    m_.record_item.assign(t_.records.size(), -1);
    last_on_cpu_.assign(static_cast<size_t>(std::max(m_.nr_cpus, t_.max_cpu_seen + 1)) + 1, -1);
    for (size_t i = 0; i < t_.records.size(); ++i) {
      const Record& r = t_.records[i];
      TaskState& self = task(r.pid, r.comm);
      switch (r.kind) {
        case RecordKind::QueueWork:
          queue(r, static_cast<int64_t>(i));
          break;
        case RecordKind::ActivateWork:
          activate(r);
          break;
        case RecordKind::ExecuteStart:
          start(r, self);
          break;
        case RecordKind::ExecuteEnd:
          end(r, self);
          break;
        case RecordKind::SchedSwitch:
          sched_switch(r, self);
          break;
        case RecordKind::SchedWakeup:
        case RecordKind::Fork:
        case RecordKind::Exit:
          task(r.other, r.other_comm);
          break;
      }
      m_.record_item[i] = current_item_;
      current_item_ = -1;
      if (r.cpu >= 0 && static_cast<size_t>(r.cpu) < last_on_cpu_.size())
        last_on_cpu_[static_cast<size_t>(r.cpu)] = static_cast<int64_t>(i);
    }
    for (auto& [pid, ts] : tasks_) {
      m_.tasks.emplace_back(pid, t_.names.get(ts.comm));
      if (ts.item >= 0) ++m_.unfinished;
    }
    std::sort(m_.tasks.begin(), m_.tasks.end());
    m_.unfinished += pending_.size();
    finish_machine(m_);
  }

 private:
  TaskState& task(int32_t pid, int32_t comm) {
    auto [it, fresh] = tasks_.try_emplace(pid);
    TaskState& ts = it->second;
    if (comm != 0 && (fresh || ts.comm != comm)) {
      ts.comm = comm;
      if (ts.kworker < 0 && pid != 0) ts.kworker = kworker_for(pid, t_.names.get(comm));
    }
    return ts;
  }

  // A new kworker (and its pool) when `comm` is a kworker's name.
  int32_t kworker_for(int32_t pid, const std::string& comm) {
    std::optional<KworkerName> k = parse_kworker_comm(comm);
    if (!k) return -1;
    TraceKworker w;
    w.pid = pid;
    w.comm = k->base;
    w.on_cpu_ns = m_.has_sched ? 0 : -1;
    if (k->kind == KworkerName::Kind::Rescuer) {
      w.rescuer = true;
      w.rescuer_wq = k->wq;
    } else {
      w.pool = pool_for(*k);
      pool(w.pool)->workers.push_back(pid);
    }
    m_.kworkers.push_back(std::move(w));
    return static_cast<int32_t>(m_.kworkers.size() - 1);
  }

  int32_t pool_for(const KworkerName& k) {
    const bool unbound = k.kind == KworkerName::Kind::Unbound;
    const int64_t key = unbound ? -1 - int64_t{k.pool} : int64_t{k.cpu} * 2 + k.highpri;
    if (auto it = pool_by_name_.find(key); it != pool_by_name_.end()) return it->second;
    TracePool p;
    p.cpu = unbound ? -1 : k.cpu;
    p.highpri = k.highpri;
    if (unbound) {
      p.kernel_id = k.pool;
      p.name = "u" + std::to_string(k.pool);
      // Keep the kernel's number unless an older kernel's numbering would collide with ours.
      const int32_t first_free = std::max(m_.nr_cpus, k.cpu + 1) * 4;
      p.id = k.pool >= first_free ? k.pool : first_free + 1000 + k.pool;
    } else {
      p.name = "cpu" + std::to_string(k.cpu) + (k.highpri ? "H" : "");
      p.id = percpu_pool_id(k.cpu, k.highpri);
    }
    p.max_running = m_.has_sched ? 0 : -1;
    pool_by_name_[key] = p.id;
    pool_index_[p.id] = m_.pools.size();
    m_.pools.push_back(p);
    return p.id;
  }

  // m_.pools is sorted only at the end: until then, by this index.
  TracePool* pool(int32_t id) {
    auto it = pool_index_.find(id);
    return it == pool_index_.end() ? nullptr : &m_.pools[it->second];
  }

  int32_t workqueue(int32_t name) {
    auto [it, fresh] = wq_by_name_.try_emplace(name, static_cast<int32_t>(m_.workqueues.size()));
    if (fresh) {
      TraceWorkqueue w;
      w.index = it->second;
      w.name = t_.names.get(name);
      m_.workqueues.push_back(std::move(w));
      wq_pending_.push_back(0);
      wq_running_.push_back(0);
    }
    return it->second;
  }

  int32_t new_item(const Record& r) {
    TraceItem it;
    it.work = r.work;
    it.function = r.function;
    m_.items.push_back(it);
    return static_cast<int32_t>(m_.items.size() - 1);
  }

  // Active items of the item's workqueue on the same pool slot (the pwq max_active counts on).
  int& active_count(const TraceItem& it) { return active_[{it.wq, it.pool_cpu}]; }

  void queue(const Record& r, int64_t index) {
    if (auto p = pending_.find(r.work); p != pending_.end()) {
      // Pending again without having run: try_to_grab_pending() took it back (mod_delayed_work,
      // cancel), so this earlier queueing never runs.
      TraceItem& old = m_.items[static_cast<size_t>(p->second)];
      old.superseded = true;
      if (old.activated != kUnknownTime && old.wq >= 0) --active_count(old);
      if (old.wq >= 0) --wq_pending_[static_cast<size_t>(old.wq)];
      if (old.wq >= 0) ++m_.workqueues[static_cast<size_t>(old.wq)].requeued_pending;
      pending_.erase(p);
    }
    const int32_t id = new_item(r);
    TraceItem& it = m_.items[static_cast<size_t>(id)];
    it.wq = workqueue(r.wq);
    it.queued = r.time_ns;
    it.queuer = r.pid;
    it.queue_cpu = r.cpu;
    it.pool_cpu = r.pool_cpu;
    it.req_cpu = r.req_cpu;
    it.queue_line = r.line;
    it.from_irq = r.irq;
    TraceWorkqueue& w = m_.workqueues[static_cast<size_t>(it.wq)];
    ++w.queued;
    if (r.irq) ++w.from_irq;
    if (r.pool_cpu < 0) w.unbound = Tri::Yes;
    int& pend = wq_pending_[static_cast<size_t>(it.wq)];
    w.max_pending = std::max(w.max_pending, ++pend);
    pending_[r.work] = id;
    queue_record_[id] = {index, active_count(it)};
    current_item_ = id;
  }

  void activate(const Record& r) {
    auto p = pending_.find(r.work);
    if (p == pending_.end()) return;  // queued before the trace began: nothing to add
    TraceItem& it = m_.items[static_cast<size_t>(p->second)];
    if (it.activated != kUnknownTime) return;
    current_item_ = p->second;
    it.activated = r.time_ns;
    if (r.function != 0 && it.function == 0) it.function = r.function;
    // __queue_work() traces activate_work right after queue_work when max_active allows it;
    // anything in between on that CPU means the item sat on the pwq's inactive list.
    const auto [q, active_then] = queue_record_[p->second];
    const int64_t prev = r.cpu >= 0 ? last_on_cpu_[static_cast<size_t>(r.cpu)] : -1;
    it.waited_inactive = !(prev == q && t_.records[static_cast<size_t>(q)].cpu == r.cpu);
    if (it.waited_inactive && it.wq >= 0) {
      TraceWorkqueue& w = m_.workqueues[static_cast<size_t>(it.wq)];
      ++w.waited_inactive;
      // It went on the inactive list because `active_then` items held the pwq's max_active.
      w.max_active_seen = std::max(w.max_active_seen, active_then);
    }
    ++active_count(it);
  }

  void start(const Record& r, TaskState& self) {
    if (self.item >= 0) finish(self, kUnknownTime, 0);  // its end was not captured
    int32_t id;
    if (auto p = pending_.find(r.work); p != pending_.end()) {
      id = p->second;
      pending_.erase(p);
      TraceItem& it = m_.items[static_cast<size_t>(id)];
      if (it.wq >= 0) --wq_pending_[static_cast<size_t>(it.wq)];
    } else {
      id = new_item(r);  // queued before the trace began
    }
    current_item_ = id;
    TraceItem& it = m_.items[static_cast<size_t>(id)];
    it.started = r.time_ns;
    it.start_line = r.line;
    it.worker = r.pid;
    if (r.function != 0) it.function = r.function;
    if (self.kworker >= 0) {
      TraceKworker& k = m_.kworkers[static_cast<size_t>(self.kworker)];
      ++k.executions;
      it.pool = k.pool;
      if (k.rescuer && it.wq >= 0) ++m_.workqueues[static_cast<size_t>(it.wq)].rescued;
    }
    if (it.wq >= 0) {
      TraceWorkqueue& w = m_.workqueues[static_cast<size_t>(it.wq)];
      ++w.started;
      int& running = wq_running_[static_cast<size_t>(it.wq)];
      w.max_in_flight = std::max(w.max_in_flight, ++running);
      if (it.activated == kUnknownTime && it.queued != kUnknownTime) ++active_count(it);
    }
    if (TracePool* p = pool(it.pool)) {
      ++p->executions;
      PoolState& ps = pool_state_[p->id];
      p->max_executing = std::max(p->max_executing, ++ps.executing);
      if (m_.has_sched) p->max_running = std::max(p->max_running, ++ps.running);
    }
    self.item = id;
    self.blocked = false;
    self.segment = r.time_ns;  // it emitted the event: it is on a CPU
    if (m_.has_sched) it.on_cpu_ns = 0;
  }

  void end(const Record& r, TaskState& self) {
    if (self.item < 0 || m_.items[static_cast<size_t>(self.item)].work != r.work) {
      ++m_.ends_without_start;
      return;
    }
    current_item_ = self.item;
    finish(self, r.time_ns, r.line);
  }

  void finish(TaskState& self, int64_t when, uint32_t line) {
    TraceItem& it = m_.items[static_cast<size_t>(self.item)];
    it.ended = when;
    it.end_line = line;
    if (when != kUnknownTime && self.segment != kUnknownTime && it.on_cpu_ns >= 0)
      it.on_cpu_ns += when - self.segment;
    if (when == kUnknownTime) it.on_cpu_ns = -1;
    if (it.wq >= 0) {
      ++m_.workqueues[static_cast<size_t>(it.wq)].completed;
      --wq_running_[static_cast<size_t>(it.wq)];
      if (it.queued != kUnknownTime) --active_count(it);
    }
    if (TracePool* p = pool(it.pool)) {
      PoolState& ps = pool_state_[p->id];
      --ps.executing;
      if (m_.has_sched && !self.blocked) --ps.running;
    }
    self.item = -1;
    self.segment = kUnknownTime;
    self.blocked = false;
  }

  void sched_switch(const Record& r, TaskState& prev) {
    TaskState& next = task(r.other, r.other_comm);
    const bool sleeps = r.prev_state != 'R';  // R and R+ were preempted, still runnable
    if (prev.kworker >= 0 && prev.on_cpu_since != kUnknownTime)
      m_.kworkers[static_cast<size_t>(prev.kworker)].on_cpu_ns += r.time_ns - prev.on_cpu_since;
    prev.on_cpu_since = kUnknownTime;
    if (prev.item >= 0) {
      TraceItem& it = m_.items[static_cast<size_t>(prev.item)];
      if (prev.segment != kUnknownTime && it.on_cpu_ns >= 0)
        it.on_cpu_ns += r.time_ns - prev.segment;
      prev.segment = kUnknownTime;
      if (sleeps && !prev.blocked) {
        prev.blocked = true;
        ++it.blocked;
        if (TracePool* p = pool(it.pool)) --pool_state_[p->id].running;
      }
    }
    next.on_cpu_since = r.time_ns;
    if (next.item >= 0) {
      next.segment = r.time_ns;
      if (next.blocked) {
        next.blocked = false;
        TraceItem& it = m_.items[static_cast<size_t>(next.item)];
        if (TracePool* p = pool(it.pool)) {
          int& running = pool_state_[p->id].running;
          p->max_running = std::max(p->max_running, ++running);
        }
      }
    }
  }

  struct PairHash {
    size_t operator()(const std::pair<int32_t, int16_t>& k) const {
      return std::hash<int64_t>()((int64_t{k.first} << 16) ^ (k.second & 0xffff));
    }
  };

  const ParsedTrace& t_;
  TraceMachine& m_;
  std::unordered_map<int32_t, TaskState> tasks_;
  std::unordered_map<uint64_t, int32_t> pending_;  // work -> queued, not started item
  // item -> its queue_work record and the active items of its pwq at that moment
  std::unordered_map<int32_t, std::pair<int64_t, int>> queue_record_;
  std::unordered_map<int32_t, int32_t> wq_by_name_;
  std::unordered_map<int32_t, PoolState> pool_state_;
  std::unordered_map<int64_t, int32_t> pool_by_name_;  // (cpu, highpri) or unbound id -> pool id
  std::unordered_map<int32_t, size_t> pool_index_;     // pool id -> index in m_.pools
  std::unordered_map<std::pair<int32_t, int16_t>, int, PairHash> active_;
  std::vector<int> wq_pending_, wq_running_;
  std::vector<int64_t> last_on_cpu_;  // index of the latest record of each CPU
  int32_t current_item_ = -1;         // the item the record being read is about
};

}  // namespace

TraceMachine reconstruct(const ParsedTrace& trace) {
  TraceMachine m;
  Reconstructor(trace, m).run();
  return m;
}

}  // namespace wqlab::import

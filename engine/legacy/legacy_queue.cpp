// The legacy queue path: queue_work() -> __queue_work() -> insert_work() on the current CPU's
// cpu_workqueue_struct (ST: the singlethread CPU), delayed work on a timer, schedule_*() on
// keventd. There is nothing between the item and the thread: no max_active, no pool, no collision
// check. Not modelled: per-CPU timer bases (a delayed item remembers the CPU its timer is on).
#include "engine/legacy/legacy_wq.h"

namespace wqlab::legacy {

using trace::EventKind;
using wq::Work;

int64_t LegacyWq::work_id(Work* work) {
  int64_t id = work->id.load(std::memory_order_relaxed);
  if (id != 0) return id;
  int64_t fresh = next_work_id_.fetch_add(1, std::memory_order_relaxed);
  return work->id.compare_exchange_strong(id, fresh, std::memory_order_relaxed) ? fresh : id;
}

// Mirrors 2.6.24 kernel/workqueue.c: wq_per_cpu(): an ST workqueue always uses singlethread_cpu.
CpuWorkqueue* LegacyWq::wq_per_cpu(const LegacyWorkqueue* wq, int cpu) const {
  if (wq->singlethread) cpu = singlethread_cpu_;
  return wq->cpu_wq[static_cast<size_t>(cpu)].get();
}

// smp_processor_id(). Lab: in realtime mode a task that keeps running while its CPU goes offline
// still reports that CPU until it next sleeps; use an online one then, as migration would.
int LegacyWq::this_cpu() const {
  int cpu = k_.smp_processor_id();
  if (k_.cpu_online(cpu)) return cpu;
  for (int c = 0; c < k_.nr_cpus(); ++c)
    if (k_.cpu_online(c)) return c;
  return cpu;
}

// Mirrors 2.6.24 kernel/workqueue.c: get_wq_data(): the cwq the item was last queued on.
CpuWorkqueue* LegacyWq::get_wq_data(const Work* work) const {
  int64_t id = data_cwq_id(wq::work_data(work));
  if (id < 0) return nullptr;
  kernel::SpinLockGuard g(registry_lock_);
  return static_cast<size_t>(id) < cwqs_.size() ? cwqs_[static_cast<size_t>(id)] : nullptr;
}

// Mirrors 2.6.24 kernel/workqueue.c: set_wq_data(). Only the owner of PENDING calls it.
void LegacyWq::set_wq_data(Work* work, const CpuWorkqueue* cwq) {
  uint64_t old = wq::work_data(work);
  uint64_t data = (static_cast<uint64_t>(cwq->id) << kCwqShift) | WORK_STRUCT_PENDING |
                  (old & WORK_STRUCT_FLAG_MASK);
  work->data.store(data, std::memory_order_release);
}

// Mirrors 2.6.24 kernel/workqueue.c: insert_work(), with 2.6.28's workqueue_insertion tracepoint.
// LOCKING: cwq->lock.
void LegacyWq::insert_work(CpuWorkqueue* cwq, Work* work, bool tail) {
  kernel::Task* thread = cwq->thread.load();
  k_.emit(EventKind::LegacyInsertion, thread ? thread->pid : 0, work_id(work),
          k_.intern(work->name()), cwq->wq->name_id, cwq->cpu);
  set_wq_data(work, cwq);
  if (tail) {
    wq::list_add_tail(&work->entry, &cwq->worklist);
  } else {
    wq::list_add(&work->entry, &cwq->worklist);
  }
  cwq->more_work.wake_up();
}

// Mirrors 2.6.24 kernel/workqueue.c: __queue_work().
void LegacyWq::__queue_work(CpuWorkqueue* cwq, Work* work) {
  kernel::SpinLockGuard g(cwq->lock);
  insert_work(cwq, work, true);
}

bool LegacyWq::check_queue_args(std::string_view fn, LegacyWorkqueue* wq, Work* work) {
  std::string f(fn);
  if (wq == nullptr || work == nullptr) {
    bug("workqueue: " + f + "() called with a null workqueue or work item");
    return false;
  }
  if (wq->destroyed) {
    bug("workqueue: " + f + "() on " + wq->name + ", which has been destroyed");
    return false;
  }
  if (!work->func) {
    bug("workqueue: " + f + "() on a work item that was never INIT_WORK()ed");
    return false;
  }
  return true;
}

// Mirrors 2.6.24 kernel/workqueue.c: queue_work(): test_and_set_bit(PENDING), then the list of
// the CPU we are running on (get_cpu()).
bool LegacyWq::queue_work(LegacyWorkqueue* wq, Work* work) {
  if (!check_queue_args("queue_work", wq, work)) return false;
  if (work->data.fetch_or(WORK_STRUCT_PENDING, std::memory_order_acq_rel) & WORK_STRUCT_PENDING)
    return false;
  __queue_work(wq_per_cpu(wq, this_cpu()), work);
  return true;
}

// Mirrors 2.6.27's queue_work_on() (the lab offers it for 2.6.24 too).
bool LegacyWq::queue_work_on(int cpu, LegacyWorkqueue* wq, Work* work) {
  if (!check_queue_args("queue_work_on", wq, work)) return false;
  if (cpu < 0 || cpu >= k_.nr_cpus()) {
    bug("workqueue: queue_work_on() for cpu " + std::to_string(cpu) + ", which does not exist");
    return false;
  }
  if (!wq->singlethread && !k_.cpu_online(cpu)) {
    bug("workqueue: queue_work_on() for cpu " + std::to_string(cpu) +
        ", which is offline: " + wq->name + " has no thread there");
    return false;
  }
  if (work->data.fetch_or(WORK_STRUCT_PENDING, std::memory_order_acq_rel) & WORK_STRUCT_PENDING)
    return false;
  __queue_work(wq_per_cpu(wq, cpu), work);
  return true;
}

// Mirrors 2.6.24 kernel/workqueue.c: delayed_work_timer_fn(): queue on the CPU the timer fired
// on. The lab's timers have no CPU: it is the one the timer was added on, or, if that one has
// gone offline since (its timers migrate), the first online CPU.
void LegacyWq::delayed_work_timer_fn(wq::DelayedWork* dwork) {
  CpuWorkqueue* cwq = get_wq_data(&dwork->work);
  if (cwq == nullptr) return;
  LegacyWorkqueue* wq = cwq->wq;
  if (wq->destroyed) {
    bug("delayed_work_timer_fn: " + dwork->work.name() + " fired for " + wq->name +
        ", which has been destroyed; dropped");
    dwork->work.data.fetch_and(~WORK_STRUCT_PENDING, std::memory_order_acq_rel);
    return;
  }
  int cpu = k_.cpu_online(dwork->cpu) ? dwork->cpu : this_cpu();
  __queue_work(wq_per_cpu(wq, cpu), &dwork->work);
}

// Mirrors 2.6.24 kernel/workqueue.c: queue_delayed_work(): no delay means queue_work().
bool LegacyWq::queue_delayed_work(LegacyWorkqueue* wq, wq::DelayedWork* dwork, uint64_t delay) {
  if (dwork == nullptr) {
    bug("workqueue: queue_delayed_work() called with a null delayed_work");
    return false;
  }
  if (delay == 0) return queue_work(wq, &dwork->work);
  return queue_delayed_work_on(-1, wq, dwork, delay);
}

// Mirrors 2.6.24 kernel/workqueue.c: queue_delayed_work_on(): remember the cwq in the data word
// "for the timer_fn", then add_timer() (cpu -1) or add_timer_on(cpu).
bool LegacyWq::queue_delayed_work_on(int cpu, LegacyWorkqueue* wq, wq::DelayedWork* dwork,
                                     uint64_t delay) {
  if (dwork == nullptr) {
    bug("workqueue: queue_delayed_work_on() called with a null delayed_work");
    return false;
  }
  if (!check_queue_args("queue_delayed_work_on", wq, &dwork->work)) return false;
  if (cpu < -1 || cpu >= k_.nr_cpus() || (cpu >= 0 && !k_.cpu_online(cpu))) {
    bug("workqueue: queue_delayed_work_on() for cpu " + std::to_string(cpu) +
        ", which does not exist or is offline");
    return false;
  }
  Work* work = &dwork->work;
  if (work->data.fetch_or(WORK_STRUCT_PENDING, std::memory_order_acq_rel) & WORK_STRUCT_PENDING)
    return false;
  int here = this_cpu();
  set_wq_data(work, wq_per_cpu(wq, here));
  dwork->cpu = cpu >= 0 ? cpu : here;
  dwork->timer.fn = [this, dwork] { delayed_work_timer_fn(dwork); };
  dwork->timer.name = "delayed_work_timer_fn";
  k_.mod_timer(dwork->timer, k_.jiffies() + delay);
  return true;
}

// Mirrors 2.6.24 kernel/workqueue.c: schedule_work() and friends, on keventd_wq ("events").
bool LegacyWq::schedule_work(Work* work) {
  return queue_work(keventd_wq, work);
}

bool LegacyWq::schedule_delayed_work(wq::DelayedWork* dwork, uint64_t delay) {
  return queue_delayed_work(keventd_wq, dwork, delay);
}

bool LegacyWq::schedule_delayed_work_on(int cpu, wq::DelayedWork* dwork, uint64_t delay) {
  return queue_delayed_work_on(cpu, keventd_wq, dwork, delay);
}

// Mirrors 2.6.24 kernel/workqueue.c: current_is_keventd().
bool LegacyWq::current_is_keventd() const {
  kernel::Task* self = k_.current();
  if (self == nullptr || keventd_wq == nullptr) return false;
  CpuWorkqueue* cwq = keventd_wq->cpu_wq[static_cast<size_t>(self->cpu)].get();
  return cwq != nullptr && cwq->thread.load() == self;
}

}  // namespace wqlab::legacy

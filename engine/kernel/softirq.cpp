// Softirqs: raise, ksoftirqd and the restart loop of handle_softirqs().
#include "engine/kernel/softirq.h"

#include "engine/kernel/kernel.h"

namespace wqlab::kernel {

using trace::EventKind;

Softirq::Softirq(Kernel& k)
    : k_(k),
      pending_(static_cast<size_t>(k.nr_cpus()), 0),
      ksoftirqd_(static_cast<size_t>(k.nr_cpus()), nullptr) {}

void Softirq::open_softirq(int nr, ActionFn action, std::string_view name) {
  if (nr < 0 || nr >= NR_SOFTIRQS) return;
  actions_[static_cast<size_t>(nr)] = Action{std::move(action), std::string(name)};
}

bool Softirq::pending(int cpu, int nr) const {
  if (cpu < 0 || cpu >= k_.nr_cpus()) return false;
  std::lock_guard g(lock_);
  return (pending_[static_cast<size_t>(cpu)] >> nr) & 1u;
}

Task* Softirq::ksoftirqd(int cpu) const {
  if (cpu < 0 || cpu >= k_.nr_cpus()) return nullptr;
  std::lock_guard g(lock_);
  return ksoftirqd_[static_cast<size_t>(cpu)];
}

uint32_t Softirq::take_pending(int cpu) {
  std::lock_guard g(lock_);
  uint32_t p = pending_[static_cast<size_t>(cpu)];
  pending_[static_cast<size_t>(cpu)] = 0;
  return p;
}

void Softirq::raise_softirq_on(int cpu, int nr) {
  if (cpu < 0 || cpu >= k_.nr_cpus() || nr < 0 || nr >= NR_SOFTIRQS) return;
  {
    std::lock_guard g(lock_);
    pending_[static_cast<size_t>(cpu)] |= 1u << nr;
  }
  k_.emit(EventKind::SoftirqRaise, nr, cpu);
  if (k_.cpu_online(cpu)) wakeup_softirqd(cpu);
}

void Softirq::cpu_online(int cpu) {
  bool any;
  {
    std::lock_guard g(lock_);
    any = pending_[static_cast<size_t>(cpu)] != 0;
  }
  if (any) wakeup_softirqd(cpu);
}

// Mirrors wakeup_softirqd(); the lab spawns ksoftirqd/N here the first time (spawn_ksoftirqd()
// makes all of them at boot), so machines that never raise a softirq keep their task lists.
void Softirq::wakeup_softirqd(int cpu) {
  Task* t = nullptr;
  {
    std::lock_guard g(lock_);
    t = ksoftirqd_[static_cast<size_t>(cpu)];
  }
  if (t == nullptr) {
    auto r = k_.kthread_create([this, cpu] { return run_ksoftirqd(cpu); },
                               "ksoftirqd/" + std::to_string(cpu), cpu, 0);
    if (!r) {
      k_.printk(3, "softirq: cannot start ksoftirqd/" + std::to_string(cpu) +
                       "; softirqs raised on this CPU stay pending");
      return;
    }
    std::lock_guard g(lock_);
    if (ksoftirqd_[static_cast<size_t>(cpu)] == nullptr)
      ksoftirqd_[static_cast<size_t>(cpu)] = r.task;
    t = ksoftirqd_[static_cast<size_t>(cpu)];
  }
  k_.wake_up_process(*t);
}

// Mirrors run_ksoftirqd() under smpboot_thread_fn(): park when nothing is pending.
TaskStep Softirq::run_ksoftirqd(int cpu) {
  Task* self = k_.current();
  for (;;) {
    k_.set_current_state(TaskState::Interruptible);
    {
      std::lock_guard g(lock_);
      if (pending_[static_cast<size_t>(cpu)] == 0) return TaskStep::Park;
    }
    k_.set_current_state(TaskState::Running);
    handle_softirqs(cpu, *self);
  }
}

// Mirrors handle_softirqs(): run every pending action, lowest number first, in softirq context;
// restart while new ones are raised, at most MAX_SOFTIRQ_RESTART times or MAX_SOFTIRQ_TIME.
void Softirq::handle_softirqs(int cpu, Task& self) {
  uint64_t end = k_.jiffies() + k_.msecs_to_jiffies(MAX_SOFTIRQ_TIME_MS);
  int max_restart = MAX_SOFTIRQ_RESTART;
  for (;;) {
    uint32_t pending = take_pending(cpu);
    self.softirq_count += SOFTIRQ_OFFSET;
    for (int nr = 0; nr < NR_SOFTIRQS; ++nr) {
      if (!((pending >> nr) & 1u)) continue;
      const Action& a = actions_[static_cast<size_t>(nr)];
      k_.emit(EventKind::SoftirqEntry, nr, k_.intern(a.name));
      if (a.fn) a.fn(cpu);
      k_.emit(EventKind::SoftirqExit, nr, k_.intern(a.name));
    }
    self.softirq_count -= SOFTIRQ_OFFSET;
    {
      std::lock_guard g(lock_);
      if (pending_[static_cast<size_t>(cpu)] == 0) return;
    }
    // ksoftirqd loops again anyway; the budget only decides where cond_resched() comes.
    if (k_.jiffies() >= end || --max_restart == 0) return;
  }
}

}  // namespace wqlab::kernel

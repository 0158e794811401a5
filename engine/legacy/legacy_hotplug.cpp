// Legacy CPU hotplug: a CPU coming up gets a thread "name/N" for every MT workqueue; a CPU going
// down has each of those threads flushed and stopped. ST workqueues are not touched (their thread
// is unbound). The lab's kernel calls the callback after a CPU came up and before one goes down,
// and cannot be vetoed.
#include "engine/legacy/legacy_wq.h"

namespace wqlab::legacy {

using kernel::Task;

// The `workqueues` list (MT workqueues only, newest first), copied so that no lock is held while
// threads are created or stopped.
std::vector<LegacyWorkqueue*> LegacyWq::mt_workqueues() const {
  std::vector<LegacyWorkqueue*> out;
  kernel::SpinLockGuard g(registry_lock_);
  for (wq::ListHead* n = workqueues_.next; n != &workqueues_; n = n->next)
    out.push_back(n->entry<LegacyWorkqueue>());
  return out;
}

// Mirrors 2.6.24 kernel/workqueue.c: workqueue_cpu_callback(). Online: CPU_UP_PREPARE creates the
// threads (and adds the CPU to cpu_populated_map), CPU_ONLINE binds and wakes them. Offline: the
// lab's CPU_DEAD, where cleanup_workqueue_thread() flushes each cwq and stops its thread; the CPU
// is still up here, so its items run on it (2.6.24 ran them after the thread had been migrated).
void LegacyWq::workqueue_cpu_callback(int cpu, bool online) {
  WorkqueueMutexGuard guard(*this);  // CPU_LOCK_ACQUIRE ... CPU_LOCK_RELEASE
  if (!online) {
    for (LegacyWorkqueue* wq : mt_workqueues())
      cleanup_workqueue_thread(wq->cpu_wq[static_cast<size_t>(cpu)].get());
    boot_kthreads_cpu_callback(cpu, false);
    return;
  }
  boot_kthreads_cpu_callback(cpu, true);
  {
    kernel::SpinLockGuard g(registry_lock_);
    cpu_populated_map_.set(static_cast<size_t>(cpu));
  }
  std::vector<CpuWorkqueue*> created;
  for (LegacyWorkqueue* wq : mt_workqueues()) {
    CpuWorkqueue* cwq = wq->cpu_wq[static_cast<size_t>(cpu)].get();
    bool has_thread = false;
    {
      // Lab: a thread told to stop from outside a task may still be draining; keep it instead.
      kernel::SpinLockGuard g(cwq->lock);
      has_thread = cwq->thread.load() != nullptr;
      cwq->stop_when_empty = false;
    }
    if (has_thread) {
      kernel::CpuMask mask;
      mask.set(static_cast<size_t>(cpu));
      k_.set_cpus_allowed(*cwq->thread.load(), mask);
    } else if (create_workqueue_thread(cwq, cpu) == 0) {
      created.push_back(cwq);
    } else {
      // printk(KERN_ERR) then NOTIFY_BAD, which the lab ignores.
      bug("workqueue [" + wq->name + "] for " + std::to_string(cpu) + " failed");
    }
  }
  for (CpuWorkqueue* cwq : created) start_workqueue_thread(cwq, cpu);
}

}  // namespace wqlab::legacy

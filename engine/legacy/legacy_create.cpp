// The life of a legacy workqueue (workqueue_struct and its cpu_workqueue_structs):
// init_workqueues(), __create_workqueue_key() with its per-CPU threads, and destroy_workqueue()
// with cleanup_workqueue_thread(); plus the observers. Not modelled: the lockdep key and lock name
// that __create_workqueue_key() takes.
#include "engine/legacy/legacy_wq.h"

namespace wqlab::legacy {

using kernel::Task;
using trace::EventKind;

namespace {
constexpr size_t TASK_COMM_LEN = 16;  // kthread_create() truncates the name to 15 characters

std::string errno_name(int err) {
  if (err == -kernel::kEAGAIN) return "-EAGAIN";
  if (err == -kernel::kENOMEM) return "-ENOMEM";
  return std::to_string(err);
}
}  // namespace

kernel::KernelConfig kernel_config(kernel::KernelConfig base) {
  base.fork_pid_errno = -kernel::kENOMEM;  // retval = -ENOMEM; pid = alloc_pid(); if (!pid) goto
  base.cascading_timer_wheel = true;       // kernel/timer.c's tv1..tv5: a timer runs at expires
  return base;
}

// ---- Boot ----

// Mirrors 2.6.24 kernel/workqueue.c: init_workqueues(), called from do_basic_setup(). The boot
// threads that a 2.6.24 machine creates before and after it come from legacy_boot.cpp.
LegacyWq::LegacyWq(kernel::Kernel& k, LegacyConfig cfg) : k_(k), cfg_(cfg), workqueues_(nullptr) {
  for (int cpu = 0; cpu < k_.nr_cpus(); ++cpu)
    if (k_.cpu_online(cpu)) cpu_populated_map_.set(static_cast<size_t>(cpu));
  singlethread_cpu_ = 0;  // first_cpu(cpu_possible_map)
  k_.add_hotplug_callback([this](int cpu, bool online) { workqueue_cpu_callback(cpu, online); });
  if (cfg_.boot_threads) create_boot_threads_early();
  keventd_wq = create_workqueue("events");
  if (keventd_wq == nullptr) bug("init_workqueues: cannot create keventd_wq (\"events\")");
  if (cfg_.boot_threads) create_boot_threads_late();
}

LegacyWq::~LegacyWq() {
  // The kernel owns the threads; stop it first so none touches a workqueue being freed.
  k_.shutdown();
}

// ---- Creation ----

int64_t LegacyWq::workqueue_bytes() const {
  return kWorkqueueStructBytes + kCpuWorkqueueBytes * k_.nr_cpus();
}

kernel::CpuMask LegacyWq::wq_cpu_map(const LegacyWorkqueue* wq) const {
  if (wq->singlethread) {
    kernel::CpuMask m;
    m.set(static_cast<size_t>(singlethread_cpu_));  // cpu_singlethread_map
    return m;
  }
  kernel::SpinLockGuard g(registry_lock_);
  return cpu_populated_map_;
}

// Mirrors 2.6.24 kernel/workqueue.c: init_cpu_workqueue().
CpuWorkqueue* LegacyWq::init_cpu_workqueue(LegacyWorkqueue* wq, int cpu) {
  auto owned = std::make_unique<CpuWorkqueue>();
  CpuWorkqueue* cwq = owned.get();
  cwq->wq = wq;
  cwq->cpu = cpu;
  wq->cpu_wq[static_cast<size_t>(cpu)] = std::move(owned);
  kernel::SpinLockGuard g(registry_lock_);
  cwq->id = static_cast<int>(cwqs_.size());
  cwqs_.push_back(cwq);
  return cwq;
}

// Mirrors 2.6.24 kernel/workqueue.c: create_workqueue_thread(): kthread_create(worker_thread),
// named "%s" (ST) or "%s/%d" (MT). Returns 0 or the kthread's -errno.
int LegacyWq::create_workqueue_thread(CpuWorkqueue* cwq, int cpu, bool* no_pid) {
  LegacyWorkqueue* wq = cwq->wq;
  std::string comm = wq->singlethread ? wq->name : wq->name + "/" + std::to_string(cpu);
  if (comm.size() >= TASK_COMM_LEN) comm.resize(TASK_COMM_LEN - 1);
  auto r = k_.kthread_create([this, cwq] { return worker_thread(cwq); }, comm,
                             wq->singlethread ? -1 : cpu, kWorkerNice);
  if (!r) {
    k_.emit(EventKind::LegacyCreateFail, wq->name_id, cpu, r.err);
    if (no_pid != nullptr) *no_pid = r.no_pid;
    return r.err;
  }
  cwq->wait.task = r.task;
  cwq->thread = r.task;
  nr_threads_.fetch_add(1);
  k_.emit(EventKind::LegacyCreate, wq->name_id, r.task->pid, cpu, wq->singlethread);
  return 0;
}

// Mirrors 2.6.24 kernel/workqueue.c: start_workqueue_thread(): kthread_bind() and wake it.
void LegacyWq::start_workqueue_thread(CpuWorkqueue* cwq, int cpu) {
  Task* p = cwq->thread.load();
  if (p == nullptr) return;
  if (cpu >= 0) {
    kernel::CpuMask mask;
    mask.set(static_cast<size_t>(cpu));
    k_.set_cpus_allowed(*p, mask);
  }
  k_.wake_up_process(*p);
}

// Mirrors 2.6.24 kernel/workqueue.c: __create_workqueue_key(). An MT workqueue gets one thread per
// online CPU; if one cannot be created, the workqueue is destroyed again (its threads stopped,
// their pids freed) and nullptr returned.
LegacyWorkqueue* LegacyWq::__create_workqueue_key(std::string name, bool singlethread,
                                                  bool freezeable) {
  std::string fn =
      singlethread ? (freezeable ? "create_freezeable_workqueue" : "create_singlethread_workqueue")
                   : "create_workqueue";
  if (!k_.kmalloc(workqueue_bytes(), "workqueue_struct")) {
    // 2.6.24 returns NULL without a word; the explanation is the lab's.
    k_.emit(EventKind::LegacyCreateFail, k_.intern(name), -1, -kernel::kENOMEM);
    k_.lab_note(fn + "(\"" + name + "\") returned NULL: kzalloc() of its workqueue_struct failed");
    return nullptr;
  }
  auto owned = std::make_unique<LegacyWorkqueue>();
  LegacyWorkqueue* wq = owned.get();
  wq->name = name;
  wq->name_id = k_.intern(name);
  wq->singlethread = singlethread;
  wq->freezeable = freezeable;
  wq->cpu_wq.resize(static_cast<size_t>(k_.nr_cpus()));
  {
    kernel::SpinLockGuard g(registry_lock_);
    wq->id = static_cast<int>(all_wqs_.size());
    all_wqs_.push_back(std::move(owned));
  }
  int err = 0;
  int failed_cpu = -1;
  bool failed_no_pid = false;
  if (singlethread) {
    CpuWorkqueue* cwq = init_cpu_workqueue(wq, singlethread_cpu_);
    err = create_workqueue_thread(cwq, singlethread_cpu_, &failed_no_pid);
    if (err) failed_cpu = singlethread_cpu_;
    start_workqueue_thread(cwq, -1);
  } else {
    // Lab: every cwq is set up before the workqueue is listed (alloc_percpu() made them all).
    for (int cpu = 0; cpu < k_.nr_cpus(); ++cpu) init_cpu_workqueue(wq, cpu);
    WorkqueueMutexGuard guard(*this);
    {
      kernel::SpinLockGuard g(registry_lock_);
      wq::list_add(&wq->list, &workqueues_);
    }
    for (int cpu = 0; cpu < k_.nr_cpus(); ++cpu) {  // for_each_possible_cpu
      CpuWorkqueue* cwq = wq->cpu_wq[static_cast<size_t>(cpu)].get();
      if (err || !k_.cpu_online(cpu)) continue;
      err = create_workqueue_thread(cwq, cpu, &failed_no_pid);
      if (err) failed_cpu = cpu;
      start_workqueue_thread(cwq, cpu);
    }
  }
  if (!err) return wq;

  // The kernel prints nothing here: __create_workqueue_key() destroys the half-made workqueue and
  // returns NULL. The explanation is the lab's narration, apart from the kernel log.
  int made = static_cast<int>(threads(wq).size());
  std::string thread = singlethread ? name : name + "/" + std::to_string(failed_cpu);
  std::string why = failed_no_pid
                        ? " (no free pid below pid_max " + std::to_string(k_.pid_max()) +
                              ": copy_process() had set -ENOMEM before alloc_pid() failed)"
                        : " (out of memory)";
  k_.lab_note(fn + "(\"" + name + "\") returned NULL: kthread_create(" + thread + ") failed with " +
              errno_name(err) + why + "; the " + std::to_string(made) +
              " thread(s) already created for it were stopped");
  {
    WorkqueueMutexGuard guard(*this);
    kernel::SpinLockGuard g(registry_lock_);
    wq::list_del_init(&wq->list);
  }
  destroy_threads(wq);
  wq->destroyed = true;
  k_.kfree(workqueue_bytes());
  return nullptr;
}

// Mirrors 2.6.24 include/linux/workqueue.h: the create_*workqueue() macros.
LegacyWorkqueue* LegacyWq::create_workqueue(std::string name) {
  return __create_workqueue_key(std::move(name), false, false);
}

LegacyWorkqueue* LegacyWq::create_singlethread_workqueue(std::string name) {
  return __create_workqueue_key(std::move(name), true, false);
}

LegacyWorkqueue* LegacyWq::create_freezeable_workqueue(std::string name) {
  return __create_workqueue_key(std::move(name), true, true);
}

// ---- Destruction ----

// Lab: outside a task nothing can wait, and a thread cannot kthread_stop() itself; such a thread
// is told to exit as soon as its list is empty (it still runs what is queued, as a flush would).
void LegacyWq::stop_when_empty(CpuWorkqueue* cwq) {
  {
    kernel::SpinLockGuard g(cwq->lock);
    cwq->stop_when_empty = true;
  }
  cwq->more_work.wake_up();
}

// Mirrors 2.6.24 kernel/workqueue.c: cleanup_workqueue_thread(): flush the cwq, then
// kthread_stop() its thread (which clears cwq->thread as it exits). Returns 1 if it had a thread.
int LegacyWq::cleanup_workqueue_thread(CpuWorkqueue* cwq) {
  if (cwq == nullptr) return 0;
  Task* thread = cwq->thread.load();
  if (thread == nullptr) return 0;
  Task* self = k_.current();
  if (self == nullptr || self == thread) {
    stop_when_empty(cwq);
    return 1;
  }
  flush_cpu_workqueue(cwq);
  k_.kthread_stop(*thread);
  return 1;
}

// The destroy_workqueue() loop: cleanup_workqueue_thread() for every CPU of the workqueue's map.
int LegacyWq::destroy_threads(LegacyWorkqueue* wq) {
  int stopped = 0;
  kernel::CpuMask map = wq_cpu_map(wq);
  for (int cpu = 0; cpu < k_.nr_cpus(); ++cpu)
    if (map.test(static_cast<size_t>(cpu)))
      stopped += cleanup_workqueue_thread(wq_per_cpu(wq, cpu));
  return stopped;
}

// Mirrors 2.6.24 kernel/workqueue.c: destroy_workqueue(): unlist it, then flush and stop each
// thread. Items queued during the flush are never run (the kernel leaves them too).
void LegacyWq::destroy_workqueue(LegacyWorkqueue* wq) {
  if (wq == nullptr || wq->destroyed) {
    bug("destroy_workqueue() called on a null or already destroyed workqueue");
    return;
  }
  if (!in_task("destroy_workqueue")) return;
  Task* self = k_.current();
  for (Task* t : threads(wq)) {
    if (t == self) {
      bug("destroy_workqueue(\"" + wq->name + "\") called from its own thread " + t->comm +
          ": it would wait for itself; refused");
      return;
    }
  }
  {
    WorkqueueMutexGuard guard(*this);
    kernel::SpinLockGuard g(registry_lock_);
    wq::list_del_init(&wq->list);
  }
  int stopped = destroy_threads(wq);
  int left = 0;
  for (auto& cwq : wq->cpu_wq) {
    if (!cwq) continue;
    kernel::SpinLockGuard g(cwq->lock);
    left += wq::list_count(&cwq->worklist);
  }
  if (left > 0) {
    bug("destroy_workqueue(\"" + wq->name + "\"): " + std::to_string(left) +
        " work item(s) were queued during the final flush and will never run");
  }
  wq->destroyed = true;
  k_.kfree(workqueue_bytes());
  k_.emit(EventKind::LegacyDestroy, wq->name_id, stopped);
}

// ---- Messages ----

bool LegacyWq::in_task(std::string_view what) const {
  if (k_.current() != nullptr) return true;
  bug("workqueue: " + std::string(what) + "() sleeps, so it needs a task context; ignored");
  return false;
}

void LegacyWq::bug(std::string_view msg) const {
  k_.printk(4, msg);
}

// ---- Observing ----

std::vector<LegacyWorkqueue*> LegacyWq::workqueues() const {
  kernel::SpinLockGuard g(registry_lock_);
  std::vector<LegacyWorkqueue*> out;
  for (auto& wq : all_wqs_)
    if (!wq->destroyed) out.push_back(wq.get());
  return out;
}

LegacyWorkqueue* LegacyWq::find_workqueue(std::string_view name) const {
  for (LegacyWorkqueue* wq : workqueues())
    if (wq->name == name) return wq;
  return nullptr;
}

std::vector<Task*> LegacyWq::threads(const LegacyWorkqueue* wq) const {
  std::vector<Task*> out;
  if (wq == nullptr) return out;
  for (auto& cwq : wq->cpu_wq)
    if (cwq)
      if (Task* t = cwq->thread.load()) out.push_back(t);
  return out;
}

CpuWorkqueue* LegacyWq::cpu_workqueue(const LegacyWorkqueue* wq, int cpu) const {
  if (wq == nullptr || cpu < 0 || cpu >= k_.nr_cpus()) return nullptr;
  return wq->cpu_wq[static_cast<size_t>(cpu)].get();
}

}  // namespace wqlab::legacy

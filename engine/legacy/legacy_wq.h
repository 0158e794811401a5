// The legacy workqueue of Linux 2.6.24 (kernel/workqueue.c before cmwq arrived in 2.6.36), on the
// simulated kernel: a multi-threaded (MT) workqueue has one worker thread per online CPU, named
// "name/N" and bound to it; a single-threaded (ST) one has one unbound thread "name". Each thread
// runs its own list strictly one item after another. This is the design whose thread count
// "saturated the default 32k PID space just booting up" (Documentation/workqueue.txt, 2010).
//
// What the lab simplifies, each said once where it happens: no freezer, no lockdep; CPU hotplug
// callbacks cannot veto a CPU coming up; outside a task (the driver) nothing can sleep, so threads
// that must stop are told to exit once their list is empty instead of being kthread_stop()ed.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/kernel/kernel.h"
#include "engine/kernel/sync.h"
#include "engine/legacy/legacy_structs.h"
#include "engine/wq/work.h"

namespace wqlab::legacy {

struct LegacyConfig {
  bool boot_threads = true;  // create the kernel threads a 2.6.24 machine has at boot
};

// The simulated kernel as 2.6.24 behaves where workqueues feel it: copy_process() reports PID
// exhaustion as -ENOMEM, and the cascading timer wheel runs a timer at its expiry. Use it for the
// Kernel a LegacyWq runs on. (The CPU scheduler stays 6.12's EEVDF.)
kernel::KernelConfig kernel_config(kernel::KernelConfig base);

// worker_thread() runs at nice -5 (set_user_nice(current, -5)).
constexpr int kWorkerNice = -5;
// kzalloc(sizeof(struct workqueue_struct)) and alloc_percpu(struct cpu_workqueue_struct), whose
// elements are ____cacheline_aligned: what creating a workqueue charges to the memory budget.
constexpr int64_t kWorkqueueStructBytes = 64;
constexpr int64_t kCpuWorkqueueBytes = 128;

class LegacyWq {
 public:
  // Mirrors 2.6.24 init/main.c + kernel/workqueue.c: init_workqueues(), plus the boot threads of
  // legacy_boot.cpp around it. Call from the driver or a task of `k`.
  explicit LegacyWq(kernel::Kernel& k, LegacyConfig cfg = {});
  // Shuts the kernel down first, so no thread touches the workqueues being freed.
  ~LegacyWq();
  LegacyWq(const LegacyWq&) = delete;
  LegacyWq& operator=(const LegacyWq&) = delete;

  kernel::Kernel& kernel() const { return k_; }
  const LegacyConfig& config() const { return cfg_; }

  LegacyWorkqueue* keventd_wq = nullptr;  // create_workqueue("events")

  // ---- Creating and destroying (nullptr when a thread cannot be created) ----
  LegacyWorkqueue* create_workqueue(std::string name);
  LegacyWorkqueue* create_singlethread_workqueue(std::string name);
  LegacyWorkqueue* create_freezeable_workqueue(std::string name);
  void destroy_workqueue(LegacyWorkqueue* wq);  // task context: flushes, then stops the threads

  // ---- Queueing (true if queued, false if it was already pending or the call was bad) ----
  bool queue_work(LegacyWorkqueue* wq, wq::Work* work);
  // Lab convenience: queue_work_on() only appeared in 2.6.27; 2.6.24 had just the delayed variant.
  bool queue_work_on(int cpu, LegacyWorkqueue* wq, wq::Work* work);
  bool queue_delayed_work(LegacyWorkqueue* wq, wq::DelayedWork* dwork, uint64_t delay_jiffies);
  bool queue_delayed_work_on(int cpu, LegacyWorkqueue* wq, wq::DelayedWork* dwork,
                             uint64_t delay_jiffies);
  bool schedule_work(wq::Work* work);
  bool schedule_delayed_work(wq::DelayedWork* dwork, uint64_t delay_jiffies);
  bool schedule_delayed_work_on(int cpu, wq::DelayedWork* dwork, uint64_t delay_jiffies);
  // Runs fn once on every online CPU through keventd and waits (task context). 0 or -errno.
  int schedule_on_each_cpu(wq::WorkFunc fn, std::string_view name);

  // ---- Flushing and cancelling (all but cancel_delayed_work() need task context) ----
  void flush_workqueue(LegacyWorkqueue* wq);
  void flush_scheduled_work();
  bool cancel_work_sync(wq::Work* work);
  bool cancel_delayed_work(wq::DelayedWork* dwork);
  bool cancel_delayed_work_sync(wq::DelayedWork* dwork);
  // 2.6.24's include/linux/workqueue.h: the obsolete name of cancel_delayed_work_sync().
  void cancel_rearming_delayed_work(wq::DelayedWork* dwork) { cancel_delayed_work_sync(dwork); }

  // ---- Questions ----
  bool current_is_keventd() const;
  int singlethread_cpu() const { return singlethread_cpu_; }

  // ---- Observing (tests and the headless runner; the views read events) ----
  int nr_threads() const { return nr_threads_.load(); }              // workqueue threads alive
  int nr_boot_kthreads() const { return nr_boot_kthreads_.load(); }  // non-workqueue boot threads
  std::vector<LegacyWorkqueue*> workqueues() const;                  // live ones, in creation order
  LegacyWorkqueue* find_workqueue(std::string_view name) const;
  std::vector<kernel::Task*> threads(const LegacyWorkqueue* wq) const;  // by CPU
  bool is_singlethread(const LegacyWorkqueue* wq) const { return wq && wq->singlethread; }
  CpuWorkqueue* cpu_workqueue(const LegacyWorkqueue* wq, int cpu) const;

 private:
  // struct wq_barrier: a work item that completes `done` when the thread reaches it.
  struct WqBarrier {
    wq::Work work;
    kernel::Completion done;
  };
  // A boot kernel thread that is not a workqueue thread (kthreadd, migration/N, ...).
  struct BootThread {
    std::string comm;
    int cpu = -1;  // bound to this CPU, or -1
    int nice = 0;
    kernel::Task* task = nullptr;  // M
    std::atomic<bool> stop{false};
  };
  // workqueue_mutex is a sleeping lock: only a task can wait for it. Outside a task (the
  // driver) nothing else runs in deterministic mode, so the lab goes ahead without it.
  class WorkqueueMutexGuard {
   public:
    explicit WorkqueueMutexGuard(LegacyWq& l)
        : m_(l.workqueue_mutex_), held_(l.k_.current() != nullptr) {
      if (held_) m_.lock();
    }
    ~WorkqueueMutexGuard() {
      if (held_) m_.unlock();
    }
    WorkqueueMutexGuard(const WorkqueueMutexGuard&) = delete;
    WorkqueueMutexGuard& operator=(const WorkqueueMutexGuard&) = delete;

   private:
    kernel::Mutex& m_;
    bool held_;
  };

  // legacy_create.cpp
  LegacyWorkqueue* __create_workqueue_key(std::string name, bool singlethread, bool freezeable);
  CpuWorkqueue* init_cpu_workqueue(LegacyWorkqueue* wq, int cpu);
  int create_workqueue_thread(CpuWorkqueue* cwq, int cpu, bool* no_pid = nullptr);
  void start_workqueue_thread(CpuWorkqueue* cwq, int cpu);
  int cleanup_workqueue_thread(CpuWorkqueue* cwq);
  void stop_when_empty(CpuWorkqueue* cwq);
  int destroy_threads(LegacyWorkqueue* wq);
  int64_t workqueue_bytes() const;
  kernel::CpuMask wq_cpu_map(const LegacyWorkqueue* wq) const;
  bool in_task(std::string_view what) const;
  void bug(std::string_view msg) const;

  // legacy_queue.cpp
  int this_cpu() const;
  CpuWorkqueue* wq_per_cpu(const LegacyWorkqueue* wq, int cpu) const;
  CpuWorkqueue* get_wq_data(const wq::Work* work) const;
  void set_wq_data(wq::Work* work, const CpuWorkqueue* cwq);
  void insert_work(CpuWorkqueue* cwq, wq::Work* work, bool tail);
  void __queue_work(CpuWorkqueue* cwq, wq::Work* work);
  bool check_queue_args(std::string_view fn, LegacyWorkqueue* wq, wq::Work* work);
  void delayed_work_timer_fn(wq::DelayedWork* dwork);
  int64_t work_id(wq::Work* work);

  // legacy_worker.cpp
  kernel::TaskStep worker_thread(CpuWorkqueue* cwq);
  void run_workqueue(CpuWorkqueue* cwq);

  // legacy_flush.cpp
  void insert_wq_barrier(CpuWorkqueue* cwq, WqBarrier* barr, bool tail);
  bool flush_cpu_workqueue(CpuWorkqueue* cwq);

  // legacy_cancel.cpp
  int try_to_grab_pending(wq::Work* work);
  void wait_on_cpu_work(CpuWorkqueue* cwq, wq::Work* work);
  void wait_on_work(wq::Work* work);
  int __cancel_work_timer(wq::Work* work, kernel::Timer* timer);

  // legacy_hotplug.cpp
  void workqueue_cpu_callback(int cpu, bool online);
  std::vector<LegacyWorkqueue*> mt_workqueues() const;

  // legacy_boot.cpp
  void create_boot_threads_early();
  void create_boot_threads_late();
  void boot_kthread(std::string comm, int cpu, int nice);
  void boot_workqueue(std::string name, bool singlethread, bool freezeable);
  kernel::TaskStep boot_thread_main(BootThread* bt);
  void boot_kthreads_cpu_callback(int cpu, bool online);

  kernel::Kernel& k_;
  LegacyConfig cfg_;

  // workqueue_mutex: serialises creation, destruction and CPU hotplug. Taken only in task
  // context (outside a task nothing else runs in deterministic mode).
  kernel::Mutex workqueue_mutex_;
  // Lab: guards the registries below for short sections (readable from timer context).
  mutable kernel::SpinLock registry_lock_;
  wq::ListHead workqueues_;                                // M: MT workqueues, newest first
  std::vector<std::unique_ptr<LegacyWorkqueue>> all_wqs_;  // every workqueue ever created
  std::vector<CpuWorkqueue*> cwqs_;                        // by cwq id (the data word)
  kernel::CpuMask cpu_populated_map_;                      // M: CPUs that have ever been up
  int singlethread_cpu_ = 0;                               // I: first possible CPU
  std::atomic<int> nr_threads_{0};
  std::atomic<int> nr_boot_kthreads_{0};
  std::atomic<int64_t> next_work_id_{1};
  std::vector<std::unique_ptr<BootThread>> boot_threads_;  // M
};

}  // namespace wqlab::legacy

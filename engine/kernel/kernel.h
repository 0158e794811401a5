// The simulated kernel: virtual CPUs, a virtual clock with HZ and jiffies, tasks on carrier OS
// threads, a scheduler with two modes, timers, a PID allocator and a memory budget.
// It does not model: preemption of zero-time code, priorities between tasks (nice is only a
// label), SMP load balancing beyond "pick an idle allowed CPU", or interrupts other than timers.
//
// Two execution modes (DESIGN.md):
//  - Deterministic: exactly one task runs engine code at a time; the next one is chosen by
//    (virtual time, CPU, sequence). Code takes no virtual time except compute_for(); time jumps to
//    the next timer or end of a compute slice when nothing can run. Same inputs, same event log.
//  - Realtime: tasks run freely on their OS threads; virtual time is host time times a speed.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "engine/kernel/carrier_pool.h"
#include "engine/kernel/memory.h"
#include "engine/kernel/pid_allocator.h"
#include "engine/kernel/task.h"
#include "engine/kernel/timer.h"
#include "engine/kernel/types.h"
#include "engine/trace/event_kind.h"
#include "engine/trace/recorder.h"

namespace wqlab::kernel {

enum class Mode : uint8_t { Deterministic, Realtime };

// The task this OS thread is running (any kernel), for the scheduler's own bookkeeping.
Task* current_task_raw();
void set_current_task_raw(Task* t);

struct KernelConfig {
  Mode mode = Mode::Deterministic;
  int nr_cpus = 4;                // 1..NR_CPUS, all online at boot
  int hz = 1000;                  // ticks per second
  int pid_max = PID_MAX_DEFAULT;  // kernel.pid_max
  int64_t memory_bytes = int64_t{1} << 30;
  int64_t task_bytes = 16 * 1024 + 9 * 1024;  // THREAD_SIZE + task_struct, charged per kthread
  Nanos slice = msecs(10);  // deterministic: CPU-bound tasks sharing a CPU rotate this often
  double speed = 1.0;       // realtime: virtual ns per host ns
  size_t carrier_cap = 0;   // 0 = unbounded (desktop); the browser build sets its pool size
  std::shared_ptr<CarrierBudget> carrier_budget;  // OS threads shared with other kernels, if any
  bool pin_carriers = true;  // deterministic: keep carriers on one host core (faster handoffs)
};

// Thrown inside a task when the kernel shuts down while the task is blocked, to unwind its stack.
struct TaskKilled {};

// Why run() returned.
enum class RunStop : uint8_t {
  Idle,         // nothing runnable, computing, or waiting on a non-deferrable timer
  TimeLimit,    // virtual time reached RunLimit::until
  SwitchLimit,  // RunLimit::max_switches task dispatches done (deterministic)
  Error,        // the run cannot continue (see RunResult::error)
};

struct RunLimit {
  Nanos until = kForever;
  uint64_t max_switches = UINT64_MAX;
  // With a finite `until`: stop as soon as the machine is idle (deferrable timers do not count),
  // instead of letting time run on to `until`.
  bool stop_when_idle = false;
};

struct RunResult {
  RunStop stop = RunStop::Idle;
  Nanos now = 0;
  uint64_t switches = 0;  // task dispatches in this run
  std::string error;
};

// A task that could run next, as the chooser sees it. Sorted in the default order.
struct Runnable {
  Task* task;
  Nanos time;
  int cpu;
  uint64_t seq;
};
using Chooser = std::function<size_t(std::span<const Runnable>)>;

// Result of kthread_create(): the task, or a negative errno.
struct TaskOrError {
  Task* task = nullptr;
  int err = 0;
  explicit operator bool() const { return task != nullptr; }
};

class Kernel {
 public:
  explicit Kernel(KernelConfig cfg = {}, trace::Recorder* recorder = nullptr);
  ~Kernel();
  Kernel(const Kernel&) = delete;
  Kernel& operator=(const Kernel&) = delete;

  const KernelConfig& config() const { return cfg_; }
  Mode mode() const { return cfg_.mode; }
  bool deterministic() const { return cfg_.mode == Mode::Deterministic; }

  // ---- Time ----
  Nanos now() const;
  int hz() const { return cfg_.hz; }
  Nanos jiffy_ns() const { return jiffy_ns_; }
  uint64_t jiffies() const { return static_cast<uint64_t>(now() / jiffy_ns_); }
  // jiffies for bookkeeping that only needs tick resolution (watchdog stamps, idle ages): in
  // realtime mode it reads the coarse clock, several times cheaper than now().
  uint64_t jiffies_coarse() const;
  uint64_t msecs_to_jiffies(int64_t ms) const;

  // ---- CPUs ----
  int nr_cpus() const { return cfg_.nr_cpus; }
  bool cpu_online(int cpu) const;
  int nr_online_cpus() const;
  // 0, -kEINVAL for a bad cpu, -kEBUSY for the last online CPU. Runs hotplug callbacks in the
  // caller's context (online: after the CPU is up; offline: before it goes down).
  int set_cpu_online(int cpu, bool online);
  using HotplugFn = std::function<void(int cpu, bool online)>;
  void add_hotplug_callback(HotplugFn fn);
  // The CPU the current task is on (the first online CPU outside tasks).
  int smp_processor_id() const;

  // ---- PIDs and memory ----
  int nr_pids_in_use() const;
  int pid_max() const;
  bool kmalloc(int64_t bytes, std::string_view what);  // false = allocation failure (-ENOMEM)
  void kfree(int64_t bytes);
  void set_memory_pressure(bool on);
  bool memory_pressure() const { return memory_.pressure(); }
  int64_t memory_used() const { return memory_.used(); }

  // ---- Tasks ----
  // Mirrors kthread_create_on_cpu()/kthread_create(): the task sleeps until wake_up_process().
  // cpu >= 0 binds it to that CPU; cpu < 0 allows every CPU. Fails with -kENOMEM (memory
  // pressure) or -kEAGAIN (no free pid).
  TaskOrError kthread_create(TaskMain main, std::string comm, int cpu = -1, int nice = 0);
  TaskOrError kthread_run(TaskMain main, std::string comm, int cpu = -1, int nice = 0);
  // Runs `body` once in a new task (the context of a scenario or a test).
  TaskOrError spawn(std::string comm, std::function<void()> body, int cpu = -1);
  bool wake_up_process(Task& t);
  // Asks `t` to stop, wakes it and waits for it to exit; returns its exit code. Task context,
  // except for a task that never ran: like Linux, it then exits at once from any context.
  int kthread_stop(Task& t);
  bool kthread_should_stop() const;
  void set_cpus_allowed(Task& t, const CpuMask& mask);
  Task* current() const;
  Task* find_task(int pid) const;
  size_t nr_tasks() const;  // alive (not exited)
  std::vector<Task*> tasks() const;

  // ---- In a task ----
  void set_current_state(TaskState s);
  // Blocks until the state is TASK_RUNNING again (no-op if it already is).
  void schedule(trace::BlockReason reason = trace::BlockReason::WaitQueue, int64_t on = 0);
  void sleep_for(Nanos d);    // blocks (cmwq sees the worker sleep)
  void compute_for(Nanos d);  // CPU-bound: occupies the CPU for d of virtual time

  // ---- Timers (expires in jiffies, as the kernel's) ----
  bool mod_timer(Timer& t, uint64_t expires_jiffies);
  bool mod_timer_ns(Timer& t, Nanos expires);  // hrtimer-style, for sleeps
  bool del_timer(Timer& t);
  bool del_timer_sync(Timer& t);  // also waits for a running callback (realtime)
  bool timer_pending(const Timer& t) const;

  // ---- Driving (from outside any task) ----
  RunResult run(RunLimit limit = {});
  RunResult run_until_idle() { return run({}); }
  RunResult run_for(Nanos d);
  void set_chooser(Chooser c);
  // Deterministic, between runs: the tasks waiting on the run queue, in the order the scheduler
  // would pick them (what a chooser would be offered next; the sandbox's "you are the scheduler").
  std::vector<Runnable> runnable() const;
  void shutdown();  // unwinds blocked tasks and joins every carrier; the destructor calls it
  // Deterministic mode, between runs: joins the OS threads no task holds now, so that kernels
  // sharing its carrier budget can have them (without a budget it keeps them for reuse).
  void release_idle_carriers();

  // A deterministic id for an object that appears in events (wait queue, mutex, completion).
  int64_t new_object_id() { return next_object_id_.fetch_add(1, std::memory_order_relaxed); }

  // ---- Observing ----
  size_t carriers_live() const;
  size_t carriers_peak_busy() const;
  uint64_t switches() const;
  // Realtime: new carriers are started only while fewer tasks than this are running.
  size_t rt_carrier_soft_limit() const;

  // ---- Events ----
  trace::Recorder* recorder() const { return recorder_; }
  bool recording() const { return recorder_ != nullptr; }
  int64_t intern(std::string_view s) { return recorder_ ? recorder_->strings().intern(s) : 0; }
  // Events cost one branch when nobody records.
  void emit(trace::EventKind k, int64_t a0 = 0, int64_t a1 = 0, int64_t a2 = 0, int64_t a3 = 0,
            int64_t a4 = 0) {
    if (recorder_ == nullptr) [[likely]]
      return;
    emit_as(current(), k, a0, a1, a2, a3, a4);
  }
  void printk(int level, std::string_view msg);
  // Calls `tap` synchronously, in the emitter's context, for every recorded event whose kind is
  // in `kinds`. Only for kinds emitted outside the scheduler lock (workqueue and legacy events,
  // task creation, printk...): the tap may wake tasks. Set it before the machine runs.
  using EventTap = std::function<void(const trace::Event&)>;
  void set_event_tap(EventTap tap, const std::vector<trace::EventKind>& kinds);

 private:
  struct Baton {
    std::condition_variable cv;
  };
  struct CpuState {
    bool online = true;
    std::vector<Task*> compute_queue;  // head computes; the rest wait (deterministic)
    Nanos slice_start = 0;
    Nanos seg_start = 0;
    Nanos seg_end = 0;
  };
  struct RqKey {
    Nanos time;
    int cpu;
    uint64_t seq;
    bool operator<(const RqKey& o) const {
      if (time != o.time) return time < o.time;
      if (cpu != o.cpu) return cpu < o.cpu;
      return seq < o.seq;
    }
  };
  using Lock = std::unique_lock<std::mutex>;

  // Emits as task `t` (its pid and CPU); t may be null (timer context or the driver).
  void emit_as(Task* t, trace::EventKind k, int64_t a0 = 0, int64_t a1 = 0, int64_t a2 = 0,
               int64_t a3 = 0, int64_t a4 = 0);

  // kernel.cpp
  int pick_cpu_locked(Task& t, int preferred) const;
  bool wake_locked(Task& t);
  void set_where_locked(Task& t, TaskWhere w);
  void task_exit_locked(Task& t, int code);
  void call_sleeping_hook(Task& t);
  void call_running_hook(Task& t);
  void run_task_body(Carrier* c, Lock& lk);

  // timer.cpp
  void arm_timer_locked(Timer& t, Nanos expires);
  bool detach_timer_locked(Timer& t);
  Nanos next_timer_locked(bool include_deferrable) const;
  void fire_due_timers_locked(Lock& lk);

  // scheduler_det.cpp
  void det_enqueue_locked(Task& t);
  Carrier* det_dispatch_locked(Lock& lk);  // nullptr = hand the baton to the driver
  void det_switch_away_locked(Lock& lk, Carrier* self);
  void det_hand_locked(Carrier* next);
  void det_carrier_main(Carrier* c);
  void det_schedule(Task& t, Lock& lk);
  void det_compute(Task& t, Nanos d, Lock& lk);
  RunResult det_run(const RunLimit& limit);
  void det_shutdown(Lock& lk);
  Task* det_pick_locked();

  // cpu_compute.cpp (deterministic)
  void cpu_start_segment_locked(int cpu);
  Nanos next_cpu_event_locked() const;
  void advance_cpus_locked(Lock& lk);
  int place_compute_locked(Task& t) const;
  void migrate_compute_locked(int from_cpu);

  // scheduler_rt.cpp
  void rt_make_ready_locked(Task& t);
  void rt_kick_ready_locked();
  void rt_carrier_main(Carrier* c);
  void rt_schedule(Task& t, Lock& lk);
  void rt_compute(Task& t, Nanos d);
  RunResult rt_run(const RunLimit& limit);
  void rt_timer_main();
  void rt_shutdown(Lock& lk);
  void rt_note_activity_locked();
  bool rt_idle_locked() const;

  KernelConfig cfg_;
  trace::Recorder* recorder_;
  EventTap tap_;
  std::vector<bool> tap_kinds_;
  Nanos jiffy_ns_;

  // The scheduler lock (rq->lock): task placement, run queues, timers, carriers, CPU states.
  mutable std::mutex lock_;
  std::vector<CpuState> cpus_;
  std::unique_ptr<std::atomic<bool>[]> cpu_online_;  // mirrors CpuState::online for lock-free reads
  std::vector<std::unique_ptr<Task>> tasks_;  // every task ever created, in pid-allocation order
  std::map<int, Task*> live_;                 // pid -> live task
  PidAllocator pids_;
  MemoryBudget memory_;
  std::vector<HotplugFn> hotplug_;
  std::set<std::pair<std::pair<Nanos, uint64_t>, Timer*>> timers_;
  uint64_t timer_seq_ = 0;
  int64_t next_timer_id_ = 1;
  std::atomic<int64_t> next_object_id_{0x1000};
  std::atomic<bool> shutting_down_{false};
  bool shut_down_ = false;
  std::unique_ptr<CarrierPool> carriers_;
  uint64_t switches_ = 0;
  std::string error_;

  // Deterministic mode.
  std::atomic<Nanos> now_{0};
  std::map<RqKey, Task*> rq_;
  uint64_t rq_seq_ = 0;
  Baton driver_;              // the driver's wait for the baton
  Carrier* baton_ = nullptr;  // who may run: a carrier, or nullptr for the driver
  bool driver_waiting_ = false;
  RunLimit limit_;
  uint64_t run_switches_start_ = 0;
  RunStop stop_ = RunStop::Idle;
  Chooser chooser_;
  int pin_core_ = -1;

  // Realtime mode.
  std::vector<Task*> ready_;   // woken tasks waiting for a carrier
  size_t rt_busy_ = 0;         // tasks on a CPU or runnable
  int rt_timers_running_ = 0;  // timer callbacks in flight
  std::condition_variable rt_driver_cv_;
  std::condition_variable rt_timer_cv_;
  std::thread rt_timer_thread_;
  int64_t rt_epoch_ns_ = 0;  // host steady-clock ns at boot
};

}  // namespace wqlab::kernel

// The simulated kernel: virtual CPUs, a virtual clock with HZ and jiffies, tasks on carrier OS
// threads, a scheduler with two modes, timers, a PID allocator and a memory budget.
// Deterministic mode schedules kernel threads with EEVDF as kernel/sched/fair.c of 6.12 does
// (sched_fair.h, sched_det_cpus.cpp) and files timers on the timer wheel (timer.cpp).
// It does not model: cgroups and the other scheduling classes (RT, deadline, SCHED_IDLE), PELT
// and the periodic load balancer (a CPU going idle, or the nohz kick at a tick, pulls one waiting
// task), wake_affine() and select_idle_sibling()'s SMT and recent-CPU shortcuts (a woken task
// looks for an idle CPU in its previous CPU's LLC only), hrtick, interrupts other than the
// timer tick and timers (softirqs run in ksoftirqd/N, see softirq.h), and the base clock of timer
// bases (the wheel is filed against jiffies).
//
// Two execution modes (DESIGN.md):
//  - Deterministic: exactly one task runs engine code at a time. Code takes no virtual time except
//    compute_for(); each CPU's EEVDF current task holds it, and a resched asked for while it runs
//    zero-time code takes effect at its next preemption point (compute_for(), blocking,
//    cond_resched()). Tasks ready at the same virtual time run in (time, CPU, sequence) order
//    unless a chooser says otherwise (det_pick_locked()). When nothing can run, time jumps to the
//    next timer, compute end or tick. Same inputs, same event log.
//  - Realtime: tasks run freely on their OS threads; virtual time is host time times a speed.
//    The host's scheduler shares the host's CPUs among them: nice and EEVDF do not apply, virtual
//    CPUs are not exclusive, and compute_for() calls the tick hook once per virtual jiffy.
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
#include "engine/kernel/sched_fair.h"
#include "engine/kernel/softirq.h"
#include "engine/kernel/task.h"
#include "engine/kernel/timer.h"
#include "engine/kernel/topology.h"
#include "engine/kernel/types.h"
#include "engine/trace/event_kind.h"
#include "engine/trace/recorder.h"

namespace wqlab::kernel {

enum class Mode : uint8_t { Deterministic, Realtime };

namespace detail {
inline thread_local Task* g_current_task = nullptr;
}  // namespace detail

// The task this OS thread is running (any kernel), for the scheduler's own bookkeeping.
inline Task* current_task_raw() {
  return detail::g_current_task;
}
inline void set_current_task_raw(Task* t) {
  detail::g_current_task = t;
}

struct KernelConfig {
  Mode mode = Mode::Deterministic;
  int nr_cpus = 4;                // 1..NR_CPUS, all online at boot
  int hz = 1000;                  // ticks per second
  int pid_max = PID_MAX_DEFAULT;  // kernel.pid_max
  int64_t memory_bytes = int64_t{1} << 30;
  int64_t task_bytes = 16 * 1024 + 9 * 1024;  // THREAD_SIZE + task_struct, charged per kthread
  // sysctl_sched_base_slice, EEVDF's request size; 0 = Linux's default for the online CPUs:
  // 0.75 ms * (1 + ilog2(min(cpus, 8))).
  Nanos slice = 0;
  double speed = 1.0;      // realtime: virtual ns per host ns
  size_t carrier_cap = 0;  // 0 = unbounded (desktop); the browser build sets its pool size
  std::shared_ptr<CarrierBudget> carrier_budget;  // OS threads shared with other kernels, if any
  bool pin_carriers = true;  // deterministic: keep carriers on one host core (faster handoffs)
  // What copy_process() returns when alloc_pid() finds no free pid: -EAGAIN on 6.12; 2.6.24 had
  // set retval = -ENOMEM before calling alloc_pid() and returned that.
  int fork_pid_errno = -kEAGAIN;
  // 2.6.24's timer wheel cascaded timers down its levels and ran each at `expires`; since 4.8 the
  // wheel does not cascade and rounds up to its level's granularity instead (calc_wheel_index()).
  bool cascading_timer_wheel = false;
  CpuTopology topology;  // SMT siblings, LLCs, NUMA nodes (default: one LLC, one node)
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
  // runnable(): still waiting for its CPU (EEVDF has not picked it); such a task is never offered
  // to a chooser.
  bool waiting = false;
};
using Chooser = std::function<size_t(std::span<const Runnable>)>;

// Result of kthread_create(): the task, or a negative errno.
struct TaskOrError {
  Task* task = nullptr;
  int err = 0;
  bool no_pid = false;  // lab: the failure was alloc_pid()'s (the errno may not say so)
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
  const CpuTopology& topology() const { return cfg_.topology; }
  // p->wake_cpu: where a sleeping task will be woken (the CPU it last ran on unless set).
  int wake_cpu(const Task& t) const;
  void set_wake_cpu(Task& t, int cpu);  // only for a task that is not running
  Softirq& softirq() { return *softirq_; }

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
  // Runs `body` once in a new task (the context of a scenario or a test), nice 0. A Driver-class
  // task stands for the world outside the CPUs (see SchedClass).
  TaskOrError spawn(std::string comm, std::function<void()> body, int cpu = -1,
                    SchedClass cls = SchedClass::Fair);
  // sched_setscheduler() in the lab's two classes; for a task that is not runnable.
  void set_sched_class(Task& t, SchedClass cls);
  bool wake_up_process(Task& t);
  // Asks `t` to stop, wakes it and waits for it to exit; returns its exit code. Task context,
  // except for a task that never ran: like Linux, it then exits at once from any context.
  int kthread_stop(Task& t);
  bool kthread_should_stop() const;
  void set_cpus_allowed(Task& t, const CpuMask& mask);
  Task* current() const {
    Task* t = detail::g_current_task;
    return (t != nullptr && t->kernel == this) ? t : nullptr;
  }
  bool task_is_running(const Task& t) const;  // task_is_running(): state TASK_RUNNING
  Task* find_task(int pid) const;
  size_t nr_tasks() const;  // alive (not exited)
  std::vector<Task*> tasks() const;

  // ---- In a task ----
  void set_current_state(TaskState s);
  // Blocks until the state is TASK_RUNNING again (no-op if it already is).
  void schedule(trace::BlockReason reason = trace::BlockReason::WaitQueue, int64_t on = 0);
  void sleep_for(Nanos d);  // blocks on an hrtimer (cmwq sees the worker sleep): exact
  // Mirrors schedule_timeout(): blocks on a timer_list, so the wheel rounds the wake-up up.
  void schedule_timeout(uint64_t timeout_jiffies);
  void compute_for(Nanos d);  // CPU-bound: occupies the CPU for d of virtual time
  // Mirrors cond_resched(): a preemption point. Deterministic: if the task's CPU has a resched
  // pending (a wake-up preempted it), another task runs first.
  void cond_resched();

  // ---- Timers (expires in jiffies, as the kernel's) ----
  // The timer wheel fires a timer_list at its bucket's expiry, never early (calc_wheel_index()).
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
  // Deterministic, between runs: the tasks that may run their code now (what a chooser would be
  // offered next), then, CPU by CPU, the tasks waiting for their CPU in EEVDF's order.
  std::vector<Runnable> runnable() const;
  // Deterministic, between runs: the sandbox's "you are the scheduler". `t` is the next task its
  // CPU runs (cfs_rq->next, as yield_to() sets it, but without its eligibility check), or, if it
  // may already run its code, the next to do so. False if t is not runnable.
  bool pick_next(Task& t);
  void shutdown();  // unwinds blocked tasks and joins every carrier; the destructor calls it
  // Deterministic mode, between runs: joins the OS threads no task holds now, so that kernels
  // sharing its carrier budget can have them (without a budget it keeps them for reuse).
  void release_idle_carriers();

  // A deterministic id for an object that appears in events (wait queue, mutex, completion).
  int64_t new_object_id() { return next_object_id_.fetch_add(1, std::memory_order_relaxed); }

  // ---- Observing ----
  Nanos sched_base_slice() const;  // the current sysctl_sched_base_slice
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
  // The lab's own explanation of what just happened, where the kernel itself prints nothing: a
  // lab_note event, shown apart from the kernel log.
  void lab_note(std::string_view msg);
  // Calls `tap` synchronously, in the emitter's context, for every recorded event whose kind is
  // in `kinds`. Only for kinds emitted outside the scheduler lock (workqueue and legacy events,
  // task creation, printk...): the tap may wake tasks. Set it before the machine runs.
  using EventTap = std::function<void(const trace::Event&)>;
  void set_event_tap(EventTap tap, const std::vector<trace::EventKind>& kinds);
  // Calls `observer` for every recorded event of every kind, in the emitter's context, possibly
  // under the scheduler lock: it may only read state, never call into the kernel. For checkers
  // (engine/explore/invariant_checker.h); independent of the tap. Set it before the machine runs.
  void set_event_observer(EventTap observer);

 private:
  struct Baton {
    std::atomic<uint32_t> go{0};  // as Carrier::go, for the driver
  };
  // A CPU (struct rq): its fair run queue and who holds it. Deterministic mode only, except
  // `online`. S: scheduler lock.
  struct CpuState {
    bool online = true;
    CfsRq cfs;                        // EEVDF: cfs.curr has the CPU
    std::vector<Task*> driver_queue;  // Driver-class tasks computing here: the head holds the CPU
    Nanos seg_start = 0;              // a computing driver was last charged here
    Nanos seg_end = kForever;         // the next compute end or tick while the CPU is busy
    int32_t shown = 0;                // the pid cpu_run last reported computing here
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
  int select_fallback_rq_locked(Task& t, int preferred);
  bool wake_locked(Task& t);
  void set_where_locked(Task& t, TaskWhere w);
  void task_exit_locked(Task& t, int code);
  void call_sleeping_hook(Task& t);
  void call_running_hook(Task& t);
  void run_task_body(Carrier* c, Lock& lk);

  // timer.cpp
  void arm_timer_locked(Timer& t, Nanos expires, Nanos fires);
  bool detach_timer_locked(Timer& t);
  Nanos next_timer_locked(bool include_deferrable) const;
  void fire_due_timers_locked(Lock& lk, bool include_deferrable);
  bool deferrable_overdue_locked() const;  // one came due while every CPU was idle

  // scheduler_det.cpp
  void det_enqueue_locked(Task& t);        // onto the dispatch queue: t may run its code now
  Carrier* det_dispatch_locked(Lock& lk);  // nullptr = hand the baton to the driver
  void det_switch_away_locked(Lock& lk, Carrier* self);
  void det_hand_locked(Carrier* next);
  template <typename Pred>
  void det_wait_locked(Lock& lk, std::atomic<uint32_t>& mine, Pred done);
  void det_carrier_main(Carrier* c);
  void det_schedule(Task& t, Lock& lk);
  void det_compute(Task& t, Nanos d, Lock& lk);
  RunResult det_run(const RunLimit& limit);
  void det_shutdown(Lock& lk);
  Task* det_pick_locked();

  // sched_det_cpus.cpp (deterministic): the CPUs under EEVDF
  void det_wake_locked(Task& t);
  int select_task_rq_locked(Task& t, int prev_cpu);
  void det_enqueue_fair_locked(Task& t, int cpu, unsigned flags);
  void wakeup_preempt_locked(int cpu, Task& p);
  void det_schedule_cpu_locked(int cpu);
  void det_run_curr_locked(int cpu);
  void det_leave_cpu_locked(Task& t, unsigned flags);
  void det_preempt_locked(Task& t);
  bool det_migrate_locked(Task& t, int to_cpu);
  void det_idle_balance_locked(int cpu);
  void det_nohz_balance_locked();
  void det_driver_take_cpu_locked(int cpu);
  void det_yield_if_moved();
  void det_resched_cpus_locked();
  bool cpu_busy_locked(int cpu) const;
  void cpu_segment_locked(int cpu);
  void cpu_show_locked(int cpu);
  Nanos next_cpu_event_locked() const;
  void advance_cpus_locked(Lock& lk);
  void migrate_cpu_locked(int from_cpu);
  void update_base_slice_locked();

  Nanos rt_now(uint64_t ticks) const;

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
  EventTap observer_;
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
  std::unique_ptr<Softirq> softirq_;

  // Deterministic mode.
  std::atomic<Nanos> now_{0};
  std::map<RqKey, Task*> rq_;
  uint64_t rq_seq_ = 0;
  Baton driver_;                               // the driver's wait for the baton
  Carrier* baton_ = nullptr;                   // who may run: a carrier, or nullptr for the driver
  std::atomic<uint32_t>* det_wake_ = nullptr;  // handed the baton, not yet woken (see above)
  bool driver_waiting_ = false;
  RunLimit limit_;
  uint64_t run_switches_start_ = 0;
  RunStop stop_ = RunStop::Idle;
  Chooser chooser_;
  Task* next_pick_ = nullptr;  // pick_next(): dispatch it first
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

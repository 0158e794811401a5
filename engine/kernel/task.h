// A kernel thread in the lab: a PID, a name, a nice value, a CPU mask and a main function.
// Models task_struct only as far as scheduling needs. A task runs on a real OS thread (a carrier)
// whenever it has code to run; parked at the top of its loop it holds none (DESIGN.md).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "engine/kernel/types.h"

namespace wqlab::kernel {

class Kernel;
struct Carrier;
struct Task;

// TASK_RUNNING and the sleeping states a task sets before schedule().
enum class TaskState : uint8_t { Running, Interruptible, Uninterruptible, Idle, Dead };

// What a task's main function returns: go idle holding no OS thread (and be called again from the
// top when woken, like worker_thread()'s "goto woke_up"), or exit.
enum class TaskStep : uint8_t { Park, Exit };
using TaskMain = std::function<TaskStep()>;

// Where the scheduler has the task (S: scheduler lock).
enum class TaskWhere : uint8_t {
  New,        // created, never woken (kthread_create leaves it so)
  Parked,     // asleep at the top of its loop: no OS thread
  Runnable,   // on a run queue, waiting for its turn
  OnCpu,      // executing code on its carrier
  Blocked,    // asleep mid-body: its carrier is blocked too
  Computing,  // in compute_for(): occupying its virtual CPU (or waiting for it, when preempted)
  Dead,
};

// The scheduling class a task is in.
enum class SchedClass : uint8_t {
  // SCHED_NORMAL under EEVDF (kernel/sched/fair.c): every kernel thread, weighted by its nice.
  Fair,
  // The lab's stand-in for the world outside the simulated CPUs (a lesson's script, a test's
  // driver): like an interrupt handler it runs as soon as it is woken, without waiting for the CPU
  // or taking it from the fair task there; compute_for() in it holds the CPU like SCHED_FIFO.
  Driver,
};

// struct sched_entity: the fair class's view of a task (kernel/sched/fair.c). S: scheduler lock.
struct SchedEntity {
  uint32_t weight = 1024;         // load.weight, scale_load_down()ed: sched_prio_to_weight[nice]
  uint32_t inv_weight = 4194304;  // load.inv_weight: sched_prio_to_wmult[nice] (2^32 / weight)
  uint64_t vruntime = 0;          // virtual runtime: runtime * 1024 / weight
  uint64_t deadline = 0;          // virtual deadline: vruntime + slice * 1024 / weight
  int64_t vlag = 0;      // lag kept over a sleep; while picked, the RUN_TO_PARITY mark (= deadline)
  Nanos slice = 0;       // the request size r_i: sysctl_sched_base_slice
  Nanos exec_start = 0;  // when update_curr() last charged it
  bool on_rq = false;    // enqueued (or delayed) on its CPU's cfs_rq
  bool sched_delayed = false;  // DELAY_DEQUEUE: asleep, but competing until it is eligible
  uint64_t rb_seq = 0;         // lab: equal deadlines keep insertion order, as the rb-tree does
  Nanos last_ran = 0;          // lab: for the idle pull, the least recently run task moves first
};

// The three scheduler hooks cmwq needs: wq_worker_sleeping(), wq_worker_running(),
// wq_worker_tick(). Called without the scheduler lock; they may take spinlocks and wake tasks.
struct TaskHooks {
  virtual ~TaskHooks() = default;
  virtual void sleeping(Task&) {}  // before a voluntary block (not for compute or preemption)
  virtual void running(Task&) {}   // when the task runs again after schedule()
  virtual void tick(Task&) {}      // a scheduler tick while the task keeps its CPU busy
};

struct Task {
  // I: set at creation, read-only after.
  Kernel* kernel = nullptr;
  int pid = 0;
  std::string comm;  // kernel-style name: kworker/0:1H, kworker/u8:2, kworker/R-name, events/3
  int64_t comm_id = 0;
  int nice = 0;
  CpuMask cpus_allowed;
  TaskMain main;
  // Set by the creator before the first wake-up (PF_WQ_WORKER + kthread_data()).
  TaskHooks* hooks = nullptr;
  void* data = nullptr;

  // S: scheduler lock.
  TaskState state = TaskState::Uninterruptible;
  TaskWhere where = TaskWhere::New;
  int cpu = 0;  // written with the lock held and only while the task is not on a CPU
  Carrier* carrier = nullptr;
  bool should_stop = false;
  bool fresh_stack = true;  // the next run enters main() from the top (it was new or parked)
  bool has_run = false;     // main() has been entered at least once
  Nanos compute_left = 0;
  Nanos sum_exec_runtime = 0;  // virtual CPU time consumed by compute_for()
  SchedClass sched_class = SchedClass::Fair;
  SchedEntity se;
  int exit_code = 0;
  Task* stopper = nullptr;  // the task waiting in kthread_stop()

  // Per-task counters, only touched by the task itself.
  int atomic_depth = 0;   // spinlocks held; blocking with one held is a bug
  int softirq_count = 0;  // SOFTIRQ_OFFSET while running softirq actions (in_serving_softirq())
};

}  // namespace wqlab::kernel

// Tasks (kthread_create/run/stop, wake_up_process), the blocking calls a task makes
// (schedule, sleep_for, compute_for) with the cmwq hooks around them, and running a task's main()
// on its carrier. The mode-specific halves are in scheduler_det.cpp and scheduler_rt.cpp.
#include <cstdio>
#include <exception>

#include "engine/kernel/kernel.h"

namespace wqlab::kernel {

using trace::EventKind;

// ---- Tasks ----

bool Kernel::task_is_running(const Task& t) const {
  std::lock_guard lk(lock_);
  return t.state == TaskState::Running;
}

Task* Kernel::find_task(int pid) const {
  std::lock_guard lk(lock_);
  auto it = live_.find(pid);
  return it == live_.end() ? nullptr : it->second;
}

size_t Kernel::nr_tasks() const {
  std::lock_guard lk(lock_);
  return live_.size();
}

std::vector<Task*> Kernel::tasks() const {
  std::lock_guard lk(lock_);
  std::vector<Task*> out;
  out.reserve(live_.size());
  for (auto& [pid, t] : live_) out.push_back(t);
  return out;
}

// Mirrors kernel/kthread.c: kthread_create_on_node() -> copy_process() (dup_task_struct, then
// alloc_pid). The new task sleeps until someone wakes it.
TaskOrError Kernel::kthread_create(TaskMain main, std::string comm, int cpu, int nice) {
  // set_task_comm(): comm holds TASK_COMM_LEN bytes with the NUL, longer names are cut.
  if (comm.size() >= static_cast<size_t>(TASK_COMM_LEN)) comm.resize(TASK_COMM_LEN - 1);
  int64_t comm_id = intern(comm);
  if (!memory_.try_alloc(cfg_.task_bytes)) {
    emit(EventKind::AllocFail, cfg_.task_bytes, intern("task_struct"), memory_.pressure());
    emit(EventKind::TaskCreateFail, comm_id, -kENOMEM);
    return {nullptr, -kENOMEM};
  }
  Lock lk(lock_);
  int pid = pids_.alloc();
  if (pid < 0) {
    int in_use = pids_.nr_in_use();
    lk.unlock();
    memory_.free(cfg_.task_bytes);
    emit(EventKind::PidExhausted, pids_.pid_max(), in_use);
    emit(EventKind::TaskCreateFail, comm_id, cfg_.fork_pid_errno);
    return {nullptr, cfg_.fork_pid_errno, true};
  }
  auto t = std::make_unique<Task>();
  t->kernel = this;
  t->pid = pid;
  t->comm = std::move(comm);
  t->comm_id = comm_id;
  t->nice = nice;
  set_load_weight(*t);
  if (cpu >= 0 && cpu < cfg_.nr_cpus) {
    t->cpus_allowed.set(static_cast<size_t>(cpu));
  } else {
    for (int c = 0; c < cfg_.nr_cpus; ++c) t->cpus_allowed.set(static_cast<size_t>(c));
  }
  Task* creator = current();
  t->cpu = pick_cpu_locked(*t, cpu >= 0 ? cpu : (creator ? creator->cpu : 0));
  t->main = std::move(main);
  Task* raw = t.get();
  tasks_.push_back(std::move(t));
  live_.emplace(pid, raw);
  int in_use = pids_.nr_in_use();
  lk.unlock();
  emit(EventKind::PidAlloc, pid, in_use);
  emit(EventKind::TaskCreate, pid, comm_id, cpu, nice);
  return {raw, 0};
}

TaskOrError Kernel::kthread_run(TaskMain main, std::string comm, int cpu, int nice) {
  TaskOrError r = kthread_create(std::move(main), std::move(comm), cpu, nice);
  if (r) wake_up_process(*r.task);
  return r;
}

TaskOrError Kernel::spawn(std::string comm, std::function<void()> body, int cpu, SchedClass cls) {
  TaskOrError r = kthread_create(
      [body = std::move(body)] {
        body();
        return TaskStep::Exit;
      },
      std::move(comm), cpu);
  if (r) {
    set_sched_class(*r.task, cls);
    wake_up_process(*r.task);
  }
  return r;
}

void Kernel::set_sched_class(Task& t, SchedClass cls) {
  std::lock_guard lk(lock_);
  if (t.se.on_rq || t.where == TaskWhere::OnCpu || t.where == TaskWhere::Runnable ||
      t.where == TaskWhere::Computing)
    return;  // lab: only while it is not runnable
  t.sched_class = cls;
}

// Mirrors set_cpus_allowed_ptr(): a queued task on a CPU it may no longer use moves at once
// (the stopper migrates a running one); a sleeping one is woken on an allowed CPU later.
void Kernel::set_cpus_allowed(Task& t, const CpuMask& mask) {
  {
    Lock lk(lock_);
    t.cpus_allowed = mask;
    if (mask.test(static_cast<size_t>(t.cpu)) && cpus_[static_cast<size_t>(t.cpu)].online) return;
    bool running = t.where == TaskWhere::OnCpu || t.where == TaskWhere::Computing;
    if (!deterministic() || t.sched_class == SchedClass::Driver || !t.se.on_rq) {
      // Realtime leaves a running task where it is until its next wake-up.
      if (!(running && (!deterministic() || t.where == TaskWhere::Computing)))
        t.cpu = pick_cpu_locked(t, t.cpu);
      return;
    }
    int to = select_fallback_rq_locked(t, t.cpu);
    if (t.se.sched_delayed) {
      dequeue_entity(cpus_[static_cast<size_t>(t.cpu)].cfs, t, DEQUEUE_SLEEP | DEQUEUE_DELAYED,
                     now_.load());
      t.cpu = to;
      return;
    }
    det_migrate_locked(t, to);
  }
  if (&t == current()) det_yield_if_moved();
}

// Mirrors kernel/sched/core.c: try_to_wake_up(). Returns false if it was already running.
bool Kernel::wake_up_process(Task& t) {
  Lock lk(lock_);
  return wake_locked(t);
}

bool Kernel::wake_locked(Task& t) {
  if (t.state == TaskState::Running || t.state == TaskState::Dead) return false;
  t.state = TaskState::Running;
  if (t.where == TaskWhere::OnCpu || t.where == TaskWhere::Computing ||
      t.where == TaskWhere::Runnable) {
    // Woken between set_current_state() and schedule(): it will not block.
    emit_as(current(), EventKind::TaskWake, t.pid, t.cpu);
    return true;
  }
  if (shutting_down_) return true;
  if (deterministic()) {
    det_wake_locked(t);
    return true;
  }
  Task* waker = current();
  t.cpu = pick_cpu_locked(t, t.where == TaskWhere::New && waker ? waker->cpu : t.cpu);
  emit_as(waker, EventKind::TaskWake, t.pid, t.cpu);
  if (t.where == TaskWhere::Blocked) {
    set_where_locked(t, TaskWhere::OnCpu);
    t.carrier->cv.notify_one();
  } else {
    rt_make_ready_locked(t);
  }
  return true;
}

void Kernel::set_where_locked(Task& t, TaskWhere w) {
  if (deterministic()) {
    t.where = w;
    return;
  }
  auto busy = [](TaskWhere x) {
    return x == TaskWhere::OnCpu || x == TaskWhere::Runnable || x == TaskWhere::Computing;
  };
  if (busy(t.where) && !busy(w)) {
    --rt_busy_;
    rt_note_activity_locked();
  } else if (!busy(t.where) && busy(w)) {
    ++rt_busy_;
  }
  t.where = w;
}

int Kernel::kthread_stop(Task& t) {
  Task* self = current();
  {
    // Mirrors kthread(): a thread stopped before it first ran exits without calling threadfn.
    Lock lk(lock_);
    if (t.where == TaskWhere::New) {
      t.should_stop = true;
      task_exit_locked(t, -kEINTR);
      return -kEINTR;
    }
  }
  if (self == nullptr || self == &t) {
    printk(3, "BUG: kthread_stop() called outside a task or on itself");
    return -kEINVAL;
  }
  {
    Lock lk(lock_);
    if (t.where == TaskWhere::Dead) return t.exit_code;
    t.should_stop = true;
    t.stopper = self;
  }
  wake_up_process(t);
  for (;;) {
    set_current_state(TaskState::Uninterruptible);
    {
      Lock lk(lock_);
      if (t.where == TaskWhere::Dead) {
        self->state = TaskState::Running;
        break;
      }
    }
    schedule(trace::BlockReason::Stop, t.pid);
  }
  return t.exit_code;
}

bool Kernel::kthread_should_stop() const {
  Task* t = current();
  if (t == nullptr) return false;
  std::lock_guard lk(lock_);
  return t->should_stop;
}

void Kernel::task_exit_locked(Task& t, int code) {
  if (deterministic()) det_leave_cpu_locked(t, DEQUEUE_SLEEP | DEQUEUE_SPECIAL);
  t.exit_code = code;
  t.state = TaskState::Dead;
  set_where_locked(t, TaskWhere::Dead);
  t.carrier = nullptr;
  live_.erase(t.pid);
  pids_.free(t.pid);
  memory_.free(cfg_.task_bytes);
  int in_use = pids_.nr_in_use();
  emit_as(&t, EventKind::TaskExit, t.pid, code);
  emit_as(&t, EventKind::PidFree, t.pid, in_use);
  if (t.stopper) wake_locked(*t.stopper);
}

// ---- In a task ----

void Kernel::set_current_state(TaskState s) {
  Task* t = current();
  if (t == nullptr) return;
  std::lock_guard lk(lock_);
  t->state = s;
}

void Kernel::call_sleeping_hook(Task& t) {
  if (t.hooks) t.hooks->sleeping(t);
}

void Kernel::call_running_hook(Task& t) {
  if (t.hooks) t.hooks->running(t);
}

// Mirrors kernel/sched/core.c: schedule() with sched_submit_work() (wq_worker_sleeping) before and
// sched_update_worker() (wq_worker_running) after.
void Kernel::schedule(trace::BlockReason reason, int64_t on) {
  Task* t = current();
  if (t == nullptr) {
    printk(3, "BUG: schedule() called outside a task");
    return;
  }
  if (t->atomic_depth > 0 || t->softirq_count > 0) {
    // Mirrors __schedule_bug(): comm/pid/preempt_count, with schedule()'s own preempt_disable().
    char count[16];
    std::snprintf(count, sizeof count, "0x%08x", t->softirq_count + t->atomic_depth + 1);
    printk(3,
           "BUG: scheduling while atomic: " + t->comm + "/" + std::to_string(t->pid) + "/" + count);
  }
  {
    Lock lk(lock_);
    if (shutting_down_) throw TaskKilled{};
    if (t->state == TaskState::Running) return;
  }
  call_sleeping_hook(*t);
  {
    Lock lk(lock_);
    if (t->state != TaskState::Running) {
      emit_as(t, EventKind::TaskBlock, static_cast<int64_t>(reason), on);
      if (deterministic()) {
        det_schedule(*t, lk);
      } else {
        rt_schedule(*t, lk);
      }
    }
  }
  call_running_hook(*t);
}

void Kernel::sleep_for(Nanos d) {
  Task* t = current();
  if (t == nullptr || d <= 0) return;
  Timer timer([this, t] { wake_up_process(*t); }, "process_timeout");
  mod_timer_ns(timer, now() + d);
  for (;;) {
    set_current_state(TaskState::Uninterruptible);
    if (!timer_pending(timer)) break;
    schedule(trace::BlockReason::Sleep, timer.id);
  }
  set_current_state(TaskState::Running);
  del_timer_sync(timer);
}

// Mirrors kernel/time/sleep_timeout.c: schedule_timeout() with its on-stack timer_list.
void Kernel::schedule_timeout(uint64_t timeout_jiffies) {
  Task* t = current();
  if (t == nullptr || timeout_jiffies == 0) return;
  Timer timer([this, t] { wake_up_process(*t); }, "process_timeout");
  mod_timer(timer, jiffies() + timeout_jiffies);
  for (;;) {
    set_current_state(TaskState::Uninterruptible);
    if (!timer_pending(timer)) break;
    schedule(trace::BlockReason::Sleep, timer.id);
  }
  set_current_state(TaskState::Running);
  del_timer_sync(timer);
}

void Kernel::cond_resched() {
  Task* t = current();
  if (t == nullptr || !deterministic()) return;
  Lock lk(lock_);
  if (shutting_down_) throw TaskKilled{};
  det_preempt_locked(*t);
  if (t->sched_class == SchedClass::Fair && cpus_[static_cast<size_t>(t->cpu)].cfs.curr != t)
    det_switch_away_locked(lk, t->carrier);
}

void Kernel::compute_for(Nanos d) {
  Task* t = current();
  if (t == nullptr || d <= 0) return;
  emit_as(t, EventKind::ComputeBegin, d);
  if (deterministic()) {
    Lock lk(lock_);
    if (shutting_down_) throw TaskKilled{};
    det_compute(*t, d, lk);
  } else {
    rt_compute(*t, d);
  }
  emit_as(t, EventKind::ComputeEnd, d);
}

// ---- Carriers: running a task's main() ----

// Runs the carrier's task from the top of main() until it parks or exits. Called and returns with
// the lock held; the lock is dropped while task code runs.
void Kernel::run_task_body(Carrier* c, Lock& lk) {
  Task* t = c->task;
  set_current_task_raw(t);
  for (;;) {
    bool resumed = t->has_run;
    t->has_run = true;
    t->fresh_stack = false;
    lk.unlock();
    TaskStep step = TaskStep::Exit;
    int code = 0;
    try {
      if (resumed) call_running_hook(*t);
      step = t->main();
      if (step == TaskStep::Park) call_sleeping_hook(*t);
    } catch (const TaskKilled&) {
      code = -kEINTR;
    } catch (const std::exception& e) {
      printk(3, "BUG: task " + t->comm + " raised an exception: " + e.what());
      code = -kEINVAL;
    }
    lk.lock();
    if (step == TaskStep::Exit || shutting_down_) {
      task_exit_locked(*t, code);
      break;
    }
    if (t->state == TaskState::Running) continue;  // woken before it could park: go round again
    set_where_locked(*t, TaskWhere::Parked);
    if (deterministic()) det_leave_cpu_locked(*t, DEQUEUE_SLEEP);
    t->carrier = nullptr;
    t->fresh_stack = true;
    emit_as(t, EventKind::TaskPark);
    break;
  }
  set_current_task_raw(nullptr);
}

}  // namespace wqlab::kernel

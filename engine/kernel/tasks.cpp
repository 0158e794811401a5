// Tasks (kthread_create/run/stop, wake_up_process), the blocking calls a task makes
// (schedule, sleep_for, compute_for) with the cmwq hooks around them, and running a task's main()
// on its carrier. The mode-specific halves are in scheduler_det.cpp and scheduler_rt.cpp.
#include <exception>

#include "engine/kernel/kernel.h"

namespace wqlab::kernel {

using trace::EventKind;

namespace {
thread_local Task* g_current = nullptr;
}  // namespace

Task* current_task_raw() {
  return g_current;
}
void set_current_task_raw(Task* t) {
  g_current = t;
}

// ---- Tasks ----

Task* Kernel::current() const {
  Task* t = g_current;
  return (t != nullptr && t->kernel == this) ? t : nullptr;
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
    emit(EventKind::TaskCreateFail, comm_id, -kEAGAIN);
    return {nullptr, -kEAGAIN};
  }
  auto t = std::make_unique<Task>();
  t->kernel = this;
  t->pid = pid;
  t->comm = std::move(comm);
  t->comm_id = comm_id;
  t->nice = nice;
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

TaskOrError Kernel::spawn(std::string comm, std::function<void()> body, int cpu) {
  return kthread_run(
      [body = std::move(body)] {
        body();
        return TaskStep::Exit;
      },
      std::move(comm), cpu);
}

void Kernel::set_cpus_allowed(Task& t, const CpuMask& mask) {
  std::lock_guard lk(lock_);
  t.cpus_allowed = mask;
  if (t.where != TaskWhere::OnCpu && t.where != TaskWhere::Computing)
    t.cpu = pick_cpu_locked(t, t.cpu);
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
  Task* waker = current();
  t.cpu = pick_cpu_locked(t, t.where == TaskWhere::New && waker ? waker->cpu : t.cpu);
  emit_as(waker, EventKind::TaskWake, t.pid, t.cpu);
  if (deterministic()) {
    det_enqueue_locked(t);
  } else if (t.where == TaskWhere::Blocked) {
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
  if (t->atomic_depth > 0) printk(3, "BUG: scheduling while atomic: " + t->comm);
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
  g_current = t;
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
    t->carrier = nullptr;
    t->fresh_stack = true;
    emit_as(t, EventKind::TaskPark);
    break;
  }
  g_current = nullptr;
}

}  // namespace wqlab::kernel

// The parts of the simulated kernel both modes share: boot, tasks (kthread_*), wake-ups, the
// scheduler hooks, CPU hotplug, PIDs and memory, and events.
#include "engine/kernel/kernel.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <exception>

namespace wqlab::kernel {

using trace::EventKind;

namespace {
thread_local Task* g_current = nullptr;

int64_t steady_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Spreads the pinned carriers of concurrently running kernels over the host's cores.
std::atomic<int> g_kernel_instances{0};
}  // namespace

Task* current_task_raw() {
  return g_current;
}
void set_current_task_raw(Task* t) {
  g_current = t;
}

Kernel::Kernel(KernelConfig cfg, trace::Recorder* recorder)
    : cfg_(cfg),
      recorder_(recorder),
      pids_(std::clamp(cfg.pid_max, RESERVED_PIDS + 2, PID_MAX_LIMIT)),
      memory_(cfg.memory_bytes) {
  cfg_.nr_cpus = std::clamp(cfg_.nr_cpus, 1, NR_CPUS);
  cfg_.hz = std::clamp(cfg_.hz, 10, 10000);
  cfg_.pid_max = pids_.pid_max();
  if (cfg_.slice <= 0) cfg_.slice = msecs(10);
  if (cfg_.speed <= 0) cfg_.speed = 1.0;
  jiffy_ns_ = secs(1) / cfg_.hz;
  cpus_.resize(static_cast<size_t>(cfg_.nr_cpus));
  cpu_online_ = std::make_unique<std::atomic<bool>[]>(static_cast<size_t>(cfg_.nr_cpus));
  for (int c = 0; c < cfg_.nr_cpus; ++c) cpu_online_[static_cast<size_t>(c)].store(true);
  rt_epoch_ns_ = steady_ns();
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  pin_core_ = static_cast<int>(static_cast<unsigned>(g_kernel_instances.fetch_add(1)) % cores);
  if (deterministic()) {
    carriers_ = std::make_unique<CarrierPool>(cfg_.carrier_cap,
                                              [this](Carrier* c) { det_carrier_main(c); });
  } else {
    carriers_ =
        std::make_unique<CarrierPool>(cfg_.carrier_cap, [this](Carrier* c) { rt_carrier_main(c); });
    rt_timer_thread_ = std::thread([this] { rt_timer_main(); });
  }
}

Kernel::~Kernel() {
  shutdown();
}

// ---- Time ----

Nanos Kernel::now() const {
  if (deterministic()) return now_.load(std::memory_order_relaxed);
  return static_cast<Nanos>(static_cast<double>(steady_ns() - rt_epoch_ns_) * cfg_.speed);
}

uint64_t Kernel::jiffies_coarse() const {
  if (deterministic()) return jiffies();
#if defined(CLOCK_MONOTONIC_COARSE)
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
  int64_t host = secs(ts.tv_sec) + ts.tv_nsec;
  auto virt = static_cast<Nanos>(static_cast<double>(host - rt_epoch_ns_) * cfg_.speed);
  return virt < 0 ? 0 : static_cast<uint64_t>(virt / jiffy_ns_);
#else
  return jiffies();
#endif
}

uint64_t Kernel::msecs_to_jiffies(int64_t ms) const {
  if (ms <= 0) return 0;
  return static_cast<uint64_t>((msecs(ms) + jiffy_ns_ - 1) / jiffy_ns_);
}

// ---- Events ----

void Kernel::emit_as(Task* t, EventKind k, int64_t a0, int64_t a1, int64_t a2, int64_t a3,
                     int64_t a4) {
  if (recorder_ == nullptr) return;
  trace::Event ev;
  ev.time_ns = now();
  ev.pid = t ? t->pid : 0;
  ev.cpu = static_cast<int16_t>(t ? t->cpu : -1);
  ev.kind = k;
  ev.args[0] = a0;
  ev.args[1] = a1;
  ev.args[2] = a2;
  ev.args[3] = a3;
  ev.args[4] = a4;
  recorder_->emit(ev);
  if (tap_ && tap_kinds_[static_cast<size_t>(k)]) [[unlikely]]
    tap_(ev);
}

void Kernel::set_event_tap(EventTap tap, const std::vector<EventKind>& kinds) {
  tap_kinds_.assign(static_cast<size_t>(EventKind::Count), false);
  for (EventKind k : kinds) tap_kinds_[static_cast<size_t>(k)] = true;
  tap_ = std::move(tap);
}

void Kernel::printk(int level, std::string_view msg) {
  emit(EventKind::Printk, level, intern(msg));
}

// ---- CPUs ----

bool Kernel::cpu_online(int cpu) const {
  return cpu >= 0 && cpu < cfg_.nr_cpus &&
         cpu_online_[static_cast<size_t>(cpu)].load(std::memory_order_acquire);
}

int Kernel::nr_online_cpus() const {
  std::lock_guard lk(lock_);
  return static_cast<int>(
      std::count_if(cpus_.begin(), cpus_.end(), [](const CpuState& c) { return c.online; }));
}

int Kernel::smp_processor_id() const {
  // A running task whose CPU went offline (realtime) reports an online one, as if migrated.
  if (Task* t = current(); t != nullptr && cpu_online(t->cpu)) return t->cpu;
  std::lock_guard lk(lock_);
  for (int i = 0; i < cfg_.nr_cpus; ++i)
    if (cpus_[static_cast<size_t>(i)].online) return i;
  return 0;
}

void Kernel::add_hotplug_callback(HotplugFn fn) {
  hotplug_.push_back(std::move(fn));
}

int Kernel::set_cpu_online(int cpu, bool online) {
  {
    std::lock_guard lk(lock_);
    if (cpu < 0 || cpu >= cfg_.nr_cpus) return -kEINVAL;
    if (cpus_[static_cast<size_t>(cpu)].online == online) return 0;
    if (!online) {
      int others = 0;
      for (int i = 0; i < cfg_.nr_cpus; ++i)
        if (i != cpu && cpus_[static_cast<size_t>(i)].online) ++others;
      if (others == 0) return -kEBUSY;
    }
  }
  if (!online) {
    for (auto& fn : hotplug_) fn(cpu, false);  // teardown runs while the CPU is still up
  }
  {
    std::lock_guard lk(lock_);
    cpus_[static_cast<size_t>(cpu)].online = online;
    cpu_online_[static_cast<size_t>(cpu)].store(online, std::memory_order_release);
    if (!online) {
      migrate_compute_locked(cpu);
      // Runnable tasks queued for the dead CPU move to a live one.
      std::vector<Task*> moved;
      for (auto it = rq_.begin(); it != rq_.end();) {
        if (it->first.cpu == cpu) {
          moved.push_back(it->second);
          it = rq_.erase(it);
        } else {
          ++it;
        }
      }
      for (Task* t : moved) {
        t->cpu = pick_cpu_locked(*t, t->cpu);
        rq_.emplace(RqKey{now_.load(), t->cpu, rq_seq_++}, t);
      }
    }
  }
  emit(online ? EventKind::CpuOnline : EventKind::CpuOffline, cpu);
  if (online) {
    for (auto& fn : hotplug_) fn(cpu, true);
  }
  return 0;
}

int Kernel::pick_cpu_locked(Task& t, int preferred) const {
  auto ok = [&](int c) {
    return c >= 0 && c < cfg_.nr_cpus && cpus_[static_cast<size_t>(c)].online &&
           t.cpus_allowed.test(static_cast<size_t>(c));
  };
  if (ok(preferred)) return preferred;
  for (int c = 0; c < cfg_.nr_cpus; ++c)
    if (ok(c)) return c;
  // No allowed CPU is online: break affinity like select_fallback_rq().
  for (int c = 0; c < cfg_.nr_cpus; ++c)
    if (cpus_[static_cast<size_t>(c)].online) return c;
  return 0;
}

// ---- PIDs and memory ----

int Kernel::nr_pids_in_use() const {
  std::lock_guard lk(lock_);
  return pids_.nr_in_use();
}

int Kernel::pid_max() const {
  return pids_.pid_max();
}

bool Kernel::kmalloc(int64_t bytes, std::string_view what) {
  if (memory_.try_alloc(bytes)) return true;
  emit(EventKind::AllocFail, bytes, intern(what), memory_.pressure());
  return false;
}

void Kernel::kfree(int64_t bytes) {
  memory_.free(bytes);
}

void Kernel::set_memory_pressure(bool on) {
  memory_.set_pressure(on);
  emit(EventKind::MemPressure, on, memory_.used(), memory_.budget());
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

// ---- Driving ----

RunResult Kernel::run(RunLimit limit) {
  return deterministic() ? det_run(limit) : rt_run(limit);
}

RunResult Kernel::run_for(Nanos d) {
  RunLimit limit;
  limit.until = now() + d;
  return run(limit);
}

void Kernel::set_chooser(Chooser c) {
  std::lock_guard lk(lock_);
  chooser_ = std::move(c);
}

size_t Kernel::carriers_live() const {
  std::lock_guard lk(lock_);
  return carriers_->live();
}

size_t Kernel::carriers_peak_busy() const {
  std::lock_guard lk(lock_);
  return carriers_->peak_busy();
}

uint64_t Kernel::switches() const {
  std::lock_guard lk(lock_);
  return switches_;
}

void Kernel::shutdown() {
  std::vector<std::unique_ptr<Carrier>> all;
  {
    Lock lk(lock_);
    if (shut_down_) return;
    shut_down_ = true;
    if (deterministic()) {
      det_shutdown(lk);
    } else {
      rt_shutdown(lk);
    }
    all = carriers_->take_all();
    for (auto& c : all) {
      c->exit = true;
      c->cv.notify_all();
    }
    rt_timer_cv_.notify_all();
  }
  for (auto& c : all)
    if (c->thread.joinable()) c->thread.join();
  if (rt_timer_thread_.joinable()) rt_timer_thread_.join();
}

}  // namespace wqlab::kernel

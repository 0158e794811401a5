// The machine both modes share: boot, time, events, CPU hotplug, PIDs and memory, and driving
// the machine from outside (run, shutdown). Tasks are in tasks.cpp.
#include "engine/kernel/kernel.h"

#include "engine/kernel/futex.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <exception>

namespace wqlab::kernel {

using trace::EventKind;

namespace {
int64_t steady_ns() {
  return trace::steady_now_ns();
}

// Spreads the pinned carriers of concurrently running kernels over the host's cores.
std::atomic<int> g_kernel_instances{0};
}  // namespace

Kernel::Kernel(KernelConfig cfg, trace::Recorder* recorder)
    : cfg_(cfg),
      recorder_(recorder),
      pids_(std::clamp(cfg.pid_max, RESERVED_PIDS + 2, PID_MAX_LIMIT)),
      memory_(cfg.memory_bytes) {
  cfg_.nr_cpus = std::clamp(cfg_.nr_cpus, 1, NR_CPUS);
  cfg_.hz = std::clamp(cfg_.hz, 10, 10000);
  cfg_.pid_max = pids_.pid_max();
  if (cfg_.slice < 0) cfg_.slice = 0;
  if (cfg_.speed <= 0) cfg_.speed = 1.0;
  jiffy_ns_ = secs(1) / cfg_.hz;
  cpus_.resize(static_cast<size_t>(cfg_.nr_cpus));
  cpu_online_ = std::make_unique<std::atomic<bool>[]>(static_cast<size_t>(cfg_.nr_cpus));
  for (int c = 0; c < cfg_.nr_cpus; ++c) cpu_online_[static_cast<size_t>(c)].store(true);
  update_base_slice_locked();  // no other thread exists yet
  rt_epoch_ns_ = steady_ns();
  // Deterministic: one task at a time emits, so the log keeps the emit order exactly.
  if (recorder_ != nullptr) recorder_->set_serial(deterministic());
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  pin_core_ = static_cast<int>(static_cast<unsigned>(g_kernel_instances.fetch_add(1)) % cores);
  if (deterministic()) {
    carriers_ = std::make_unique<CarrierPool>(
        cfg_.carrier_cap, [this](Carrier* c) { det_carrier_main(c); }, cfg_.carrier_budget);
  } else {
    carriers_ = std::make_unique<CarrierPool>(
        cfg_.carrier_cap, [this](Carrier* c) { rt_carrier_main(c); }, cfg_.carrier_budget);
    rt_timer_thread_ = std::thread([this] { rt_timer_main(); });
  }
  softirq_ = std::make_unique<Softirq>(*this);
  emit_as(nullptr, EventKind::MachineBoot, cfg_.nr_cpus, cfg_.hz, cfg_.pid_max, cfg_.memory_bytes,
          !deterministic());
}

Kernel::~Kernel() {
  shutdown();
}

// ---- Time ----

Nanos Kernel::now() const {
  if (deterministic()) return now_.load(std::memory_order_relaxed);
  return rt_now(trace::host_ticks());
}

// Realtime: virtual time for a host_ticks() reading (the TSC, calibrated once).
Nanos Kernel::rt_now(uint64_t ticks) const {
  return static_cast<Nanos>(static_cast<double>(trace::ticks_to_ns(ticks) - rt_epoch_ns_) *
                            cfg_.speed);
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
  uint64_t ticks = 0;
  if (deterministic()) {
    ev.time_ns = now_.load(std::memory_order_relaxed);
  } else {
    ticks = trace::host_ticks();
    ev.time_ns = rt_now(ticks);
  }
  ev.pid = t ? t->pid : 0;
  ev.cpu = static_cast<int16_t>(t ? t->cpu : -1);
  ev.kind = k;
  ev.args[0] = a0;
  ev.args[1] = a1;
  ev.args[2] = a2;
  ev.args[3] = a3;
  ev.args[4] = a4;
  recorder_->emit_at(ev, ticks);
  if (tap_ && tap_kinds_[static_cast<size_t>(k)]) [[unlikely]]
    tap_(ev);
  if (observer_) [[unlikely]]
    observer_(ev);
}

void Kernel::set_event_observer(EventTap observer) {
  observer_ = std::move(observer);
}

void Kernel::set_event_tap(EventTap tap, const std::vector<EventKind>& kinds) {
  tap_kinds_.assign(static_cast<size_t>(EventKind::Count), false);
  for (EventKind k : kinds) tap_kinds_[static_cast<size_t>(k)] = true;
  tap_ = std::move(tap);
}

void Kernel::printk(int level, std::string_view msg) {
  emit(EventKind::Printk, level, intern(msg));
}

void Kernel::lab_note(std::string_view msg) {
  emit(EventKind::LabNote, intern(msg));
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
    Lock lk(lock_);
    cpus_[static_cast<size_t>(cpu)].online = online;
    cpu_online_[static_cast<size_t>(cpu)].store(online, std::memory_order_release);
    update_base_slice_locked();
    if (!online && deterministic()) {
      migrate_cpu_locked(cpu);
      // Driver tasks about to run their code on the dead CPU do so on a live one.
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
  det_yield_if_moved();
  return 0;
}

// Mirrors select_fallback_rq(): a task none of whose CPUs is online may run anywhere from now
// on (do_set_cpus_allowed() with the possible mask), as a kthread bound to a dead CPU does.
int Kernel::select_fallback_rq_locked(Task& t, int preferred) {
  bool any = false;
  for (int c = 0; c < cfg_.nr_cpus && !any; ++c)
    any = cpus_[static_cast<size_t>(c)].online && t.cpus_allowed.test(static_cast<size_t>(c));
  if (!any)
    for (int c = 0; c < cfg_.nr_cpus; ++c) t.cpus_allowed.set(static_cast<size_t>(c));
  return pick_cpu_locked(t, preferred);
}

int Kernel::wake_cpu(const Task& t) const {
  std::lock_guard lk(lock_);
  return t.cpu;
}

void Kernel::set_wake_cpu(Task& t, int cpu) {
  std::lock_guard lk(lock_);
  // A task queued on a run queue (or delayed there) stays on that CPU until it sleeps.
  if (t.where == TaskWhere::OnCpu || t.where == TaskWhere::Computing ||
      t.where == TaskWhere::Runnable || t.se.on_rq)
    return;
  if (cpu >= 0 && cpu < cfg_.nr_cpus) t.cpu = cpu;
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

std::vector<Runnable> Kernel::runnable() const {
  std::lock_guard lk(lock_);
  std::vector<Runnable> out;
  out.reserve(rq_.size());
  for (auto& [key, t] : rq_) out.push_back({t, key.time, key.cpu, key.seq});
  Nanos now = now_.load(std::memory_order_relaxed);
  for (int cpu = 0; cpu < cfg_.nr_cpus; ++cpu)
    for (Task* t : cpus_[static_cast<size_t>(cpu)].cfs.tasks_timeline)
      if (!t->se.sched_delayed) out.push_back({t, now, cpu, t->se.rb_seq, true});
  return out;
}

bool Kernel::pick_next(Task& t) {
  std::lock_guard lk(lock_);
  if (!deterministic()) return false;
  for (auto& [key, task] : rq_) {
    if (task == &t) {
      next_pick_ = &t;
      return true;
    }
  }
  CfsRq& cfs = cpus_[static_cast<size_t>(t.cpu)].cfs;
  if (t.sched_class != SchedClass::Fair || !t.se.on_rq || t.se.sched_delayed || cfs.curr == &t)
    return false;
  cfs.next = &t;
  return true;
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
      c->go.store(1, std::memory_order_release);
      futex_wake(c->go, 1);
    }
    rt_timer_cv_.notify_all();
  }
  for (auto& c : all)
    if (c->thread.joinable()) c->thread.join();
  if (cfg_.carrier_budget) cfg_.carrier_budget->give_back(all.size());
  if (rt_timer_thread_.joinable()) rt_timer_thread_.join();
}

void Kernel::release_idle_carriers() {
  std::vector<std::unique_ptr<Carrier>> idle;
  {
    Lock lk(lock_);
    if (!cfg_.carrier_budget || shut_down_ || !deterministic() || baton_ != nullptr) return;
    idle = carriers_->take_free();
    for (auto& c : idle) {
      c->exit = true;
      c->cv.notify_all();
      c->go.store(1, std::memory_order_release);
      futex_wake(c->go, 1);
    }
  }
  for (auto& c : idle)
    if (c->thread.joinable()) c->thread.join();
  if (cfg_.carrier_budget) cfg_.carrier_budget->give_back(idle.size());
}

}  // namespace wqlab::kernel

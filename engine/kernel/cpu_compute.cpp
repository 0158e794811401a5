// Deterministic mode's virtual CPUs: compute_for() time is consumed here. The head of a CPU's
// compute queue runs in segments that end at its completion, at the next tick (where the tick
// hook fires, as sched_tick() calls wq_worker_tick()), or at the end of its slice, when it
// rotates behind the other CPU-bound tasks on that CPU. Zero-time code never waits for a CPU
// (the lab's simplification of wake-up preemption).
#include <algorithm>

#include "engine/kernel/kernel.h"

namespace wqlab::kernel {

using trace::EventKind;

void Kernel::cpu_start_segment_locked(int cpu) {
  CpuState& cs = cpus_[static_cast<size_t>(cpu)];
  Nanos now = now_.load(std::memory_order_relaxed);
  Task* head = cs.compute_queue.front();
  cs.slice_start = now;
  cs.seg_start = now;
  Nanos next_tick = (now / jiffy_ns_ + 1) * jiffy_ns_;
  cs.seg_end = std::min({now + head->compute_left, cs.slice_start + cfg_.slice, next_tick});
  emit_as(head, EventKind::CpuRun, cpu, head->pid);
}

Nanos Kernel::next_cpu_event_locked() const {
  Nanos next = kForever;
  for (const CpuState& cs : cpus_) {
    if (cs.online && !cs.compute_queue.empty()) next = std::min(next, cs.seg_end);
  }
  return next;
}

void Kernel::advance_cpus_locked(Lock& lk) {
  Nanos now = now_.load(std::memory_order_relaxed);
  for (int cpu = 0; cpu < cfg_.nr_cpus; ++cpu) {
    CpuState& cs = cpus_[static_cast<size_t>(cpu)];
    if (!cs.online || cs.compute_queue.empty() || cs.seg_end > now) continue;
    Task* head = cs.compute_queue.front();
    Nanos ran = now - cs.seg_start;
    head->compute_left -= ran;
    head->sum_exec_runtime += ran;
    cs.seg_start = now;
    if (ran > 0 && now % jiffy_ns_ == 0 && head->hooks != nullptr) {
      Task* saved = current_task_raw();
      set_current_task_raw(head);  // the tick interrupts the task it charges
      lk.unlock();
      head->hooks->tick(*head);
      lk.lock();
      set_current_task_raw(saved);
    }
    if (head->compute_left <= 0) {
      head->compute_left = 0;
      cs.compute_queue.erase(cs.compute_queue.begin());
      det_enqueue_locked(*head);
      if (cs.compute_queue.empty()) {
        emit_as(nullptr, EventKind::CpuRun, cpu, 0);
      } else {
        cpu_start_segment_locked(cpu);
      }
      continue;
    }
    if (now - cs.slice_start >= cfg_.slice) {
      if (cs.compute_queue.size() > 1) {
        std::rotate(cs.compute_queue.begin(), cs.compute_queue.begin() + 1, cs.compute_queue.end());
        cpu_start_segment_locked(cpu);
        continue;
      }
      cs.slice_start = now;
    }
    Nanos next_tick = (now / jiffy_ns_ + 1) * jiffy_ns_;
    cs.seg_end = std::min({now + head->compute_left, cs.slice_start + cfg_.slice, next_tick});
  }
}

// Bound tasks compute on their CPU; a task allowed on several prefers its current CPU when that is
// idle, then any idle allowed CPU, then the allowed CPU with the shortest queue.
int Kernel::place_compute_locked(Task& t) const {
  int best = -1;
  size_t best_len = SIZE_MAX;
  auto consider = [&](int c) {
    const CpuState& cs = cpus_[static_cast<size_t>(c)];
    if (!cs.online || !t.cpus_allowed.test(static_cast<size_t>(c))) return;
    if (cs.compute_queue.size() < best_len) {
      best = c;
      best_len = cs.compute_queue.size();
    }
  };
  consider(t.cpu);
  if (best_len == 0) return best;
  for (int c = 0; c < cfg_.nr_cpus; ++c) consider(c);
  return best >= 0 ? best : pick_cpu_locked(t, t.cpu);
}

// A CPU goes offline: its computing tasks carry on elsewhere with what they have left.
void Kernel::migrate_compute_locked(int from_cpu) {
  CpuState& from = cpus_[static_cast<size_t>(from_cpu)];
  if (from.compute_queue.empty()) return;
  Nanos now = now_.load(std::memory_order_relaxed);
  Task* head = from.compute_queue.front();
  head->compute_left -= now - from.seg_start;
  head->sum_exec_runtime += now - from.seg_start;
  std::vector<Task*> moving;
  moving.swap(from.compute_queue);
  emit_as(nullptr, EventKind::CpuRun, from_cpu, 0);
  for (Task* t : moving) {
    t->cpu = place_compute_locked(*t);
    CpuState& to = cpus_[static_cast<size_t>(t->cpu)];
    to.compute_queue.push_back(t);
    if (to.compute_queue.size() == 1) cpu_start_segment_locked(t->cpu);
  }
}

}  // namespace wqlab::kernel

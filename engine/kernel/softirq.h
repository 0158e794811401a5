// Softirqs (kernel/softirq.c): per-CPU pending bits, the action table, and ksoftirqd/N, the
// per-CPU thread that runs pending actions in softirq context. BH workqueues run here.
// The lab has no hardirq exit path (timers are its only interrupts), so every raised softirq runs
// in ksoftirqd on the raising CPU, as Linux does for a raise from task context; ksoftirqd/N is
// created the first time CPU N raises one. Not modelled: irq_work (a raise for another CPU marks
// that CPU directly), local_bh_disable(), need_resched() inside the restart loop.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "engine/kernel/task.h"
#include "engine/kernel/types.h"

namespace wqlab::kernel {

class Kernel;

// enum of include/linux/interrupt.h, lower numbers run first.
enum SoftirqNr : int {
  HI_SOFTIRQ = 0,
  TIMER_SOFTIRQ,
  NET_TX_SOFTIRQ,
  NET_RX_SOFTIRQ,
  BLOCK_SOFTIRQ,
  IRQ_POLL_SOFTIRQ,
  TASKLET_SOFTIRQ,
  SCHED_SOFTIRQ,
  HRTIMER_SOFTIRQ,
  RCU_SOFTIRQ,
  NR_SOFTIRQS
};

constexpr int SOFTIRQ_OFFSET = 0x100;  // preempt_count's softirq unit (include/linux/preempt.h)
constexpr int MAX_SOFTIRQ_RESTART = 10;
constexpr int64_t MAX_SOFTIRQ_TIME_MS = 2;

class Softirq {
 public:
  explicit Softirq(Kernel& k);
  Softirq(const Softirq&) = delete;
  Softirq& operator=(const Softirq&) = delete;

  // Mirrors open_softirq(); the action gets the CPU whose pending softirq it serves (its own,
  // unless ksoftirqd was moved off a CPU that went down). Call before the machine runs.
  using ActionFn = std::function<void(int cpu)>;
  void open_softirq(int nr, ActionFn action, std::string_view name);
  // Mirrors raise_softirq_irqoff() on `cpu` (Linux reaches another CPU through irq_work): marks
  // the softirq pending there and wakes that CPU's ksoftirqd. An offline CPU keeps it pending.
  void raise_softirq_on(int cpu, int nr);
  // A CPU came back: run what was raised while it was down.
  void cpu_online(int cpu);
  bool pending(int cpu, int nr) const;
  Task* ksoftirqd(int cpu) const;  // nullptr until the CPU first raised a softirq

 private:
  struct Action {
    ActionFn fn;
    std::string name;
  };
  TaskStep run_ksoftirqd(int cpu);
  void handle_softirqs(int cpu, Task& self);
  uint32_t take_pending(int cpu);
  void wakeup_softirqd(int cpu);

  Kernel& k_;
  std::array<Action, NR_SOFTIRQS> actions_;  // I: set before the machine runs
  mutable std::mutex lock_;                  // the two vectors below
  std::vector<uint32_t> pending_;            // per CPU: local_softirq_pending()
  std::vector<Task*> ksoftirqd_;             // per CPU
};

}  // namespace wqlab::kernel

// Kernel threads are cheap: 32 768 of them created and parked hold only the OS threads the
// carrier pool needs.
#include <gtest/gtest.h>

#include <dirent.h>

#include <atomic>
#include <string>
#include <thread>

#include "test_util.h"

namespace wqlab::test {
namespace {

// OS threads of this process, counted from /proc/self/task.
int os_threads() {
  int n = 0;
  DIR* d = opendir("/proc/self/task");
  if (d == nullptr) return -1;
  while (dirent* e = readdir(d))
    if (e->d_name[0] != '.') ++n;
  closedir(d);
  return n;
}

void create_and_park(kernel::Mode mode, int count) {
  kernel::KernelConfig cfg = mode == kernel::Mode::Deterministic ? det_config(256) : rt_config(256);
  cfg.pid_max = 65536;
  RecordedKernel rk(cfg);
  auto& k = *rk.k;
  // Sanitizer runtimes start a helper thread with the process's first thread: start it now.
  std::thread([] {}).join();
  int before = os_threads();
  std::atomic<int> parked_runs{0};
  for (int i = 0; i < count; ++i) {
    int cpu = i % 256;
    auto t = k.kthread_create(
        [&k, &parked_runs] {
          ++parked_runs;
          k.set_current_state(kernel::TaskState::Idle);
          return kernel::TaskStep::Park;
        },
        "events/" + std::to_string(cpu), cpu);
    ASSERT_TRUE(t) << "task " << i << " err " << t.err;
    k.wake_up_process(*t.task);
  }
  EXPECT_EQ(k.run_until_idle().stop, kernel::RunStop::Idle);
  int after = os_threads();
  EXPECT_EQ(k.nr_tasks(), static_cast<size_t>(count));
  EXPECT_EQ(k.nr_pids_in_use(), count);
  size_t carriers = k.carriers_live();
  EXPECT_LE(after - before, static_cast<int>(carriers));
  EXPECT_EQ(parked_runs.load(), count);
  if (mode == kernel::Mode::Deterministic) {
    EXPECT_EQ(carriers, 1u);  // every task ran on the same OS thread, one after another
  } else {
    EXPECT_LE(carriers, k.rt_carrier_soft_limit());  // bounded by the host's cores, not by tasks
  }
  for (auto* t : k.tasks()) EXPECT_EQ(t->where, kernel::TaskWhere::Parked);
}

TEST(KernelScale, ThirtyTwoThousandParkedThreadsNeedOneCarrierDeterministic) {
  create_and_park(kernel::Mode::Deterministic, 32768);
}

TEST(KernelScale, ManyParkedThreadsNeedFewCarriersRealtime) {
  create_and_park(kernel::Mode::Realtime, 4096);
}

}  // namespace
}  // namespace wqlab::test

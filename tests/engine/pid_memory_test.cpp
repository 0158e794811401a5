// The PID allocator (cyclic, pid_max, -EAGAIN) and the memory budget (pressure, -ENOMEM),
// alone and as kthread_create() sees them.
#include <gtest/gtest.h>

#include "engine/kernel/pid_allocator.h"
#include "test_util.h"

namespace wqlab::test {
namespace {

using kernel::kEAGAIN;
using kernel::kENOMEM;
using trace::EventKind;

TEST(PidAllocator, AllocatesCyclicallyAndFailsWhenFull) {
  kernel::PidAllocator pids(400);
  EXPECT_EQ(pids.alloc(), 1);
  EXPECT_EQ(pids.alloc(), 2);
  pids.free(1);
  EXPECT_EQ(pids.alloc(), 3);  // cyclic: does not go back to 1 yet
  int more = 0;
  while (pids.alloc() > 0) ++more;
  EXPECT_EQ(more, 396);  // 4..399
  // pid 1 is free, but after wrapping the search starts at RESERVED_PIDS, as in Linux.
  EXPECT_FALSE(pids.in_use(1));
  EXPECT_EQ(pids.nr_in_use(), 398);
}

TEST(PidAllocator, WrapsToReservedPidsAndReportsEagain) {
  kernel::PidAllocator pids(kernel::RESERVED_PIDS + 10);
  for (int i = 1; i < kernel::RESERVED_PIDS + 10; ++i) EXPECT_EQ(pids.alloc(), i);
  EXPECT_EQ(pids.alloc(), -kEAGAIN);
  pids.free(5);
  pids.free(kernel::RESERVED_PIDS + 3);
  // After the wrap the search restarts at RESERVED_PIDS, so 5 is skipped.
  EXPECT_EQ(pids.alloc(), kernel::RESERVED_PIDS + 3);
  EXPECT_EQ(pids.alloc(), -kEAGAIN);
  EXPECT_EQ(pids.nr_in_use(), pids.capacity() - 1);
}

TEST(KernelPids, KthreadCreateFailsWithEagainWhenPidsRunOut) {
  auto cfg = det_config(1);
  cfg.pid_max = 320;
  RecordedKernel rk(cfg);
  auto& k = *rk.k;
  int created = 0;
  kernel::TaskOrError r;
  while (
      (r = k.kthread_create([] { return kernel::TaskStep::Park; }, "t" + std::to_string(created))))
    ++created;
  EXPECT_EQ(r.err, -kEAGAIN);
  EXPECT_EQ(created, 319);
  EXPECT_EQ(k.nr_pids_in_use(), 319);
  auto ex = rk.events(EventKind::PidExhausted);
  ASSERT_EQ(ex.size(), 1u);
  EXPECT_EQ(ex[0].args[0], 320);
  auto fails = rk.events(EventKind::TaskCreateFail);
  ASSERT_EQ(fails.size(), 1u);
  EXPECT_EQ(fails[0].args[1], -kEAGAIN);
  EXPECT_EQ(rk.str(fails[0].args[0]), "t319");
}

TEST(KernelMemory, PressureMakesAllocationsAndThreadCreationFail) {
  RecordedKernel rk(det_config(1));
  auto& k = *rk.k;
  EXPECT_TRUE(k.kmalloc(64 * 1024, "buffer"));
  k.set_memory_pressure(true);
  EXPECT_FALSE(k.kmalloc(64, "tiny"));
  auto r = k.kthread_create([] { return kernel::TaskStep::Exit; }, "kworker/0:2");
  EXPECT_FALSE(r);
  EXPECT_EQ(r.err, -kENOMEM);
  EXPECT_EQ(k.nr_pids_in_use(), 0);  // no pid was taken for the failed thread
  k.set_memory_pressure(false);
  EXPECT_TRUE(k.kthread_create([] { return kernel::TaskStep::Exit; }, "kworker/0:2"));
  auto fails = rk.events(EventKind::AllocFail);
  ASSERT_EQ(fails.size(), 2u);
  EXPECT_EQ(rk.str(fails[0].args[1]), "tiny");
  EXPECT_EQ(rk.str(fails[1].args[1]), "task_struct");
  EXPECT_EQ(rk.events(EventKind::MemPressure).size(), 2u);
}

TEST(KernelMemory, BudgetLimitsAllocations) {
  auto cfg = det_config(1);
  cfg.memory_bytes = 100 * 1024;
  cfg.task_bytes = 30 * 1024;
  RecordedKernel rk(cfg);
  auto& k = *rk.k;
  int made = 0;
  while (k.kthread_create([] { return kernel::TaskStep::Exit; }, "t")) ++made;
  EXPECT_EQ(made, 3);
  EXPECT_EQ(k.memory_used(), 90 * 1024);
}

}  // namespace
}  // namespace wqlab::test

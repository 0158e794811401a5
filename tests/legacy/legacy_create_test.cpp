// Creating legacy workqueues: the boot threads of a 2.6.24 machine, thread creation failing with
// -EAGAIN (pid space full) or -ENOMEM (memory pressure) and the clean-up that follows, and the
// "PID exhaustion" lesson: how many MT workqueues fit before creation fails.
#include <gtest/gtest.h>

#include <thread>

#include "legacy_test_util.h"

namespace wqlab::test {
namespace {

using legacy::LegacyWorkqueue;
using trace::EventKind;

std::vector<std::string> comms_in_pid_order(kernel::Kernel& k) {
  std::vector<std::string> out;
  for (auto* t : k.tasks()) out.push_back(t->comm);  // tasks() is ordered by pid
  return out;
}

TEST(LegacyBoot, A2624MachineHasItsBootThreadsInPsOrder) {
  LegacyMachine m(det_config(2), legacy_config(true));
  m.k().run_until_idle();
  EXPECT_EQ(
      comms_in_pid_order(m.k()),
      (std::vector<std::string>{
          "init",          "kthreadd",   "migration/0",  "ksoftirqd/0", "watchdog/0", "migration/1",
          "ksoftirqd/1",   "watchdog/1", "events/0",     "events/1",    "khelper",    "kblockd/0",
          "kblockd/1",     "kacpid",     "kacpi_notify", "ata/0",       "ata/1",      "ata_aux",
          "ksuspend_usbd", "khubd",      "kseriod",      "pdflush",     "pdflush",    "kswapd0",
          "aio/0",         "aio/1",      "kpsmoused",    "scsi_eh_0",   "kjournald"}));
  EXPECT_EQ(m.k().tasks()[1]->pid, 2);  // kthreadd
  // 7 threads per CPU (4 of them workqueue threads) plus 15 others (6 ST workqueues).
  EXPECT_EQ(m.k().nr_pids_in_use(), 7 * 2 + 15);
  EXPECT_EQ(m.wq().nr_threads(), 4 * 2 + 6);
  EXPECT_EQ(m.wq().nr_boot_kthreads(), 3 * 2 + 9);
  for (auto* t : m.k().tasks()) EXPECT_EQ(t->where, kernel::TaskWhere::Parked) << t->comm;
  ASSERT_NE(m.wq().find_workqueue("ksuspend_usbd"), nullptr);
  EXPECT_TRUE(m.wq().find_workqueue("ksuspend_usbd")->freezeable);
  EXPECT_TRUE(m.wq().is_singlethread(m.wq().find_workqueue("ata_aux")));
  EXPECT_FALSE(m.wq().is_singlethread(m.wq().find_workqueue("ata")));
}

// Creates MT workqueues "wq0", "wq1", ... until one fails; returns how many succeeded.
int create_until_failure(legacy::LegacyWq& lwq) {
  int n = 0;
  while (lwq.create_workqueue("wq" + std::to_string(n)) != nullptr) ++n;
  return n;
}

// 2.6.24's copy_process() sets retval = -ENOMEM before alloc_pid(), so PID exhaustion surfaces
// as -ENOMEM; create_workqueue_thread() passes it up and __create_workqueue_key() destroys the
// half-made workqueue and returns NULL without printing anything.
TEST(LegacyCreate, PidSpaceFullFailsWithEnomemPrintsNothingAndFreesThePidsAtOnceInATask) {
  auto cfg = det_config(4);
  cfg.pid_max = 303;  // 302 usable pids: events/0..3, the scenario, 74 workqueues and one more
  LegacyMachine m(cfg);
  int created = -1, pids_before = -1, pids_after = -1;
  m.scenario([&] {
    created = create_until_failure(m.wq());
    pids_after = m.k().nr_pids_in_use();
    pids_before = 4 + 1 + 4 * created;
  });
  EXPECT_EQ(created, 74);
  EXPECT_EQ(pids_after, pids_before);  // wq74/0 was already stopped when create_workqueue returned
  EXPECT_EQ(m.wq().nr_threads(), 4 + 4 * 74);
  auto fails = m.events(EventKind::LegacyCreateFail);
  ASSERT_EQ(fails.size(), 1u);
  EXPECT_EQ(m.rk.str(fails[0].args[0]), "wq74");
  EXPECT_EQ(fails[0].args[1], 1);  // cpu
  EXPECT_EQ(fails[0].args[2], -kernel::kENOMEM);
  auto task_fails = m.events(EventKind::TaskCreateFail);
  ASSERT_EQ(task_fails.size(), 1u);
  EXPECT_EQ(task_fails[0].args[1], -kernel::kENOMEM);
  EXPECT_TRUE(m.messages().empty());  // the kernel log has nothing to say
  EXPECT_TRUE(
      m.noted("create_workqueue(\"wq74\") returned NULL: kthread_create(wq74/1) failed with "
              "-ENOMEM (no free pid below pid_max 303: copy_process() had set -ENOMEM before "
              "alloc_pid() failed); the 1 thread(s) already created for it were stopped"));
  EXPECT_EQ(m.wq().find_workqueue("wq74"), nullptr);
  EXPECT_EQ(m.wq().workqueues().size(), 75u);  // events + wq0..wq73
  // The thread made for wq74 exited; the kernel saw the pid space full once.
  EXPECT_EQ(m.events(EventKind::PidExhausted).size(), 1u);
  int exited = 0;
  for (auto& e : m.events(EventKind::TaskExit))
    if (m.comm_of(static_cast<int>(e.args[0])) == "wq74/0") ++exited;
  EXPECT_EQ(exited, 1);
}

TEST(LegacyCreate, FromTheDriverThePidsAreFreedWhenTheThreadsNextRun) {
  auto cfg = det_config(4);
  cfg.pid_max = 303;
  LegacyMachine m(cfg);
  int created = create_until_failure(m.wq());
  EXPECT_EQ(created, 74);  // 302 - 4 (events) = 298 = 74 * 4 + 2: wq74 gets two threads
  EXPECT_EQ(m.k().nr_pids_in_use(), 302);
  m.k().run_until_idle();
  EXPECT_EQ(m.k().nr_pids_in_use(), 4 + 4 * 74);
  EXPECT_EQ(m.wq().nr_threads(), 4 + 4 * 74);
  EXPECT_TRUE(m.noted("the 2 thread(s) already created for it were stopped"));
  EXPECT_TRUE(m.messages().empty());
}

TEST(LegacyCreate, MemoryPressureFailsWithEnomemBeforeAnyThread) {
  LegacyMachine m(det_config(4));
  int pids = m.k().nr_pids_in_use();
  m.k().set_memory_pressure(true);
  EXPECT_EQ(m.wq().create_workqueue("mt"), nullptr);
  EXPECT_EQ(m.wq().create_singlethread_workqueue("st"), nullptr);
  EXPECT_EQ(m.k().nr_pids_in_use(), pids);
  auto fails = m.events(EventKind::LegacyCreateFail);
  ASSERT_EQ(fails.size(), 2u);
  EXPECT_EQ(fails[0].args[1], -1);
  EXPECT_EQ(fails[0].args[2], -kernel::kENOMEM);
  EXPECT_TRUE(
      m.noted("create_workqueue(\"mt\") returned NULL: kzalloc() of its workqueue_struct failed"));
  EXPECT_TRUE(m.messages().empty());
  m.k().set_memory_pressure(false);
  EXPECT_NE(m.wq().create_workqueue("mt"), nullptr);
}

TEST(LegacyCreate, RunningOutOfMemoryMidWayStopsTheThreadsAlreadyMade) {
  auto cfg = det_config(4);
  const int64_t wq_bytes = legacy::kWorkqueueStructBytes + legacy::kCpuWorkqueueBytes * 4;
  // events (4 threads), the scenario task, then room for a workqueue_struct and two threads.
  cfg.memory_bytes =
      wq_bytes + 4 * cfg.task_bytes + cfg.task_bytes + wq_bytes + 2 * cfg.task_bytes + 100;
  LegacyMachine m(cfg);
  int64_t used_before = -1, used_after = -1;
  LegacyWorkqueue* wq = m.wq().keventd_wq;
  m.scenario([&] {
    used_before = m.k().memory_used();
    wq = m.wq().create_workqueue("mem");
    used_after = m.k().memory_used();
  });
  EXPECT_EQ(wq, nullptr);
  EXPECT_EQ(used_after, used_before);
  auto fails = m.events(EventKind::LegacyCreateFail);
  ASSERT_EQ(fails.size(), 1u);
  EXPECT_EQ(fails[0].args[1], 2);
  EXPECT_EQ(fails[0].args[2], -kernel::kENOMEM);
  EXPECT_TRUE(m.noted("kthread_create(mem/2) failed with -ENOMEM (out of memory); the 2"));
  EXPECT_EQ(m.wq().nr_threads(), 4);
}

// The lesson: on a 256-CPU machine every MT workqueue costs 256 pids, so the 32 768-pid space
// (32 767 usable) holds the 1 807 boot threads and then only 120 more workqueues.
TEST(LegacyPidExhaustion, TwoHundredFiftySixCpusFitOneHundredTwentyWorkqueues) {
  auto cfg = det_config(256);
  cfg.pid_max = 32768;
  LegacyMachine m(cfg, legacy_config(true));
  std::thread([] {}).join();  // start a sanitizer's helper thread before counting OS threads
  int before = os_threads();
  EXPECT_EQ(m.k().nr_pids_in_use(), 7 * 256 + 15);
  int created = -1;
  m.scenario([&] { created = create_until_failure(m.wq()); });
  EXPECT_EQ(created, 120);
  EXPECT_TRUE(m.noted(
      "create_workqueue(\"wq120\") returned NULL: kthread_create(wq120/239) failed with -ENOMEM"));
  EXPECT_EQ(m.k().nr_pids_in_use(), 7 * 256 + 15 + 120 * 256);
  EXPECT_EQ(m.wq().nr_threads(), 4 * 256 + 6 + 120 * 256);
  // 32 527 kernel threads, all parked, on two OS threads: one for the scenario (blocked mid-body
  // in kthread_stop() while wq120's threads exit) and one for everything else.
  EXPECT_EQ(m.k().carriers_live(), 2u);
  EXPECT_LE(os_threads() - before, 2);
  for (auto* t : m.k().tasks()) EXPECT_EQ(t->where, kernel::TaskWhere::Parked);
}

TEST(LegacyPidExhaustion, FourCpusFitEightThousandWorkqueues) {
  auto cfg = det_config(4);
  cfg.pid_max = 32768;
  LegacyMachine m(cfg, legacy_config(true));
  EXPECT_EQ(m.k().nr_pids_in_use(), 7 * 4 + 15);
  int created = create_until_failure(m.wq());  // from the driver: no scenario task holds a pid
  EXPECT_EQ(created, 8181);
  m.k().run_until_idle();
  EXPECT_EQ(m.k().nr_pids_in_use(), 32767);  // 43 + 8181 * 4: every usable pid
}

}  // namespace
}  // namespace wqlab::test

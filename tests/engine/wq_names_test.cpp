// Worker names as ps shows them (KERNEL_SPEC §13): wq_worker_comm() appends "+wq" while a
// kworker runs an item of wq and "-wq" after; the rescuer's comm is format_worker_id()'s
// "kworker/R-<name>" cut to TASK_COMM_LEN by kthread_create().
#include <gtest/gtest.h>

#include "engine/wq/worker_comm.h"
#include "wq_test_util.h"

namespace wqlab::test {
namespace {

using wq::Work;

TEST(WqNames, KworkerCommShowsPlusWhileRunningAndMinusAfter) {
  CmwqMachine m(det_config(1));
  std::string during;
  int pid = 0;
  auto w = make_work("named", [&](Work*) {
    during = m.cmwq->wq_worker_comm(*m.k().current());
    pid = m.k().current()->pid;
  });
  std::string before;
  m.scenario([&] {
    kernel::Task* idle = nullptr;
    for (kernel::Task* t : m.k().tasks())
      if (t->comm.rfind("kworker/0:", 0) == 0) idle = t;
    ASSERT_NE(idle, nullptr);
    before = m.cmwq->wq_worker_comm(*idle);
    m.cmwq->schedule_work(w.get());
  });
  kernel::Task* t = m.k().find_task(pid);
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(during, t->comm + "+events");
  EXPECT_EQ(m.cmwq->wq_worker_comm(*t), t->comm + "-events");
  EXPECT_EQ(before.find('+'), std::string::npos);
  EXPECT_EQ(before.find('-'), std::string::npos);  // never ran an item: no desc
}

// wq_worker_comm() only decorates workqueue workers (PF_WQ_WORKER).
TEST(WqNames, OtherTasksKeepTheirComm) {
  CmwqMachine m(det_config(1));
  std::string name;
  m.scenario([&] { name = m.cmwq->wq_worker_comm(*m.k().current()); });
  EXPECT_EQ(name, "scenario");
}

// init_rescuer(): "kworker/R-" + the name, and kthread_create() keeps 15 characters of it.
TEST(WqNames, RescuerCommIsCutToTaskCommLen) {
  CmwqMachine m(det_config(1));
  wq::Workqueue* wq = m.cmwq->alloc_workqueue("writeback", wq::WQ_MEM_RECLAIM, 0);
  ASSERT_NE(wq, nullptr);
  EXPECT_EQ(wq->rescuer->task->comm, "kworker/R-write");
  EXPECT_EQ(wq->rescuer->task->comm.size(), 15u);
  // Not attached to a pool: no suffix (wq_worker_comm() checks worker->pool).
  EXPECT_EQ(m.cmwq->wq_worker_comm(*wq->rescuer->task), "kworker/R-write");
}

TEST(WqNames, SuffixHelperKeepsProcTaskNameBufferSize) {
  EXPECT_EQ(wq::worker_comm_with_desc("kworker/0:1", "events", true), "kworker/0:1+events");
  EXPECT_EQ(wq::worker_comm_with_desc("kworker/0:1", "events", false), "kworker/0:1-events");
  EXPECT_EQ(wq::worker_comm_with_desc("kworker/0:1", "", false), "kworker/0:1");
  EXPECT_EQ(wq::worker_comm_with_desc("kworker/u8:2", std::string(40, 'x'), true).size(),
            12u + 1u + 31u);  // desc holds WORKER_DESC_LEN - 1 characters
}

}  // namespace
}  // namespace wqlab::test

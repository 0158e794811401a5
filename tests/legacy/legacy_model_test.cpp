// The legacy MT/ST model (KERNEL_SPEC §10, §11 scenario 37): threads per CPU, strict in-order
// execution per cwq, the DOC timeline on the single thread, overlap only across CPUs, PENDING.
#include <gtest/gtest.h>

#include <algorithm>

#include "legacy_test_util.h"

namespace wqlab::test {
namespace {

using legacy::LegacyWorkqueue;
using trace::EventKind;
using wq::Work;

TEST(LegacyModel, SingleThreadRunsW2OnlyAfterBlockingW1Returns) {
  LegacyMachine m(det_config(1));
  LegacyWorkqueue* st = m.wq().create_singlethread_workqueue("st");
  auto w1 = make_work("w1", [&](Work*) { m.k().sleep_for(msecs(10)); });
  auto w2 = make_work("w2", [](Work*) {});
  m.scenario([&] {
    m.wq().queue_work(st, w1.get());
    m.wq().queue_work(st, w2.get());
  });
  EXPECT_EQ(m.run("w1").start, 0);
  EXPECT_EQ(m.run("w2").start, msecs(10));  // one thread: blocking w1 stalls w2
  EXPECT_EQ(m.run("w1").pid, m.run("w2").pid);
  EXPECT_EQ(m.comm_of(m.run("w2").pid), "st");
}

TEST(LegacyModel, MultiThreadedQueueHasOneBoundThreadPerCpuEvenWhenIdle) {
  LegacyMachine m(det_config(4));
  LegacyWorkqueue* mt = m.wq().create_workqueue("mt");
  ASSERT_NE(mt, nullptr);
  m.k().run_until_idle();
  EXPECT_EQ(m.thread_names(mt), (std::vector<std::string>{"mt/0", "mt/1", "mt/2", "mt/3"}));
  EXPECT_EQ(m.wq().nr_threads(), 8);  // events/0..3 and mt/0..3
  auto threads = m.wq().threads(mt);
  for (int cpu = 0; cpu < 4; ++cpu) {
    kernel::Task* t = threads[static_cast<size_t>(cpu)];
    EXPECT_EQ(t->where, kernel::TaskWhere::Parked);  // idle: holds no OS thread
    EXPECT_EQ(t->cpus_allowed.count(), 1u);
    EXPECT_TRUE(t->cpus_allowed.test(static_cast<size_t>(cpu)));
    EXPECT_EQ(t->nice, legacy::kWorkerNice);
  }
  std::vector<int64_t> cpus;
  for (auto& e : m.events(EventKind::LegacyCreate)) {
    if (m.rk.str(e.args[0]) != "mt") continue;
    cpus.push_back(e.args[2]);
    EXPECT_EQ(e.args[3], 0);  // not singlethread
  }
  EXPECT_EQ(cpus, (std::vector<int64_t>{0, 1, 2, 3}));
}

TEST(LegacyModel, SingleThreadedQueueHasOneUnboundThread) {
  LegacyMachine m(det_config(4));
  LegacyWorkqueue* st = m.wq().create_singlethread_workqueue("kacpid");
  ASSERT_NE(st, nullptr);
  EXPECT_TRUE(m.wq().is_singlethread(st));
  EXPECT_EQ(m.thread_names(st), std::vector<std::string>{"kacpid"});
  EXPECT_EQ(m.wq().threads(st)[0]->cpus_allowed.count(), 4u);
  EXPECT_EQ(m.wq().cpu_workqueue(st, 1), nullptr);  // only singlethread_cpu's cwq exists
  EXPECT_NE(m.wq().cpu_workqueue(st, m.wq().singlethread_cpu()), nullptr);
}

// w0 burns 5 ms, sleeps 10 ms, burns 5 ms; w1 and w2 burn 5 ms then sleep 10 ms (DOC).
struct DocItems {
  explicit DocItems(kernel::Kernel& k) {
    w0 = make_work("w0", [&k](Work*) {
      k.compute_for(msecs(5));
      k.sleep_for(msecs(10));
      k.compute_for(msecs(5));
    });
    w1 = make_work("w1", [&k](Work*) {
      k.compute_for(msecs(5));
      k.sleep_for(msecs(10));
    });
    w2 = make_work("w2", [&k](Work*) {
      k.compute_for(msecs(5));
      k.sleep_for(msecs(10));
    });
  }
  std::unique_ptr<Work> w0, w1, w2;
};

TEST(LegacyModel, DocTimelineOnTheSingleThreadFinishesAtFiftyMs) {
  LegacyMachine m(det_config(1));
  DocItems d(m.k());
  LegacyWorkqueue* st = m.wq().create_singlethread_workqueue("doc");
  m.scenario([&] {
    m.wq().queue_work(st, d.w0.get());
    m.wq().queue_work(st, d.w1.get());
    m.wq().queue_work(st, d.w2.get());
  });
  EXPECT_EQ(m.run("w0").start, 0);
  EXPECT_EQ(m.run("w0").end, msecs(20));
  EXPECT_EQ(m.run("w1").start, msecs(20));
  EXPECT_EQ(m.run("w1").end, msecs(35));
  EXPECT_EQ(m.run("w2").start, msecs(35));
  EXPECT_EQ(m.run("w2").end, msecs(50));  // cmwq with max_active >= 3: 25 ms
}

TEST(LegacyModel, ItemsOnOneCpuRunInOrderButOverlapAcrossCpus) {
  LegacyMachine m(det_config(2));
  LegacyWorkqueue* mt = m.wq().create_workqueue("mt");
  auto a = make_work("a", [&](Work*) { m.k().sleep_for(msecs(10)); });
  auto b = make_work("b", [&](Work*) { m.k().sleep_for(msecs(10)); });
  auto c = make_work("c", [&](Work*) { m.k().sleep_for(msecs(10)); });
  m.scenario([&] {
    m.wq().queue_work(mt, a.get());  // the scenario runs on CPU 0: mt/0
    m.wq().queue_work(mt, b.get());
    m.wq().queue_work_on(1, mt, c.get());
  });
  EXPECT_EQ(m.run("a").start, 0);
  EXPECT_EQ(m.run("b").start, msecs(10));
  EXPECT_EQ(m.run("c").start, 0);
  EXPECT_EQ(m.comm_of(m.run("a").pid), "mt/0");
  EXPECT_EQ(m.comm_of(m.run("b").pid), "mt/0");
  EXPECT_EQ(m.comm_of(m.run("c").pid), "mt/1");
}

TEST(LegacyModel, QueueWorkUsesTheCallersCpu) {
  LegacyMachine m(det_config(2));
  LegacyWorkqueue* mt = m.wq().create_workqueue("mt");
  auto w = make_work("w", [](Work*) {});
  m.scenario([&] { m.wq().queue_work(mt, w.get()); }, 1);
  EXPECT_EQ(m.comm_of(m.run("w").pid), "mt/1");
  auto ins = m.events(EventKind::LegacyInsertion);
  ASSERT_EQ(ins.size(), 1u);
  EXPECT_EQ(ins[0].args[4], 1);  // cpu
  EXPECT_EQ(ins[0].args[0], m.run("w").pid);
}

TEST(LegacyModel, NonReentrancyHoldsOnlyPerCpu) {
  LegacyMachine m(det_config(2));
  LegacyWorkqueue* mt = m.wq().create_workqueue("mt");
  int running = 0, max_running = 0;
  auto w = make_work("w", [&](Work*) {
    max_running = std::max(max_running, ++running);
    m.k().sleep_for(msecs(10));
    --running;
  });
  bool again_on_0 = false, again_on_1 = false;
  m.scenario([&] {
    m.wq().queue_work_on(0, mt, w.get());
    m.k().sleep_for(msecs(1));
    again_on_1 = m.wq().queue_work_on(1, mt, w.get());  // PENDING was cleared before f()
    m.k().sleep_for(msecs(1));
    again_on_0 = m.wq().queue_work_on(0, mt, w.get());  // pending again after mt/1 picked it up
  });
  EXPECT_TRUE(again_on_1);
  EXPECT_TRUE(again_on_0);
  auto r = m.runs("w");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].start, 0);
  EXPECT_EQ(r[1].start, msecs(1));  // on mt/1, while the first run is still going
  EXPECT_EQ(m.comm_of(r[1].pid), "mt/1");
  EXPECT_EQ(r[2].start, msecs(10));  // mt/0 runs its cwq in order
  EXPECT_EQ(m.comm_of(r[2].pid), "mt/0");
  EXPECT_EQ(max_running, 2);  // cmwq would never run it concurrently (KERNEL_SPEC §11 scenario 3)
}

TEST(LegacyModel, PendingDedupesAndIsClearedJustBeforeTheFunction) {
  LegacyMachine m(det_config(1));
  LegacyWorkqueue* st = m.wq().create_singlethread_workqueue("st");
  bool pending_inside = true;
  int calls = 0;
  std::unique_ptr<Work> w;
  w = make_work("w", [&](Work* self) {
    ++calls;
    pending_inside = wq::work_pending(self);
  });
  bool first = false, second = true, pending_before = false;
  m.scenario([&] {
    first = m.wq().queue_work(st, w.get());
    second = m.wq().queue_work(st, w.get());
    pending_before = wq::work_pending(w.get());
  });
  EXPECT_TRUE(first);
  EXPECT_FALSE(second);
  EXPECT_TRUE(pending_before);
  EXPECT_FALSE(pending_inside);
  EXPECT_EQ(calls, 1);
  EXPECT_FALSE(wq::work_pending(w.get()));
  // The data word still names the cwq it last ran on (get_wq_data()).
  EXPECT_EQ(legacy::data_cwq_id(wq::work_data(w.get())),
            m.wq().cpu_workqueue(st, m.wq().singlethread_cpu())->id);
}

TEST(LegacyModel, ReQueueFromInsideRunsAgainOnTheSameThread) {
  LegacyMachine m(det_config(1));
  LegacyWorkqueue* st = m.wq().create_singlethread_workqueue("st");
  int calls = 0;
  std::unique_ptr<Work> w;
  w = make_work("w", [&](Work* self) {
    if (++calls == 1) {
      EXPECT_TRUE(m.wq().queue_work(st, self));
    }
    m.k().compute_for(msecs(1));
  });
  m.scenario([&] { m.wq().queue_work(st, w.get()); });
  auto r = m.runs("w");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[1].start, r[0].end);
  EXPECT_EQ(r[0].pid, r[1].pid);
}

TEST(LegacyModel, TracepointsInOrder) {
  LegacyMachine m(det_config(1));
  LegacyWorkqueue* st = m.wq().create_singlethread_workqueue("st");
  auto w = make_work("w", [](Work*) {});
  m.scenario([&] { m.wq().queue_work(st, w.get()); });
  std::vector<EventKind> kinds;
  for (auto& e : m.all()) {
    if (e.kind == EventKind::LegacyInsertion || e.kind == EventKind::LegacyExecution ||
        e.kind == EventKind::LegacyExecutionEnd)
      kinds.push_back(e.kind);
  }
  EXPECT_EQ(kinds, (std::vector<EventKind>{EventKind::LegacyInsertion, EventKind::LegacyExecution,
                                           EventKind::LegacyExecutionEnd}));
  auto ins = m.events(EventKind::LegacyInsertion)[0];
  int pid = m.wq().threads(st)[0]->pid;
  EXPECT_EQ(ins.args[0], pid);
  EXPECT_EQ(m.rk.str(ins.args[2]), "w");
  EXPECT_EQ(m.rk.str(ins.args[3]), "st");
  auto exe = m.events(EventKind::LegacyExecution)[0];
  EXPECT_EQ(exe.pid, pid);
  EXPECT_EQ(exe.args[1], ins.args[1]);  // same work id
}

}  // namespace
}  // namespace wqlab::test

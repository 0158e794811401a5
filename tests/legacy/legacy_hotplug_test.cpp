// Legacy CPU hotplug (2.6.24 workqueue_cpu_callback): a CPU going down has its MT threads flushed
// and stopped; a CPU coming up gets a fresh "name/N" thread for every MT workqueue.
#include <gtest/gtest.h>

#include "legacy_test_util.h"

namespace wqlab::test {
namespace {

using legacy::LegacyWorkqueue;
using trace::EventKind;
using wq::Work;

TEST(LegacyHotplug, OfflineFromATaskFlushesThenStopsTheCpusThreads) {
  LegacyMachine m(det_config(4));
  LegacyWorkqueue* hp = m.wq().create_workqueue("hp");
  LegacyWorkqueue* st = m.wq().create_singlethread_workqueue("st");
  std::vector<std::unique_ptr<Work>> items;
  for (int i = 0; i < 3; ++i)
    items.push_back(
        make_work("p" + std::to_string(i), [&](Work*) { m.k().compute_for(msecs(2)); }));
  int hp3 = m.wq().threads(hp)[3]->pid;
  Nanos offline_done = -1;
  m.scenario([&] {
    for (auto& w : items) m.wq().queue_work_on(3, hp, w.get());
    EXPECT_EQ(m.k().set_cpu_online(3, false), 0);
    offline_done = m.k().now();
  });
  // The pending items ran on hp/3, in order, before it was stopped.
  for (int i = 0; i < 3; ++i) {
    auto r = m.run("p" + std::to_string(i));
    EXPECT_EQ(r.pid, hp3);
    EXPECT_EQ(r.start, msecs(2 * i));
  }
  EXPECT_EQ(offline_done, msecs(6));
  EXPECT_EQ(m.thread_names(hp), (std::vector<std::string>{"hp/0", "hp/1", "hp/2"}));
  EXPECT_EQ(m.thread_names(st), std::vector<std::string>{"st"});  // ST: untouched
  EXPECT_EQ(m.wq().nr_threads(), 3 + 3 + 1);
  EXPECT_EQ(m.k().find_task(hp3), nullptr);
}

TEST(LegacyHotplug, OnlineAgainCreatesFreshBoundThreads) {
  LegacyMachine m(det_config(2));
  LegacyWorkqueue* hp = m.wq().create_workqueue("hp");
  auto w = make_work("w", [](Work*) {});
  int old_pid = m.wq().threads(hp)[1]->pid;
  m.scenario([&] {
    m.k().set_cpu_online(1, false);
    m.k().set_cpu_online(1, true);
    EXPECT_TRUE(m.wq().queue_work_on(1, hp, w.get()));
  });
  auto threads = m.wq().threads(hp);
  ASSERT_EQ(threads.size(), 2u);
  EXPECT_EQ(threads[1]->comm, "hp/1");
  EXPECT_NE(threads[1]->pid, old_pid);
  EXPECT_TRUE(threads[1]->cpus_allowed.test(1));
  EXPECT_EQ(threads[1]->cpus_allowed.count(), 1u);
  EXPECT_EQ(m.run("w").pid, threads[1]->pid);
  // Workqueues come up newest first, as 2.6.24 walks its `workqueues` list.
  std::vector<std::string> created;
  bool after_online = false;
  for (auto& e : m.all()) {
    if (e.kind == EventKind::CpuOnline) after_online = true;
    if (after_online && e.kind == EventKind::LegacyCreate) created.push_back(m.rk.str(e.args[0]));
  }
  EXPECT_EQ(created, (std::vector<std::string>{"hp", "events"}));
}

TEST(LegacyHotplug, OfflineFromTheDriverDrainsElsewhereThenExits) {
  LegacyMachine m(det_config(2));
  LegacyWorkqueue* hp = m.wq().create_workqueue("hp");
  auto a = make_work("a", [&](Work*) { m.k().compute_for(msecs(3)); });
  auto b = make_work("b", [&](Work*) { m.k().compute_for(msecs(3)); });
  EXPECT_TRUE(m.wq().queue_work_on(1, hp, a.get()));
  EXPECT_TRUE(m.wq().queue_work_on(1, hp, b.get()));
  EXPECT_EQ(m.k().set_cpu_online(1, false), 0);  // no task: nothing may wait here
  int hp1 = m.wq().threads(hp)[1]->pid;
  m.k().run_until_idle();
  EXPECT_EQ(m.run("a").pid, hp1);
  EXPECT_EQ(m.run("b").start, msecs(3));
  EXPECT_EQ(m.thread_names(hp), std::vector<std::string>{"hp/0"});
  EXPECT_EQ(m.k().find_task(hp1), nullptr);
  // CPU 1 is gone, so the draining thread ran on CPU 0.
  for (auto& e : m.events(EventKind::LegacyExecution)) EXPECT_EQ(e.cpu, 0);
  EXPECT_EQ(m.k().set_cpu_online(1, true), 0);
  m.k().run_until_idle();
  EXPECT_EQ(m.thread_names(hp), (std::vector<std::string>{"hp/0", "hp/1"}));
}

TEST(LegacyHotplug, ComingBackBeforeTheDrainingThreadExitedKeepsIt) {
  LegacyMachine m(det_config(2));
  LegacyWorkqueue* hp = m.wq().create_workqueue("hp");
  auto a = make_work("a", [&](Work*) { m.k().sleep_for(msecs(5)); });
  m.wq().queue_work_on(1, hp, a.get());
  int hp1 = m.wq().threads(hp)[1]->pid;
  m.k().set_cpu_online(1, false);
  m.k().run_for(msecs(1));  // hp/1 is still in a
  m.k().set_cpu_online(1, true);
  m.k().run_until_idle();
  auto threads = m.wq().threads(hp);
  ASSERT_EQ(threads.size(), 2u);
  EXPECT_EQ(threads[1]->pid, hp1);
  EXPECT_TRUE(threads[1]->cpus_allowed.test(1));
  EXPECT_EQ(m.wq().nr_threads(), 4);
}

TEST(LegacyHotplug, BootThreadsFollowTheirCpu) {
  LegacyMachine m(det_config(2), legacy_config(true));
  m.k().run_until_idle();
  int pids = m.k().nr_pids_in_use();
  m.scenario([&] { m.k().set_cpu_online(1, false); });
  // migration, ksoftirqd, watchdog, events, kblockd, ata, aio: 7 threads of CPU 1 gone.
  EXPECT_EQ(m.k().nr_pids_in_use(), pids - 7);
  for (auto* t : m.k().tasks()) EXPECT_EQ(t->comm.find("/1"), std::string::npos) << t->comm;
  m.scenario([&] { m.k().set_cpu_online(1, true); });
  EXPECT_EQ(m.k().nr_pids_in_use(), pids);
  std::vector<std::string> back;
  for (auto* t : m.k().tasks())
    if (t->comm.size() > 2 && t->comm.substr(t->comm.size() - 2) == "/1") back.push_back(t->comm);
  EXPECT_EQ(back, (std::vector<std::string>{"migration/1", "ksoftirqd/1", "watchdog/1", "aio/1",
                                            "ata/1", "kblockd/1", "events/1"}));
}

TEST(LegacyHotplug, QueueWorkOnAnOfflineCpuIsRefused) {
  LegacyMachine m(det_config(2));
  LegacyWorkqueue* hp = m.wq().create_workqueue("hp");
  LegacyWorkqueue* st = m.wq().create_singlethread_workqueue("st");
  auto w = make_work("w", [](Work*) {});
  m.scenario([&] { m.k().set_cpu_online(1, false); });
  EXPECT_FALSE(m.wq().queue_work_on(1, hp, w.get()));
  EXPECT_FALSE(wq::work_pending(w.get()));
  EXPECT_TRUE(m.printed("queue_work_on() for cpu 1, which is offline"));
  EXPECT_TRUE(m.wq().queue_work_on(1, st, w.get()));  // ST ignores the cpu
  m.k().run_until_idle();
  EXPECT_EQ(m.runs("w").size(), 1u);
}

}  // namespace
}  // namespace wqlab::test

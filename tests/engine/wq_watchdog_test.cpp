// The workqueue watchdog as kernel/workqueue.c of 6.12 has it (wq_watchdog_timer_fn()): a check
// every wq_watchdog_thresh (30 s, on a deferrable timer the wheel rounds up), the touched stamps
// reset at each check, the report "BUG: workqueue lockup - pool ... stuck for %us!", then
// show_all_workqueues() and, for stalled per-CPU pools, show_cpu_pools_hogs(); and the dump's
// format line by line.
#include <gtest/gtest.h>

#include "wq_test_util.h"

namespace wqlab::test {
namespace {

using kernel::secs;
using kernel::usecs;
using trace::EventKind;
using wq::Work;

struct Lockup {
  kernel::Nanos at;
  std::string line;
};

// One CPU without hog detection: `hog` computes for 200 s on events, and an item queued behind
// it at `stall_at` never starts, so CPU 0's pool is stuck from then on. The busy CPU ticks, so
// the deferrable watchdog runs on time: at 30.208 s, 60.416 s, 90.624 s (30 000 jiffies from
// each check, on the wheel's level 3, 512 jiffies wide).
std::vector<Lockup> lockups(kernel::Nanos stall_at, kernel::Nanos until,
                            std::vector<std::string>* log = nullptr) {
  wq::CmwqConfig cfg;
  cfg.cpu_intensive_thresh_us = 0;
  CmwqMachine m(det_config(1), cfg);
  auto hog = make_work("hog_fn", [&m](Work*) { m.k().compute_for(secs(200)); });
  auto stuck = make_work("stuck_fn", [](Work*) {});
  m.k().spawn(
      "driver",
      [&] {
        m.cmwq->schedule_work(hog.get());
        m.k().sleep_for(stall_at);
        m.cmwq->schedule_work(stuck.get());
      },
      0, kernel::SchedClass::Driver);
  m.k().run_for(until);
  std::vector<Lockup> out;
  for (auto& e : m.events(EventKind::Printk)) {
    std::string msg = m.rk.str(e.args[1]);
    if (log != nullptr) log->push_back(msg);
    if (msg.rfind("BUG: workqueue lockup", 0) == 0) out.push_back({e.time_ns, msg});
  }
  return out;
}

const char* kStuck30 = "BUG: workqueue lockup - pool cpus=0 node=0 flags=0x0 nice=0 stuck for 30s!";

// A stall that begins early in a period (100 ms) is past thresh at the next check: reported at
// 30.208 s, "stuck for 30s".
TEST(WqWatchdog, AStallEarlyInAPeriodIsReportedAtTheNextCheck) {
  auto l = lockups(kernel::msecs(100), secs(31));
  ASSERT_EQ(l.size(), 1u);
  EXPECT_EQ(l[0].at, kernel::msecs(30208));
  EXPECT_EQ(l[0].line, kStuck30);
}

// One that begins later (1 s, 29 s) is not yet thresh old at 30.208 s; the check after, at
// 60.416 s, reports it: the first report comes 30 to 60 s after a stall begins.
TEST(WqWatchdog, AStallLateInAPeriodWaitsForTheCheckAfter) {
  auto at1 = lockups(secs(1), secs(61));
  ASSERT_EQ(at1.size(), 1u);
  EXPECT_EQ(at1[0].at, kernel::msecs(60416));
  EXPECT_NE(at1[0].line.find("stuck for 59s!"), std::string::npos) << at1[0].line;
  auto at29 = lockups(secs(29), secs(61));
  ASSERT_EQ(at29.size(), 1u);
  EXPECT_EQ(at29[0].at, kernel::msecs(60416));
  EXPECT_NE(at29[0].line.find("stuck for 31s!"), std::string::npos) << at29[0].line;
}

// The touched stamps are reset at every check, and the next check is thresh later: a pool that
// stays stuck is reported once per period, each time with its full age.
TEST(WqWatchdog, AStuckPoolIsReportedOncePerPeriod) {
  auto l = lockups(kernel::msecs(100), secs(91));
  ASSERT_EQ(l.size(), 3u);
  EXPECT_EQ(l[1].at, kernel::msecs(60416));
  EXPECT_NE(l[1].line.find("stuck for 60s!"), std::string::npos) << l[1].line;
  EXPECT_EQ(l[2].at, kernel::msecs(90624));
  EXPECT_NE(l[2].line.find("stuck for 90s!"), std::string::npos) << l[2].line;
}

// After the report: show_all_workqueues() (the hog in flight, the stuck item pending, the pool
// with its hung time) and show_cpu_pools_hogs() with the running hog's task.
TEST(WqWatchdog, TheReportIsFollowedByTheDumpAndTheRunningHog) {
  std::vector<std::string> log;
  lockups(kernel::msecs(100), secs(31), &log);
  ASSERT_GE(log.size(), 1u);
  auto at = std::find(log.begin(), log.end(), std::string(kStuck30));
  ASSERT_NE(at, log.end());
  std::vector<std::string> rest(at + 1, log.end());
  ASSERT_EQ(rest.size(), 18u);
  EXPECT_EQ(rest[0], "Showing busy workqueues and worker pools:");
  EXPECT_EQ(rest[1], "workqueue events: flags=0x0");
  EXPECT_EQ(rest[2], "  pwq 2: cpus=0 node=0 flags=0x0 nice=0 active=2 refcnt=3");
  EXPECT_EQ(rest[3].rfind("    in-flight: ", 0), 0u) << rest[3];
  EXPECT_NE(rest[3].find(":hog_fn"), std::string::npos) << rest[3];
  EXPECT_EQ(rest[4], "    pending: stuck_fn");
  EXPECT_EQ(rest[5].rfind("pool 2: cpus=0 node=0 flags=0x0 nice=0 hung=30s workers=2 idle: ", 0),
            0u)
      << rest[5];
  EXPECT_EQ(rest[6], "Showing backtraces of running workers in stalled CPU-bound worker pools:");
  EXPECT_EQ(rest[7], "pool 2:");
  EXPECT_EQ(rest[8].rfind("task:kworker/0:0     state:R  running task     stack:0     pid:", 0), 0u)
      << rest[8];
  EXPECT_NE(rest[8].find(" ppid:2      flags:0x00000000"), std::string::npos) << rest[8];
  EXPECT_EQ(rest[9], "Workqueue: events hog_fn");
  EXPECT_EQ(rest[10], "Call Trace:");
  EXPECT_EQ(rest[11], " <TASK>");
  EXPECT_EQ(rest[12], " hog_fn");
  EXPECT_EQ(rest[13], " process_one_work");
  EXPECT_EQ(rest[14], " worker_thread");
  EXPECT_EQ(rest[15], " kthread");
  EXPECT_EQ(rest[16], " ret_from_fork");
  EXPECT_EQ(rest[17], " </TASK>");
}

// show_one_workqueue() / show_pwq() / show_one_worker_pool() line by line, as
// show_all_workqueues() prints them: cpus= as a cpumask list, pwq N: with the pool's id,
// in-flight / pending / inactive with runs of one function as N*fn, and the idle workers.
TEST(WqWatchdog, ShowAllWorkqueuesFormatsEachLineAsLinux) {
  CmwqMachine m(det_config(4));
  auto* limited = m.cmwq->alloc_workqueue("limited", 0, 1);
  auto* unb = m.cmwq->alloc_workqueue("unb", wq::WQ_UNBOUND, 0);
  std::vector<std::unique_ptr<Work>> items;
  auto add = [&](const std::string& fn, kernel::Nanos sleep) {
    items.push_back(make_work(fn, [&m, sleep](Work*) { m.k().sleep_for(sleep); }));
    return items.back().get();
  };
  Work* a = add("slow_fn", secs(1));
  Work* b = add("next_fn", secs(1));
  Work* c = add("next_fn", secs(1));
  Work* d = add("other_fn", secs(1));
  Work* u = add("unbound_fn", secs(1));
  m.k().spawn("scenario", [&] {
    m.cmwq->queue_work_on(1, limited, a);
    m.cmwq->queue_work_on(1, limited, b);
    m.cmwq->queue_work_on(1, limited, c);
    m.cmwq->queue_work_on(1, limited, d);
    m.cmwq->queue_work(unb, u);
  });
  m.k().run_for(kernel::msecs(50));  // a and u sleep, b, c and d wait behind a
  std::string dump = m.cmwq->show_all_workqueues();
  int unbound_pool = m.cmwq->pools().back()->id;
  int pid_a = m.run("slow_fn").pid, pid_u = m.run("unbound_fn").pid;
  std::string expected =
      "Showing busy workqueues and worker pools:\n"
      "workqueue limited: flags=0x0\n"
      "  pwq 6: cpus=1 node=0 flags=0x0 nice=0 active=1 refcnt=5\n"
      "    in-flight: " +
      std::to_string(pid_a) +
      ":slow_fn\n"
      "    inactive: 2*next_fn, other_fn\n"
      "workqueue unb: flags=0x2\n"
      "  pwq " +
      std::to_string(unbound_pool) +
      ": cpus=0-3 node=0 flags=0x4 nice=0 active=1 refcnt=2\n"
      "    in-flight: " +
      std::to_string(pid_u) + ":unbound_fn\n";
  EXPECT_EQ(dump.substr(0, expected.size()), expected) << dump;
  EXPECT_NE(dump.find("\npool 6: cpus=1 node=0 flags=0x0 nice=0 hung=0s workers=2 idle: "),
            std::string::npos)
      << dump;
  EXPECT_NE(dump.find("\npool " + std::to_string(unbound_pool) +
                      ": cpus=0-3 node=0 flags=0x4 nice=0 hung=0s workers=2 idle: "),
            std::string::npos)
      << dump;
}

// A rescuer running an item is marked (RESCUER) in the in-flight list (pr_cont_worker_id()).
TEST(WqWatchdog, ARescuerInFlightIsMarked) {
  CmwqMachine m(det_config(1));
  auto* wq = m.cmwq->alloc_workqueue("writeback", wq::WQ_MEM_RECLAIM, 2);
  kernel::Completion freed;
  std::string dump;
  auto w1 = make_work("wait_fn", [&](Work*) { freed.wait_for_completion(); });
  auto w2 = make_work("writeback_fn", [&](Work*) {
    dump = m.cmwq->show_all_workqueues();  // while the rescuer runs it
    freed.complete();
  });
  m.k().spawn("scenario", [&] {
    m.cmwq->queue_work(wq, w1.get());
    m.k().sleep_for(kernel::msecs(1));
    m.k().set_memory_pressure(true);
    m.cmwq->queue_work(wq, w2.get());
  });
  m.k().run_for(secs(2));
  ASSERT_EQ(m.comm_of(m.run("writeback_fn").pid), "kworker/R-write");
  std::string rescuer = std::to_string(m.run("writeback_fn").pid) + "(RESCUER):writeback_fn";
  EXPECT_NE(dump.find(rescuer), std::string::npos) << dump;
}

}  // namespace
}  // namespace wqlab::test

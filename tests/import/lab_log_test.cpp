// The lab's event log built from a real trace: the machine description first, then one event
// (or a few) per record, in time order, with the vocabulary's argument layout.
#include <map>

#include "engine/trace/event_kind.h"
#include "trace_test_util.h"

namespace wqlab::test {
namespace {

using trace::EventKind;

size_t count(const trace::EventLog& log, EventKind k) {
  size_t n = 0;
  for (size_t i = 0; i < log.size(); ++i) n += log[i].kind == k;
  return n;
}

TEST(LabLog, DescribesTheMachineAtTimeZeroThenFollowsTheTrace) {
  auto o = open_file(writeback_path());
  const trace::EventLog& log = o.log.recorder->log();
  ASSERT_GT(log.size(), 0u);
  EXPECT_EQ(log[0].kind, EventKind::MachineBoot);
  EXPECT_EQ(log[0].args[0], 2);
  EXPECT_EQ(o.log.time_offset_ns, 8393'189180'000);
  EXPECT_EQ(count(log, EventKind::WqPoolCreate), 5u);
  EXPECT_EQ(count(log, EventKind::WqWorkerCreate), 6u);
  EXPECT_EQ(count(log, EventKind::WqAlloc), 7u);
  EXPECT_EQ(count(log, EventKind::WqQueueWork), 258u);
  EXPECT_EQ(count(log, EventKind::WqActivateWork), 258u);
  EXPECT_EQ(count(log, EventKind::WqExecuteStart), 231u);
  EXPECT_EQ(count(log, EventKind::WqExecuteEnd), 231u);
  EXPECT_EQ(count(log, EventKind::WqWorkDequeue), 27u);  // the queueings taken back
  EXPECT_EQ(count(log, EventKind::WqWorkInactive), 19u);
  EXPECT_EQ(count(log, EventKind::CpuRun), 2446u);  // one per sched_switch
  // Task states are followed for kworkers and task-context queuers: all 203 wake-ups of a
  // kworker are there, none of the 275 of rcu_preempt (pid 15), which never queues work.
  size_t kworker_wakes = 0, rcu_wakes = 0;
  for (size_t i = 0; i < log.size(); ++i) {
    if (log[i].kind != EventKind::TaskWake) continue;
    kworker_wakes += o.machine.kworker(static_cast<int32_t>(log[i].args[0])) != nullptr;
    rcu_wakes += log[i].args[0] == 15;
  }
  EXPECT_EQ(kworker_wakes, 203u);
  EXPECT_EQ(rcu_wakes, 0u);
  for (size_t i = 1; i < log.size(); ++i) {
    ASSERT_LE(log[i - 1].time_ns, log[i].time_ns) << i;
    ASSERT_EQ(log[i].seq, i);
  }
  EXPECT_EQ(log[log.size() - 1].time_ns, 8396'130145'000 - 8393'189180'000);
}

// worker_enter_idle() after an item when the trace shows nothing left on the pool's worklist (or
// a kworker switching out in TASK_IDLE), worker_leave_idle() when it runs again: never idle
// inside an item, nr_idle counts the pool's idle kworkers, and each capture ends with every
// kworker that ran something idle (nothing was left queued at the end of either).
void expect_idle_states(const import::OpenedTrace& o) {
  const trace::EventLog& log = o.log.recorder->log();
  std::map<int64_t, bool> idle, executing, ran;
  std::map<int64_t, int> idle_in_pool;
  size_t idle_events = 0;
  for (size_t i = 0; i < log.size(); ++i) {
    const trace::Event& e = log[i];
    if (e.kind == EventKind::WqExecuteStart) executing[e.pid] = ran[e.pid] = true;
    if (e.kind == EventKind::WqExecuteEnd) executing[e.pid] = false;
    if (e.kind != EventKind::WqWorkerIdle && e.kind != EventKind::WqWorkerBusy) continue;
    const bool to_idle = e.kind == EventKind::WqWorkerIdle;
    idle_events += to_idle;
    ASSERT_NE(idle[e.args[1]], to_idle) << "event " << i << ": no change of state";
    idle[e.args[1]] = to_idle;
    idle_in_pool[e.args[0]] += to_idle ? 1 : -1;
    EXPECT_EQ(e.args[2], idle_in_pool[e.args[0]]) << "event " << i << ": nr_idle";
    if (to_idle) {
      EXPECT_FALSE(executing[e.args[1]]) << "event " << i << ": idle inside an item";
    }
  }
  EXPECT_GT(idle_events, 0u);
  for (const auto& [pid, did_run] : ran)
    if (!o.machine.kworker(static_cast<int32_t>(pid))->rescuer) {
      EXPECT_TRUE(idle[pid]) << "kworker " << pid << " is not idle at the end";
    }
}

TEST(LabLog, KworkersGoIdleWhenTheWorklistIsEmptyAndLeaveItWhenTheyRunAgain) {
  expect_idle_states(open_file(writeback_path()));
  expect_idle_states(open_file(perf_path()));
}

TEST(LabLog, WorkqueuesCarryTheirInferredFlags) {
  auto o = open_file(writeback_path());
  const trace::EventLog& log = o.log.recorder->log();
  const trace::StringTable& s = o.log.recorder->strings();
  int seen = 0;
  for (size_t i = 0; i < log.size(); ++i) {
    if (log[i].kind != EventKind::WqAlloc) continue;
    const std::string name(s.get(log[i].args[0]));
    if (name == "kblockd") {
      EXPECT_EQ(log[i].args[1], 1 << 4);  // WQ_HIGHPRI
      ++seen;
    } else if (name == "writeback") {
      EXPECT_EQ(log[i].args[1], 1 << 1);  // WQ_UNBOUND
      ++seen;
    } else if (name == "ext4-rsv-conversion") {
      EXPECT_EQ(log[i].args[2], 1);  // max_active
      ++seen;
    }
  }
  EXPECT_EQ(seen, 3);
}

}  // namespace
}  // namespace wqlab::test

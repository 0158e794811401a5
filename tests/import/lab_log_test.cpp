// The lab's event log built from a real trace: the machine description first, then one event
// (or a few) per record, in time order, with the vocabulary's argument layout.
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

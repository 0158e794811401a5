// The two shared captures, opened and checked against facts read by hand from their text.
#include "trace_test_util.h"

namespace wqlab::test {
namespace {

using import::kUnknownTime;
using import::Tri;

TEST(WritebackCapture, ImportsEveryLineAsAnEvent) {
  auto o = open_file(writeback_path());
  const import::ImportReport& r = o.trace.report;
  EXPECT_EQ(r.format, import::TraceFormat::Ftrace);
  EXPECT_EQ(o.trace.nr_cpus, 2);  // "#P:2"
  EXPECT_EQ(r.records, 4371u);    // "entries-in-buffer/entries-written: 4371/4371"
  EXPECT_EQ(r.malformed, 0u);
  EXPECT_EQ(r.unknown, 0u);
  EXPECT_EQ(r.duplicates, 0u);
  EXPECT_TRUE(o.machine.has_sched);
  EXPECT_EQ(o.machine.start_ns, 8393'189180'000);
  EXPECT_EQ(o.machine.end_ns, 8396'130145'000);
}

TEST(WritebackCapture, KworkersBelongToThePoolsTheirNamesSay) {
  auto o = open_file(writeback_path());
  const import::TraceMachine& m = o.machine;
  EXPECT_EQ(pool_name_of(m, 46), "cpu0H");    // kworker/0:1H
  EXPECT_EQ(pool_name_of(m, 6155), "cpu0");   // kworker/0:2
  EXPECT_EQ(pool_name_of(m, 56), "cpu1H");    // kworker/1:1H
  EXPECT_EQ(pool_name_of(m, 17113), "cpu1");  // kworker/1:2
  EXPECT_EQ(pool_name_of(m, 12), "u8");       // kworker/u8:0
  EXPECT_EQ(pool_name_of(m, 35), "u8");       // kworker/u8:1
  EXPECT_EQ(m.kworkers.size(), 6u);
  ASSERT_EQ(m.pools.size(), 5u);
  // Linux 6.9+ numbering: CPU N's pools are N*4+2 (normal) and N*4+3 (highpri); u8 keeps 8.
  EXPECT_EQ(m.pool(import::percpu_pool_id(0, true))->name, "cpu0H");
  EXPECT_EQ(m.pool(import::percpu_pool_id(1, false))->name, "cpu1");
  EXPECT_EQ(m.pool(8)->name, "u8");
  EXPECT_EQ(m.pool(8)->workers, (std::vector<int32_t>{35, 12}));  // in the order first seen
}

TEST(WritebackCapture, ItemsPerWorkqueueAreTheQueueWorkLines) {
  auto o = open_file(writeback_path());
  const import::TraceMachine& m = o.machine;
  // grep -o 'workqueue=[^ ]*' | sort | uniq -c
  const std::pair<const char*, uint64_t> expected[] = {
      {"events", 22},   {"events_unbound", 1}, {"ext4-rsv-conversion", 53},
      {"kblockd", 99},  {"mm_percpu_wq", 6},   {"virtio_vsock", 27},
      {"writeback", 50}};
  ASSERT_EQ(m.workqueues.size(), 7u);
  for (auto [name, n] : expected) {
    ASSERT_NE(wq(m, name), nullptr) << name;
    EXPECT_EQ(wq(m, name)->queued, n) << name;
  }
  // 231 execute_start lines; 27 queueings were taken back (mod_delayed_work) before they ran.
  uint64_t started = 0, requeued = 0;
  for (auto& w : m.workqueues) started += w.started, requeued += w.requeued_pending;
  EXPECT_EQ(started, 231u);
  EXPECT_EQ(requeued, 27u);
  EXPECT_EQ(wq(m, "kblockd")->requeued_pending, 7u);
  EXPECT_EQ(wq(m, "writeback")->requeued_pending, 20u);
}

TEST(WritebackCapture, WorkqueueKindsFollowFromTheirPools) {
  auto o = open_file(writeback_path());
  const import::TraceMachine& m = o.machine;
  EXPECT_EQ(wq(m, "kblockd")->highpri, Tri::Yes);  // ran on kworker/N:1H
  EXPECT_EQ(wq(m, "kblockd")->unbound, Tri::No);
  EXPECT_EQ(wq(m, "writeback")->unbound, Tri::Yes);  // cpu=-1 and kworker/u8
  EXPECT_EQ(wq(m, "virtio_vsock")->unbound, Tri::No);
  EXPECT_EQ(wq(m, "virtio_vsock")->highpri, Tri::No);
  // ext4-rsv-conversion is alloc_workqueue(..., WQ_UNBOUND, 1): 19 queueings were not activated
  // right away (checked line by line), each while one other item was active.
  EXPECT_EQ(wq(m, "ext4-rsv-conversion")->unbound, Tri::Yes);
  EXPECT_EQ(wq(m, "ext4-rsv-conversion")->waited_inactive, 19u);
  EXPECT_EQ(wq(m, "ext4-rsv-conversion")->max_active_seen, 1);
  EXPECT_EQ(wq(m, "ext4-rsv-conversion")->max_in_flight, 1);
  EXPECT_EQ(wq(m, "kblockd")->waited_inactive, 0u);
}

TEST(WritebackCapture, AnItemsLatencyAndRunTimeAreItsTracepointsApart) {
  auto o = open_file(writeback_path());
  // Lines 29-33: cc1plus-17213 queues virtio_transport_tx_work from a hard interrupt (d.h1.) at
  // 8393.200625, it is activated at .200626; kworker/1:2-17113 starts it at .200634 and ends
  // it at .200645.
  const import::TraceItem* it = item(o.machine, 0x00000000986ed0a7ull, 8393'200625'000);
  ASSERT_NE(it, nullptr);
  EXPECT_EQ(o.trace.names.get(it->function), "virtio_transport_tx_work");
  EXPECT_EQ(it->activated, 8393'200626'000);
  EXPECT_EQ(it->started, 8393'200634'000);
  EXPECT_EQ(it->ended, 8393'200645'000);
  EXPECT_EQ(it->latency(), 9'000);
  EXPECT_EQ(it->run_time(), 11'000);
  EXPECT_EQ(it->worker, 17113);
  EXPECT_EQ(it->queuer, 17213);
  EXPECT_TRUE(it->from_irq);
  EXPECT_FALSE(it->waited_inactive);
  EXPECT_EQ(it->queue_line, 27u);
  // Between start and end the kworker was on CPU 1 the whole time: no sched_switch of 17113.
  EXPECT_EQ(it->on_cpu_ns, 11'000);
  EXPECT_EQ(it->blocked, 0);
}

TEST(WritebackCapture, AnItemQueuedWhileItRanWaitsForMaxActive) {
  auto o = open_file(writeback_path());
  // ext4_end_io_rsv_work 00000000b3b4b059 runs from 8393.931898 on kworker/u8:0, sleeping in D
  // at .931910 and .932804; it is queued again at .932717 and activated only at .938204, right
  // after the first run ended at .938203.
  const import::TraceItem* first = item(o.machine, 0xb3b4b059ull, 8393'931862'000);
  const import::TraceItem* again = item(o.machine, 0xb3b4b059ull, 8393'932717'000);
  ASSERT_NE(first, nullptr);
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(first->started, 8393'931898'000);
  EXPECT_EQ(first->ended, 8393'938203'000);
  EXPECT_EQ(first->blocked, 2);
  EXPECT_FALSE(first->waited_inactive);
  EXPECT_TRUE(again->waited_inactive);
  EXPECT_EQ(again->activated, 8393'938204'000);
}

TEST(PerfCapture, ImportsPerfScriptWithCutComms) {
  auto o = open_file(perf_path());
  const import::ImportReport& r = o.trace.report;
  EXPECT_EQ(r.format, import::TraceFormat::PerfScript);
  EXPECT_EQ(r.records, 182u);
  EXPECT_EQ(r.malformed, 0u);
  EXPECT_EQ(o.trace.nr_cpus, 0);    // perf script prints no CPU count...
  EXPECT_EQ(o.machine.nr_cpus, 2);  // ...so the highest CPU seen says it
  EXPECT_FALSE(o.machine.has_sched);
  const import::TraceMachine& m = o.machine;
  EXPECT_EQ(pool_name_of(m, 46), "cpu0H");    // kworker/0:1H-kb
  EXPECT_EQ(pool_name_of(m, 56), "cpu1H");    // kworker/1:1H-kb
  EXPECT_EQ(pool_name_of(m, 6155), "cpu0");   // kworker/0:2-eve
  EXPECT_EQ(pool_name_of(m, 17113), "cpu1");  // kworker/1:2-eve
  EXPECT_EQ(pool_name_of(m, 12), "u8");       // kworker/u8:0-kv
  EXPECT_EQ(pool_name_of(m, 35), "u8");       // kworker/u8:1-ex
  EXPECT_EQ(m.kworker(46)->comm, "kworker/0:1H");
}

TEST(PerfCapture, ItemsPerWorkqueueAndAChosenItem) {
  auto o = open_file(perf_path());
  const import::TraceMachine& m = o.machine;
  const std::pair<const char*, uint64_t> expected[] = {{"events", 1},
                                                       {"events_freezable", 1},
                                                       {"events_power_efficient", 1},
                                                       {"ext4-rsv-conversion", 8},
                                                       {"kblockd", 35},
                                                       {"mm_percpu_wq", 2},
                                                       {"virtio_vsock", 2},
                                                       {"writeback", 3}};
  ASSERT_EQ(m.workqueues.size(), 8u);
  for (auto [name, n] : expected) {
    ASSERT_NE(wq(m, name), nullptr) << name;
    EXPECT_EQ(wq(m, name)->queued, n) << name;
  }
  EXPECT_EQ(wq(m, "kblockd")->started, 21u);  // 38 execute_start lines in all
  EXPECT_EQ(wq(m, "kblockd")->requeued_pending, 14u);
  // Lines 13-16 and 20: ext4_end_io_rsv_work 0xffff8881000f7780 queued at 8417.632139 by
  // cc1plus 17513, activated at .632142, run by kworker/u8:0-kv 12 from .632208 to .633706.
  const import::TraceItem* it = item(m, 0xffff8881000f7780ull, 8417'632139'000);
  ASSERT_NE(it, nullptr);
  EXPECT_EQ(it->latency(), 69'000);
  EXPECT_EQ(it->run_time(), 1'498'000);
  EXPECT_EQ(it->worker, 12);
  EXPECT_EQ(it->pool, 8);
  EXPECT_EQ(it->pool_cpu, -1);
  EXPECT_EQ(it->req_cpu, 256);   // WORK_CPU_UNBOUND on an NR_CPUS=256 kernel
  EXPECT_EQ(it->on_cpu_ns, -1);  // no sched_switch: unknown, not guessed
}

TEST(PerfCapture, UnknownFactsStayUnknown) {
  auto o = open_file(perf_path());
  for (const import::TracePool& p : o.machine.pools) EXPECT_EQ(p.max_running, -1) << p.name;
  for (const import::TraceWorkqueue& w : o.machine.workqueues) EXPECT_EQ(w.cpu_time_ns, -1);
  // events_freezable ran once on a per-CPU normal pool: not unbound, not highpri.
  EXPECT_EQ(wq(o.machine, "events_freezable")->unbound, Tri::No);
}

}  // namespace
}  // namespace wqlab::test

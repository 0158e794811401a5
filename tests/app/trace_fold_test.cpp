// A real kernel's trace, imported (engine/import) and folded by the app's model like a simulated
// run: what the machine room, the timeline and the counters would show for the shared capture.
#include <gtest/gtest.h>

#include <algorithm>

#include "engine/import/open_trace.h"
#include "model/machine_model.h"

namespace wqlab::test {
namespace {

struct FoldedTrace {
  import::OpenedTrace trace;
  model::MachineModel model;
  explicit FoldedTrace(const std::string& path) {
    std::string error;
    auto o = import::open_trace_file(path, &error);
    EXPECT_TRUE(o.has_value()) << error;
    if (o) trace = std::move(*o);
    model::MachineConfig c;
    c.nr_cpus = trace.log.nr_cpus;
    model.attach(trace.log.recorder.get(), c);
    model.update();
  }
  std::string str(int64_t id) const { return std::string(model.strings().get(id)); }
};

const std::string kWriteback =
    std::string(WQLAB_SOURCE_DIR) + "/tests/data/traces/linux-6.18-2cpu-writeback.trace.txt";
constexpr int64_t kStart = 8393'189180'000;  // the capture's first timestamp: lab time 0

TEST(TraceFold, TheMachineRoomShowsThePoolsAndTheirKworkers) {
  FoldedTrace f(kWriteback);
  ASSERT_TRUE(f.model.caught_up());
  const model::MachineState& s = f.model.head();
  EXPECT_EQ(s.cpus.size(), 2u);
  EXPECT_EQ(s.live_pools(), 5u);
  // Pool ids as the kernel numbers them: CPU N's normal pool N*4+2, highpri N*4+3; u8 is 8.
  ASSERT_NE(s.pool(3), nullptr);
  EXPECT_EQ(s.pool(3)->workers, (std::vector<int32_t>{46}));  // kworker/0:1H
  EXPECT_TRUE(s.pool(3)->highpri());
  EXPECT_EQ(s.pool(2)->workers, (std::vector<int32_t>{6155}));   // kworker/0:2
  EXPECT_EQ(s.pool(7)->workers, (std::vector<int32_t>{56}));     // kworker/1:1H
  EXPECT_EQ(s.pool(6)->workers, (std::vector<int32_t>{17113}));  // kworker/1:2
  EXPECT_TRUE(s.pool(8)->unbound);
  EXPECT_EQ(s.pool(8)->workers.size(), 2u);  // kworker/u8:0, kworker/u8:1
  EXPECT_EQ(s.kworkers, 6);
  EXPECT_EQ(f.str(s.tasks.at(17113).comm), "kworker/1:2");
  // Nothing is left queued or running at the end: every queueing ran or was taken back.
  EXPECT_EQ(s.pending_items(), 0);
  EXPECT_EQ(s.active_items(), 0);
  EXPECT_EQ(s.executions_started, 231u);
  EXPECT_EQ(s.executions_done, 231u);
}

TEST(TraceFold, TheCountersAreTheCapturesPerWorkqueueSums) {
  FoldedTrace f(kWriteback);
  const model::MachineState& s = f.model.head();
  std::map<std::string, std::pair<uint64_t, uint64_t>> seen;  // name -> (queued, started)
  for (const model::WorkqueueInfo& w : s.workqueues)
    seen[f.str(w.name)] = {w.counters.queued, w.counters.started};
  EXPECT_EQ(seen["kblockd"], (std::pair<uint64_t, uint64_t>{99, 92}));
  EXPECT_EQ(seen["writeback"], (std::pair<uint64_t, uint64_t>{50, 30}));
  EXPECT_EQ(seen["ext4-rsv-conversion"], (std::pair<uint64_t, uint64_t>{53, 53}));
  EXPECT_EQ(seen["virtio_vsock"], (std::pair<uint64_t, uint64_t>{27, 27}));
  const model::WorkqueueInfo* ext4 =
      s.workqueue(s.workqueue_index(f.model.strings().find("ext4-rsv-conversion")));
  ASSERT_NE(ext4, nullptr);
  EXPECT_EQ(ext4->max_active, 1);
}

TEST(TraceFold, TheTimelineShowsAChosenItemWhereTheTraceHasIt) {
  FoldedTrace f(kWriteback);
  const model::RunHistory& h = f.model.history();
  ASSERT_EQ(h.executions.size(), 231u);
  // virtio_transport_tx_work queued at 8393.200625 (line 27), run by kworker/1:2 from .200634
  // to .200645.
  const model::ExecutionRecord& r = h.executions.front();
  EXPECT_EQ(f.str(r.func), "virtio_transport_tx_work");
  EXPECT_EQ(r.pid, 17113);
  EXPECT_EQ(r.queuer, 17213);
  EXPECT_EQ(r.pool, 6);
  EXPECT_EQ(r.queued_at, 8393'200625'000 - kStart);
  EXPECT_EQ(r.start, 8393'200634'000 - kStart);
  EXPECT_EQ(r.end, 8393'200645'000 - kStart);
  EXPECT_EQ(r.flags & model::kExecBarrier, 0);
  // Its kworker's lane has the execution, and the CPU lanes come from sched_switch.
  const model::TaskTrack* t = h.track_for(17113);
  ASSERT_NE(t, nullptr);
  EXPECT_TRUE(t->worker);
  ASSERT_FALSE(t->execs.empty());
  EXPECT_EQ(t->execs.front().start, r.start);
  EXPECT_EQ(h.cpus.size(), 2u);
  EXPECT_FALSE(h.cpus[0].empty());
  EXPECT_EQ(h.end_time, 8396'130145'000 - kStart);
}

TEST(TraceFold, ItemsThatWaitedForMaxActiveAreMarked) {
  FoldedTrace f(kWriteback);
  size_t waited = 0;
  for (const model::ExecutionRecord& r : f.model.history().executions)
    waited += (r.flags & model::kExecWasInactive) != 0;
  EXPECT_EQ(waited, 19u);  // ext4-rsv-conversion's, as the importer found them
}

TEST(TraceFold, ScrubbingBackShowsAPastMoment) {
  FoldedTrace f(kWriteback);
  // Just after kworker/1:2 started the virtio item, it is running it on CPU 1's normal pool.
  const uint64_t n = f.model.events_at_time(8393'200634'000 - kStart);
  const model::MachineState past = f.model.state_at(n);
  const model::WorkerInfo* w = past.worker(17113);
  ASSERT_NE(w, nullptr);
  ASSERT_GE(w->current, 0);
  EXPECT_EQ(f.str(past.instance(w->current)->func), "virtio_transport_tx_work");
  EXPECT_EQ(past.pool(6)->nr_running, 1);
}

}  // namespace
}  // namespace wqlab::test

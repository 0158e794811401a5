// The fold, checked against the engine itself: after (and during) real runs, the model folded
// from the event log alone must show the pools, pwqs, workers, counters and executions that the
// engine's own structures hold.
#include <gtest/gtest.h>

#include "app_test_util.h"
#include "engine/wq/list.h"

namespace wqlab::test {
namespace {

using kernel::msecs;
using model::MachineModel;
using model::MachineState;

// The function names on an engine list of work items (flush barriers left out: the model only
// learns of a barrier when it runs).
std::vector<std::string> engine_names(const wq::ListHead& head) {
  std::vector<std::string> out;
  for (const wq::ListHead* n = head.next; n != &head; n = n->next) {
    const wq::Work* w = n->entry<wq::Work>();
    if (!w->is_barrier) out.push_back(w->name());
  }
  return out;
}

std::vector<std::string> model_names(const MachineModel& m, const std::vector<int32_t>& ids) {
  std::vector<std::string> out;
  for (int32_t id : ids) {
    const model::Instance* inst = m.head().instance(id);
    if (inst && !inst->barrier) out.push_back(m.strings().get(inst->func));
  }
  return out;
}

// Everything the machine room and the counters show, compared structure by structure.
// CPU time is charged per tick; the model learns of a tick only when the computing segment ends
// (the next cpu_run), so mid-run it may lag the engine; when the machine is idle they agree.
void expect_model_matches_engine(RecordedMachine& rm, const char* when, bool idle = true) {
  SCOPED_TRACE(when);
  MachineModel m;
  rm.fold(m);
  const MachineState& s = m.head();
  EXPECT_EQ(s.pids_in_use, rm.k->nr_pids_in_use());
  EXPECT_EQ(static_cast<size_t>(s.threads), rm.k->nr_tasks());
  EXPECT_EQ(s.kworkers, rm.cmwq->nr_kworkers());
  for (wq::WorkerPool* pool : rm.cmwq->pools()) {
    SCOPED_TRACE("pool " + std::to_string(pool->id));
    const model::PoolInfo* p = s.pool(pool->id);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->cpu, pool->cpu);
    EXPECT_EQ(p->nice, pool->attrs.nice);
    EXPECT_EQ(p->nr_workers, pool->nr_workers);
    EXPECT_EQ(p->nr_idle, pool->nr_idle);
    EXPECT_EQ(p->nr_running, pool->nr_running);
    EXPECT_EQ(model_names(m, p->worklist), engine_names(pool->worklist));
    EXPECT_EQ(p->manager, pool->manager ? pool->manager->task->pid : 0);
    std::vector<int32_t> pids;
    for (const wq::ListHead* n = pool->workers.next; n != &pool->workers; n = n->next) {
      const wq::Worker* w = n->entry<wq::Worker>();
      if (w->task == nullptr) continue;  // a BH pool's worker: no task, no chip in the model
      pids.push_back(w->task->pid);
      const model::WorkerInfo* mw = s.worker(w->task->pid);
      ASSERT_NE(mw, nullptr) << w->task->comm;
      EXPECT_EQ(mw->idle, (w->flags & wq::WORKER_IDLE) != 0) << w->task->comm;
      const model::Instance* cur = s.instance(mw->current);
      EXPECT_EQ(cur ? m.strings().get(cur->func) : "",
                w->current_work ? w->current_work->name() : "")
          << w->task->comm;
    }
    std::vector<int32_t> model_pids = p->workers;
    std::sort(pids.begin(), pids.end());
    std::sort(model_pids.begin(), model_pids.end());
    EXPECT_EQ(model_pids, pids);
  }
  for (wq::Workqueue* wq : rm.cmwq->workqueues()) {
    SCOPED_TRACE("workqueue " + wq->name);
    const model::WorkqueueInfo* w = s.workqueue(wq->id);
    ASSERT_NE(w, nullptr);
    EXPECT_EQ(m.strings().get(w->name), wq->name);
    EXPECT_EQ(w->max_active, wq->max_active.load());
    EXPECT_EQ(w->rescuer, wq->rescuer ? wq->rescuer->task->pid : 0);
    const wq::WqStats st = rm.cmwq->wq_stats(wq);
    EXPECT_EQ(w->counters.started, st.stat[wq::PWQ_STAT_STARTED]);
    EXPECT_EQ(w->counters.completed, st.stat[wq::PWQ_STAT_COMPLETED]);
    if (idle) {
      EXPECT_EQ(w->counters.cpu_time_us, st.stat[wq::PWQ_STAT_CPU_TIME]);
    } else {
      EXPECT_LE(w->counters.cpu_time_us, st.stat[wq::PWQ_STAT_CPU_TIME]);
    }
    EXPECT_EQ(w->counters.cpu_intensive, st.stat[wq::PWQ_STAT_CPU_INTENSIVE]);
    EXPECT_EQ(w->counters.cm_wakeup, st.stat[wq::PWQ_STAT_CM_WAKEUP]);
    EXPECT_EQ(w->counters.repatriated, st.stat[wq::PWQ_STAT_REPATRIATED]);
    EXPECT_EQ(w->counters.mayday, st.stat[wq::PWQ_STAT_MAYDAY]);
    EXPECT_EQ(w->counters.rescued, st.stat[wq::PWQ_STAT_RESCUED]);
    size_t pwqs = 0;
    for (const wq::ListHead* n = wq->pwqs.next; n != &wq->pwqs; n = n->next, ++pwqs) {
      const wq::PoolWorkqueue* pwq = n->entry<wq::PoolWorkqueue>();
      const model::PwqInfo* mp = s.pwq(pwq->id);
      ASSERT_NE(mp, nullptr);
      EXPECT_EQ(mp->wq, wq->id);
      EXPECT_EQ(mp->pool, pwq->pool->id);
      EXPECT_EQ(mp->nr_active, pwq->nr_active) << "pwq " << pwq->id;
      EXPECT_EQ(model_names(m, mp->inactive), engine_names(pwq->inactive_works));
    }
    EXPECT_EQ(w->pwqs.size(), pwqs);
  }
}

TEST(Fold, DocTimelineFoldsToTheExecutionsTheEngineRan) {
  RecordedMachine rm(1);
  auto* wq = rm.cmwq->alloc_workqueue("doc", 0, 3);
  auto* w0 = rm.ctx->work("w0", {session::Step::compute(msecs(5)), session::Step::sleep(msecs(10)),
                                 session::Step::compute(msecs(5))});
  auto* w1 =
      rm.ctx->work("w1", {session::Step::compute(msecs(5)), session::Step::sleep(msecs(10))});
  auto* w2 =
      rm.ctx->work("w2", {session::Step::compute(msecs(5)), session::Step::sleep(msecs(10))});
  rm.ctx->spawn(
      "scenario",
      [&] {
        rm.cmwq->queue_work(wq, w0);
        rm.cmwq->queue_work(wq, w1);
        rm.cmwq->queue_work(wq, w2);
      },
      0);
  rm.run_until_idle();
  MachineModel m;
  rm.fold(m);
  struct Expected {
    const char* func;
    kernel::Nanos start, end;
  };
  const Expected expected[] = {
      {"w0", 0, msecs(20)}, {"w1", msecs(5), msecs(20)}, {"w2", msecs(10), msecs(25)}};
  const auto& execs = m.history().executions;
  ASSERT_EQ(execs.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(m.strings().get(execs[i].func), expected[i].func);
    EXPECT_EQ(execs[i].start, expected[i].start) << expected[i].func;
    EXPECT_EQ(execs[i].end, expected[i].end) << expected[i].func;
    EXPECT_EQ(execs[i].queued_at, 0);
  }
  // Three different kworkers ran them: each started when the one before went to sleep.
  EXPECT_NE(execs[0].pid, execs[1].pid);
  EXPECT_NE(execs[1].pid, execs[2].pid);
  const model::WorkqueueInfo* doc =
      m.head().workqueue(m.head().workqueue_index(m.strings().find("doc")));
  ASSERT_NE(doc, nullptr);
  EXPECT_EQ(doc->counters.started, 3u);
  EXPECT_EQ(doc->counters.cm_wakeup, 2u);
  EXPECT_EQ(doc->counters.cpu_time_us, 20'000u);  // 5 + 5 + 5 + 5 ms of compute
  EXPECT_EQ(m.head().executions_done, 3u);
  expect_model_matches_engine(rm, "after the DOC timeline");
}

// BH items end on the task that served their softirq (not a worker), and kick_pool()'s
// repatriation shows in the RPR counter, as the engine counts them.
TEST(Fold, BhItemsAndRepatriationFoldLikeTheEngine) {
  session::ScenarioDef def;
  def.kernel.nr_cpus = 4;
  def.kernel.topology.cpus_per_cache = 2;
  def.start = [](session::ScenarioContext&) {};
  RecordedMachine rm(def);
  auto* bh = rm.ctx->work("bh_item", {session::Step::compute(msecs(1))});
  auto* ub = rm.ctx->work("unbound_item", {session::Step::compute(msecs(1))});
  rm.ctx->spawn(
      "scenario",
      [&] {
        rm.cmwq->queue_work(rm.cmwq->system_bh_wq, bh);
        rm.cmwq->queue_work(rm.cmwq->system_unbound_wq, ub);
      },
      3);
  rm.run_until_idle();
  MachineModel m;
  rm.fold(m);
  const auto& execs = m.history().executions;
  ASSERT_EQ(execs.size(), 2u);
  for (const auto& e : execs) EXPECT_NE(e.end, model::kOpen) << m.strings().get(e.func);
  EXPECT_EQ(m.head().running_items, 0);
  const model::WorkqueueInfo* unbound =
      m.head().workqueue(m.head().workqueue_index(m.strings().find("events_unbound")));
  ASSERT_NE(unbound, nullptr);
  EXPECT_EQ(unbound->counters.repatriated, 1u);
  const model::PoolInfo* bh_pool = m.head().pool(3 * wq::POOLS_PER_CPU_IDS);
  ASSERT_NE(bh_pool, nullptr);
  EXPECT_TRUE(bh_pool->bh);
  expect_model_matches_engine(rm, "after a BH item and a repatriated unbound item");
}

TEST(Fold, TourMatchesTheEngineAtEveryStop) {
  RecordedMachine rm(demo("tour"));
  for (kernel::Nanos t :
       {msecs(3), msecs(12), msecs(27), msecs(47), msecs(52), msecs(76), msecs(90), msecs(500)}) {
    rm.k->run({t});
    expect_model_matches_engine(rm, ("at " + std::to_string(t / 1000000) + " ms").c_str(), false);
  }
  rm.run_until_idle();
  expect_model_matches_engine(rm, "when idle");
}

TEST(Fold, MaydayDemoShowsTheRescuerAtWork) {
  RecordedMachine rm(demo("mayday"));
  rm.run_until_idle();
  MachineModel m;
  rm.fold(m);
  const MachineState& s = m.head();
  const model::WorkqueueInfo* wb = s.workqueue(s.workqueue_index(m.strings().find("writeback")));
  ASSERT_NE(wb, nullptr);
  EXPECT_GE(wb->counters.mayday, 1u);
  EXPECT_EQ(wb->counters.rescued, 1u);
  ASSERT_NE(wb->rescuer, 0);
  const model::WorkerInfo* rescuer = s.worker(wb->rescuer);
  ASSERT_NE(rescuer, nullptr);
  EXPECT_TRUE(rescuer->rescuer);
  EXPECT_EQ(rescuer->rescue_wq, wb->index);
  EXPECT_EQ(rescuer->pool, -1);  // parked again after the rescue
  bool rescued_run = false;
  for (const model::ExecutionRecord& e : m.history().executions)
    if (m.strings().get(e.func) == "writeback_fn") rescued_run = e.pid == wb->rescuer;
  EXPECT_TRUE(rescued_run);
  auto count = [&](model::MarkerKind k) {
    return std::count_if(m.history().markers.begin(), m.history().markers.end(),
                         [k](const model::Marker& mk) { return mk.kind == k; });
  };
  EXPECT_GE(count(model::MarkerKind::Mayday), 1);
  EXPECT_EQ(count(model::MarkerKind::Rescue), 1);
  EXPECT_EQ(count(model::MarkerKind::MemPressureOn), 1);
  expect_model_matches_engine(rm, "after the rescue");
}

TEST(Fold, TimelineTracksHaveSortedNonOverlappingSpans) {
  RecordedMachine rm(demo("tour"));
  rm.run_until_idle();
  MachineModel m;
  rm.fold(m);
  size_t execs = 0;
  for (const model::TaskTrack& t : m.history().tracks) {
    for (size_t i = 0; i < t.execs.size(); ++i) {
      EXPECT_LE(t.execs[i].start, t.execs[i].end) << t.pid;
      if (i > 0) {
        EXPECT_LE(t.execs[i - 1].end, t.execs[i].start) << t.pid;
      }
    }
    for (size_t i = 1; i < t.states.size(); ++i) {
      EXPECT_LE(t.states[i - 1].end, t.states[i].start) << t.pid;
    }
    execs += t.execs.size();
  }
  EXPECT_EQ(execs, m.history().executions.size());
  for (const auto& lane : m.history().cpus) {
    for (size_t i = 1; i < lane.size(); ++i) {
      EXPECT_LE(lane[i - 1].end, lane[i].start);
    }
  }
}

TEST(Fold, EveryEventKindIsFolded) {
  RecordedMachine rm(demo("tour"));
  rm.k->run({msecs(30)});
  MachineModel m;
  rm.fold(m);
  for (size_t k = 1; k < static_cast<size_t>(trace::EventKind::Count); ++k) {
    const auto kind = static_cast<trace::EventKind>(k);
    MachineState s = m.head();
    model::RunHistory h = m.history();
    trace::Event ev;
    ev.kind = kind;
    EXPECT_TRUE(model::fold_event(s, ev, m.config(), &h)) << trace::event_kind_info(kind).name;
  }
}

}  // namespace
}  // namespace wqlab::test

// The session's driver thread: loading demos, running, stepping, playing, and commands from the
// UI, all observed through the recording as the UI would.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "app_test_util.h"
#include "session/machine_session.h"

namespace wqlab::test {
namespace {

using namespace std::chrono_literals;
using session::MachineSession;

model::MachineModel fold(const MachineSession& s) {
  model::MachineModel m;
  auto rec = s.recording();
  m.attach(rec->recorder.get(), rec->config);
  m.update();
  return m;
}

size_t executions_of(const model::MachineModel& m, const std::string& func) {
  size_t n = 0;
  for (const auto& e : m.history().executions) n += m.strings().get(e.func) == func ? 1 : 0;
  return n;
}

TEST(MachineSession, LoadsADemoAndRunsItUntilIdle) {
  MachineSession s(session::demo_scenarios());
  ASSERT_TRUE(s.load("doc"));
  EXPECT_FALSE(s.load("no-such-demo"));
  s.run_until_idle();
  ASSERT_TRUE(s.wait_until_quiet(20s));
  const session::SessionStatus st = s.status();
  EXPECT_EQ(st.scenario, "doc");
  EXPECT_TRUE(st.idle);
  EXPECT_TRUE(st.error.empty());
  EXPECT_GE(st.now, kernel::msecs(25));
  auto m = fold(s);
  EXPECT_EQ(m.events(), st.events);
  EXPECT_EQ(m.head().executions_done, 3u);
  EXPECT_EQ(m.strings().get(m.history().executions.back().func), "w2");
}

TEST(MachineSession, StepRunsOneDispatchAtATime) {
  MachineSession s(session::demo_scenarios());
  s.load("doc");
  ASSERT_TRUE(s.wait_until_quiet(10s));
  const uint64_t booted = s.status().events;
  s.step();
  ASSERT_TRUE(s.wait_until_quiet(10s));
  const uint64_t one = s.status().events;
  EXPECT_GT(one, booted);
  auto m = fold(s);
  EXPECT_EQ((*m.log())[booted].kind, trace::EventKind::TaskRun);  // the dispatch itself
  for (uint64_t i = booted + 1; i < one; ++i)
    EXPECT_NE((*m.log())[i].kind, trace::EventKind::TaskRun) << i;  // and nothing else ran
}

TEST(MachineSession, PlayAdvancesVirtualTimeAtTheChosenSpeed) {
  MachineSession s(session::demo_scenarios());
  s.load("doc");
  s.set_speed(1.0);  // one virtual second per second
  const auto t0 = std::chrono::steady_clock::now();
  s.play();
  // Waits for progress (a loaded host may be slow to give it), then checks it was not faster
  // than the speed allows.
  const auto deadline = t0 + 30s;
  while (s.status().now < kernel::msecs(100) && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(5ms);
  s.pause();
  ASSERT_TRUE(s.wait_until_quiet(10s));
  const auto wall_ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - t0)
          .count();
  const session::SessionStatus st = s.status();
  EXPECT_FALSE(st.playing);
  EXPECT_GE(st.now, kernel::msecs(100));
  EXPECT_LE(st.now, wall_ns + kernel::msecs(50));  // at most one virtual second per second
  EXPECT_EQ(fold(s).head().executions_done, 3u);
}

TEST(MachineSession, CommandsRunOnTheDriverOrInASandboxTask) {
  MachineSession s(session::demo_scenarios());
  s.load("doc");
  s.run_until_idle();
  ASSERT_TRUE(s.wait_until_quiet(10s));
  s.post({"queue extra_fn", false, [](session::ScenarioContext& c) {
            c.cmwq.queue_work_on(1, c.cmwq.system_wq,
                                 c.work("extra_fn", {session::Step::compute(kernel::msecs(1))}));
          }});
  s.post({"flush events", true,
          [](session::ScenarioContext& c) { c.cmwq.flush_workqueue(c.cmwq.system_wq); }});
  s.run_until_idle();
  ASSERT_TRUE(s.wait_until_quiet(10s));
  EXPECT_EQ(s.status().commands_done, 2u);
  auto m = fold(s);
  EXPECT_EQ(executions_of(m, "extra_fn"), 1u);
  // The flush ran inside a task named "sandbox", as blocking commands do.
  bool sandbox_flushed = false;
  for (uint64_t i = 0; i < m.events(); ++i) {
    const trace::Event& e = (*m.log())[i];
    if (e.kind != trace::EventKind::WqFlushDone) continue;
    for (const model::TaskTrack& t : m.history().tracks)
      sandbox_flushed = sandbox_flushed || (t.pid == e.pid && m.strings().get(t.comm) == "sandbox");
  }
  EXPECT_TRUE(sandbox_flushed);
}

TEST(MachineSession, LoadingAnotherDemoKeepsTheOldRecordingReadable) {
  MachineSession s(session::demo_scenarios());
  s.load("doc");
  s.run_until_idle();
  ASSERT_TRUE(s.wait_until_quiet(10s));
  auto old = s.recording();
  const uint64_t old_events = old->recorder->log().size();
  s.load("mayday");
  ASSERT_TRUE(s.wait_until_quiet(10s));
  auto now = s.recording();
  EXPECT_GT(now->generation, old->generation);
  EXPECT_EQ(now->scenario.name, "mayday");
  EXPECT_EQ(old->recorder->log().size(), old_events);
  model::MachineModel m;
  m.attach(old->recorder.get(), old->config);
  m.update();
  EXPECT_EQ(m.head().executions_done, 3u);
}

}  // namespace
}  // namespace wqlab::test

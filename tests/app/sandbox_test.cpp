// The sandbox: a scenario built one change at a time on a LessonSession's machine, in
// deterministic mode, so every test asserts exact event orders. Saving and loading, and a share
// link, give back the same run; an invalid action is refused with a message and changes nothing
// already recorded; the student's scheduler pick changes what runs next.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "engine/scenario/parser.h"
#include "engine/trace/event_kind.h"
#include "sandbox/sandbox.h"
#include "sandbox/sandbox_text.h"
#include "share/share_url.h"

namespace wqlab::test {
namespace {

using namespace std::chrono_literals;
using scenario::ActionKind;

// A sandbox on a session of its own, with a way to wait for the machine as the UI does.
struct Bench {
  session::LessonSession session{0};
  sandbox::Sandbox sb{session};
  void wait() {
    ASSERT_TRUE(session.wait_until_quiet(60s));
    sb.sync(session.status());
    ASSERT_TRUE(sb.ready());
  }
  trace::Recorder& recorder() {
    auto info = session.info();
    EXPECT_TRUE(info);
    info->machines.front().recording->recorder->drain();
    return *info->machines.front().recording->recorder;
  }
  // "fn@Tms" for each event of `kind` (an execution's start or end), in order.
  std::vector<std::string> executions(trace::EventKind kind = trace::EventKind::WqExecuteStart) {
    trace::Recorder& r = recorder();
    std::vector<std::string> out;
    for (size_t i = 0; i < r.log().size(); ++i) {
      const trace::Event& e = r.log()[i];
      if (e.kind == kind)
        out.push_back(std::string(r.strings().get(e.args[1])) + "@" +
                      std::to_string(e.time_ns / 1'000'000) + "ms");
    }
    return out;
  }
  std::string log_bytes() { return recorder().log().bytes(); }
};

scenario::Action queue(const std::string& work, const std::string& wq, int cpu) {
  scenario::Action a;
  a.kind = ActionKind::Queue;
  a.work = work;
  a.wq = wq;
  a.cpu = cpu;
  return a;
}

scenario::Action on_wq(ActionKind kind, const std::string& wq) {
  scenario::Action a;
  a.kind = kind;
  a.wq = wq;
  return a;
}

// Given a one-CPU machine with an ordered queue and three items, the items run one after the
// other in the order queued.
void build_ordered(Bench& b) {
  b.sb.reset(1);
  b.wait();
  ASSERT_TRUE(b.sb.add_work("first", "compute 2ms")) << b.sb.error();
  ASSERT_TRUE(b.sb.add_work("second", "compute 3ms; sleep 1ms")) << b.sb.error();
  ASSERT_TRUE(b.sb.add_work("third", "compute 1ms")) << b.sb.error();
  b.wait();
  ASSERT_TRUE(b.sb.create_workqueue("ord", "alloc_ordered_workqueue", 0, 0)) << b.sb.error();
  b.wait();
  for (const char* w : {"first", "second", "third"})
    ASSERT_TRUE(b.sb.perform(queue(w, "ord", 0))) << b.sb.error();  // no wait needed
  b.wait();
  ASSERT_TRUE(b.sb.run_until_idle()) << b.sb.error();
  b.wait();
}

TEST(Sandbox, ActionsRunInExactOrder) {
  Bench b;
  build_ordered(b);
  EXPECT_EQ(b.executions(), (std::vector<std::string>{"first@0ms", "second@2ms", "third@6ms"}));
  EXPECT_EQ(b.sb.now(), kernel::msecs(7));
  EXPECT_TRUE(b.sb.error().empty()) << b.sb.error();
}

TEST(Sandbox, SavedFileLoadsToTheSameEventLog) {
  Bench live;
  build_ordered(live);
  // Time passes, then more happens: a second step.
  ASSERT_TRUE(live.sb.run_for(kernel::msecs(5))) << live.sb.error();
  live.wait();
  ASSERT_TRUE(live.sb.perform(queue("first", "events", 0))) << live.sb.error();
  live.wait();
  ASSERT_TRUE(live.sb.run_until_idle()) << live.sb.error();
  live.wait();
  const std::string text = live.sb.save_text();
  const std::string log = live.log_bytes();

  Bench loaded;
  ASSERT_TRUE(loaded.sb.load(text, "saved.toml")) << loaded.sb.error();
  loaded.wait();
  EXPECT_EQ(loaded.log_bytes(), log);
  EXPECT_EQ(loaded.executions(), live.executions());
  EXPECT_EQ(loaded.sb.now(), live.sb.now());
  EXPECT_EQ(loaded.sb.save_text(), text);  // and it saves to the same file
}

TEST(Sandbox, ShareLinkDecodesToTheSameScenario) {
  Bench b;
  build_ordered(b);
  const std::string text = b.sb.save_text();
  share::EncodedLink link = share::make_share_url("http://localhost:8080/", text);
  ASSERT_TRUE(link.error.empty()) << link.error;
  share::DecodedLink back = share::decode_share_link(link.fragment);
  ASSERT_TRUE(back.ok()) << back.error_text();
  EXPECT_EQ(back.text, text);
  Bench opened;
  ASSERT_TRUE(opened.sb.load(std::move(*back.scenario))) << opened.sb.error();
  opened.wait();
  EXPECT_EQ(opened.sb.save_text(), text);
  EXPECT_EQ(opened.log_bytes(), b.log_bytes());
}

TEST(Sandbox, QueueingOnADestroyedWorkqueueIsRefusedAndChangesNothing) {
  Bench b;
  build_ordered(b);
  ASSERT_TRUE(b.sb.perform(on_wq(ActionKind::Destroy, "ord"))) << b.sb.error();
  b.wait();
  const std::string text = b.sb.save_text();
  const uint64_t events = b.session.status().events;

  EXPECT_FALSE(b.sb.perform(queue("first", "ord", 0)));
  EXPECT_EQ(b.sb.error(), "cannot queue: workqueue \"ord\" has been destroyed");
  EXPECT_FALSE(b.sb.perform(queue("nobody", "events", 0)));
  EXPECT_EQ(b.sb.error(), "no work item is called \"nobody\"");
  EXPECT_FALSE(b.sb.perform(on_wq(ActionKind::Destroy, "events")));
  EXPECT_FALSE(b.sb.perform(queue("first", "events", 7)));
  EXPECT_EQ(b.sb.error(), "CPU 7 does not exist (the machine has 1)");
  scenario::Action off;
  off.kind = ActionKind::CpuOffline;
  off.cpu = 0;
  EXPECT_FALSE(b.sb.perform(off));
  EXPECT_EQ(b.sb.error(), "CPU 0 is the last one online");
  EXPECT_TRUE(b.sb.ready()) << b.sb.error();
  EXPECT_EQ(b.sb.save_text(), text);
  b.wait();
  EXPECT_EQ(b.session.status().events, events);
  EXPECT_TRUE(b.session.status().error.empty());
}

TEST(Sandbox, BadInputIsAMessage) {
  Bench b;
  b.sb.reset(2);
  b.wait();
  EXPECT_FALSE(b.sb.add_work("w", "compute 5 parsecs"));
  EXPECT_NE(b.sb.error().find("work \"w\": "), std::string::npos) << b.sb.error();
  EXPECT_FALSE(b.sb.add_work("bad name", "compute 1ms"));
  EXPECT_TRUE(b.sb.scenario().works.empty()) << b.sb.error();
  EXPECT_FALSE(b.sb.load("[scenario]\nid = \"x\"\n[machine]\ncpus = \"four\"\n", "bad.toml"));
  EXPECT_EQ(b.sb.error().rfind("bad.toml:4:", 0), 0u) << b.sb.error();
  EXPECT_EQ(b.sb.machine().cpus, 2);  // the last good sandbox stays
  // Legacy has no alloc_workqueue: switching is refused with the parser's message.
  ASSERT_TRUE(b.sb.create_workqueue("q", "alloc_workqueue", 0, 4)) << b.sb.error();
  b.wait();
  EXPECT_FALSE(b.sb.set_model(scenario::Model::Legacy));
  EXPECT_NE(b.sb.error().find("create_workqueue"), std::string::npos) << b.sb.error();
  EXPECT_EQ(b.sb.machine().model, scenario::Model::Cmwq);
}

// Given three items on one CPU that sleep until the same moment, one Step wakes all three and
// runs the first; the scheduler would run the second next, the student picks the third.
TEST(Sandbox, SchedulerPickChangesTheOrder) {
  auto run = [](bool pick_last) {
    Bench b;
    b.sb.reset(1);
    b.wait();
    for (const char* w : {"a", "b", "z"}) EXPECT_TRUE(b.sb.add_work(w, "sleep 5ms; compute 1ms"));
    b.wait();
    for (const char* w : {"a", "b", "z"}) EXPECT_TRUE(b.sb.perform(queue(w, "events", 0)));
    b.wait();
    EXPECT_TRUE(b.session.runnable().empty());  // everything at 0 ms has run
    EXPECT_TRUE(b.sb.step()) << b.sb.error();
    b.wait();
    std::vector<session::RunnableTask> rq = b.session.runnable();
    EXPECT_EQ(rq.size(), 2u);
    EXPECT_EQ(b.sb.now(), kernel::msecs(5));
    if (rq.empty()) return std::vector<std::string>{};
    EXPECT_TRUE(b.sb.pick(pick_last ? rq.back().pid : rq.front().pid)) << b.sb.error();
    b.wait();
    EXPECT_EQ(b.sb.picks(), 1);
    EXPECT_TRUE(b.sb.run_until_idle()) << b.sb.error();
    b.wait();
    return b.executions(trace::EventKind::WqExecuteEnd);
  };
  EXPECT_EQ(run(false), (std::vector<std::string>{"a@6ms", "b@7ms", "z@8ms"}));
  EXPECT_EQ(run(true), (std::vector<std::string>{"a@6ms", "z@7ms", "b@8ms"}));
}

TEST(Sandbox, SwitchingModelAndModeReplaysTheActions) {
  Bench b;
  b.sb.reset(2);
  b.wait();
  ASSERT_TRUE(b.sb.add_work("w", "compute 2ms")) << b.sb.error();
  ASSERT_TRUE(b.sb.create_workqueue("drv", "create_singlethread_workqueue", 0, 0)) << b.sb.error();
  b.wait();
  ASSERT_TRUE(b.sb.perform(queue("w", "drv", 1))) << b.sb.error();
  b.wait();
  ASSERT_TRUE(b.sb.run_until_idle()) << b.sb.error();
  b.wait();
  ASSERT_TRUE(b.sb.set_model(scenario::Model::Legacy)) << b.sb.error();
  b.wait();
  EXPECT_TRUE(b.session.info()->machines.front().legacy);
  EXPECT_EQ(b.sb.now(), kernel::msecs(2));
  ASSERT_TRUE(b.sb.set_mode(kernel::Mode::Realtime)) << b.sb.error();
  b.wait();
  EXPECT_FALSE(b.sb.step());  // one dispatch is a deterministic-mode idea
  EXPECT_NE(b.sb.error().find("deterministic"), std::string::npos);
  ASSERT_TRUE(b.sb.set_mode(kernel::Mode::Deterministic)) << b.sb.error();
  b.wait();
  ASSERT_TRUE(b.sb.set_model(scenario::Model::Cmwq)) << b.sb.error();
  b.wait();
  EXPECT_EQ(b.executions(), (std::vector<std::string>{"w@0ms"}));
}

TEST(SandboxText, BodiesAndDescriptions) {
  EXPECT_EQ(sandbox::split_body("compute 5ms; sleep 10ms\nqueue self", "w"),
            (std::vector<std::string>{"compute 5ms", "sleep 10ms", "queue w"}));
  EXPECT_EQ(sandbox::describe_action(queue("w", "q", 1)), "queue_work_on(1, q, w)");
  scenario::Action c;
  c.kind = ActionKind::Create;
  c.create.name = "q";
  c.create.flags = wq::WQ_UNBOUND;
  c.create.max_active = 4;
  EXPECT_EQ(sandbox::describe_action(c), "alloc_workqueue(\"q\", WQ_UNBOUND, 4)");
}

}  // namespace
}  // namespace wqlab::test

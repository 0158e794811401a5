// The append-only log, its byte image, string interning and ftrace-style text.
#include <gtest/gtest.h>

#include "engine/trace/event_log.h"
#include "engine/trace/string_table.h"
#include "engine/trace/text_format.h"

namespace wqlab::test {
namespace {

using trace::Event;
using trace::EventKind;

TEST(EventLog, AppendsAcrossChunksAndKeepsEverything) {
  trace::EventLog log;
  const size_t n = trace::EventLog::kChunkSize * 2 + 5;
  for (size_t i = 0; i < n; ++i) {
    Event e;
    e.seq = i;
    e.args[0] = static_cast<int64_t>(i * 3);
    ASSERT_TRUE(log.append(e));
  }
  ASSERT_EQ(log.size(), n);
  EXPECT_EQ(log[trace::EventLog::kChunkSize].args[0],
            static_cast<int64_t>(trace::EventLog::kChunkSize * 3));
  EXPECT_EQ(log[n - 1].seq, n - 1);
  EXPECT_EQ(log.bytes().size(), n * sizeof(Event));
}

TEST(StringTable, InternsOnceInFirstUseOrder) {
  trace::StringTable st;
  EXPECT_EQ(st.intern(""), 0);
  EXPECT_EQ(st.intern("kworker/0:1"), 1);
  EXPECT_EQ(st.intern("events"), 2);
  EXPECT_EQ(st.intern("kworker/0:1"), 1);
  EXPECT_EQ(st.get(2), "events");
  EXPECT_EQ(st.get(99), "");
}

TEST(TextFormat, PrintsFtraceStyleLinesWithNames) {
  trace::StringTable st;
  trace::TextFormatter f(st);
  Event create;
  create.kind = EventKind::TaskCreate;
  create.time_ns = 1'500'000;
  create.args[0] = 7;
  create.args[1] = st.intern("kworker/0:1");
  create.args[2] = 0;
  EXPECT_EQ(f.line(create),
            "          <idle>-0     [-01]     0.001500: task_create: pid=7 comm=kworker/0:1 cpu=0 "
            "nice=0");
  Event run;
  run.kind = EventKind::TaskRun;
  run.pid = 7;
  run.cpu = 0;
  run.time_ns = 2'000'000;
  run.args[0] = 7;
  run.args[1] = 1;
  EXPECT_EQ(f.line(run),
            "     kworker/0:1-7     [000]     0.002000: task_run: pid=7 fresh_stack=1");
  Event fail;
  fail.kind = EventKind::TaskCreateFail;
  fail.args[0] = st.intern("events/255");
  fail.args[1] = -11;
  EXPECT_NE(f.line(fail).find("comm=events/255 err=-EAGAIN"), std::string::npos);
}

TEST(EventKinds, NamesRoundTrip) {
  for (int i = 1; i < static_cast<int>(EventKind::Count); ++i) {
    auto kind = static_cast<EventKind>(i);
    EXPECT_EQ(trace::event_kind_by_name(trace::event_kind_info(kind).name), kind);
  }
}

}  // namespace
}  // namespace wqlab::test

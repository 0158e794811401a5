// kworker comms as format_worker_id() and wq_worker_comm() print them, and as perf cuts them.
#include <gtest/gtest.h>

#include "engine/import/kworker_name.h"

namespace wqlab::import {
namespace {

TEST(KworkerName, PerCpuNormalAndHighpri) {
  auto k = parse_kworker_comm("kworker/1:2");
  ASSERT_TRUE(k);
  EXPECT_EQ(k->kind, KworkerName::Kind::PerCpu);
  EXPECT_EQ(k->cpu, 1);
  EXPECT_EQ(k->id, 2);
  EXPECT_FALSE(k->highpri);
  auto h = parse_kworker_comm("kworker/0:1H");
  ASSERT_TRUE(h);
  EXPECT_TRUE(h->highpri);
  EXPECT_EQ(h->base, "kworker/0:1H");
}

TEST(KworkerName, UnboundPool) {
  auto k = parse_kworker_comm("kworker/u8:0");
  ASSERT_TRUE(k);
  EXPECT_EQ(k->kind, KworkerName::Kind::Unbound);
  EXPECT_EQ(k->pool, 8);
  EXPECT_EQ(k->id, 0);
}

TEST(KworkerName, Rescuer) {
  auto k = parse_kworker_comm("kworker/R-kblockd");
  ASSERT_TRUE(k);
  EXPECT_EQ(k->kind, KworkerName::Kind::Rescuer);
  EXPECT_EQ(k->wq, "kblockd");
}

TEST(KworkerName, WorkqueueSuffixes) {
  auto busy = parse_kworker_comm("kworker/1:2+events");
  ASSERT_TRUE(busy);
  EXPECT_TRUE(busy->busy);
  EXPECT_EQ(busy->wq, "events");
  EXPECT_EQ(busy->base, "kworker/1:2");
  EXPECT_FALSE(busy->cut);
  auto last = parse_kworker_comm("kworker/u8:3-writeback");
  ASSERT_TRUE(last);
  EXPECT_FALSE(last->busy);
  EXPECT_EQ(last->wq, "writeback");
  EXPECT_EQ(last->pool, 8);
}

TEST(KworkerName, PerfCutsTheCommTo15Characters) {
  auto k = parse_kworker_comm("kworker/0:1H-kb");
  ASSERT_TRUE(k);
  EXPECT_TRUE(k->highpri);
  EXPECT_EQ(k->cpu, 0);
  EXPECT_EQ(k->wq, "kb");
  EXPECT_TRUE(k->cut);  // "kb" may be the start of kblockd
}

TEST(KworkerName, OtherNamesAreNotKworkers) {
  for (const char* s : {"kworker", "kworker/", "kworker/a:1", "kworker/1:", "kworker/1:x",
                        "kworker/1:2*x", "kworker/u:1", "kworker/R-", "kswapd0", "bash"})
    EXPECT_FALSE(parse_kworker_comm(s)) << s;
}

}  // namespace
}  // namespace wqlab::import

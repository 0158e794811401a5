// The event log's filter on a real run: by workqueue, function, CPU and kind, built in slices.
#include <gtest/gtest.h>

#include "app_test_util.h"
#include "model/event_filter.h"

namespace wqlab::test {
namespace {

using trace::EventKind;

struct Filtered {
  RecordedMachine rm{demo("tour")};
  model::MachineModel m;
  Filtered() {
    rm.run_until_idle();
    rm.fold(m);
  }
  std::vector<trace::Event> rows(const model::EventFilter& f, uint64_t budget = UINT64_MAX) {
    model::FilteredEvents fe;
    fe.set_filter(f);
    while (fe.scanned() < m.events()) fe.update(*m.log(), m.events(), budget);
    std::vector<trace::Event> out;
    for (uint64_t r = 0; r < fe.rows(); ++r) out.push_back((*m.log())[fe.index(r)]);
    return out;
  }
  size_t count(const std::vector<trace::Event>& evs, EventKind k) {
    return static_cast<size_t>(
        std::count_if(evs.begin(), evs.end(), [k](const trace::Event& e) { return e.kind == k; }));
  }
};

TEST(EventFilter, NoFilterListsEveryEvent) {
  Filtered f;
  EXPECT_EQ(f.rows({}).size(), f.m.events());
}

TEST(EventFilter, ByWorkqueueKeepsItsItemsEvenWhereOnlyTheWorkIsNamed) {
  Filtered f;
  model::EventFilter filter;
  filter.workqueue = f.m.strings().find("serial");
  auto rows = f.rows(filter);
  EXPECT_EQ(f.count(rows, EventKind::WqQueueWork), 3u);
  EXPECT_EQ(f.count(rows, EventKind::WqExecuteStart), 3u);
  EXPECT_EQ(f.count(rows, EventKind::WqExecuteEnd), 3u);  // names only the work item
  EXPECT_EQ(f.count(rows, EventKind::WqWorkInactive), 2u);
  EXPECT_EQ(f.count(rows, EventKind::TaskRun), 0u);
}

TEST(EventFilter, ByFunctionAndKind) {
  Filtered f;
  model::EventFilter filter;
  filter.function = f.m.strings().find("w0");
  auto rows = f.rows(filter);
  EXPECT_EQ(f.count(rows, EventKind::WqExecuteStart), 1u);
  EXPECT_EQ(f.count(rows, EventKind::WqWorkerSleep), 1u);  // w0 sleeps once
  filter.kinds.assign(filter.kinds.size(), false);
  filter.kinds[static_cast<size_t>(EventKind::WqExecuteEnd)] = true;
  rows = f.rows(filter);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].time_ns, kernel::msecs(20));
}

TEST(EventFilter, ByCpuAndInSlicesGivesTheSameRows) {
  Filtered f;
  model::EventFilter filter;
  filter.cpu = 3;
  auto all_at_once = f.rows(filter);
  auto sliced = f.rows(filter, 37);
  ASSERT_EQ(all_at_once.size(), sliced.size());
  for (size_t i = 0; i < sliced.size(); ++i) EXPECT_EQ(all_at_once[i].seq, sliced[i].seq);
  for (const trace::Event& e : all_at_once) {
    bool on3 = e.cpu == 3;
    const auto& info = trace::event_kind_info(e.kind);
    for (int i = 0; i < trace::kMaxEventArgs; ++i)
      on3 = on3 || (info.args[i].type == trace::ArgType::Cpu && e.args[i] == 3);
    EXPECT_TRUE(on3);
  }
  EXPECT_GT(all_at_once.size(), 10u);
}

}  // namespace
}  // namespace wqlab::test

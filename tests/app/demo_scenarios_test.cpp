// The built-in demos: each runs to the end within the browser's thread budget and shows what
// it promises; their Chinese texts only use characters the browser's font subset keeps.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <set>

#include "app_test_util.h"
#include "session/platform_limits.h"

namespace wqlab::test {
namespace {

using model::MarkerKind;

size_t markers(const model::MachineModel& m, MarkerKind k) {
  return static_cast<size_t>(std::count_if(m.history().markers.begin(), m.history().markers.end(),
                                           [k](const model::Marker& mk) { return mk.kind == k; }));
}

TEST(DemoScenarios, EachRunsToTheEndWithinTheBrowsersThreadBudget) {
  for (const session::ScenarioDef& def : session::demo_scenarios().scenarios()) {
    if (def.info.hidden) continue;
    SCOPED_TRACE(def.info.name);
    RecordedMachine rm(def, session::kBrowserCarrierCap);
    kernel::RunResult r = rm.run_until_idle();
    EXPECT_EQ(r.stop, kernel::RunStop::Idle) << r.error;
    EXPECT_LE(rm.k->carriers_peak_busy(), session::kBrowserCarrierCap);
    model::MachineModel m;
    rm.fold(m);
    EXPECT_GT(m.head().executions_done, 0u);
    for (kernel::Nanos h : def.info.highlights) EXPECT_LE(h, m.head().now);
  }
}

TEST(DemoScenarios, TheTourShowsEveryMechanism) {
  RecordedMachine rm(demo("tour"));
  rm.run_until_idle();
  model::MachineModel m;
  rm.fold(m);
  const auto& execs = m.history().executions;
  auto pool_of = [&](const model::ExecutionRecord& e) { return m.head().pool(e.pool); };
  // An inactive list: items of 'serial' waited for max_active.
  size_t held_back = 0;
  for (const auto& e : execs) held_back += (e.flags & model::kExecWasInactive) ? 1 : 0;
  EXPECT_EQ(held_back, 2u);
  // Unbound items in parallel: two executions on an unbound pool overlap in time.
  bool parallel = false;
  for (size_t i = 0; i < execs.size(); ++i)
    for (size_t j = i + 1; j < execs.size(); ++j)
      parallel = parallel || (pool_of(execs[i])->unbound && pool_of(execs[j])->unbound &&
                              execs[i].start < execs[j].end && execs[j].start < execs[i].end);
  EXPECT_TRUE(parallel);
  // A highpri pool ran something; the rescuer ran something; a flush and a hog were seen.
  EXPECT_TRUE(std::any_of(execs.begin(), execs.end(),
                          [&](const auto& e) { return pool_of(e)->highpri(); }));
  EXPECT_TRUE(std::any_of(execs.begin(), execs.end(),
                          [](const auto& e) { return (e.flags & model::kExecRescued) != 0; }));
  EXPECT_GE(markers(m, MarkerKind::Mayday), 1u);
  EXPECT_GE(markers(m, MarkerKind::FlushStart), 2u);
  EXPECT_EQ(markers(m, MarkerKind::CpuIntensive), 1u);
  EXPECT_GE(m.head().executions_done, 14u);
}

// Every character outside ASCII in the demos' Chinese texts is in the font subset's list.
TEST(DemoScenarios, ChineseTextsAreInTheFontSubset) {
  std::ifstream in(WQLAB_UI_TEXT_ZH, std::ios::binary);
  ASSERT_TRUE(in) << WQLAB_UI_TEXT_ZH;
  const std::string list((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto code_points = [](const std::string& s) {
    std::set<char32_t> out;
    for (size_t i = 0; i < s.size();) {
      const auto c = static_cast<unsigned char>(s[i]);
      const int len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
      char32_t cp = len == 1 ? c : c & (0x3F >> (len - 1));
      for (int k = 1; k < len && i + static_cast<size_t>(k) < s.size(); ++k)
        cp = (cp << 6) | (static_cast<unsigned char>(s[i + static_cast<size_t>(k)]) & 0x3F);
      if (cp >= 0x80) out.insert(cp);
      i += static_cast<size_t>(len);
    }
    return out;
  };
  const std::set<char32_t> kept = code_points(list);
  for (const session::ScenarioDef& def : session::demo_scenarios().scenarios()) {
    for (char32_t cp : code_points(def.info.title_zh + def.info.summary_zh))
      EXPECT_TRUE(kept.count(cp)) << def.info.name << ": U+" << std::hex
                                  << static_cast<uint32_t>(cp);
  }
}

}  // namespace
}  // namespace wqlab::test

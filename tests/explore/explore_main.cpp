// wqlab_explore: schedule exploration (issue 14). Runs lessons and scenario files, and the
// KERNEL_SPEC §11 scenario tests compiled into this binary (tests/engine/wq_*_test.cpp), under
// seeds 0..N-1: every deterministic machine's tie-break goes to a SeededChooser(seed) and every
// cmwq machine is watched by an InvariantChecker (engine/explore/). A seed fails when an
// invariant breaks; for lessons, also when a checkpoint, question or runner note fails.
// The §11 tests' own assertions describe the default order: under other orders they are counted
// (reported as "order-dependent"), not failed. Exit 0: every seed passed; 1: a seed failed;
// 2: bad command line or file.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "engine/explore/invariant_checker.h"
#include "engine/explore/scenario_explore.h"
#include "engine/explore/seeded_chooser.h"
#include "engine/scenario/parser.h"
#include "wq_test_util.h"

namespace {

using namespace wqlab;

const char kUsage[] =
    "usage: wqlab_explore [--seeds N] [--seed S] [--first S] [--section11] [--tests FILTER]\n"
    "                     [FILE|DIR ...]\n"
    "  FILE, DIR      lesson or scenario files (a DIR: its *.toml files)\n"
    "  --section11    the KERNEL_SPEC section 11 scenario tests (FILTER: a gtest filter)\n"
    "  --seeds N      seeds FIRST .. FIRST+N-1 (default 10000, FIRST 0)\n"
    "  --seed S       only seed S, with the full report (replays a failure)\n";

struct Options {
  uint64_t first = 0;
  uint64_t seeds = 10000;
  bool replay = false;
  bool section11 = false;
  std::string filter = "*";
  std::vector<std::string> files;
};

bool parse_number(const std::string& opt, const std::string& text, uint64_t* out) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos ||
      text.size() > 18) {
    std::cerr << "wqlab_explore: " << opt << " needs a whole number, got '" << text << "'\n"
              << kUsage;
    return false;
  }
  *out = std::stoull(text);
  return true;
}

// 0: parsed; otherwise the exit code.
int parse_args(int argc, char** argv, Options* o) {
  std::vector<std::string> args(argv + 1, argv + argc);
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](std::string* v) {
      if (i + 1 >= args.size()) {
        std::cerr << "wqlab_explore: " << a << " needs a value\n" << kUsage;
        return false;
      }
      *v = args[++i];
      return true;
    };
    std::string v;
    if (a == "--seeds") {
      if (!value(&v) || !parse_number(a, v, &o->seeds)) return 2;
      if (o->seeds == 0) {
        std::cerr << "wqlab_explore: --seeds needs at least 1, got '0'\n";
        return 2;
      }
    } else if (a == "--seed") {
      if (!value(&v) || !parse_number(a, v, &o->first)) return 2;
      o->seeds = 1;
      o->replay = true;
    } else if (a == "--first") {
      if (!value(&v) || !parse_number(a, v, &o->first)) return 2;
    } else if (a == "--section11") {
      o->section11 = true;
    } else if (a == "--tests") {
      if (!value(&o->filter)) return 2;
      o->section11 = true;
    } else if (a == "-h" || a == "--help") {
      std::cout << kUsage;
      return 1;
    } else if (!a.empty() && a[0] == '-') {
      std::cerr << "wqlab_explore: unknown option '" << a << "'\n" << kUsage;
      return 2;
    } else {
      std::error_code ec;
      if (std::filesystem::is_directory(a, ec)) {
        std::vector<std::string> found;
        for (auto& e : std::filesystem::directory_iterator(a, ec))
          if (e.path().extension() == ".toml") found.push_back(e.path().string());
        std::sort(found.begin(), found.end());
        o->files.insert(o->files.end(), found.begin(), found.end());
      } else {
        o->files.push_back(a);
      }
    }
  }
  if (o->files.empty() && !o->section11) {
    std::cerr << "wqlab_explore: nothing to explore: give lesson files or --section11\n" << kUsage;
    return 2;
  }
  return 0;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// ---- Lessons and scenario files ----

int explore_files(const Options& o) {
  int failed_files = 0;
  bool malformed = false;
  for (const std::string& file : o.files) {
    scenario::ParseResult parsed = scenario::parse_scenario_file(file);
    if (!parsed.ok()) {  // reported, and the other files still explored
      std::cerr << parsed.error_text();
      malformed = true;
      continue;
    }
    auto t0 = std::chrono::steady_clock::now();
    uint64_t failed = 0, decisions = 0, deviations = 0;
    std::vector<uint64_t> failed_seeds;
    for (uint64_t seed = o.first; seed < o.first + o.seeds; ++seed) {
      explore::SeedOutcome r = explore::explore_scenario(*parsed.scenario, seed);
      decisions += r.decisions;
      deviations += r.deviations;
      if (r.ok()) continue;
      ++failed;
      failed_seeds.push_back(seed);
      if (failed <= 2 || o.replay) std::cout << explore::describe_failure(file, r);
    }
    std::printf("%s: %llu seeds, %llu failed, %llu tie-breaks (%llu changed) in %.1f s\n",
                file.c_str(), static_cast<unsigned long long>(o.seeds),
                static_cast<unsigned long long>(failed), static_cast<unsigned long long>(decisions),
                static_cast<unsigned long long>(deviations), seconds_since(t0));
    if (failed > 0) {
      ++failed_files;
      std::string list;
      for (size_t i = 0; i < failed_seeds.size() && i < 20; ++i)
        list += (i ? " " : "") + std::to_string(failed_seeds[i]);
      std::printf("  failed seeds: %s%s\n", list.c_str(), failed_seeds.size() > 20 ? " ..." : "");
    }
    std::fflush(stdout);
  }
  if (malformed) return 2;
  return failed_files == 0 ? 0 : 1;
}

// ---- The §11 tests ----

struct Section11 {
  uint64_t seed = 0;
  uint64_t machines = 0;
  uint64_t decisions = 0;
  uint64_t deviations = 0;
  int machine_index = 0;
  std::vector<std::string> violations;                        // full reports
  std::set<std::string> violated_tests;                       // "Test.Name seed S"
  std::map<std::string, std::set<uint64_t>> order_dependent;  // test -> seeds its asserts failed
  bool replay = false;
};
Section11 g11;

std::string current_test() {
  const testing::TestInfo* t = testing::UnitTest::GetInstance()->current_test_info();
  return t ? std::string(t->test_suite_name()) + "." + t->name() : "?";
}

// What the hook attaches to each machine: the chooser and the checker, judged when the test
// lets go of the machine.
struct Attachment {
  std::shared_ptr<explore::SeededChooser> chooser;
  std::unique_ptr<explore::InvariantChecker> checker;
  ~Attachment() {
    g11.decisions += chooser->stats().decisions;
    g11.deviations += chooser->stats().deviations;
    // No final check here: a test's work items may already be freed (declared after the
    // machine); cmwq_machine_after_run() checked the end of each scenario() run instead.
    checker->detach();
    if (checker->ok()) return;
    const explore::Violation& v = *checker->violation();
    std::string test = current_test();
    std::string report = "section 11 test " + test + ": seed " + std::to_string(g11.seed) +
                         " FAILED\n  invariant " + v.invariant + " broken at " +
                         std::to_string(v.time) + " ns: " + v.detail + "\n  last events:\n";
    for (const std::string& line : v.log) report += "    " + line + "\n";
    report +=
        "  replay: ./lab explore --seed " + std::to_string(g11.seed) + " --tests " + test + "\n";
    g11.violated_tests.insert(test + " seed " + std::to_string(g11.seed));
    if (g11.violations.size() < 3 || g11.replay) std::cout << report << std::flush;
    g11.violations.push_back(std::move(report));
  }
};

class SeedListener : public testing::EmptyTestEventListener {
 public:
  explicit SeedListener(uint64_t first) : first_(first) {}
  void OnTestIterationStart(const testing::UnitTest&, int iteration) override {
    g11.seed = first_ + static_cast<uint64_t>(iteration);
  }
  void OnTestStart(const testing::TestInfo&) override { g11.machine_index = 0; }
  void OnTestEnd(const testing::TestInfo& t) override {
    if (t.result()->Failed())
      g11.order_dependent[std::string(t.test_suite_name()) + "." + t.name()].insert(g11.seed);
  }

 private:
  uint64_t first_;
};

int explore_section11(const Options& o, const char* argv0) {
  test::cmwq_machine_hook() = [](test::CmwqMachine& m) -> std::shared_ptr<void> {
    if (!m.k().deterministic()) return nullptr;
    ++g11.machines;
    auto a = std::make_shared<Attachment>();
    uint64_t salt = 0x9e3779b97f4a7c15ULL * static_cast<uint64_t>(++g11.machine_index);
    a->chooser = std::make_shared<explore::SeededChooser>(
        g11.seed ^ salt, explore::SeededChooser::strategy_for(g11.seed));
    m.k().set_chooser(explore::as_kernel_chooser(a->chooser));
    a->checker = std::make_unique<explore::InvariantChecker>(m.k(), *m.cmwq);
    return a;
  };
  test::cmwq_machine_after_run() = [](test::CmwqMachine& m) {
    if (auto* a = static_cast<Attachment*>(m.attachment.get())) a->checker->finish();
  };
  g11.replay = o.replay;
  std::string filter = "--gtest_filter=" + o.filter;
  std::string repeat = "--gtest_repeat=" + std::to_string(o.seeds);
  std::vector<std::string> gargs = {argv0, filter, repeat};
  if (!o.replay) gargs.push_back("--gtest_brief=1");
  std::vector<char*> gargv;
  for (auto& s : gargs) gargv.push_back(s.data());
  int gargc = static_cast<int>(gargv.size());
  gargv.push_back(nullptr);  // argv[argc] is NULL: gtest moves it down as it removes its flags
  testing::InitGoogleTest(&gargc, gargv.data());
  testing::TestEventListeners& listeners = testing::UnitTest::GetInstance()->listeners();
  // The tests' own failures under other orders are expected noise; a replay shows them.
  if (!o.replay) delete listeners.Release(listeners.default_result_printer());
  listeners.Append(new SeedListener(o.first));
  auto t0 = std::chrono::steady_clock::now();
  int gtest_rc = RUN_ALL_TESTS();  // the verdict is the invariants', below
  (void)gtest_rc;
  int tests = testing::UnitTest::GetInstance()->test_to_run_count();
  std::printf(
      "section 11 tests: %d tests x %llu seeds, %llu machines, %zu violations, "
      "%llu tie-breaks (%llu changed) in %.1f s\n",
      tests, static_cast<unsigned long long>(o.seeds),
      static_cast<unsigned long long>(g11.machines), g11.violations.size(),
      static_cast<unsigned long long>(g11.decisions),
      static_cast<unsigned long long>(g11.deviations), seconds_since(t0));
  for (const std::string& t : g11.violated_tests) std::printf("  violated: %s\n", t.c_str());
  if (!g11.order_dependent.empty()) {
    std::printf("  order-dependent assertions (the test's own expectations, not invariants):\n");
    for (auto& [test, seeds] : g11.order_dependent)
      std::printf("    %s: %zu of %llu seeds (first: %llu)\n", test.c_str(), seeds.size(),
                  static_cast<unsigned long long>(o.seeds),
                  static_cast<unsigned long long>(*seeds.begin()));
  }
  return g11.violations.empty() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (int rc = parse_args(argc, argv, &o); rc != 0) return rc == 1 ? 0 : rc;
  int rc = 0;
  if (!o.files.empty()) rc = explore_files(o);
  if (o.section11) {
    int rc11 = explore_section11(o, argv[0]);
    if (rc == 0) rc = rc11;
  }
  return rc;
}

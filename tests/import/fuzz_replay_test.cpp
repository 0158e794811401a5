// The libFuzzer target (tests/fuzz/trace_import_fuzz.cpp) on deterministic mutations of its seed
// corpus (bytes changed, runs cut or repeated, separators inserted, the text truncated), so every
// build checks beyond the seeds (corpus.trace_import replays those) that no input crashes the
// importer, under ASan/UBSan and TSan too.
#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "trace_test_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace wqlab::test {
namespace {

int feed(const std::string& s) {
  return LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

std::vector<std::string> corpus() {
  std::vector<std::string> out;
  for (auto& e : std::filesystem::directory_iterator(WQLAB_FUZZ_CORPUS))
    out.push_back(read_file(e.path().string()));
  return out;
}

TEST(ImportFuzz, MutatedSeedsDoNotCrash) {
  std::mt19937_64 rng(17);
  const auto seeds = corpus();
  ASSERT_GE(seeds.size(), 5u);
  for (int round = 0; round < 800; ++round) {
    std::string s = seeds[rng() % seeds.size()];
    const int edits = 1 + static_cast<int>(rng() % 8);
    for (int e = 0; e < edits && !s.empty(); ++e) {
      const size_t at = rng() % s.size();
      switch (rng() % 5) {
        case 0:
          s[at] = static_cast<char>(rng());
          break;
        case 1:
          s.erase(at, rng() % 40);
          break;
        case 2:
          s.insert(at, s.substr(rng() % s.size(), rng() % 80));
          break;
        case 3:
          s.insert(at, 1, " :[]=-\n0x9"[rng() % 10]);
          break;
        case 4:
          s.resize(at);
          break;
      }
    }
    ASSERT_EQ(feed(s), 0);
  }
}

}  // namespace
}  // namespace wqlab::test

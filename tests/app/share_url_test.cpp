// Share links: base64url against RFC 4648's vectors, every lesson through writer -> link ->
// decode -> parser unchanged, each way a link can be bad with its exact message, and random
// links that never crash.
#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "engine/scenario/parser.h"
#include "engine/scenario/writer.h"
#include "share/base64url.h"
#include "share/share_url.h"

namespace wqlab::test {
namespace {

using share::decode_share_link;
using share::DecodedLink;

std::string only_error(const DecodedLink& d) {
  EXPECT_FALSE(d.ok());
  EXPECT_EQ(d.errors.size(), 1u) << d.error_text();
  return d.errors.empty() ? "" : d.errors.front();
}

TEST(Base64Url, Rfc4648Vectors) {
  const std::pair<const char*, const char*> vectors[] = {
      {"", ""},           {"f", "Zg"},          {"fo", "Zm8"},         {"foo", "Zm9v"},
      {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"}, {"foobar", "Zm9vYmFy"}};
  for (auto [plain, encoded] : vectors) {
    EXPECT_EQ(share::base64url_encode(plain), encoded);
    EXPECT_EQ(share::base64url_decode(encoded, nullptr), plain);
  }
  // The URL-safe alphabet: '-' and '_' where base64 has '+' and '/'.
  EXPECT_EQ(share::base64url_encode("\xfb\xff"), "-_8");
  EXPECT_EQ(share::base64url_decode("-_8", nullptr), "\xfb\xff");
  EXPECT_EQ(share::base64url_decode("Zm8=", nullptr), "fo");  // padding is accepted
  share::Base64Error e;
  EXPECT_FALSE(share::base64url_decode("Zm+v", &e));
  EXPECT_EQ(e.message, "not valid base64url at character 3 ('+')");
  EXPECT_EQ(e.offset, 2u);
}

TEST(ShareUrl, EveryLessonSurvivesWriterLinkAndParser) {
  int files = 0;
  for (auto& entry : std::filesystem::directory_iterator(WQLAB_SOURCE_DIR "/lessons")) {
    if (entry.path().extension() != ".toml") continue;
    ++files;
    auto original = scenario::parse_scenario_file(entry.path().string());
    ASSERT_TRUE(original.ok()) << original.error_text();
    const std::string text = scenario::write_scenario(*original.scenario);
    const share::EncodedLink link = share::make_share_url("http://127.0.0.1:8080/#old", text);
    ASSERT_EQ(link.error, "") << entry.path();
    EXPECT_EQ(link.fragment.rfind("http://127.0.0.1:8080/#s=", 0), 0u) << link.fragment;
    EXPECT_LE(link.fragment.size(), share::kMaxFragmentBytes + 32);

    const DecodedLink d = decode_share_link(link.fragment);
    ASSERT_TRUE(d.ok()) << entry.path() << "\n" << d.error_text();
    EXPECT_EQ(d.text, text);
    const scenario::Scenario& a = *original.scenario;
    const scenario::Scenario& b = *d.scenario;
    EXPECT_EQ(scenario::write_scenario(b), text) << entry.path();
    EXPECT_EQ(b.file, share::kShareOrigin);
    EXPECT_EQ(b.id, a.id);
    EXPECT_EQ(b.title.en, a.title.en);
    EXPECT_EQ(b.title.zh, a.title.zh);  // UTF-8 (Chinese) survives
    ASSERT_EQ(b.machines.size(), a.machines.size());
    ASSERT_EQ(b.workqueues.size(), a.workqueues.size());
    ASSERT_EQ(b.works.size(), a.works.size());
    ASSERT_EQ(b.steps.size(), a.steps.size());
    for (size_t i = 0; i < a.steps.size(); ++i)
      EXPECT_EQ(b.steps[i].actions.size(), a.steps[i].actions.size());
    // The fragment alone and the fragment without '#' decode the same.
    const std::string fragment = link.fragment.substr(link.fragment.find('#'));
    EXPECT_TRUE(decode_share_link(fragment).ok());
    EXPECT_TRUE(decode_share_link(fragment.substr(1)).ok());
  }
  EXPECT_GE(files, 3);
}

TEST(ShareUrl, OtherFragmentPartsAreIgnored) {
  const std::string text = "[scenario]\nid = \"tiny\"\ntitle = \"Tiny\"\n";
  const std::string s = share::encode_share_fragment(text).fragment.substr(1);
  const DecodedLink d = decode_share_link("http://h/#lang=zh&" + s + "&step=2");
  ASSERT_TRUE(d.ok()) << d.error_text();
  EXPECT_EQ(d.scenario->title.en, "Tiny");
}

TEST(ShareUrl, NoScenarioInTheLink) {
  const std::string want =
      "share-url: the link has no scenario in it (expected '#s=' followed by the scenario)";
  EXPECT_EQ(only_error(decode_share_link("http://127.0.0.1:8080/")), want);
  EXPECT_EQ(only_error(decode_share_link("http://127.0.0.1:8080/#lang=zh")), want);
  EXPECT_EQ(only_error(decode_share_link("")), want);
  EXPECT_EQ(only_error(decode_share_link("#s=")), "share-url: the link's scenario (#s=) is empty");
}

TEST(ShareUrl, BadBase64) {
  EXPECT_EQ(only_error(decode_share_link("#s=W3N*ZW5")),
            "share-url: the link is damaged: not valid base64url at character 4 ('*')");
  EXPECT_EQ(only_error(decode_share_link("#s=W3Nj ZW5")),
            "share-url: the link is damaged: not valid base64url at character 5 (' ')");
  EXPECT_EQ(only_error(decode_share_link("#s=W3NjZ")),
            "share-url: the link is damaged: the base64url text ends in the middle of a byte "
            "(cut short?)");
}

// Found by the share_link fuzz target: padding alone decoded to an empty scenario that opened,
// while "#s=" was refused; both are refused the same way now.
TEST(ShareUrl, PaddingAroundNothingIsAnEmptyLink) {
  EXPECT_EQ(only_error(decode_share_link("#s=")), "share-url: the link's scenario (#s=) is empty");
  EXPECT_EQ(only_error(decode_share_link("s==")), "share-url: the link's scenario (#s=) is empty");
}

TEST(ShareUrl, TooLong) {
  EXPECT_EQ(only_error(decode_share_link("#s=" + std::string(share::kMaxFragmentBytes, 'A'))),
            "share-url: the link is too long (45058 characters after '#'; at most 45056)");
  // 33000 bytes of text fit in a 44002-character fragment but not in the text limit.
  const std::string text(33000, '#');
  EXPECT_EQ(only_error(decode_share_link("#s=" + share::base64url_encode(text))),
            "share-url: the scenario text is too long (33000 bytes; at most 32768)");
  EXPECT_EQ(share::encode_share_fragment(text).error,
            "share-url: the scenario is too long to share as a link (33000 bytes; at most 32768)");
}

TEST(ShareUrl, NotUtf8) {
  const std::string text = "[scenario]\nid = \"caf\xe9\"\n";  // Latin-1, not UTF-8
  EXPECT_EQ(only_error(decode_share_link("#s=" + share::base64url_encode(text))),
            "share-url: the scenario text is not valid UTF-8 (byte 21)");
  EXPECT_EQ(share::encode_share_fragment(text).error,
            "share-url: the scenario text is not valid UTF-8 (byte 21)");
  size_t bad = 0;
  EXPECT_TRUE(share::is_valid_utf8("\xe7\xae\x80\xe4\xbd\x93 \xf0\x9f\x98\x80"));  // 简体 😀
  EXPECT_FALSE(share::is_valid_utf8("\xc0\xaf", &bad));                            // overlong '/'
  EXPECT_EQ(bad, 0u);
  EXPECT_FALSE(share::is_valid_utf8("ab\xed\xa0\x80", &bad));  // a UTF-16 surrogate
  EXPECT_EQ(bad, 2u);
  EXPECT_FALSE(share::is_valid_utf8("abc\xe7\xae", &bad));  // cut inside a character
  EXPECT_EQ(bad, 3u);
}

TEST(ShareUrl, ScenarioErrorsCarryLineAndColumn) {
  auto link = [](const std::string& text) {
    return decode_share_link("#s=" + share::base64url_encode(text));
  };
  EXPECT_EQ(only_error(link("[scenario]\nid = 3\n")), "share-url:2:6: \"id\" must be a string");
  EXPECT_EQ(only_error(link("[scenario\nid = 'x'\n")),
            "share-url:1:10: TOML syntax: Error while parsing table header: expected ']', saw "
            "'\\n'");
  EXPECT_EQ(only_error(link("[scenario]\nid = \"x\"\n[[work]]\nname = \"a\"\n"
                            "steps = [\"compute 5 parsecs\"]\n")),
            "share-url:5:10: bad duration in \"compute 5 parsecs\": unknown time unit "
            "\"parsecs\" in \"5 parsecs\" (use ns, us, ms, s, min)");
}

TEST(ShareUrl, RandomLinksNeverCrash) {
  std::mt19937 rng(20240611);
  const std::string alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=#&%+/ \x01\xff";
  for (int i = 0; i < 3000; ++i) {
    std::string link = i % 2 ? "#s=" : "";
    const size_t n = rng() % 200;
    for (size_t k = 0; k < n; ++k) link += alphabet[rng() % alphabet.size()];
    const DecodedLink d = decode_share_link(link);
    if (!d.ok()) {
      ASSERT_FALSE(d.errors.empty()) << link;
      EXPECT_EQ(d.errors.front().rfind("share-url", 0), 0u) << d.errors.front();
    }
  }
  // Random bytes as scenario text: any mix of UTF-8 and parse errors, never a crash.
  for (int i = 0; i < 1000; ++i) {
    std::string text;
    const size_t n = rng() % 120;
    for (size_t k = 0; k < n; ++k) text += static_cast<char>(rng() % 256);
    const DecodedLink d = decode_share_link("#s=" + share::base64url_encode(text));
    EXPECT_TRUE(d.ok() || !d.errors.empty());
  }
}

}  // namespace
}  // namespace wqlab::test

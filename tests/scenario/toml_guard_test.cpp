// Text that would reach undefined behaviour inside toml++ 3.3.0's whitespace test is reported
// with its position before toml++ reads it; the same characters inside strings and comments
// are fine (Chinese narration is full of 。 and 、).
#include <gtest/gtest.h>

#include "engine/scenario/parser.h"
#include "engine/scenario/toml_guard.h"

namespace wqlab::test {
namespace {

using scenario::find_toml_hazard;

std::string where(std::string_view text) {
  auto h = find_toml_hazard(text);
  return h ? std::to_string(h->line) + ":" + std::to_string(h->column) : "none";
}

TEST(TomlGuard, NonAsciiOutsideStringsIsReportedWhereItIs) {
  EXPECT_EQ(where("a = 1\nb = \xC3\xA9\n"), "2:5");      // é as a value
  EXPECT_EQ(where("x = \"ok\"\xE3\x80\x82\n"), "1:9");   // 。 after a string
  EXPECT_EQ(where("[a]\n  \xE4\xB8\xAD = 1\n"), "2:3");  // a bare key of 中
}

// Found by the share_link fuzz target: toml++ reads a malformed bare value up to the next
// delimiter, through quotes, and reached its whitespace test with U+0134 inside the "string".
TEST(TomlGuard, ABadBareValueIsReadThroughItsQuotes) {
  EXPECT_EQ(where("steps =0[\"c^-U\xC4\xB4"
                  "dp1ms\"]\n"),
            "1:15");
  EXPECT_EQ(where("x = tru\xE3\x80\x82"
                  "e\n"),
            "1:8");
  EXPECT_EQ(where("x = 1\ny = [1, \"\xE3\x80\x82\"]\nz = { a = 2, b = \"\xC3\xA9\" }\n"), "none");
  auto r = scenario::parse_scenario("[scenario]\nsteps =0[\"\xC4\xB4\"]\n", "bad.toml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.errors.front().str().rfind("bad.toml:2:11: TOML syntax: 'U+0134' outside", 0), 0u)
      << r.error_text();
}

TEST(TomlGuard, StringsAndCommentsKeepAnyText) {
  EXPECT_EQ(
      where(
          "say.zh = \"\xE4\xB8\xAD\xE6\x96\x87\xE3\x80\x82\xE3\x80\x81\" # \xC3\xA9\xE3\x80\x82\n"),
      "none");
  EXPECT_EQ(where("say = '''\n\xE3\x80\x82\n'''\nb = [\"\xC3\xA9\", '\xE3\x80\x82']\n"), "none");
  EXPECT_EQ(where("t = { k = \"\xC3\xA9\" }\n"), "none");
  EXPECT_EQ(where("s = \"a\\\"\xC3\xA9\"\n"), "none");  // an escaped quote does not end it
}

TEST(TomlGuard, QuotedKeysMustBeAscii) {
  EXPECT_EQ(where("\"cl\xC3\xA9\" = 1\n"), "1:4");
  EXPECT_EQ(where("[step.\"\xE3\x80\x82\"]\n"), "1:8");
  EXPECT_EQ(where("\"ascii\" = 1\n'lit'.x = 2\n"), "none");
}

TEST(TomlGuard, LineEndingBackslashBeforeAHazardousCharacter) {
  EXPECT_EQ(where("s = \"\"\"a \\\n   \xE3\x80\x82"
                  "b\"\"\"\n"),
            "2:4");
  EXPECT_EQ(where("s = \"\"\"a \\\n   \xE4\xB8\xAD"
                  "b\"\"\"\n"),
            "none");  // 中 is safe there
  EXPECT_EQ(where("s = \"\"\"\\\xC3\xA9\"\"\"\n"), "1:9");
}

TEST(TomlGuard, TheParserReportsItAsASyntaxErrorWithFileLineColumn) {
  auto r = scenario::parse_scenario("[scenario]\nid = \xE3\x80\x82\n", "bad.toml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.errors.front().str().rfind("bad.toml:2:6: TOML syntax: 'U+3002' outside", 0), 0u)
      << r.errors.front().str();
}

}  // namespace
}  // namespace wqlab::test

// Share links: encoding, and decoding with one clear message per failure.
#include "share/share_url.h"

#include <algorithm>
#include <cstdint>

#include "engine/scenario/parser.h"
#include "share/base64url.h"

namespace wqlab::share {
namespace {

constexpr std::string_view kKey = "s=";

std::string prefix() {
  return std::string(kShareOrigin) + ": ";
}

DecodedLink failed(std::string message) {
  DecodedLink d;
  d.errors.push_back(prefix() + message);
  return d;
}

}  // namespace

bool is_valid_utf8(std::string_view text, size_t* bad_offset) {
  size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    size_t n = 0;
    uint32_t cp = 0, min = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xe0) == 0xc0) {
      n = 1, cp = c & 0x1f, min = 0x80;
    } else if ((c & 0xf0) == 0xe0) {
      n = 2, cp = c & 0x0f, min = 0x800;
    } else if ((c & 0xf8) == 0xf0) {
      n = 3, cp = c & 0x07, min = 0x10000;
    } else {
      if (bad_offset) *bad_offset = i;
      return false;
    }
    bool good = i + n < text.size();
    for (size_t k = 1; good && k <= n; ++k) {
      const auto cc = static_cast<unsigned char>(text[i + k]);
      good = (cc & 0xc0) == 0x80;
      cp = cp << 6 | (cc & 0x3f);
    }
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not UTF-8 either.
    if (!good || cp < min || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) {
      if (bad_offset) *bad_offset = i;
      return false;
    }
    i += n + 1;
  }
  return true;
}

EncodedLink encode_share_fragment(std::string_view scenario_text) {
  EncodedLink link;
  if (scenario_text.size() > kMaxScenarioBytes) {
    link.error = prefix() + "the scenario is too long to share as a link (" +
                 std::to_string(scenario_text.size()) + " bytes; at most " +
                 std::to_string(kMaxScenarioBytes) + ")";
    return link;
  }
  if (size_t bad = 0; !is_valid_utf8(scenario_text, &bad)) {
    link.error =
        prefix() + "the scenario text is not valid UTF-8 (byte " + std::to_string(bad + 1) + ")";
    return link;
  }
  link.fragment = "#" + std::string(kKey) + base64url_encode(scenario_text);
  return link;
}

EncodedLink make_share_url(std::string_view base, std::string_view scenario_text) {
  EncodedLink link = encode_share_fragment(scenario_text);
  if (!link.error.empty()) return link;
  link.fragment = std::string(base.substr(0, base.find('#'))) + link.fragment;
  return link;
}

std::string DecodedLink::error_text() const {
  std::string out;
  for (const std::string& e : errors) out += e + "\n";
  return out;
}

DecodedLink check_scenario_text(std::string text) {
  if (text.size() > kMaxScenarioBytes) {
    return failed("the scenario text is too long (" + std::to_string(text.size()) +
                  " bytes; at most " + std::to_string(kMaxScenarioBytes) + ")");
  }
  if (size_t bad = 0; !is_valid_utf8(text, &bad)) {
    return failed("the scenario text is not valid UTF-8 (byte " + std::to_string(bad + 1) + ")");
  }
  DecodedLink d;
  scenario::ParseResult parsed = scenario::parse_scenario(text, kShareOrigin);
  d.text = std::move(text);
  if (parsed.ok()) {
    d.scenario = std::move(parsed.scenario);
  } else {
    for (const scenario::ParseError& e : parsed.errors) d.errors.push_back(e.str());
  }
  return d;
}

DecodedLink decode_share_link(std::string_view url) {
  std::string_view fragment = url;
  if (const size_t hash = url.find('#'); hash != std::string_view::npos) {
    fragment = url.substr(hash + 1);
  } else if (url.substr(0, kKey.size()) != kKey) {
    return failed("the link has no scenario in it (expected '#s=' followed by the scenario)");
  }
  if (fragment.size() > kMaxFragmentBytes) {
    return failed("the link is too long (" + std::to_string(fragment.size()) +
                  " characters after '#'; at most " + std::to_string(kMaxFragmentBytes) + ")");
  }
  // The fragment may hold other key=value parts separated by '&'; s= is the scenario.
  std::string_view payload;
  bool found = false;
  for (size_t start = 0; start <= fragment.size() && !found;) {
    const size_t end = std::min(fragment.find('&', start), fragment.size());
    const std::string_view part = fragment.substr(start, end - start);
    if (part.substr(0, kKey.size()) == kKey) {
      payload = part.substr(kKey.size());
      found = true;
    }
    start = end + 1;
  }
  if (!found) {
    return failed("the link has no scenario in it (expected '#s=' followed by the scenario)");
  }
  if (payload.empty()) return failed("the link's scenario (#s=) is empty");
  Base64Error error;
  std::optional<std::string> text = base64url_decode(payload, &error);
  if (!text) return failed("the link is damaged: " + error.message);
  // "s==" is padding around nothing: the same empty scenario as "s=" (found by fuzz_share_link).
  if (text->empty()) return failed("the link's scenario (#s=) is empty");
  return check_scenario_text(std::move(*text));
}

}  // namespace wqlab::share

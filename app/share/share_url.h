// Share links: a scenario's text (engine/scenario/writer.h writes it) carried in a URL fragment,
// "#s=" followed by the text in base64url (RFC 4648 section 5, no padding). Plain base64url:
// Debian's Emscripten has no zlib port, so the browser could not inflate a compressed link.
// The fragment never reaches a server. Limits: 32 KiB of scenario text, 44 KiB of fragment: every
// lesson, written with every key (engine/scenario/writer.h), fits (the largest is about 17 KiB).
// Decoding checks, in order: a fragment with s=, its length, base64url, the text's length,
// UTF-8, then the scenario itself (engine/scenario/parser.h). Every failure is one message
// beginning with "share-url:"; parse errors read "share-url:LINE:COL: message".
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/scenario/spec.h"

namespace wqlab::share {

inline constexpr size_t kMaxScenarioBytes = 32 * 1024;
inline constexpr size_t kMaxFragmentBytes = 44 * 1024;  // base64url of 32 KiB, plus room
// The "file name" parse errors carry, so they read share-url:LINE:COL.
inline constexpr const char* kShareOrigin = "share-url";

struct EncodedLink {
  std::string fragment;  // "#s=..." when `error` is empty
  std::string error;
};

// The fragment for `scenario_text`, or an error when the text is too long or not UTF-8.
EncodedLink encode_share_fragment(std::string_view scenario_text);
// `base` (a page URL, its own fragment dropped) followed by the fragment.
EncodedLink make_share_url(std::string_view base, std::string_view scenario_text);

struct DecodedLink {
  std::string text;                            // the scenario text, once base64url decoded
  std::optional<scenario::Scenario> scenario;  // set when it parsed without errors
  std::vector<std::string> errors;             // each "share-url:..." line
  bool ok() const { return scenario.has_value(); }
  std::string error_text() const;  // the errors, one per line
};

// Accepts a whole URL ("http://host/#s=...") or its fragment ("#s=..." or "s=...").
DecodedLink decode_share_link(std::string_view url_or_fragment);

// The scenario in `text` checked as a shared one: size, UTF-8, then the parser.
DecodedLink check_scenario_text(std::string text);

// Is `text` well-formed UTF-8? If not, `bad_offset` gets the first bad byte's offset.
bool is_valid_utf8(std::string_view text, size_t* bad_offset = nullptr);

}  // namespace wqlab::share

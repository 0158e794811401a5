// Fuzz target: the share-link decoder (app/share/share_url.h) on any URL or fragment. Properties:
// it never crashes; a link it rejects gets messages that start with "share-url:"; a link it
// accepts carries a text that encodes to a link decoding to the same text.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "share/share_url.h"

namespace {

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "share_link: %s\n", what.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace wqlab::share;
  const std::string_view url(reinterpret_cast<const char*>(data), size);
  DecodedLink link = decode_share_link(url);
  if (!link.ok()) {
    if (link.errors.empty()) fail("rejected without a message");
    for (const std::string& e : link.errors)
      if (e.rfind(kShareOrigin, 0) != 0) fail("a message without share-url: " + e);
    return 0;
  }
  EncodedLink again = encode_share_fragment(link.text);
  if (!again.error.empty()) fail("an accepted link's text does not encode: " + again.error);
  DecodedLink back = decode_share_link(again.fragment);
  if (!back.ok() || back.text != link.text) fail("re-encoding changed the text");
  return 0;
}

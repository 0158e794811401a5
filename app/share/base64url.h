// Base64url (RFC 4648 section 5): the URL- and filename-safe alphabet, written without '='
// padding, as share links carry it. Decoding accepts padding and says where the text is bad.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace wqlab::share {

std::string base64url_encode(std::string_view bytes);

struct Base64Error {
  size_t offset = 0;    // of the first bad character (or the text's length when it is cut short)
  std::string message;  // "not valid base64url at character 12 ('+')"
};

// The bytes, or nullopt with `error` filled in.
std::optional<std::string> base64url_decode(std::string_view text, Base64Error* error);

}  // namespace wqlab::share

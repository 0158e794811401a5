// Typed access to a parsed TOML document that records precise errors (file:line:col) instead of
// throwing: unknown keys, wrong types, bad durations and sizes, missing required keys.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "engine/scenario/spec.h"

namespace wqlab::scenario {

class TomlReader {
 public:
  explicit TomlReader(std::string file) : file_(std::move(file)) {}

  SourceLoc loc(const toml::node& n) const;
  SourceLoc loc(const toml::key& k) const;
  void error(SourceLoc at, std::string message);
  void error(const toml::node& n, std::string message) { error(loc(n), std::move(message)); }
  const std::vector<ParseError>& errors() const { return errors_; }
  std::vector<ParseError> take_errors() { return std::move(errors_); }
  const std::string& file() const { return file_; }

  // Reports every key of `t` not in `known` as "unknown key "x" in <what> (known: ...)".
  void allow_keys(const toml::table& t, std::initializer_list<std::string_view> known,
                  std::string_view what);

  // Each getter returns nullopt when the key is absent (and, if `required`, reports it) or has
  // the wrong type (reported).
  std::optional<std::string> string(const toml::table& t, std::string_view key,
                                    bool required = false);
  std::optional<int64_t> integer(const toml::table& t, std::string_view key, bool required = false);
  std::optional<double> number(const toml::table& t, std::string_view key, bool required = false);
  std::optional<bool> boolean(const toml::table& t, std::string_view key, bool required = false);
  std::optional<int64_t> duration(const toml::table& t, std::string_view key,
                                  bool required = false);
  std::optional<int64_t> size(const toml::table& t, std::string_view key, bool required = false);
  // A text: "English" or { en = "...", zh = "..." }.
  Text text(const toml::table& t, std::string_view key, bool required = false);
  // A string or an array of strings, each with its location.
  std::vector<std::pair<std::string, SourceLoc>> strings(const toml::table& t,
                                                         std::string_view key);
  // A table or an array of tables under `key` (both spellings are accepted).
  std::vector<const toml::table*> tables(const toml::table& t, std::string_view key);
  SourceLoc key_loc(const toml::table& t, std::string_view key) const;

 private:
  const toml::node* get(const toml::table& t, std::string_view key, bool required,
                        std::string_view expected);

  std::string file_;
  std::vector<ParseError> errors_;
};

}  // namespace wqlab::scenario

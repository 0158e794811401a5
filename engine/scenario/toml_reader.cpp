#include "engine/scenario/toml_reader.h"

#include "engine/scenario/units.h"

namespace wqlab::scenario {

std::string ParseError::str() const {
  return file + ":" + std::to_string(line) + ":" + std::to_string(col) + ": " + message;
}

SourceLoc TomlReader::loc(const toml::node& n) const {
  return {static_cast<int>(n.source().begin.line), static_cast<int>(n.source().begin.column)};
}

SourceLoc TomlReader::loc(const toml::key& k) const {
  return {static_cast<int>(k.source().begin.line), static_cast<int>(k.source().begin.column)};
}

void TomlReader::error(SourceLoc at, std::string message) {
  errors_.push_back({file_, at.line, at.col, std::move(message)});
}

SourceLoc TomlReader::key_loc(const toml::table& t, std::string_view key) const {
  for (auto&& [k, v] : t)
    if (k.str() == key) return loc(k);
  return loc(t);
}

void TomlReader::allow_keys(const toml::table& t, std::initializer_list<std::string_view> known,
                            std::string_view what) {
  for (auto&& [k, v] : t) {
    bool ok = false;
    for (auto name : known) ok = ok || k.str() == name;
    if (ok) continue;
    std::string list;
    for (auto name : known) list += (list.empty() ? "" : ", ") + std::string(name);
    error(loc(k), "unknown key \"" + std::string(k.str()) + "\" in " + std::string(what) +
                      " (known: " + list + ")");
  }
}

const toml::node* TomlReader::get(const toml::table& t, std::string_view key, bool required,
                                  std::string_view expected) {
  const toml::node* n = t.get(key);
  if (n == nullptr && required)
    error(loc(t),
          "missing required key \"" + std::string(key) + "\" (" + std::string(expected) + ")");
  return n;
}

std::optional<std::string> TomlReader::string(const toml::table& t, std::string_view key,
                                              bool required) {
  const toml::node* n = get(t, key, required, "a string");
  if (n == nullptr) return std::nullopt;
  if (auto v = n->value<std::string>()) return *v;
  error(*n, "\"" + std::string(key) + "\" must be a string");
  return std::nullopt;
}

std::optional<int64_t> TomlReader::integer(const toml::table& t, std::string_view key,
                                           bool required) {
  const toml::node* n = get(t, key, required, "an integer");
  if (n == nullptr) return std::nullopt;
  if (n->is_integer()) return n->as_integer()->get();
  error(*n, "\"" + std::string(key) + "\" must be an integer");
  return std::nullopt;
}

std::optional<double> TomlReader::number(const toml::table& t, std::string_view key,
                                         bool required) {
  const toml::node* n = get(t, key, required, "a number");
  if (n == nullptr) return std::nullopt;
  if (n->is_integer()) return static_cast<double>(n->as_integer()->get());
  if (n->is_floating_point()) return n->as_floating_point()->get();
  error(*n, "\"" + std::string(key) + "\" must be a number");
  return std::nullopt;
}

std::optional<bool> TomlReader::boolean(const toml::table& t, std::string_view key, bool required) {
  const toml::node* n = get(t, key, required, "true or false");
  if (n == nullptr) return std::nullopt;
  if (n->is_boolean()) return n->as_boolean()->get();
  error(*n, "\"" + std::string(key) + "\" must be true or false");
  return std::nullopt;
}

std::optional<int64_t> TomlReader::duration(const toml::table& t, std::string_view key,
                                            bool required) {
  const toml::node* n = get(t, key, required, "a duration such as \"10ms\"");
  if (n == nullptr) return std::nullopt;
  if (!n->is_string()) {
    error(*n, "\"" + std::string(key) + "\" must be a duration with a unit, such as \"10ms\"");
    return std::nullopt;
  }
  Parsed p = parse_duration(n->as_string()->get());
  if (!p.ok()) {
    error(*n, "bad duration for \"" + std::string(key) + "\": " + p.error);
    return std::nullopt;
  }
  return p.value;
}

std::optional<int64_t> TomlReader::size(const toml::table& t, std::string_view key, bool required) {
  const toml::node* n = get(t, key, required, "a size such as \"64KiB\"");
  if (n == nullptr) return std::nullopt;
  if (n->is_integer()) return n->as_integer()->get();
  if (!n->is_string()) {
    error(*n, "\"" + std::string(key) + "\" must be a size such as \"64KiB\"");
    return std::nullopt;
  }
  Parsed p = parse_size(n->as_string()->get());
  if (!p.ok()) {
    error(*n, "bad size for \"" + std::string(key) + "\": " + p.error);
    return std::nullopt;
  }
  return p.value;
}

Text TomlReader::text(const toml::table& t, std::string_view key, bool required) {
  Text out;
  const toml::node* n = get(t, key, required, "a text: \"...\" or { en = \"...\", zh = \"...\" }");
  if (n == nullptr) return out;
  if (auto s = n->value<std::string>()) {
    out.en = *s;
    return out;
  }
  if (const toml::table* tt = n->as_table()) {
    allow_keys(*tt, {"en", "zh"}, std::string(key));
    out.en = string(*tt, "en").value_or("");
    out.zh = string(*tt, "zh").value_or("");
    if (out.en.empty() && out.zh.empty())
      error(*n, "\"" + std::string(key) + "\" needs an en or zh text");
    return out;
  }
  error(*n,
        "\"" + std::string(key) + "\" must be a text: \"...\" or { en = \"...\", zh = \"...\" }");
  return out;
}

std::vector<std::pair<std::string, SourceLoc>> TomlReader::strings(const toml::table& t,
                                                                   std::string_view key) {
  std::vector<std::pair<std::string, SourceLoc>> out;
  const toml::node* n = t.get(key);
  if (n == nullptr) return out;
  if (auto s = n->value<std::string>()) {
    out.emplace_back(*s, loc(*n));
    return out;
  }
  if (const toml::array* a = n->as_array()) {
    for (const toml::node& e : *a) {
      if (auto s = e.value<std::string>()) {
        out.emplace_back(*s, loc(e));
      } else {
        error(e, "\"" + std::string(key) + "\" must hold strings");
      }
    }
    return out;
  }
  error(*n, "\"" + std::string(key) + "\" must be a string or an array of strings");
  return out;
}

std::vector<const toml::table*> TomlReader::tables(const toml::table& t, std::string_view key) {
  std::vector<const toml::table*> out;
  const toml::node* n = t.get(key);
  if (n == nullptr) return out;
  if (const toml::table* tt = n->as_table()) {
    out.push_back(tt);
    return out;
  }
  if (const toml::array* a = n->as_array()) {
    for (const toml::node& e : *a) {
      if (const toml::table* tt = e.as_table()) {
        out.push_back(tt);
      } else {
        error(e, "\"" + std::string(key) + "\" must hold tables ([[" + std::string(key) +
                     "]] or { ... })");
      }
    }
    return out;
  }
  error(*n, "\"" + std::string(key) + "\" must be a table or an array of tables");
  return out;
}

}  // namespace wqlab::scenario

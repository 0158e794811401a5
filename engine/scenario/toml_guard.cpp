#include "engine/scenario/toml_guard.h"

#include <cstdint>
#include <vector>

namespace wqlab::scenario {

namespace {

// The code points toml++ 3.3.0's whitespace test has no answer for (see the header).
bool whitespace_test_undefined(char32_t c) {
  return (c >= 0xA1 && c <= 0x499) || (c >= 0x2C5E && c <= 0x2FFF) ||
         (c >= 0x3001 && c <= 0x3057) || (c >= 0xFB26 && c <= 0xFEFE);
}

// Walks the text one code point at a time, counting lines and columns. Bad UTF-8 advances one
// byte as U+FFFD; toml++ reports it properly.
class Cursor {
 public:
  explicit Cursor(std::string_view t) : t_(t) {}
  bool done() const { return i_ >= t_.size(); }
  char32_t peek(size_t ahead = 0) const {
    size_t j = i_;
    char32_t c = 0;
    for (size_t k = 0; k <= ahead; ++k) {
      if (j >= t_.size()) return 0;
      size_t n = decode(j, &c);
      j += n;
    }
    return c;
  }
  char32_t next() {
    char32_t c = 0;
    i_ += decode(i_, &c);
    if (c == U'\n') {
      ++line_;
      col_ = 1;
    } else {
      ++col_;
    }
    return c;
  }
  int line() const { return line_; }
  int col() const { return col_; }

 private:
  size_t decode(size_t j, char32_t* out) const {
    auto b = static_cast<uint8_t>(t_[j]);
    size_t n = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
    if (n == 0 || j + n > t_.size()) {
      *out = b < 0x80 ? b : 0xFFFD;
      return 1;
    }
    char32_t c = n == 1 ? b : n == 2 ? (b & 0x1F) : n == 3 ? (b & 0x0F) : (b & 0x07);
    for (size_t k = 1; k < n; ++k) {
      auto cb = static_cast<uint8_t>(t_[j + k]);
      if ((cb & 0xC0) != 0x80) {
        *out = 0xFFFD;
        return 1;
      }
      c = (c << 6) | (cb & 0x3F);
    }
    *out = c;
    return n;
  }

  std::string_view t_;
  size_t i_ = 0;
  int line_ = 1, col_ = 1;
};

std::string hex(char32_t c) {
  static const char* digits = "0123456789ABCDEF";
  std::string s;
  for (int shift = 16; shift >= 0; shift -= 4)
    if (shift < 16 || (c >> 16) != 0) s += digits[(c >> shift) & 0xF];
  return "U+" + s;
}

class Scan {
 public:
  explicit Scan(std::string_view text) : cur_(text) {}

  std::optional<TomlHazard> run() {
    while (!cur_.done() && !found_) normal();
    return found_;
  }

 private:
  void report(int line, int col, std::string msg) {
    if (!found_) found_ = TomlHazard{line, col, std::move(msg)};
  }

  void normal() {
    const int line = cur_.line(), col = cur_.col();
    char32_t c = cur_.next();
    if (c == U'\n') {
      line_start_ = true;
      in_header_ = false;
      return;
    }
    if (c == U' ' || c == U'\t' || c == U'\r') return;
    const bool at_line_start = line_start_;
    line_start_ = false;
    if (c == U'#') {
      while (!cur_.done() && cur_.peek() != U'\n') cur_.next();
    } else if (c == U'"' || c == U'\'') {
      string(c, line, col);
    } else if (c == U'[') {
      if (at_line_start && nesting_.empty()) {
        in_header_ = true;
      } else if (!in_header_) {
        nesting_.push_back('[');
      }
    } else if (c == U'{') {
      nesting_.push_back('{');
    } else if ((c == U']' && !in_header_) || c == U'}') {
      if (!nesting_.empty()) nesting_.pop_back();
    } else if (c >= 0x80) {
      outside(c, line, col);
    } else if (c != U'=' && c != U',' && c != U']') {
      bare_token();
    }
  }

  void outside(char32_t c, int line, int col) {
    report(line, col,
           "'" + hex(c) +
               "' outside a string or comment: TOML allows characters beyond ASCII "
               "only inside quotes or after #");
  }

  // A bare key or value (a number, true, a date) or garbage: toml++ reads a bad one up to the
  // next delimiter, quotes included ('0["x\u0134"' once reached its whitespace test).
  void bare_token() {
    while (!cur_.done() && !found_) {
      const char32_t p = cur_.peek();
      if (p == U' ' || p == U'\t' || p == U'\r' || p == U'\n' || p == U',' || p == U']' ||
          p == U'}' || p == U'#' || p == U'=')
        return;
      const int line = cur_.line(), col = cur_.col();
      const char32_t c = cur_.next();
      if (c >= 0x80) outside(c, line, col);
    }
  }

  void string(char32_t quote, int line, int col) {
    const bool multi = cur_.peek() == quote && cur_.peek(1) == quote;
    if (multi) {
      cur_.next();
      cur_.next();
    }
    const bool basic = quote == U'"';
    int first_line = 0, first_col = 0;  // the first non-ASCII character, for quoted keys
    while (!cur_.done()) {
      const int cl = cur_.line(), cc = cur_.col();
      if (!multi && cur_.peek() == U'\n') return;  // unterminated: toml++ says so
      char32_t c = cur_.next();
      if (c >= 0x80 && first_line == 0) {
        first_line = cl;
        first_col = cc;
      }
      if (c == quote && (!multi || (cur_.peek() == quote && cur_.peek(1) == quote))) {
        if (multi) {
          cur_.next();
          cur_.next();
          while (cur_.peek() == quote) cur_.next();  // up to two quotes may end the content
        }
        if (first_line != 0 && !multi && is_key())
          report(first_line, first_col,
                 "quoted keys must be ASCII (the string starting at " + std::to_string(line) + ":" +
                     std::to_string(col) + " is a key)");
        return;
      }
      if (basic && c == U'\\' && multi)
        escape_in_multiline();
      else if (basic && c == U'\\' && !cur_.done())
        cur_.next();
      if (found_) return;
    }
  }

  // After a backslash inside """...""": an escape letter, or a line-ending backslash followed by
  // whitespace that toml++ skips character by character.
  void escape_in_multiline() {
    const int l = cur_.line(), c = cur_.col();
    char32_t e = cur_.peek();
    if (e >= 0x80) {
      report(l, c, "'" + hex(e) + "' after a backslash: an escape is \\n, \\t, \\\", \\\\, \\u...");
      return;
    }
    if (e != U' ' && e != U'\t' && e != U'\r' && e != U'\n') {
      if (!cur_.done()) cur_.next();
      return;
    }
    while (!cur_.done() && (cur_.peek() == U' ' || cur_.peek() == U'\t' || cur_.peek() == U'\r' ||
                            cur_.peek() == U'\n'))
      cur_.next();
    const int nl = cur_.line(), nc = cur_.col();
    if (whitespace_test_undefined(cur_.peek()))
      report(nl, nc,
             "'" + hex(cur_.peek()) +
                 "' right after a line-ending backslash: start the line with another character "
                 "(toml++ 3.3 cannot read this one here)");
  }

  // A string just closed: it is a key when '=' or '.' follows on the line, or in a [header].
  bool is_key() {
    if (in_header_) return true;
    size_t k = 0;
    char32_t c;
    while ((c = cur_.peek(k)) == U' ' || c == U'\t') ++k;
    return c == U'=' || c == U'.';
  }

  Cursor cur_;
  std::optional<TomlHazard> found_;
  bool line_start_ = true;
  bool in_header_ = false;
  std::vector<char> nesting_;
};

}  // namespace

std::optional<TomlHazard> find_toml_hazard(std::string_view text) {
  return Scan(text).run();
}

}  // namespace wqlab::scenario

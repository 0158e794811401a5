// wrapped_text(): tokens are words, spaces, or single CJK characters; lines are filled greedily,
// and a word wider than a whole line is broken between its characters.
#include "views/wrapped_text.h"

#include <algorithm>
#include <vector>

#include "imgui.h"
#include "imgui_internal.h"  // ImTextCharFromUtf8

namespace wqlab {
namespace {

bool is_cjk(unsigned c) {
  return (c >= 0x2E80 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) ||
         (c >= 0xFF00 && c <= 0xFFEF);
}

// Punctuation that must not start a line (，。、；：）！？).
bool no_line_start(unsigned c) {
  return c == 0xFF0C || c == 0x3002 || c == 0x3001 || c == 0xFF1B || c == 0xFF1A || c == 0xFF09 ||
         c == 0xFF01 || c == 0xFF1F;
}

}  // namespace

void wrapped_text(const std::string& text) {
  const float width = ImGui::GetContentRegionAvail().x;
  // Split into tokens: runs of non-space non-CJK, single spaces, single CJK characters.
  struct Token {
    size_t begin, end;
    bool space;
    bool word;    // a run of characters that are neither spaces nor CJK
    bool sticky;  // keep on the line of the token before
  };
  std::vector<Token> tokens;
  const char* s = text.c_str();
  size_t i = 0;
  while (i < text.size()) {
    unsigned c = 0;
    const int n = ImTextCharFromUtf8(&c, s + i, s + text.size());
    if (n <= 0) break;
    const bool space = c == ' ';
    const bool cjk = is_cjk(c);
    const bool word = !space && !cjk;
    if (word && !tokens.empty() && tokens.back().word) {
      tokens.back().end = i + static_cast<size_t>(n);  // extend the current word
    } else {
      tokens.push_back({i, i + static_cast<size_t>(n), space, word, no_line_start(c)});
    }
    i += static_cast<size_t>(n);
  }
  std::string line;
  float line_w = 0.0f;
  auto flush = [&] {
    while (!line.empty() && line.back() == ' ') line.pop_back();
    ImGui::TextUnformatted(line.c_str());
    line.clear();
    line_w = 0.0f;
  };
  for (size_t t = 0; t < tokens.size(); ++t) {
    const Token& tk = tokens[t];
    const char* b = s + tk.begin;
    const char* e = s + tk.end;
    const float w = ImGui::CalcTextSize(b, e).x;
    if (tk.space && line.empty()) continue;
    if (!tk.space && !tk.sticky && !line.empty() && line_w + w > width) flush();
    if (tk.word && w > width) {
      // A word wider than the line (a file path): broken between characters.
      for (const char* c = b; c < e;) {
        unsigned ch = 0;
        const int n = std::max(1, ImTextCharFromUtf8(&ch, c, e));
        const float cw = ImGui::CalcTextSize(c, c + n).x;
        if (!line.empty() && line_w + cw > width) flush();
        line.append(c, c + n);
        line_w += cw;
        c += n;
      }
      continue;
    }
    line.append(b, e);
    line_w += w;
  }
  if (!line.empty()) flush();
}

}  // namespace wqlab

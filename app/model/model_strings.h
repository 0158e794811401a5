// The model's copy of the recorder's interned strings (function, workqueue and task names,
// messages). Views read names every frame; reading the copy never waits for the engine threads
// that intern new strings, which matters on the browser's main thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/trace/string_table.h"

namespace wqlab::model {

class ModelStrings {
 public:
  // Copies the strings interned since the last call (one lock per new string).
  void sync(const trace::StringTable& table) {
    const size_t n = table.size();
    strings_.reserve(n);
    while (strings_.size() < n)
      strings_.emplace_back(table.get(static_cast<int64_t>(strings_.size())));
  }
  void clear() { strings_.clear(); }
  // "" for an id not (yet) known.
  const std::string& get(int64_t id) const {
    static const std::string kEmpty;
    return id >= 0 && static_cast<size_t>(id) < strings_.size() ? strings_[static_cast<size_t>(id)]
                                                                : kEmpty;
  }
  const char* c_str(int64_t id) const { return get(id).c_str(); }
  size_t size() const { return strings_.size(); }
  // The id of `s`, or -1 (linear; for tests and filters, not per frame).
  int64_t find(std::string_view s) const {
    for (size_t i = 0; i < strings_.size(); ++i)
      if (strings_[i] == s) return static_cast<int64_t>(i);
    return -1;
  }

 private:
  std::vector<std::string> strings_;
};

}  // namespace wqlab::model

// Interned strings of an imported trace (comms, functions, workqueue names): one copy each, dense
// ids from 0 ("" is id 0). Single-threaded, unlike trace::StringTable, because the importer is.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>

namespace wqlab::import {

class Names {
 public:
  Names() { intern(""); }
  int32_t intern(std::string_view s) {
    if (auto it = ids_.find(s); it != ids_.end()) return it->second;
    const auto id = static_cast<int32_t>(strings_.size());
    ids_.emplace(strings_.emplace_back(s), id);
    return id;
  }
  // -1 when `s` was never interned.
  int32_t find(std::string_view s) const {
    auto it = ids_.find(s);
    return it == ids_.end() ? -1 : it->second;
  }
  const std::string& get(int32_t id) const {
    return id >= 0 && static_cast<size_t>(id) < strings_.size() ? strings_[static_cast<size_t>(id)]
                                                                : strings_[0];
  }
  size_t size() const { return strings_.size(); }

 private:
  std::deque<std::string> strings_;  // deque: the views in ids_ stay valid as it grows
  std::unordered_map<std::string_view, int32_t> ids_;
};

}  // namespace wqlab::import

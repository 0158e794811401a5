// Interned strings (task names, workqueue and function names, messages) shared by all events.
// Ids are dense and assigned in first-use order, so a deterministic run gives identical ids.
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace wqlab::trace {

class StringTable {
 public:
  StringTable();
  // Id 0 is the empty string.
  int64_t intern(std::string_view s);
  // The string for `id`; "" for an unknown id. The view stays valid for the table's lifetime.
  std::string_view get(int64_t id) const;
  size_t size() const;

 private:
  mutable std::mutex mu_;
  std::deque<std::string> strings_;  // deque: references stay valid as it grows
  std::unordered_map<std::string_view, int64_t> ids_;
};

}  // namespace wqlab::trace

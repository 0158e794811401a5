#include "engine/trace/string_table.h"

namespace wqlab::trace {

StringTable::StringTable() {
  intern("");
}

int64_t StringTable::intern(std::string_view s) {
  std::lock_guard lock(mu_);
  if (auto it = ids_.find(s); it != ids_.end()) return it->second;
  auto id = static_cast<int64_t>(strings_.size());
  const std::string& stored = strings_.emplace_back(s);
  ids_.emplace(stored, id);
  return id;
}

std::string_view StringTable::get(int64_t id) const {
  std::lock_guard lock(mu_);
  if (id < 0 || static_cast<size_t>(id) >= strings_.size()) return {};
  return strings_[static_cast<size_t>(id)];
}

size_t StringTable::size() const {
  std::lock_guard lock(mu_);
  return strings_.size();
}

}  // namespace wqlab::trace

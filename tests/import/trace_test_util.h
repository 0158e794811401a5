// Shared by the import tests: the shared captures and small helpers to open and look things up.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "engine/import/open_trace.h"
#include "engine/import/reconstruct.h"

namespace wqlab::test {

inline std::string traces_dir() {
  return WQLAB_TRACES_DIR;
}
inline std::string writeback_path() {
  return traces_dir() + "/linux-6.18-2cpu-writeback.trace.txt";
}
inline std::string perf_path() {
  return traces_dir() + "/linux-6.18-2cpu-fsync.perf-script.txt";
}

inline std::string read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

inline import::OpenedTrace open_text(const std::string& text, const std::string& name = "<text>") {
  import::ImportOptions o;
  o.source = name;
  return import::open_trace_text(text, o);
}

inline import::OpenedTrace open_file(const std::string& path) {
  std::string error;
  auto o = import::open_trace_file(path, &error);
  EXPECT_TRUE(o.has_value()) << error;
  return o ? std::move(*o) : import::OpenedTrace{};
}

inline const import::TraceWorkqueue* wq(const import::TraceMachine& m, const std::string& name) {
  const int32_t i = m.workqueue_index(name);
  return i < 0 ? nullptr : &m.workqueues[static_cast<size_t>(i)];
}

// The item whose work pointer is `work` and that was queued at `queued_ns` (absolute).
inline const import::TraceItem* item(const import::TraceMachine& m, uint64_t work,
                                     int64_t queued_ns) {
  for (const import::TraceItem& it : m.items)
    if (it.work == work && it.queued == queued_ns) return &it;
  return nullptr;
}

inline std::string pool_name_of(const import::TraceMachine& m, int32_t pid) {
  const import::TraceKworker* k = m.kworker(pid);
  if (!k) return "(no kworker)";
  const import::TracePool* p = m.pool(k->pool);
  return p ? p->name : "(no pool)";
}

}  // namespace wqlab::test

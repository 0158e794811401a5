// Helpers shared by the engine tests: a recorded kernel and readable views of its event log.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/kernel/kernel.h"
#include "engine/trace/recorder.h"
#include "engine/trace/text_format.h"

namespace wqlab::test {

struct RecordedKernel {
  explicit RecordedKernel(kernel::KernelConfig cfg = {})
      : rec(std::make_unique<trace::Recorder>()),
        k(std::make_unique<kernel::Kernel>(cfg, rec.get())) {}
  ~RecordedKernel() {
    k.reset();  // shut the kernel down before the recorder goes away
  }

  // Every event so far as ftrace-style lines.
  std::vector<std::string> lines() {
    rec->drain();
    trace::TextFormatter f(rec->strings());
    std::vector<std::string> out;
    const auto& log = rec->log();
    for (size_t i = 0; i < log.size(); ++i) out.push_back(f.line(log[i]));
    return out;
  }

  // The events of one kind, in order.
  std::vector<trace::Event> events(trace::EventKind kind) {
    rec->drain();
    std::vector<trace::Event> out;
    const auto& log = rec->log();
    for (size_t i = 0; i < log.size(); ++i)
      if (log[i].kind == kind) out.push_back(log[i]);
    return out;
  }

  // The log's byte image after draining everything emitted so far.
  std::string bytes() {
    rec->drain();
    return rec->log().bytes();
  }

  std::string str(int64_t id) { return std::string(rec->strings().get(id)); }

  std::unique_ptr<trace::Recorder> rec;
  std::unique_ptr<kernel::Kernel> k;
};

inline kernel::KernelConfig det_config(int cpus = 2) {
  kernel::KernelConfig c;
  c.nr_cpus = cpus;
  c.mode = kernel::Mode::Deterministic;
  return c;
}

inline kernel::KernelConfig rt_config(int cpus = 2) {
  kernel::KernelConfig c;
  c.nr_cpus = cpus;
  c.mode = kernel::Mode::Realtime;
  return c;
}

}  // namespace wqlab::test

// What a demo on the legacy (pre-2.6.36) model drives: the simulated kernel and a LegacyWq
// (engine/legacy) instead of cmwq, with work items whose bodies are lab steps. The session
// builds one when a ScenarioDef has start_legacy; sandbox commands need cmwq and skip it.
#pragma once

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "engine/legacy/legacy_wq.h"
#include "session/scenario.h"

namespace wqlab::session {

class LegacyContext {
 public:
  LegacyContext(kernel::Kernel& k, legacy::LegacyWq& legacy) : k(k), legacy(legacy) {}
  LegacyContext(const LegacyContext&) = delete;
  LegacyContext& operator=(const LegacyContext&) = delete;

  // A work item named `name` that runs `steps` (owned here; freed after the kernel stops).
  wq::Work* work(const std::string& name, std::vector<Step> steps);
  // Runs `body` in a new kernel thread named `comm` (task context).
  void spawn(const std::string& comm, std::function<void()> body, int cpu = -1);

  kernel::Kernel& k;
  legacy::LegacyWq& legacy;

 private:
  std::deque<std::unique_ptr<wq::Work>> works_;
};

}  // namespace wqlab::session

// What a scenario is to the session: a description, a machine configuration and a start
// function run on the driver thread against the real engine API. The built-in demos
// (demo_scenarios.cpp) are one ScenarioSource; lesson files (engine/scenario) can be another.
#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/kernel/kernel.h"
#include "engine/wq/cmwq.h"

namespace wqlab::session {

using kernel::Nanos;

// One step of a lab work item's body (DESIGN.md: "Work bodies in the lab").
struct Step {
  enum class Kind { Compute, Sleep } kind;
  Nanos duration;
  static Step compute(Nanos d) { return {Kind::Compute, d}; }
  static Step sleep(Nanos d) { return {Kind::Sleep, d}; }
};

// A body that runs `steps` on kernel `k` (compute_for, sleep_for), for any work item.
std::function<void(wq::Work*)> step_body(kernel::Kernel& k, std::vector<Step> steps);

class LegacyContext;  // session/legacy_scenario.h

// The engine objects a scenario drives, and the work items it owns (they must outlive the
// machine's tasks, so the context frees them only after the kernel has shut down).
class ScenarioContext {
 public:
  ScenarioContext(kernel::Kernel& k, wq::Cmwq& cmwq) : k(k), cmwq(cmwq) {}
  ScenarioContext(const ScenarioContext&) = delete;
  ScenarioContext& operator=(const ScenarioContext&) = delete;

  // A work item named `name` (its function's name in traces) that runs `steps`.
  wq::Work* work(const std::string& name, std::vector<Step> steps);
  wq::Work* work(const std::string& name, std::function<void(wq::Work*)> body);
  wq::DelayedWork* delayed_work(const std::string& name, std::vector<Step> steps);
  // Runs `body` in a new kernel thread named `comm` (task context: it may sleep and flush).
  void spawn(const std::string& comm, std::function<void()> body, int cpu = -1);
  // The workqueue named `name` that this context created, or a system one; nullptr if none.
  wq::Workqueue* find_workqueue(const std::string& name) const;

  kernel::Kernel& k;
  wq::Cmwq& cmwq;

 private:
  std::deque<std::unique_ptr<wq::Work>> works_;
  std::deque<std::unique_ptr<wq::DelayedWork>> delayed_;
};

struct ScenarioInfo {
  std::string name;  // for --demo NAME and the menu
  std::string title;
  std::string title_zh;  // 简体中文; every character must be in assets/fonts/ui-text-zh.txt
  std::string summary;
  std::string summary_zh;
  std::vector<std::string> watch_for;  // what to look at, one line each
  std::vector<Nanos> highlights;       // moments worth showing (screenshots, "jump to")
  Nanos focus = 0;                     // the timeline first shows [0, focus]; 0: everything
  bool hidden = false;                 // not in the menu (benchmarks)
};

struct ScenarioDef {
  ScenarioInfo info;
  kernel::KernelConfig kernel;
  wq::CmwqConfig cmwq;
  // Runs once on the driver thread after the machine boots, before the first run; typically
  // spawns a "scenario" task that queues work over virtual time.
  std::function<void(ScenarioContext&)> start;
  // Set instead of `start` for a machine on the legacy (pre-2.6.36) model: no cmwq at all.
  std::function<void(LegacyContext&)> start_legacy = nullptr;
};

class ScenarioSource {
 public:
  virtual ~ScenarioSource() = default;
  virtual const std::vector<ScenarioDef>& scenarios() const = 0;
  const ScenarioDef* find(const std::string& name) const {
    for (const ScenarioDef& d : scenarios())
      if (d.info.name == name) return &d;
    return nullptr;
  }
};

}  // namespace wqlab::session

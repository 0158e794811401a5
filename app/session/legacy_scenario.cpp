// LegacyContext: work items with step bodies and tasks, for demos on the legacy model.
#include "session/legacy_scenario.h"

namespace wqlab::session {

wq::Work* LegacyContext::work(const std::string& name, std::vector<Step> steps) {
  works_.push_back(std::make_unique<wq::Work>());
  wq::INIT_WORK(works_.back().get(), step_body(k, std::move(steps)), name);
  return works_.back().get();
}

void LegacyContext::spawn(const std::string& comm, std::function<void()> body, int cpu) {
  k.spawn(comm, std::move(body), cpu, kernel::SchedClass::Driver);  // the outside world
}

}  // namespace wqlab::session

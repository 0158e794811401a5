// ScenarioContext: work items with step bodies, tasks, workqueue look-up.
#include "session/scenario.h"

namespace wqlab::session {

std::function<void(wq::Work*)> step_body(kernel::Kernel& kernel, std::vector<Step> steps) {
  kernel::Kernel* k = &kernel;
  return [k, steps = std::move(steps)](wq::Work*) {
    for (const Step& s : steps) {
      if (s.kind == Step::Kind::Compute) {
        k->compute_for(s.duration);
      } else {
        k->sleep_for(s.duration);
      }
    }
  };
}

wq::Work* ScenarioContext::work(const std::string& name, std::vector<Step> steps) {
  return work(name, step_body(k, std::move(steps)));
}

wq::Work* ScenarioContext::work(const std::string& name, std::function<void(wq::Work*)> body) {
  works_.push_back(std::make_unique<wq::Work>());
  wq::INIT_WORK(works_.back().get(), std::move(body), name);
  return works_.back().get();
}

wq::DelayedWork* ScenarioContext::delayed_work(const std::string& name, std::vector<Step> steps) {
  delayed_.push_back(std::make_unique<wq::DelayedWork>());
  wq::INIT_DELAYED_WORK(delayed_.back().get(), step_body(k, std::move(steps)), name);
  return delayed_.back().get();
}

void ScenarioContext::spawn(const std::string& comm, std::function<void()> body, int cpu) {
  k.spawn(comm, std::move(body), cpu, kernel::SchedClass::Driver);  // the outside world
}

wq::Workqueue* ScenarioContext::find_workqueue(const std::string& name) const {
  for (wq::Workqueue* wq : cmwq.workqueues())
    if (wq->name == name && !wq->destroyed) return wq;
  return nullptr;
}

}  // namespace wqlab::session

// A recorded machine for the app's tests: a demo scenario (or a test's own start function) run
// on the real engine in deterministic mode, with its log folded into a MachineModel.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "model/machine_model.h"
#include "session/demo_scenarios.h"
#include "session/legacy_scenario.h"
#include "session/scenario.h"

namespace wqlab::test {

struct RecordedMachine {
  explicit RecordedMachine(int cpus, size_t carrier_cap = 0) {
    kernel::KernelConfig cfg;
    cfg.nr_cpus = cpus;
    cfg.carrier_cap = carrier_cap;
    init(cfg, {});
  }
  // A legacy demo (start_legacy) gets a LegacyWq instead of cmwq.
  RecordedMachine(const session::ScenarioDef& def, size_t carrier_cap = 0) {
    kernel::KernelConfig cfg = def.kernel;
    cfg.carrier_cap = carrier_cap;
    if (def.start_legacy) {
      init_legacy(cfg);
      def.start_legacy(*legacy_ctx);
    } else {
      init(cfg, def.cmwq);
      def.start(*ctx);
    }
  }
  ~RecordedMachine() {
    cmwq.reset();
    legacy.reset();
    ctx.reset();
    legacy_ctx.reset();
    k.reset();
  }

  kernel::RunResult run_until_idle() {
    kernel::RunResult r = k->run_until_idle();
    rec->drain();
    return r;
  }

  // A model folded over everything recorded so far.
  void fold(model::MachineModel& m) {
    rec->drain();
    model::MachineConfig c;
    c.nr_cpus = k->nr_cpus();
    c.hz = k->hz();
    c.pid_max = k->pid_max();
    m.attach(rec.get(), c);
    m.update();
  }

  const std::string& str(int64_t id) const {
    static std::string s;
    s = std::string(rec->strings().get(id));
    return s;
  }

  std::unique_ptr<trace::Recorder> rec;
  std::unique_ptr<kernel::Kernel> k;
  std::unique_ptr<wq::Cmwq> cmwq;
  std::unique_ptr<session::ScenarioContext> ctx;
  std::unique_ptr<legacy::LegacyWq> legacy;
  std::unique_ptr<session::LegacyContext> legacy_ctx;

 private:
  void init_legacy(kernel::KernelConfig cfg) {
    cfg.mode = kernel::Mode::Deterministic;
    rec = std::make_unique<trace::Recorder>();
    k = std::make_unique<kernel::Kernel>(cfg, rec.get());
    legacy = std::make_unique<legacy::LegacyWq>(*k);
    legacy_ctx = std::make_unique<session::LegacyContext>(*k, *legacy);
  }
  void init(kernel::KernelConfig cfg, wq::CmwqConfig wcfg) {
    cfg.mode = kernel::Mode::Deterministic;
    rec = std::make_unique<trace::Recorder>();
    k = std::make_unique<kernel::Kernel>(cfg, rec.get());
    cmwq = std::make_unique<wq::Cmwq>(*k, wcfg);
    ctx = std::make_unique<session::ScenarioContext>(*k, *cmwq);
  }
};

inline const session::ScenarioDef& demo(const std::string& name) {
  return *session::demo_scenarios().find(name);
}

}  // namespace wqlab::test

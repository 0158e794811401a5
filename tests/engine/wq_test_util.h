// Helpers for the cmwq tests: a recorded machine with cmwq booted, a scenario task, and the
// executions read back from the event log.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/wq/cmwq.h"
#include "test_util.h"

namespace wqlab::test {

using kernel::msecs;
using kernel::Nanos;

struct Execution {
  std::string func;
  Nanos start = -1;
  Nanos end = -1;
  int pid = 0;
  int pool = -1;
};

struct CmwqMachine;
// Schedule exploration (tests/explore/section11_main.cpp): when set, every CmwqMachine is handed
// to it once booted, and what it returns is dropped (its destructor may inspect the machine)
// before the machine goes away. Unset in the unit tests.
using CmwqMachineHook = std::function<std::shared_ptr<void>(CmwqMachine&)>;
inline CmwqMachineHook& cmwq_machine_hook() {
  static CmwqMachineHook hook;
  return hook;
}
// And, when set, called after each scenario() run, while the test's work items still exist.
inline std::function<void(CmwqMachine&)>& cmwq_machine_after_run() {
  static std::function<void(CmwqMachine&)> hook;
  return hook;
}

struct CmwqMachine {
  explicit CmwqMachine(kernel::KernelConfig kcfg = det_config(1), wq::CmwqConfig wcfg = {})
      : rk(kcfg), cmwq(std::make_unique<wq::Cmwq>(*rk.k, wcfg)) {
    if (cmwq_machine_hook()) attachment = cmwq_machine_hook()(*this);
  }
  ~CmwqMachine() {
    attachment.reset();
    cmwq.reset();
  }

  kernel::Kernel& k() { return *rk.k; }

  // Runs `body` in a scenario task on `cpu` and the machine until it is idle.
  kernel::RunResult scenario(std::function<void()> body, int cpu = 0) {
    rk.k->spawn("scenario", std::move(body), cpu);
    kernel::RunResult r = rk.k->run_until_idle();
    if (cmwq_machine_after_run()) cmwq_machine_after_run()(*this);
    return r;
  }

  // Every execution in the log, in start order.
  std::vector<Execution> executions() {
    std::vector<Execution> out;
    std::map<std::pair<int64_t, int>, size_t> open;  // (work id, pid) -> index
    for (auto& e : all()) {
      if (e.kind == trace::EventKind::WqExecuteStart) {
        open[{e.args[0], e.pid}] = out.size();
        out.push_back({rk.str(e.args[1]), e.time_ns, -1, e.pid, static_cast<int>(e.args[3])});
      } else if (e.kind == trace::EventKind::WqExecuteEnd) {
        auto it = open.find({e.args[0], e.pid});
        if (it != open.end()) {
          out[it->second].end = e.time_ns;
          open.erase(it);
        }
      }
    }
    return out;
  }

  // The executions of one function, in start order.
  std::vector<Execution> runs(const std::string& func) {
    std::vector<Execution> out;
    for (auto& x : executions())
      if (x.func == func) out.push_back(x);
    return out;
  }

  Execution run(const std::string& func) {
    auto r = runs(func);
    return r.empty() ? Execution{func} : r.front();
  }

  std::vector<trace::Event> all() {
    rk.rec->drain();
    std::vector<trace::Event> out;
    for (size_t i = 0; i < rk.rec->log().size(); ++i) out.push_back(rk.rec->log()[i]);
    return out;
  }

  std::vector<trace::Event> events(trace::EventKind kind) { return rk.events(kind); }

  // The name a pid was created with.
  std::string comm_of(int pid) {
    for (auto& e : rk.events(trace::EventKind::TaskCreate))
      if (e.args[0] == pid) return rk.str(e.args[1]);
    return "";
  }

  // Messages printed with printk, in order.
  std::vector<std::string> messages() {
    std::vector<std::string> out;
    for (auto& e : rk.events(trace::EventKind::Printk)) out.push_back(rk.str(e.args[1]));
    return out;
  }

  bool printed(const std::string& needle) {
    for (auto& m : messages())
      if (m.find(needle) != std::string::npos) return true;
    return false;
  }

  RecordedKernel rk;
  std::unique_ptr<wq::Cmwq> cmwq;
  std::shared_ptr<void> attachment;  // what cmwq_machine_hook() returned
};

// A work item running `body`, shown in traces as `name`.
inline std::unique_ptr<wq::Work> make_work(const std::string& name,
                                           std::function<void(wq::Work*)> body) {
  auto w = std::make_unique<wq::Work>();
  wq::INIT_WORK(w.get(), std::move(body), name);
  return w;
}

}  // namespace wqlab::test

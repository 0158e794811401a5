// Helpers for the legacy workqueue tests: a recorded machine with the 2.6.24 workqueue booted, a
// scenario task, and the executions read back from the workqueue_execution events.
#pragma once

#include <dirent.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/legacy/legacy_wq.h"
#include "tests/engine/test_util.h"

namespace wqlab::test {

using kernel::msecs;
using kernel::Nanos;

struct LegacyRun {
  std::string func;
  Nanos start = -1;
  Nanos end = -1;
  int pid = 0;
  std::string wq;
};

inline legacy::LegacyConfig legacy_config(bool boot_threads) {
  legacy::LegacyConfig c;
  c.boot_threads = boot_threads;
  return c;
}

struct LegacyMachine {
  // Most tests want a quiet machine: no boot threads besides events/N unless asked for.
  explicit LegacyMachine(kernel::KernelConfig kcfg = det_config(1),
                         legacy::LegacyConfig lcfg = legacy_config(false))
      : rk(legacy::kernel_config(kcfg)), lwq(std::make_unique<legacy::LegacyWq>(*rk.k, lcfg)) {}
  ~LegacyMachine() { lwq.reset(); }

  kernel::Kernel& k() { return *rk.k; }
  legacy::LegacyWq& wq() { return *lwq; }

  // Runs `body` in a scenario task on `cpu`, then the machine until it is idle.
  kernel::RunResult scenario(std::function<void()> body, int cpu = 0) {
    rk.k->spawn("scenario", std::move(body), cpu);
    return rk.k->run_until_idle();
  }

  // Every execution in the log, in start order.
  std::vector<LegacyRun> executions() {
    std::vector<LegacyRun> out;
    std::map<std::pair<int64_t, int64_t>, size_t> open;  // (work id, thread pid) -> index
    for (auto& e : all()) {
      if (e.kind == trace::EventKind::LegacyExecution) {
        open[{e.args[1], e.args[0]}] = out.size();
        out.push_back(
            {rk.str(e.args[2]), e.time_ns, -1, static_cast<int>(e.args[0]), rk.str(e.args[3])});
      } else if (e.kind == trace::EventKind::LegacyExecutionEnd) {
        auto it = open.find({e.args[1], e.args[0]});
        if (it != open.end()) {
          out[it->second].end = e.time_ns;
          open.erase(it);
        }
      }
    }
    return out;
  }

  std::vector<LegacyRun> runs(const std::string& func) {
    std::vector<LegacyRun> out;
    for (auto& x : executions())
      if (x.func == func) out.push_back(x);
    return out;
  }

  LegacyRun run(const std::string& func) {
    auto r = runs(func);
    if (!r.empty()) return r.front();
    LegacyRun none;
    none.func = func;
    return none;
  }

  // The functions executed, in start order (barriers included).
  std::vector<std::string> order() {
    std::vector<std::string> out;
    for (auto& x : executions()) out.push_back(x.func);
    return out;
  }

  std::vector<trace::Event> all() {
    rk.rec->drain();
    std::vector<trace::Event> out;
    for (size_t i = 0; i < rk.rec->log().size(); ++i) out.push_back(rk.rec->log()[i]);
    return out;
  }

  std::vector<trace::Event> events(trace::EventKind kind) { return rk.events(kind); }

  std::string comm_of(int pid) {
    for (auto& e : rk.events(trace::EventKind::TaskCreate))
      if (e.args[0] == pid) return rk.str(e.args[1]);
    return "";
  }

  std::vector<std::string> thread_names(const legacy::LegacyWorkqueue* wq) {
    std::vector<std::string> out;
    for (auto* t : lwq->threads(wq)) out.push_back(t->comm);
    return out;
  }

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

  // The lab's own narration (lab_note events), which is not the kernel's log.
  bool noted(const std::string& needle) {
    for (auto& e : rk.events(trace::EventKind::LabNote))
      if (rk.str(e.args[0]).find(needle) != std::string::npos) return true;
    return false;
  }

  RecordedKernel rk;
  std::unique_ptr<legacy::LegacyWq> lwq;
};

// A work item running `body`, shown in traces as `name`.
inline std::unique_ptr<wq::Work> make_work(const std::string& name,
                                           std::function<void(wq::Work*)> body) {
  auto w = std::make_unique<wq::Work>();
  wq::INIT_WORK(w.get(), std::move(body), name);
  return w;
}

inline std::unique_ptr<wq::DelayedWork> make_dwork(const std::string& name,
                                                   std::function<void(wq::Work*)> body) {
  auto d = std::make_unique<wq::DelayedWork>();
  wq::INIT_DELAYED_WORK(d.get(), std::move(body), name);
  return d;
}

// OS threads of this process, counted from /proc/self/task.
inline int os_threads() {
  int n = 0;
  DIR* d = opendir("/proc/self/task");
  if (d == nullptr) return -1;
  while (dirent* e = readdir(d))
    if (e->d_name[0] != '.') ++n;
  closedir(d);
  return n;
}

}  // namespace wqlab::test

// The trace stage's What if window: the real workload on one time axis twice, the trace beside
// the scenario fitted to it and run on a model (cmwq, Linux 2.6.24, ordered workqueues, another
// max_active), or the model under two policies, each run with its latency histogram
// (engine/whatif, what `wqlab open FILE --compare P[,Q]` prints). The model runs on a thread of
// its own; the window says so meanwhile and keeps the last result. Exposed state: "whatif":{...}.
#pragma once

#include <atomic>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "engine/import/open_trace.h"
#include "engine/whatif/what_if.h"

namespace wqlab {

class WhatIfView {
 public:
  WhatIfView() = default;
  WhatIfView(const WhatIfView&) = delete;
  WhatIfView& operator=(const WhatIfView&) = delete;
  ~WhatIfView();  // waits for a run in progress: a model run cannot be stopped

  // Opens the window and compares `trace` under `policies` (one: the trace and that policy; two:
  // the two policies) on a thread of its own. `trace` must stay until forget() or the
  // destructor, which wait for the run.
  void start(const import::OpenedTrace* trace, std::vector<whatif::Policy> policies);
  // The same, returning once the result is in (start-up's --whatif).
  void run_now(const import::OpenedTrace* trace, std::vector<whatif::Policy> policies);
  // Once per frame: adopts a run that has finished.
  void update();
  // The trace goes away: waits for a run, drops the result and closes the window.
  void forget();
  void open() { open_ = true; }
  bool is_open() const { return open_; }
  bool running() const { return job_ != nullptr; }
  // The window, while open; its Compare button starts a run on `trace`.
  void draw(const import::OpenedTrace* trace);
  nlohmann::ordered_json state() const;

 private:
  struct Job {
    std::vector<whatif::Policy> policies;
    std::atomic<bool> finished{false};
    std::unique_ptr<whatif::Comparison> result;  // written before `finished`
    std::thread thread;
  };
  void adopt();  // waits for the job's thread and keeps its result
  void draw_controls(const import::OpenedTrace* trace);
  void draw_axis(const whatif::Comparison& c);
  void draw_histograms(const whatif::Comparison& c);
  void draw_summary(const whatif::Comparison& c);

  std::unique_ptr<Job> job_;
  std::unique_ptr<whatif::Comparison> result_;
  std::vector<whatif::Policy> shown_policies_;  // what result_ compared
  int left_ = 0;   // index into the left run's choices: 0 = the real trace
  int right_ = 1;  // index into the policies: 1 = Linux 2.6.24
  bool open_ = false;
  // What the last frame drew, for the exposed state: axis columns with a bar, histogram bars.
  int drawn_columns_ = 0;
  int drawn_bars_ = 0;
};

}  // namespace wqlab

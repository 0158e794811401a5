// Sandbox: the student's own scenario, built a piece at a time on one machine. It holds the
// scenario being edited (the machine, its work items, and the history as steps: a step's actions
// were performed at its start, then the machine ran until the step's `run = "until T"`), checks
// every change before it happens, sends it to a LessonSession as a request (an action performed
// now, a run, a scheduler pick), and keeps the list of requests that rebuilds the same machine
// when it must be re-opened (a new work item, cmwq <-> legacy, deterministic <-> realtime).
// Saving writes the scenario in the lessons/README.md format; loading one replays its steps.
// Not thread-safe: the UI thread (or a test) calls it; the session's driver does the work.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "engine/scenario/spec.h"
#include "session/lesson_session.h"

namespace wqlab::sandbox {

// The creation calls the workqueue form offers (the file format's `create` values).
inline constexpr const char* kCreateCalls[] = {"alloc_workqueue", "alloc_ordered_workqueue",
                                               "create_workqueue", "create_singlethread_workqueue",
                                               "create_freezable_workqueue"};

class Sandbox {
 public:
  static constexpr const char* kMachine = "main";
  // How far "run until idle" goes at most (a work item that requeues itself never idles).
  static constexpr kernel::Nanos kIdleCap = kernel::secs(60);

  explicit Sandbox(session::LessonSession& session);

  // A fresh sandbox: one cmwq machine with `cpus` CPUs, the system workqueues, nothing else.
  void reset(int cpus = 4);
  // Opens a scenario's text (a saved sandbox, a share link's, any scenario file) and replays
  // its steps; on an error (file:line:col) the sandbox keeps what it had.
  bool load(std::string_view text, const std::string& file);
  bool load(scenario::Scenario s);
  // The scenario as it stands, in the file format; what Save writes and Share encodes.
  std::string save_text() const;

  // The machine. Each re-opens it and replays the history (checked like a file first).
  bool set_model(scenario::Model model);
  bool set_mode(kernel::Mode mode);
  bool set_cpus(int cpus);

  // A work item named `name` whose body is `body`, steps separated by ';' or newlines in the
  // file's workload words ("compute 5ms; sleep 10ms; queue self"; "self" names the item).
  bool add_work(const std::string& name, const std::string& body, bool delayed = false);

  // Performed now on the machine (checked first: an invalid one is an error and changes
  // nothing). create_workqueue: `create` is one of kCreateCalls.
  bool create_workqueue(const std::string& name, const std::string& create, unsigned flags,
                        int max_active);
  bool perform(scenario::Action a);

  // Runs. step() and pick(): deterministic mode only; pick(pid) runs that runnable task next.
  bool run_for(kernel::Nanos d);
  bool run_until_idle();
  bool step();
  bool pick(int pid);

  // Called with the session's status (each frame, or by a test once the session is quiet):
  // learns the virtual time the last request left the machine at.
  void sync(const session::SessionStatus& status);
  // No request is in flight (what the UI waits for before it shows the machine as settled).
  bool ready() const { return !pending_; }
  // The machine's virtual time is known, so actions and runs may be asked for.
  bool can_act() const { return !running_; }

  const scenario::Scenario& scenario() const { return scenario_; }
  const scenario::MachineSpec& machine() const { return scenario_.machines.front(); }
  kernel::Nanos now() const { return time_; }
  // Workqueues an action may name now: the system ones, then those created and not destroyed.
  const std::vector<std::string>& workqueues() const { return live_wqs_; }
  bool cpu_online(int cpu) const { return offline_.count(cpu) == 0; }
  bool frozen() const { return frozen_; }
  bool pressure() const { return pressure_; }
  // Scheduler picks made since the last re-open (a saved file does not carry them).
  int picks() const { return picks_; }
  // The last error (empty after a change that worked) and what the last change did.
  const std::string& error() const { return error_; }
  const std::string& note() const { return note_; }

 private:
  // A request as sent to the session, kept so that a re-open replays it.
  struct Request {
    enum class Kind { Perform, Run, Settle, Pick } kind = Kind::Perform;
    scenario::Action action;
    kernel::RunLimit limit;
    int pid = 0;
  };

  bool fail(std::string message);
  bool check_action(const scenario::Action& a);
  bool need_ready();
  bool need_deterministic(const char* what);
  bool check_text(const scenario::Scenario& s);
  void apply(const scenario::Action& a);
  void send(const Request& r);
  void record(const scenario::Action& a);
  void record_empty_step();
  void reopen();
  void rebuild_from_steps();
  std::string wq_error(const std::string& name) const;

  session::LessonSession& session_;
  scenario::Scenario scenario_;
  std::vector<Request> requests_;  // since the machine was (re)opened, in order
  kernel::Nanos time_ = 0;         // the machine's virtual time when !pending_
  kernel::Nanos step_start_ = 0;   // when the last step's actions were performed
  bool pending_ = false;           // requests are in flight
  bool running_ = false;           // ...and one of them may move virtual time: `time_` is not known
  std::vector<std::string> live_wqs_;
  std::set<int> offline_;
  bool frozen_ = false;
  bool pressure_ = false;
  int picks_ = 0;
  std::string error_;
  std::string note_;
};

// The workqueue names a cmwq or legacy machine always has.
std::vector<std::string> system_workqueues(scenario::Model model);

}  // namespace wqlab::sandbox

#include "engine/import/tracefs_recording.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#if defined(__linux__) && !defined(__EMSCRIPTEN__)
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>
#define WQLAB_HAVE_TRACEFS 1
#endif

namespace wqlab::import {

namespace {

const char* const kWorkqueueEvents[] = {"workqueue_queue_work", "workqueue_activate_work",
                                        "workqueue_execute_start", "workqueue_execute_end"};
const char* const kSchedEvents[] = {"sched_switch", "sched_wakeup", "sched_wakeup_new",
                                    "sched_process_fork", "sched_process_exit"};

std::string read_text(const std::string& path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  std::string s = ss.str();
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

bool exists(const std::string& path) {
#ifdef WQLAB_HAVE_TRACEFS
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
#else
  (void)path;
  return false;
#endif
}

}  // namespace

std::string find_tracefs() {
  std::ifstream f("/proc/mounts");
  std::string dev, dir, type;
  std::string rest;
  while (f >> dev >> dir >> type) {
    std::getline(f, rest);
    if (type == "tracefs") return dir;
  }
  return "";
}

std::vector<std::pair<std::string, std::string>> tracefs_settings(const std::string& root) {
  std::vector<std::pair<std::string, std::string>> out;
  if (root.empty() || !exists(root + "/tracing_on")) return out;
  for (const char* f : {"tracing_on", "current_tracer", "buffer_size_kb", "set_event",
                        "trace_clock", "events/workqueue/enable", "events/sched/enable"})
    out.emplace_back(f, read_text(root + "/" + f));
  for (const char* e : kWorkqueueEvents) {
    const std::string p = std::string("events/workqueue/") + e + "/enable";
    out.emplace_back(p, read_text(root + "/" + p));
  }
  for (const char* e : kSchedEvents) {
    const std::string p = std::string("events/sched/") + e + "/enable";
    if (exists(root + "/" + p)) out.emplace_back(p, read_text(root + "/" + p));
  }
#ifdef WQLAB_HAVE_TRACEFS
  std::vector<std::string> instances;
  if (DIR* d = ::opendir((root + "/instances").c_str())) {
    while (dirent* e = ::readdir(d))
      if (e->d_name[0] != '.') instances.emplace_back(e->d_name);
    ::closedir(d);
  }
  std::sort(instances.begin(), instances.end());
  std::string list;
  for (auto& i : instances) list += i + " ";
  out.emplace_back("instances/", list);
#endif
  return out;
}

#ifdef WQLAB_HAVE_TRACEFS

namespace {

// Instances of earlier captures that were killed outright (SIGKILL): their pid is gone.
void remove_stale_instances(const std::string& root) {
  DIR* d = ::opendir((root + "/instances").c_str());
  if (!d) return;
  std::vector<std::string> stale;
  while (dirent* e = ::readdir(d)) {
    const std::string name = e->d_name;
    if (name.rfind("wqlab-", 0) != 0) continue;
    const int pid = std::atoi(name.c_str() + 6);
    if (pid > 0 && ::kill(pid, 0) != 0 && errno == ESRCH) stale.push_back(name);
  }
  ::closedir(d);
  for (const std::string& s : stale) ::rmdir((root + "/instances/" + s).c_str());
}

volatile sig_atomic_t g_stop = 0;
extern "C" void on_stop_signal(int) {
  g_stop = 1;
}
int g_guards = 0;  // StopSignals alive (made and destroyed on one thread: main's)
struct sigaction g_old_int {
}, g_old_term{};

}  // namespace

std::unique_ptr<TracefsRecording> TracefsRecording::start(const CaptureOptions& o,
                                                          const std::string& who,
                                                          std::ostream& err) {
  if (::geteuid() != 0) {
    err << who << ": recording kernel tracepoints needs root (tracefs is root-only).\n"
        << "Run it as root, or record with trace-cmd or perf and open the file:\n"
        << capture_alternatives(o);
    return nullptr;
  }
  std::unique_ptr<TracefsRecording> r(new TracefsRecording(err, who));
  std::string root = o.tracefs.empty() ? find_tracefs() : o.tracefs;
  if (root.empty()) {
    for (const char* dir : {"/sys/kernel/tracing", "/sys/kernel/debug/tracing"}) {
      if (exists(dir) && ::mount("nodev", dir, "tracefs", 0, nullptr) == 0) {
        root = dir;
        r->mounted_ = dir;
        break;
      }
    }
  }
  if (root.empty() || !exists(root + "/tracing_on")) {
    err << who << ": no tracefs " << (o.tracefs.empty() ? "mounted" : "at " + o.tracefs)
        << " and it could not be mounted (a kernel without CONFIG_FTRACE, or a container "
           "without it).\nOn a machine with tracefs, one of:\n"
        << capture_alternatives(o);
    return nullptr;
  }
  if (!exists(root + "/events/workqueue/workqueue_queue_work")) {
    err << who << ": this kernel has no workqueue tracepoints in " << root << "/events/workqueue\n";
    return nullptr;
  }
  remove_stale_instances(root);
  r->dir_ = root + "/instances/wqlab-" + std::to_string(::getpid());
  if (::mkdir(r->dir_.c_str(), 0755) == 0) {
    r->instance_ = r->dir_;
  } else {
    err << who << ": no tracing instance (" << std::strerror(errno)
        << "); recording in the main buffer and restoring its settings afterwards\n";
    r->dir_ = root;
  }
  const std::string& dir = r->dir_;
  bool ok = r->write(dir + "/tracing_on", "0");
  for (const char* e : kWorkqueueEvents)
    ok = r->write(dir + "/events/workqueue/" + e + "/enable", "1") && ok;
  if (o.sched)
    for (const char* e : kSchedEvents)
      if (exists(dir + "/events/sched/" + e))
        ok = r->write(dir + "/events/sched/" + e + "/enable", "1") && ok;
  ok = r->write(dir + "/tracing_on", "1") && ok;
  if (!ok) {
    err << who << ": could not enable the tracepoints in " << dir << "\n";
    return nullptr;  // the destructor restores what was changed
  }
  return r;
}

TracefsRecording::~TracefsRecording() {
  stop();
}

int TracefsRecording::open_pipe() const {
  return ::open((dir_ + "/trace_pipe").c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
}

bool TracefsRecording::write(const std::string& path, const std::string& value, bool remember) {
  if (remember) saved_.emplace_back(path, read_text(path));
  const int fd = ::open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = ::write(fd, value.data(), value.size()) == static_cast<ssize_t>(value.size());
  ::close(fd);
  return ok;
}

void TracefsRecording::stop() {
  if (!dir_.empty() && !saved_.empty()) write(dir_ + "/tracing_on", "0", false);
  for (auto it = saved_.rbegin(); it != saved_.rend(); ++it) {
    if (!write(it->first, it->second, false))
      err_ << who_ << ": could not restore " << it->first << " to '" << it->second << "'\n";
  }
  saved_.clear();
  if (!instance_.empty() && ::rmdir(instance_.c_str()) != 0)
    err_ << who_ << ": could not remove " << instance_ << ": " << std::strerror(errno) << "\n";
  instance_.clear();
  if (!mounted_.empty() && ::umount(mounted_.c_str()) != 0)
    err_ << who_ << ": could not unmount " << mounted_ << ": " << std::strerror(errno) << "\n";
  mounted_.clear();
}

StopSignals::StopSignals() {
  if (g_guards++ > 0) return;
  g_stop = 0;
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  ::sigaction(SIGINT, &sa, &g_old_int);
  ::sigaction(SIGTERM, &sa, &g_old_term);
}

StopSignals::~StopSignals() {
  if (--g_guards > 0) return;
  ::sigaction(SIGINT, &g_old_int, nullptr);
  ::sigaction(SIGTERM, &g_old_term, nullptr);
}

bool StopSignals::requested() {
  return g_stop != 0;
}

#else

std::unique_ptr<TracefsRecording> TracefsRecording::start(const CaptureOptions& o,
                                                          const std::string& who,
                                                          std::ostream& err) {
  err << who << ": recording needs Linux and its tracefs. On a Linux machine, one of:\n"
      << capture_alternatives(o);
  return nullptr;
}
TracefsRecording::~TracefsRecording() = default;
int TracefsRecording::open_pipe() const {
  return -1;
}
bool TracefsRecording::write(const std::string&, const std::string&, bool) {
  return false;
}
void TracefsRecording::stop() {
  (void)err_;
}
StopSignals::StopSignals() = default;
StopSignals::~StopSignals() = default;
bool StopSignals::requested() {
  return false;
}

#endif

}  // namespace wqlab::import

#include "engine/import/capture.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#if defined(__linux__) && !defined(__EMSCRIPTEN__)
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
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

std::string format_seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", s);
  return buf;
}

}  // namespace

std::string capture_alternatives(const CaptureOptions& o) {
  const std::string secs = format_seconds(o.seconds);
  const std::string file = o.output.empty() ? "trace.txt" : o.output;
  std::string sched_tc = o.sched ? " -e sched:sched_switch -e sched:sched_wakeup" : "";
  std::string sched_perf = o.sched ? " -e 'sched:sched_switch' -e 'sched:sched_wakeup'" : "";
  return "  as root:     sudo wqlab capture --seconds " + secs + (o.sched ? " --sched" : "") +
         " -o " + file + "\n  trace-cmd:   sudo trace-cmd record -e workqueue" + sched_tc +
         " sleep " + secs + " && trace-cmd report > " + file +
         "\n  perf:        sudo perf record -e 'workqueue:*'" + sched_perf + " -a -- sleep " +
         secs + " && sudo perf script > " + file + "\n  then:        wqlab open " + file +
         " --summary\n";
}

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

volatile sig_atomic_t g_stop = 0;
extern "C" void on_stop_signal(int) {
  g_stop = 1;
}

// Every change is undone in reverse order by restore(), whatever happens in between.
class Session {
 public:
  Session(std::ostream& err) : err_(err) {}
  ~Session() { restore(); }

  bool write(const std::string& path, const std::string& value, bool remember = true) {
    if (remember) saved_.emplace_back(path, read_text(path));
    const int fd = ::open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (fd < 0) return false;
    const bool ok = ::write(fd, value.data(), value.size()) == static_cast<ssize_t>(value.size());
    ::close(fd);
    return ok;
  }

  void restore() {
    for (auto it = saved_.rbegin(); it != saved_.rend(); ++it) {
      if (!write(it->first, it->second, false))
        err_ << "wqlab capture: could not restore " << it->first << " to '" << it->second << "'\n";
    }
    saved_.clear();
    if (!instance_.empty() && ::rmdir(instance_.c_str()) != 0)
      err_ << "wqlab capture: could not remove " << instance_ << ": " << std::strerror(errno)
           << "\n";
    instance_.clear();
    if (!mounted_.empty() && ::umount(mounted_.c_str()) != 0)
      err_ << "wqlab capture: could not unmount " << mounted_ << ": " << std::strerror(errno)
           << "\n";
    mounted_.clear();
  }

  std::string instance_;  // removed by restore()
  std::string mounted_;   // unmounted by restore()

 private:
  std::ostream& err_;
  std::vector<std::pair<std::string, std::string>> saved_;
};

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

struct SignalGuard {
  struct sigaction old_int {
  }, old_term{};
  SignalGuard() {
    g_stop = 0;
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    ::sigaction(SIGINT, &sa, &old_int);
    ::sigaction(SIGTERM, &sa, &old_term);
  }
  ~SignalGuard() {
    ::sigaction(SIGINT, &old_int, nullptr);
    ::sigaction(SIGTERM, &old_term, nullptr);
  }
};

// Reads trace_pipe until `seconds` pass or a signal asks to stop; then whatever is left.
std::string record(const std::string& dir, double seconds, std::ostream& out) {
  std::string text;
  const int fd = ::open((dir + "/trace_pipe").c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return text;
  out << "recording for " << format_seconds(seconds) << " s (Ctrl+C stops early)..." << std::endl;
  const auto end = std::chrono::steady_clock::now() +
                   std::chrono::microseconds(static_cast<int64_t>(seconds * 1e6));
  char buf[1 << 16];
  auto drain = [&] {
    for (;;) {
      const ssize_t n = ::read(fd, buf, sizeof buf);
      if (n <= 0) return;
      text.append(buf, static_cast<size_t>(n));
    }
  };
  while (!g_stop && std::chrono::steady_clock::now() < end) {
    pollfd p{fd, POLLIN, 0};
    ::poll(&p, 1, 100);
    drain();
  }
  ::close(fd);
  return text;
}

}  // namespace

int run_capture(const CaptureOptions& o, std::ostream& out, std::ostream& err) {
  if (o.output.empty()) {
    err << "wqlab capture: -o FILE is required\n";
    return 2;
  }
  if (!(o.seconds > 0 && o.seconds <= 24 * 3600)) {
    err << "wqlab capture: --seconds must be between 0 and 86400\n";
    return 2;
  }
  if (::geteuid() != 0) {
    err << "wqlab capture: recording kernel tracepoints needs root (tracefs is root-only).\n"
        << "Run it as root, or record with trace-cmd or perf and open the file:\n"
        << capture_alternatives(o);
    return 1;
  }
  Session session(err);
  std::string root = o.tracefs.empty() ? find_tracefs() : o.tracefs;
  if (root.empty()) {
    for (const char* dir : {"/sys/kernel/tracing", "/sys/kernel/debug/tracing"}) {
      if (exists(dir) && ::mount("nodev", dir, "tracefs", 0, nullptr) == 0) {
        root = dir;
        session.mounted_ = dir;
        break;
      }
    }
  }
  if (root.empty() || !exists(root + "/tracing_on")) {
    err << "wqlab capture: no tracefs " << (o.tracefs.empty() ? "mounted" : "at " + o.tracefs)
        << " and it could not be mounted (a kernel without CONFIG_FTRACE, or a container "
           "without it).\nOn a machine with tracefs, one of:\n"
        << capture_alternatives(o);
    return 1;
  }
  if (!exists(root + "/events/workqueue/workqueue_queue_work")) {
    err << "wqlab capture: this kernel has no workqueue tracepoints in " << root
        << "/events/workqueue\n";
    return 1;
  }
  remove_stale_instances(root);
  std::string dir = root + "/instances/wqlab-" + std::to_string(::getpid());
  if (::mkdir(dir.c_str(), 0755) == 0) {
    session.instance_ = dir;
  } else {
    err << "wqlab capture: no tracing instance (" << std::strerror(errno)
        << "); recording in the main buffer and restoring its settings afterwards\n";
    dir = root;
  }
  SignalGuard signals;
  bool ok = session.write(dir + "/tracing_on", "0");
  for (const char* e : kWorkqueueEvents)
    ok = session.write(dir + "/events/workqueue/" + e + "/enable", "1") && ok;
  if (o.sched)
    for (const char* e : kSchedEvents)
      if (exists(dir + "/events/sched/" + e))
        ok = session.write(dir + "/events/sched/" + e + "/enable", "1") && ok;
  ok = session.write(dir + "/tracing_on", "1") && ok;
  if (!ok) {
    err << "wqlab capture: could not enable the tracepoints in " << dir << "\n";
    return 1;
  }
  std::string body = record(dir, o.seconds, out);
  session.write(dir + "/tracing_on", "0", false);
  const bool stopped = g_stop != 0;
  session.restore();
  size_t lines = static_cast<size_t>(std::count(body.begin(), body.end(), '\n'));
  const long cpus = ::sysconf(_SC_NPROCESSORS_CONF);
  std::ofstream f(o.output, std::ios::binary);
  f << "# tracer: nop\n#\n# entries-in-buffer/entries-written: " << lines << "/" << lines
    << "   #P:" << cpus << "\n#\n# recorded by wqlab capture from " << dir << " for "
    << format_seconds(o.seconds) << " s" << (stopped ? " (stopped early)" : "")
    << (o.sched ? ", with scheduler events" : "") << "\n#\n"
    << body;
  f.close();
  if (!f) {
    err << "wqlab capture: cannot write " << o.output << "\n";
    return 2;
  }
  out << "wrote " << lines << " events to " << o.output << (stopped ? " (stopped early)" : "")
      << "; every tracefs setting is back as it was\n";
  return 0;
}

#else

int run_capture(const CaptureOptions& o, std::ostream&, std::ostream& err) {
  err << "wqlab capture: recording needs Linux and its tracefs. On a Linux machine, one of:\n"
      << capture_alternatives(o);
  return 1;
}

#endif

}  // namespace wqlab::import

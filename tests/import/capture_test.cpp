// `wqlab capture`: where tracefs is available (root, a kernel with ftrace) it records for real
// and every tracefs setting is the same before and after, also when SIGTERM stops it; where it
// is not, the one message says what to run instead. Every test runs in either case and prints
// which case it checked.
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "engine/import/capture.h"
#include "engine/import/live_feed.h"
#include "trace_test_util.h"

namespace wqlab::test {
namespace {

using Settings = std::vector<std::pair<std::string, std::string>>;

// A mount namespace of this process's own: tracefs mounts made here are not seen by other test
// processes (other worktrees may run these tests at the same time), nor theirs here. Tracing
// instances stay shared, so each capture's instance is named by its pid.
const bool kPrivateMounts = [] {
  return ::geteuid() == 0 && ::unshare(CLONE_NEWNS) == 0 &&
         ::mount("none", "/", nullptr, MS_REC | MS_PRIVATE, nullptr) == 0;
}();

// The settings with other captures' instances left out (ctest may run two capture tests at once).
Settings settings_now(const std::string& root) {
  Settings s = import::tracefs_settings(root);
  for (auto& [k, v] : s) {
    if (k != "instances/") continue;
    std::istringstream in(v);
    std::string name, kept;
    while (in >> name)
      if (name.rfind("wqlab-", 0) != 0) kept += name + " ";
    v = kept;
  }
  return s;
}

// Why a capture cannot record here, or "" when it can (root, tracefs mounted or mountable, and
// the workqueue tracepoints in it).
std::string why_no_tracefs() {
  if (::geteuid() != 0) return "not root";
  const std::string root = import::find_tracefs();
  if (!root.empty())
    return ::access((root + "/events/workqueue").c_str(), F_OK) == 0 ? ""
                                                                     : "no workqueue tracepoints";
  const std::string dir = "/tmp/wqlab-tracefs-probe-" + std::to_string(::getpid());
  std::filesystem::create_directories(dir);
  std::string why;
  if (::mount("nodev", dir.c_str(), "tracefs", 0, nullptr) != 0) {
    why = "tracefs cannot be mounted";
  } else {
    if (::access((dir + "/events/workqueue").c_str(), F_OK) != 0) why = "no workqueue tracepoints";
    ::umount(dir.c_str());
  }
  std::filesystem::remove(dir);
  return why;
}

// tracefs mounted somewhere for the test to read settings: the system's mount, or one of its own
// (removed when the test ends) when nothing is mounted.
struct TracefsView {
  std::string root, own;
  TracefsView() {
    root = import::find_tracefs();
    if (!root.empty()) return;
    own = "/tmp/wqlab-tracefs-view-" + std::to_string(::getpid());
    std::filesystem::create_directories(own);
    if (::mount("nodev", own.c_str(), "tracefs", 0, nullptr) == 0) root = own;
  }
  ~TracefsView() {
    if (own.empty()) return;
    if (root == own) ::umount(own.c_str());
    std::filesystem::remove(own);
  }
};

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          ("wqlab-capture-" + std::to_string(::getpid()) + "-" + name))
      .string();
}

// Some kernel work while recording: fsync()ed writes go through kblockd and writeback.
void make_kernel_work(std::atomic<bool>& stop, const std::string& path) {
  while (!stop.load()) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) return;
    char buf[4096] = {};
    [[maybe_unused]] ssize_t n = ::write(fd, buf, sizeof buf);
    ::fsync(fd);
    ::close(fd);
  }
  ::unlink(path.c_str());
}

TEST(Capture, RecordsAndRestoresEveryTracefsSetting) {
  const std::string why = why_no_tracefs();
  if (!why.empty()) {
    std::cout << "[case: no tracefs here (" << why << ")] checking the error instead\n";
    import::CaptureOptions o;
    o.seconds = 1;
    o.output = temp_path("none.txt");
    std::ostringstream out, err;
    EXPECT_EQ(import::run_capture(o, out, err), 1);
    EXPECT_NE(err.str().find("trace-cmd record -e workqueue"), std::string::npos) << err.str();
    EXPECT_NE(err.str().find("perf record -e 'workqueue:*'"), std::string::npos);
    EXPECT_FALSE(std::filesystem::exists(o.output));
    return;
  }
  TracefsView view;
  ASSERT_FALSE(view.root.empty());
  const std::string root = view.root;
  std::cout << "[case: tracefs at " << root << "] recording for real ("
            << (kPrivateMounts ? "in a mount namespace of its own" : "in the system's mounts")
            << ")\n";
  const Settings before = settings_now(root);
  import::CaptureOptions o;
  o.seconds = 1;
  o.sched = true;
  o.output = temp_path("trace.txt");
  std::atomic<bool> stop{false};
  std::thread worker(make_kernel_work, std::ref(stop), temp_path("work.bin"));
  std::ostringstream out, err;
  const int rc = import::run_capture(o, out, err);
  stop = true;
  worker.join();
  ASSERT_EQ(rc, 0) << err.str();
  EXPECT_EQ(err.str(), "");
  EXPECT_NE(out.str().find("every tracefs setting is back as it was"), std::string::npos);
  EXPECT_EQ(import::find_tracefs(), root);  // it mounted nothing more
  const Settings after = settings_now(root);
  EXPECT_EQ(after, before);
  EXPECT_GE(before.size(), 16u);  // tracing_on, events' enables, instances, ...
  EXPECT_FALSE(std::filesystem::exists(root + "/instances/wqlab-" + std::to_string(::getpid())));
  // What it wrote opens: the header says the CPU count, the body has workqueue events.
  auto t = open_file(o.output);
  EXPECT_EQ(t.trace.report.format, import::TraceFormat::Ftrace);
  EXPECT_EQ(t.trace.nr_cpus, static_cast<int>(::sysconf(_SC_NPROCESSORS_CONF)));
  EXPECT_EQ(t.trace.report.malformed, 0u) << import::problems_text(t.trace);
  uint64_t queued = 0;
  for (auto& w : t.machine.workqueues) queued += w.queued;
  EXPECT_GT(queued, 0u) << "fsync()ed writes queue kblockd and writeback items";
  EXPECT_TRUE(t.machine.has_sched);
  std::filesystem::remove(o.output);
}

// The app's live view (--live) reads trace_pipe of an instance of its own; stopping the feed
// restores every setting, as a capture does.
TEST(Capture, LiveFeedReadsTracePipeAndRestoresEverySetting) {
  const std::string why = why_no_tracefs();
  import::CaptureOptions o;
  o.sched = true;
  std::ostringstream err;
  if (!why.empty()) {
    std::cout << "[case: no tracefs here (" << why << ")] checking the error instead\n";
    EXPECT_EQ(import::LiveFeed::open_tracefs(o, err), nullptr);
    EXPECT_NE(err.str().find("wqlab --live"), std::string::npos) << err.str();
    EXPECT_NE(err.str().find("trace-cmd stream -e workqueue"), std::string::npos) << err.str();
    EXPECT_NE(err.str().find("wqlab --live-from -"), std::string::npos) << err.str();
    return;
  }
  TracefsView view;
  const std::string root = view.root;
  std::cout << "[case: tracefs at " << root << "] reading trace_pipe live\n";
  const Settings before = settings_now(root);
  std::unique_ptr<import::LiveFeed> feed = import::LiveFeed::open_tracefs(o, err);
  ASSERT_NE(feed, nullptr) << err.str();
  EXPECT_TRUE(std::filesystem::exists(root + "/instances/wqlab-" + std::to_string(::getpid())));
  std::atomic<bool> stop{false};
  std::thread worker(make_kernel_work, std::ref(stop), temp_path("live.bin"));
  const bool came = feed->wait_for_lines(20, std::chrono::seconds(30));
  stop = true;
  worker.join();
  feed->stop();
  EXPECT_TRUE(came) << "fsync()ed writes queue kblockd and writeback items";
  EXPECT_EQ(feed->progress().end_reason, "stopped");
  EXPECT_EQ(settings_now(root), before);
  auto t = open_text(feed->text(), "live");
  EXPECT_EQ(t.trace.nr_cpus, static_cast<int>(::sysconf(_SC_NPROCESSORS_CONF)));
  EXPECT_GT(t.trace.report.records, 0u);
}

TEST(Capture, SigtermStopsItAndEverySettingIsRestored) {
  const std::string why = why_no_tracefs();
  if (!why.empty()) {
    std::cout << "[case: no tracefs here (" << why << ")] it refuses at once, nothing to stop\n";
    import::CaptureOptions o;
    o.seconds = 60;
    o.output = temp_path("refused.txt");
    std::ostringstream out, err;
    EXPECT_EQ(import::run_capture(o, out, err), 1);
    EXPECT_EQ(out.str().find("recording"), std::string::npos);
    return;
  }
  TracefsView view;
  const std::string root = view.root;
  std::cout << "[case: tracefs at " << root << "] SIGTERM during a 60 s capture\n";
  const Settings before = settings_now(root);
  const std::string file = temp_path("sigterm.txt");
  int pipefd[2];
  ASSERT_EQ(::pipe(pipefd), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::dup2(pipefd[1], 1);
    ::close(pipefd[0]);
    ::execl(WQLAB_TRACE_CLI, WQLAB_TRACE_CLI, "capture", "--seconds", "60", "-o", file.c_str(),
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(pipefd[1]);
  // It says "recording" once the tracepoints are on: stop it then.
  std::string said;
  char c;
  while (said.find("recording") == std::string::npos && ::read(pipefd[0], &c, 1) == 1) said += c;
  ASSERT_NE(said.find("recording"), std::string::npos) << said;
  EXPECT_TRUE(std::filesystem::exists(root + "/instances/wqlab-" + std::to_string(child)));
  ::kill(child, SIGTERM);
  while (::read(pipefd[0], &c, 1) == 1) said += c;
  ::close(pipefd[0]);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status)) << "killed by the signal instead of stopping cleanly";
  EXPECT_EQ(WEXITSTATUS(status), 0) << said;
  EXPECT_NE(said.find("(stopped early)"), std::string::npos) << said;
  EXPECT_EQ(settings_now(root), before);
  EXPECT_FALSE(std::filesystem::exists(root + "/instances/wqlab-" + std::to_string(child)));
  EXPECT_NE(read_file(file).find("stopped early"), std::string::npos);
  std::filesystem::remove(file);
}

TEST(Capture, MountsTracefsOnlyWhenNoneIsMountedAndUnmountsIt) {
  const std::string why = why_no_tracefs();
  import::CaptureOptions o;
  o.seconds = 0.2;
  o.output = temp_path("mounted.txt");
  std::ostringstream out, err;
  if (!why.empty()) {
    std::cout << "[case: no tracefs here (" << why << ")] nothing to mount: it says so\n";
    EXPECT_EQ(import::run_capture(o, out, err), 1);
    EXPECT_NE(err.str().find("trace-cmd record"), std::string::npos) << err.str();
    return;
  }
  const std::string mounted = import::find_tracefs();
  std::cout << "[case: "
            << (mounted.empty() ? "no tracefs mounted: the capture mounts it itself"
                                : "tracefs mounted at " + mounted + ": the capture uses it")
            << "]\n";
  ASSERT_EQ(import::run_capture(o, out, err), 0) << err.str();
  EXPECT_EQ(import::find_tracefs(), mounted);  // as it was: unmounted again, or still there
  EXPECT_EQ(open_file(o.output).trace.report.malformed, 0u);
  EXPECT_NE(read_file(o.output).find(mounted.empty() ? "/sys/kernel/tracing/instances/wqlab-"
                                                     : mounted + "/instances/wqlab-"),
            std::string::npos);
  std::filesystem::remove(o.output);
}

TEST(Capture, WithoutRootItSaysWhatToRunInstead) {
  // In a child that gave up root (as nobody), so the check sees a real non-root user.
  int pipefd[2];
  ASSERT_EQ(::pipe(pipefd), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(pipefd[0]);
    if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) ::_exit(126);
    import::CaptureOptions o;
    o.seconds = 3;
    o.sched = true;
    o.output = "/tmp/never-written.txt";
    std::ostringstream out, err;
    const int rc = import::run_capture(o, out, err);
    const std::string text = err.str();
    [[maybe_unused]] ssize_t n = ::write(pipefd[1], text.data(), text.size());
    ::_exit(rc);
  }
  ::close(pipefd[1]);
  std::string said;
  char c;
  while (::read(pipefd[0], &c, 1) == 1) said += c;
  ::close(pipefd[0]);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_NE(WEXITSTATUS(status), 126) << "could not become nobody";
  std::cout << "[case: run as uid " << (::geteuid() == 0 ? "65534 (nobody)" : "of this user")
            << "]\n";
  EXPECT_EQ(WEXITSTATUS(status), 1);
  EXPECT_NE(said.find("needs root"), std::string::npos) << said;
  EXPECT_NE(said.find("sudo wqlab capture --seconds 3 --sched -o /tmp/never-written.txt"),
            std::string::npos)
      << said;
  EXPECT_NE(said.find("sudo trace-cmd record -e workqueue -e sched:sched_switch"),
            std::string::npos);
  EXPECT_NE(said.find("sudo perf record -e 'workqueue:*'"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists("/tmp/never-written.txt"));
}

TEST(Capture, NoTracefsWhereItWasToldToLook) {
  const std::string empty = temp_path("empty-dir");
  std::filesystem::create_directories(empty);
  import::CaptureOptions o;
  o.seconds = 1;
  o.tracefs = empty;
  o.output = temp_path("never.txt");
  std::ostringstream out, err;
  EXPECT_EQ(import::run_capture(o, out, err), 1);
  std::cout << "[case: " << (::geteuid() == 0 ? "root" : "not root: the root check answers")
            << "]\n";
  EXPECT_NE(err.str().find(::geteuid() == 0 ? "no tracefs at " + empty : "needs root"),
            std::string::npos)
      << err.str();
  EXPECT_NE(err.str().find("trace-cmd record"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(o.output));
  std::filesystem::remove(empty);
}

TEST(Capture, BadOptionsAreRefused) {
  import::CaptureOptions o;
  std::ostringstream out, err;
  EXPECT_EQ(import::run_capture(o, out, err), 2);
  EXPECT_NE(err.str().find("-o FILE is required"), std::string::npos);
  o.output = "x.txt";
  o.seconds = -1;
  EXPECT_EQ(import::run_capture(o, out, err), 2);
  EXPECT_NE(err.str().find("--seconds must be"), std::string::npos);
}

}  // namespace
}  // namespace wqlab::test

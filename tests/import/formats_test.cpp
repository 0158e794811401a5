// Synthesized variants of each format, made from the shared ftrace capture by rewriting every
// line the way the other tools print it: each must give the same machine as the original.
#include <algorithm>
#include <cstdio>
#include <map>
#include <vector>

#include "trace_test_util.h"

namespace wqlab::test {
namespace {

struct Line {
  std::string comm, flags, ts, event, body;
  int pid = 0, cpu = 0;
};

// The capture's lines split by hand ("%16s-%-7d [%03d] %s %s: %s: %s"), not by the importer.
std::vector<Line> capture_lines() {
  static const std::vector<Line> lines = [] {
    std::vector<Line> out;
    std::istringstream in(read_file(writeback_path()));
    std::string s;
    while (std::getline(in, s)) {
      if (s.empty() || s[0] == '#') continue;
      const size_t close = s.find("] "), open = s.rfind('[', close);
      std::string left = s.substr(0, open);
      left = left.substr(left.find_first_not_of(' '));
      left = left.substr(0, left.find_last_not_of(' ') + 1);
      const size_t dash = left.rfind('-');
      std::istringstream rest(s.substr(close + 2));
      Line l;
      l.comm = left.substr(0, dash);
      l.pid = std::stoi(left.substr(dash + 1));
      l.cpu = std::stoi(s.substr(open + 1, close - open - 1));
      rest >> l.flags >> l.ts >> l.event;
      l.ts.pop_back();     // "8393.189180:"
      l.event.pop_back();  // "sched_switch:"
      std::getline(rest, l.body);
      l.body = l.body.substr(std::min(l.body.size(), l.body.find_first_not_of(' ')));
      while (!l.body.empty() && l.body.back() == ' ') l.body.pop_back();
      out.push_back(l);
    }
    return out;
  }();
  return lines;
}

std::string field(const std::string& body, const std::string& key) {
  const size_t k = body.find(key);
  if (k == std::string::npos) return "";
  const size_t from = k + key.size();
  return body.substr(from, body.find(' ', from) - from);
}

std::string fmt(const char* f, auto... args) {
  char buf[512];
  std::snprintf(buf, sizeof buf, f, args...);
  return buf;
}

// The plugin form trace-cmd and perf print: "bash:17289 [120] R ==> cc1plus:17188 [120]".
std::string plugin_body(const Line& l) {
  if (l.event == "sched_switch")
    return field(l.body, "prev_comm=") + ":" + field(l.body, "prev_pid=") + " [" +
           field(l.body, "prev_prio=") + "] " + field(l.body, "prev_state=") + " ==> " +
           field(l.body, "next_comm=") + ":" + field(l.body, "next_pid=") + " [" +
           field(l.body, "next_prio=") + "]";
  if (l.event == "sched_wakeup")
    return field(l.body, "comm=") + ":" + field(l.body, " pid=") + " [" + field(l.body, "prio=") +
           "] CPU:" + field(l.body, "target_cpu=");
  return l.body;
}

// The facts reconstruct_test.cpp checks on the original, for any variant of it.
void expect_writeback_facts(const import::OpenedTrace& o, bool pointer_wqs = false) {
  const import::TraceMachine& m = o.machine;
  EXPECT_EQ(m.nr_cpus, 2);
  EXPECT_EQ(pool_name_of(m, 46), "cpu0H");
  EXPECT_EQ(pool_name_of(m, 6155), "cpu0");
  EXPECT_EQ(pool_name_of(m, 56), "cpu1H");
  EXPECT_EQ(pool_name_of(m, 17113), "cpu1");
  EXPECT_EQ(pool_name_of(m, 12), "u8");
  EXPECT_EQ(pool_name_of(m, 35), "u8");
  std::vector<uint64_t> queued;
  for (auto& w : m.workqueues) queued.push_back(w.queued);
  std::sort(queued.begin(), queued.end());
  EXPECT_EQ(queued, (std::vector<uint64_t>{1, 6, 22, 27, 50, 53, 99}));
  if (!pointer_wqs) {
    ASSERT_NE(wq(m, "kblockd"), nullptr);
    EXPECT_EQ(wq(m, "kblockd")->queued, 99u);
    EXPECT_EQ(wq(m, "ext4-rsv-conversion")->waited_inactive, 19u);
  }
  const import::TraceItem* it = item(m, 0x986ed0a7ull, 8393'200625'000);
  ASSERT_NE(it, nullptr);
  EXPECT_EQ(it->latency(), 9'000);
  EXPECT_EQ(it->run_time(), 11'000);
  EXPECT_EQ(o.trace.names.get(it->function), "virtio_transport_tx_work");
}

TEST(Formats, TracePipeWithoutHeader) {
  std::string text;
  for (const Line& l : capture_lines())
    text += fmt("%16s-%-7d [%03d] %s %s: %s: %s\n", l.comm.c_str(), l.pid, l.cpu, l.flags.c_str(),
                l.ts.c_str(), l.event.c_str(), l.body.c_str());
  auto o = open_text(text);
  EXPECT_EQ(o.trace.report.format, import::TraceFormat::TracePipe);
  EXPECT_EQ(o.trace.nr_cpus, 0);
  EXPECT_EQ(o.trace.report.records, 4371u);
  expect_writeback_facts(o);
}

TEST(Formats, RecordTgidColumn) {
  std::string text = "# tracer: nop\n#\n# entries-in-buffer/entries-written: 4371/4371   #P:2\n";
  for (const Line& l : capture_lines()) {
    const std::string tgid = l.pid == 0 ? "-------" : std::to_string(l.pid);
    text += fmt("%16s-%-7d (%7s) [%03d] %s %s: %s: %s\n", l.comm.c_str(), l.pid, tgid.c_str(),
                l.cpu, l.flags.c_str(), l.ts.c_str(), l.event.c_str(), l.body.c_str());
  }
  auto o = open_text(text);
  EXPECT_EQ(o.trace.report.format, import::TraceFormat::Ftrace);
  EXPECT_EQ(o.trace.report.malformed, 0u);
  expect_writeback_facts(o);
}

TEST(Formats, WithoutIrqInfoColumn) {
  std::string text;
  for (const Line& l : capture_lines())
    text += fmt("%16s-%-7d [%03d] %s: %s: %s\n", l.comm.c_str(), l.pid, l.cpu, l.ts.c_str(),
                l.event.c_str(), l.body.c_str());
  auto o = open_text(text);
  EXPECT_EQ(o.trace.report.malformed, 0u);
  expect_writeback_facts(o);
  // Without the flags column nothing says an item was queued from an interrupt.
  EXPECT_FALSE(item(o.machine, 0x986ed0a7ull, 8393'200625'000)->from_irq);
}

TEST(Formats, TraceCmdReport) {
  std::string text = "cpus=2\n";
  for (const Line& l : capture_lines())
    text += fmt("%16s-%-5d [%03d] %s: %-22s %s\n", l.comm.c_str(), l.pid, l.cpu, l.ts.c_str(),
                (l.event + ":").c_str(), plugin_body(l).c_str());
  auto o = open_text(text);
  EXPECT_EQ(o.trace.report.format, import::TraceFormat::TraceCmd);
  EXPECT_EQ(o.trace.nr_cpus, 2);
  EXPECT_EQ(o.trace.report.malformed, 0u);
  EXPECT_TRUE(o.machine.has_sched);
  expect_writeback_facts(o);
  // The sched plugin's short form still tells the kworker's sleeps apart.
  const import::TraceItem* first = item(o.machine, 0xb3b4b059ull, 8393'931862'000);
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->blocked, 2);
}

TEST(Formats, PerfScriptWithSchedPlugin) {
  std::string text;
  for (const Line& l : capture_lines())
    text += fmt("%16s %6d [%03d] %s: %s:%s: %s\n", l.comm.c_str(), l.pid, l.cpu, l.ts.c_str(),
                l.event.rfind("sched", 0) == 0 ? "sched" : "workqueue", l.event.c_str(),
                plugin_body(l).c_str());
  auto o = open_text(text);
  EXPECT_EQ(o.trace.report.format, import::TraceFormat::PerfScript);
  EXPECT_EQ(o.trace.report.malformed, 0u);
  expect_writeback_facts(o);
}

// Kernels before 3.19 printed the workqueue as a pointer, activate_work and execute_end without
// the function, and req_cpu/cpu with %u.
TEST(Formats, OldKernelPointerWorkqueue) {
  std::map<std::string, std::string> pointer;
  std::string text;
  for (const Line& l : capture_lines()) {
    std::string body = l.body;
    if (l.event == "workqueue_queue_work") {
      const std::string name = field(l.body, "workqueue=");
      auto [it, fresh] = pointer.try_emplace(name, fmt("ffff88003a4%05zx", pointer.size() * 64));
      const int cpu = std::stoi(field(l.body, " cpu="));
      body = "work struct=" + field(l.body, "struct=") + " function=" + field(l.body, "function=") +
             " workqueue=" + it->second + " req_cpu=" + field(l.body, "req_cpu=") +
             " cpu=" + (cpu < 0 ? std::string("4294967295") : std::to_string(cpu));
    } else if (l.event == "workqueue_activate_work" || l.event == "workqueue_execute_end") {
      body = "work struct " + field(l.body, "work struct ");
      if (body.back() == ':') body.pop_back();
    }
    text += fmt("%16s-%-7d [%03d] %s %s: %s: %s\n", l.comm.c_str(), l.pid, l.cpu, l.flags.c_str(),
                l.ts.c_str(), l.event.c_str(), body.c_str());
  }
  auto o = open_text(text);
  EXPECT_EQ(o.trace.report.malformed, 0u);
  expect_writeback_facts(o, true);
  const int32_t kblockd = o.machine.workqueue_index("wq@" + pointer["kblockd"]);
  ASSERT_GE(kblockd, 0);
  EXPECT_EQ(o.machine.workqueues[static_cast<size_t>(kblockd)].queued, 99u);
  EXPECT_EQ(o.machine.workqueues[static_cast<size_t>(kblockd)].highpri, import::Tri::Yes);
  const int32_t wb = o.machine.workqueue_index("wq@" + pointer["writeback"]);
  EXPECT_EQ(o.machine.workqueues[static_cast<size_t>(wb)].unbound, import::Tri::Yes);
}

// What `cat trace` does when the ring is written while it is read: some lines twice, and the
// CPUs' streams interleaved out of time order (each CPU's own order kept).
TEST(Formats, DuplicatedLinesAndInterleavedCpus) {
  std::vector<std::string> cpu0, cpu1;
  for (const Line& l : capture_lines()) {
    std::string s = fmt("%16s-%-7d [%03d] %s %s: %s: %s\n", l.comm.c_str(), l.pid, l.cpu,
                        l.flags.c_str(), l.ts.c_str(), l.event.c_str(), l.body.c_str());
    (l.cpu == 0 ? cpu0 : cpu1).push_back(s);
  }
  std::string text = "# tracer: nop\n#\n# entries-in-buffer/entries-written: 4371/4371   #P:2\n";
  size_t dups = 0;
  for (size_t i = 0, j = 0; i < cpu0.size() || j < cpu1.size();) {
    // Blocks of 7 lines of CPU 0, then 5 of CPU 1: timestamps go back and forth.
    for (int k = 0; k < 7 && i < cpu0.size(); ++k) text += cpu0[i++];
    for (int k = 0; k < 5 && j < cpu1.size(); ++k) {
      text += cpu1[j];
      if (j % 97 == 0) text += cpu1[j], ++dups;
      ++j;
    }
  }
  auto o = open_text(text);
  EXPECT_EQ(o.trace.report.duplicates, dups);
  EXPECT_EQ(o.trace.report.records, 4371u);
  EXPECT_GT(dups, 10u);
  expect_writeback_facts(o);
}

}  // namespace
}  // namespace wqlab::test

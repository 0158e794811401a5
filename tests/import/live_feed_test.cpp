// LiveFeed: a trace read as it is written (the app's --live and --live-from). Only complete
// lines are handed on; a pipe ends when its writer closes, a FIFO waits for its writer, a file
// is followed as it grows; the cap and stop() end it and say why. The waits below wait for the
// reader thread's condition (bounded by a timeout), not for time to pass.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "engine/import/live_feed.h"
#include "trace_test_util.h"

namespace wqlab::test {
namespace {

using namespace std::chrono_literals;
constexpr auto kTimeout = 30s;

struct Pipe {
  int read = -1, write = -1;
  Pipe() {
    int fds[2];
    EXPECT_EQ(::pipe2(fds, O_CLOEXEC), 0);
    read = fds[0];
    write = fds[1];
  }
  ~Pipe() { close_write(); }
  void put(std::string_view s) const {
    size_t done = 0;
    while (done < s.size()) {
      const ssize_t n = ::write(write, s.data() + done, s.size() - done);
      ASSERT_GT(n, 0);
      done += static_cast<size_t>(n);
    }
  }
  void close_write() {
    if (write >= 0) ::close(write);
    write = -1;
  }
};

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          ("wqlab-live-" + std::to_string(::getpid()) + "-" + name))
      .string();
}

size_t count_lines(std::string_view s) {
  return static_cast<size_t>(std::count(s.begin(), s.end(), '\n'));
}

TEST(LiveFeed, HandsOnOnlyCompleteLines) {
  Pipe p;
  import::LiveFeed feed(p.read, "pipe", "# header\n");
  p.put("first line\nsecond ha");
  ASSERT_TRUE(feed.wait_for_lines(1, kTimeout));
  EXPECT_EQ(feed.text(), "# header\nfirst line\n");
  EXPECT_EQ(feed.progress().lines, 1u);
  p.put("lf\n");
  ASSERT_TRUE(feed.wait_for_lines(2, kTimeout));
  EXPECT_EQ(feed.text(), "# header\nfirst line\nsecond half\n");
  EXPECT_EQ(feed.progress().bytes, feed.text().size());
  EXPECT_FALSE(feed.progress().ended);
}

// The writeback capture written in three pieces cut mid-line: each snapshot imports what has
// fully come, and once the writer closes the feed holds the file exactly.
TEST(LiveFeed, ACaptureWrittenInPiecesEndsAsTheFileItself) {
  const std::string file = read_file(writeback_path());
  const size_t cut1 = file.size() / 5 + 17, cut2 = file.size() / 2 + 3;
  ASSERT_NE(file[cut1 - 1], '\n');
  Pipe p;
  import::LiveFeed feed(p.read, "pipe");
  p.put(std::string_view(file).substr(0, cut1));
  const size_t first_lines = count_lines(std::string_view(file).substr(0, cut1));
  ASSERT_TRUE(feed.wait_for_lines(first_lines, kTimeout));
  const std::string first = feed.text();
  EXPECT_EQ(first, file.substr(0, file.rfind('\n', cut1) + 1));
  const size_t first_records = open_text(first).trace.report.records;
  EXPECT_GT(first_records, 100u);

  p.put(std::string_view(file).substr(cut1, cut2 - cut1));
  ASSERT_TRUE(feed.wait_for_lines(count_lines(std::string_view(file).substr(0, cut2)), kTimeout));
  const size_t second_records = open_text(feed.text()).trace.report.records;
  EXPECT_GT(second_records, first_records);

  p.put(std::string_view(file).substr(cut2));
  p.close_write();
  ASSERT_TRUE(feed.wait_for_lines(SIZE_MAX, kTimeout));
  const import::LiveFeed::Progress end = feed.progress();
  EXPECT_TRUE(end.ended);
  EXPECT_EQ(end.end_reason, "the source closed");
  EXPECT_EQ(feed.text(), file);
  EXPECT_EQ(end.lines, count_lines(file));
  const auto whole = open_text(feed.text());
  EXPECT_EQ(whole.trace.report.records, open_file(writeback_path()).trace.report.records);
  EXPECT_GT(whole.trace.report.records, second_records);
}

TEST(LiveFeed, ALastLineWithoutItsNewlineIsKeptWhenTheWriterCloses) {
  Pipe p;
  import::LiveFeed feed(p.read, "pipe");
  p.put("one\ntwo");
  p.close_write();
  ASSERT_TRUE(feed.wait_for_lines(SIZE_MAX, kTimeout));
  EXPECT_EQ(feed.text(), "one\ntwo\n");
  EXPECT_EQ(feed.progress().lines, 2u);
}

TEST(LiveFeed, AFileIsFollowedAsItGrows) {
  const std::string path = temp_path("grows.txt");
  std::ofstream(path) << "a\nb\n";
  std::string error;
  std::unique_ptr<import::LiveFeed> feed = import::LiveFeed::open_path(path, &error);
  ASSERT_NE(feed, nullptr) << error;
  ASSERT_TRUE(feed->wait_for_lines(2, kTimeout));
  ASSERT_TRUE(feed->wait_caught_up(kTimeout));
  EXPECT_FALSE(feed->progress().ended) << "a file may still grow";
  std::ofstream(path, std::ios::app) << "c\nd";
  ASSERT_TRUE(feed->wait_for_lines(3, kTimeout));
  EXPECT_EQ(feed->text(), "a\nb\nc\n");
  std::ofstream(path, std::ios::app) << "\n";
  ASSERT_TRUE(feed->wait_for_lines(4, kTimeout));
  EXPECT_EQ(feed->text(), "a\nb\nc\nd\n");
  feed->stop();
  EXPECT_EQ(feed->progress().end_reason, "stopped");
  std::filesystem::remove(path);
}

TEST(LiveFeed, AFifoWaitsForItsWriterAndEndsWhenItCloses) {
  const std::string path = temp_path("fifo");
  ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
  std::string error;
  std::unique_ptr<import::LiveFeed> feed = import::LiveFeed::open_path(path, &error);
  ASSERT_NE(feed, nullptr) << error;
  ASSERT_TRUE(feed->wait_caught_up(kTimeout));
  EXPECT_FALSE(feed->progress().ended) << "no writer yet is not the end";
  const int w = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  ASSERT_GE(w, 0);
  ASSERT_EQ(::write(w, "x\ny\n", 4), 4);
  ASSERT_TRUE(feed->wait_for_lines(2, kTimeout));
  ::close(w);
  ASSERT_TRUE(feed->wait_for_lines(SIZE_MAX, kTimeout));
  EXPECT_EQ(feed->progress().end_reason, "the source closed");
  EXPECT_EQ(feed->text(), "x\ny\n");
  std::filesystem::remove(path);
}

TEST(LiveFeed, StopsAtItsCapAndSaysSo) {
  Pipe p;
  // All in the pipe before the feed reads: once full, it closes its end, and a write after
  // that would raise SIGPIPE.
  for (int i = 0; i < 10; ++i) p.put("0123456789abcdef\n");
  import::LiveFeed feed(p.read, "pipe", "", nullptr, 64);
  ASSERT_TRUE(feed.wait_for_lines(SIZE_MAX, kTimeout));
  const import::LiveFeed::Progress end = feed.progress();
  EXPECT_TRUE(end.ended);
  EXPECT_NE(end.end_reason.find("holds at most"), std::string::npos) << end.end_reason;
  EXPECT_EQ(feed.text(), "0123456789abcdef\n0123456789abcdef\n0123456789abcdef\n")
      << "the lines that fit under the cap";
}

TEST(LiveFeed, StopClosesTheSource) {
  ::signal(SIGPIPE, SIG_IGN);
  Pipe p;
  import::LiveFeed feed(p.read, "pipe");
  p.put("one\n");
  ASSERT_TRUE(feed.wait_for_lines(1, kTimeout));
  feed.stop();
  EXPECT_EQ(feed.progress().end_reason, "stopped");
  EXPECT_EQ(::write(p.write, "two\n", 4), -1) << "the read end is closed";
  EXPECT_EQ(errno, EPIPE);
  EXPECT_EQ(feed.text(), "one\n");
}

TEST(LiveFeed, APathThatCannotBeReadIsNamed) {
  std::string error;
  EXPECT_EQ(import::LiveFeed::open_path("/nonexistent/trace_pipe", &error), nullptr);
  EXPECT_EQ(error, "/nonexistent/trace_pipe: No such file or directory");
  const std::string dir = temp_path("dir");
  std::filesystem::create_directories(dir);
  EXPECT_EQ(import::LiveFeed::open_path(dir, &error), nullptr);
  EXPECT_EQ(error, dir + ": is a directory");
  std::filesystem::remove(dir);
}

}  // namespace
}  // namespace wqlab::test

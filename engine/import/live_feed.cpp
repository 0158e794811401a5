#include "engine/import/live_feed.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "engine/import/tracefs_recording.h"

#if defined(__linux__) && !defined(__EMSCRIPTEN__)
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>
#define WQLAB_HAVE_LIVE 1
#endif

namespace wqlab::import {

namespace {

[[maybe_unused]] std::string mib(size_t bytes) {
  return std::to_string(bytes >> 20) + " MiB";
}

}  // namespace

#ifdef WQLAB_HAVE_LIVE

LiveFeed::LiveFeed(int fd, std::string origin, std::string header,
                   std::unique_ptr<TracefsRecording> tracefs, size_t max_bytes)
    : origin_(std::move(origin)), max_bytes_(max_bytes), fd_(fd), tracefs_(std::move(tracefs)) {
  text_ = std::move(header);
  header_bytes_ = text_.size();
  progress_.bytes = text_.size();
  struct stat st;
  regular_file_ = ::fstat(fd_, &st) == 0 && S_ISREG(st.st_mode);
  ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) | O_NONBLOCK);
  if (::pipe2(wake_, O_CLOEXEC | O_NONBLOCK) != 0) wake_[0] = wake_[1] = -1;
  reader_ = std::thread([this] { read_loop(); });
}

LiveFeed::~LiveFeed() {
  stop();
  if (reader_.joinable()) reader_.join();
  for (int fd : wake_)
    if (fd >= 0) ::close(fd);
}

std::unique_ptr<LiveFeed> LiveFeed::open_path(const std::string& path, std::string* error) {
  if (path == "-") {
    if (::isatty(0)) {
      *error =
          "standard input is a terminal: pipe a trace into it (sudo trace-cmd stream -e "
          "workqueue | wqlab --live-from -)";
      return nullptr;
    }
    const int fd = ::fcntl(0, F_DUPFD_CLOEXEC, 0);
    if (fd < 0) {
      *error = std::string("standard input: ") + std::strerror(errno);
      return nullptr;
    }
    return std::make_unique<LiveFeed>(fd, "standard input");
  }
  // Non-blocking, so that a FIFO with no writer yet does not hold up the caller.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    *error = path + ": " + std::strerror(errno);
    return nullptr;
  }
  struct stat st;
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    *error = path + ": is a directory";
    return nullptr;
  }
  return std::make_unique<LiveFeed>(fd, path);
}

std::unique_ptr<LiveFeed> LiveFeed::open_tracefs(const CaptureOptions& o, std::ostream& err) {
  CaptureOptions live = o;
  live.live = true;
  std::unique_ptr<TracefsRecording> tracefs = TracefsRecording::start(live, "wqlab --live", err);
  if (!tracefs) return nullptr;
  const int fd = tracefs->open_pipe();
  if (fd < 0) {
    err << "wqlab --live: cannot read " << tracefs->dir() << "/trace_pipe: " << std::strerror(errno)
        << "\n";
    return nullptr;
  }
  // trace_pipe prints no header; the importer learns the CPU count from this line.
  const long cpus = ::sysconf(_SC_NPROCESSORS_CONF);
  std::string header =
      "# tracer: nop\n#\n# entries-in-buffer/entries-written: 0/0   #P:" + std::to_string(cpus) +
      "\n#\n# live from " + tracefs->dir() + "/trace_pipe (wqlab --live)\n#\n";
  const std::string origin = tracefs->dir() + "/trace_pipe";
  return std::make_unique<LiveFeed>(fd, origin, std::move(header), std::move(tracefs));
}

void LiveFeed::read_loop() {
  char buf[1 << 16];
  bool got_any = false;
  for (;;) {
    const ssize_t n = ::read(fd_, buf, sizeof buf);
    if (n > 0) {
      got_any = true;
      if (!take(buf, static_cast<size_t>(n))) {
        finish("the live view holds at most " + mib(max_bytes_) + " of trace; reading stopped");
        return;
      }
      continue;
    }
    if (n < 0 && errno != EAGAIN && errno != EINTR) {
      finish(std::string("reading stopped: ") + std::strerror(errno));
      return;
    }
    // A pipe whose writer has closed (after it wrote something) is done; a file may still grow,
    // and a FIFO may not have a writer yet.
    const bool closed = n == 0 && !regular_file_ && got_any;
    if (closed) {
      finish("the source closed");
      return;
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (progress_.ended) return;
      progress_.caught_up = true;
    }
    changed_.notify_all();
    // Readable data, or stop(); a file (and a FIFO without a writer, which polls as hung up)
    // is looked at again after a short while.
    pollfd p[2] = {{fd_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
    const bool wait_on_fd = !regular_file_ && !(n == 0 && !got_any);
    if (wait_on_fd) {
      ::poll(p, 2, -1);
    } else {
      ::poll(p + 1, 1, 100);
    }
    if (p[1].revents != 0) return;  // stop() has finished the feed
  }
}

bool LiveFeed::take(const char* data, size_t n) {
  partial_.append(data, n);
  // Whole lines only, and only as many as fit under the cap.
  const size_t room = max_bytes_ - (text_.size() - header_bytes_);
  size_t cut = partial_.rfind('\n');
  cut = cut == std::string::npos ? 0 : cut + 1;
  bool full = false;
  if (cut > room) {
    const size_t fits = room == 0 ? std::string::npos : partial_.rfind('\n', room - 1);
    cut = fits == std::string::npos ? 0 : fits + 1;
    full = true;
  }
  if (cut > 0) {
    const size_t lines =
        static_cast<size_t>(std::count(partial_.begin(), partial_.begin() + cut, '\n'));
    {
      std::lock_guard<std::mutex> lock(mu_);
      text_.append(partial_, 0, cut);
      progress_.lines += lines;
      progress_.bytes = text_.size();
      progress_.caught_up = false;
    }
    partial_.erase(0, cut);
    changed_.notify_all();
  }
  // A line longer than the room left cannot come in either.
  return !full && partial_.size() <= max_bytes_ - (text_.size() - header_bytes_);
}

void LiveFeed::finish(std::string reason) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (progress_.ended) return;
    // A last line without its newline (the writer stopped mid-line) is kept as it is; the
    // importer reports it if it is cut short.
    if (!partial_.empty() && reason == "the source closed") {
      text_ += partial_;
      text_ += '\n';
      ++progress_.lines;
      progress_.bytes = text_.size();
    }
    progress_.ended = true;
    progress_.caught_up = true;
    progress_.end_reason = std::move(reason);
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  if (tracefs_) tracefs_->stop();
  changed_.notify_all();
}

void LiveFeed::stop() {
  bool ended;
  {
    std::lock_guard<std::mutex> lock(mu_);
    ended = progress_.ended;
  }
  if (ended) return;
  if (wake_[1] >= 0) {
    const char c = 1;
    [[maybe_unused]] ssize_t w = ::write(wake_[1], &c, 1);
  }
  if (reader_.joinable()) reader_.join();
  finish("stopped");
}

#else

LiveFeed::LiveFeed(int, std::string origin, std::string, std::unique_ptr<TracefsRecording>,
                   size_t max_bytes)
    : origin_(std::move(origin)), max_bytes_(max_bytes), fd_(-1) {
  (void)max_bytes_, (void)fd_, (void)wake_, (void)regular_file_, (void)header_bytes_;
  progress_.ended = true;
  progress_.end_reason = "live traces need the Linux desktop";
}
LiveFeed::~LiveFeed() = default;
std::unique_ptr<LiveFeed> LiveFeed::open_path(const std::string&, std::string* error) {
  *error = "live traces need the Linux desktop";
  return nullptr;
}
std::unique_ptr<LiveFeed> LiveFeed::open_tracefs(const CaptureOptions&, std::ostream& err) {
  err << "wqlab --live: live traces need the Linux desktop\n";
  return nullptr;
}
void LiveFeed::read_loop() {}
bool LiveFeed::take(const char*, size_t) {
  return false;
}
void LiveFeed::finish(std::string) {}
void LiveFeed::stop() {}

#endif

LiveFeed::Progress LiveFeed::progress() const {
  std::lock_guard<std::mutex> lock(mu_);
  return progress_;
}

std::string LiveFeed::text() const {
  std::lock_guard<std::mutex> lock(mu_);
  return text_;
}

bool LiveFeed::wait_for_lines(size_t lines, std::chrono::milliseconds timeout) const {
  std::unique_lock<std::mutex> lock(mu_);
  return changed_.wait_for(lock, timeout,
                           [&] { return progress_.lines >= lines || progress_.ended; });
}

bool LiveFeed::wait_caught_up(std::chrono::milliseconds timeout) const {
  std::unique_lock<std::mutex> lock(mu_);
  return changed_.wait_for(lock, timeout, [&] { return progress_.caught_up || progress_.ended; });
}

}  // namespace wqlab::import

// The driver loop shared by every session: take the UI's requests as one batch, run its jobs,
// its steps and a run until idle, play a paced slice, publish; wait for more.
#include "session/session_driver.h"

#include <algorithm>

namespace wqlab::session {

SessionDriver::~SessionDriver() {
  stop();
}

void SessionDriver::start() {
  driver_ = std::thread([this] { driver_main(); });
}

void SessionDriver::stop() {
  {
    std::lock_guard lk(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (driver_.joinable()) driver_.join();
}

void SessionDriver::post_job(std::function<void()> job, bool replace) {
  {
    std::lock_guard lk(mu_);
    if (replace) {
      requests_ = Requests{};
      playing_ = false;
    }
    requests_.jobs.push_back(std::move(job));
    status_.busy = true;
  }
  cv_.notify_all();
}

void SessionDriver::play() {
  {
    std::lock_guard lk(mu_);
    playing_ = true;
  }
  cv_.notify_all();
}

void SessionDriver::pause() {
  {
    std::lock_guard lk(mu_);
    playing_ = false;
    requests_.run_until_idle = false;
  }
  cv_.notify_all();
}

void SessionDriver::set_speed(double speed) {
  {
    std::lock_guard lk(mu_);
    speed_ = std::clamp(speed, kMinSpeed, kMaxSpeed);
  }
  cv_.notify_all();
}

void SessionDriver::step() {
  {
    std::lock_guard lk(mu_);
    playing_ = false;
    ++requests_.steps;
    status_.busy = true;
  }
  cv_.notify_all();
}

void SessionDriver::run_until_idle() {
  {
    std::lock_guard lk(mu_);
    playing_ = false;
    requests_.run_until_idle = true;
    status_.busy = true;
  }
  cv_.notify_all();
}

void SessionDriver::set_skip_quiet(bool on) {
  std::lock_guard lk(mu_);
  skip_quiet_ = on;
}

bool SessionDriver::skip_quiet() const {
  std::lock_guard lk(mu_);
  return skip_quiet_;
}

SessionStatus SessionDriver::status() const {
  std::lock_guard lk(mu_);
  SessionStatus s = status_;
  s.playing = playing_;
  s.speed = speed_;
  return s;
}

void SessionDriver::with_status(const std::function<void(SessionStatus&)>& f) {
  std::lock_guard lk(mu_);
  f(status_);
}

void SessionDriver::stop_playing() {
  std::lock_guard lk(mu_);
  playing_ = false;
}

bool SessionDriver::has_requests() const {
  return !requests_.jobs.empty() || requests_.steps > 0 || requests_.run_until_idle;
}

bool SessionDriver::wait_until_quiet(std::chrono::milliseconds timeout) {
  std::unique_lock lk(mu_);
  return quiet_cv_.wait_for(lk, timeout, [&] { return !working_ && !playing_ && !has_requests(); });
}

bool SessionDriver::interrupted() const {
  std::lock_guard lk(mu_);
  return stop_ || !requests_.jobs.empty();
}

void SessionDriver::driver_main() {
  std::unique_lock lk(mu_);
  for (;;) {
    auto has_work = [&] { return stop_ || playing_ || has_requests(); };
    if (!has_work()) {
      status_.busy = false;
      quiet_cv_.notify_all();
      cv_.wait(lk, has_work);
    }
    if (stop_) break;
    Requests req = std::move(requests_);
    requests_ = Requests{};
    requests_.run_until_idle = req.run_until_idle;  // cleared below once idle
    const bool playing = playing_;
    const double speed = speed_;
    working_ = true;
    lk.unlock();

    for (std::function<void()>& job : req.jobs) job();
    if (req.steps > 0) {
      pacer_.reset();
      run_steps(req.steps);
    }
    if (req.run_until_idle) {
      pacer_.reset();
      if (run_to_idle()) {
        std::lock_guard idle_lk(mu_);
        requests_.run_until_idle = false;
      }
    } else if (playing && !play_slice(speed)) {
      pacer_.reset();
      stop_playing();
    }
    publish();

    lk.lock();
    working_ = false;
    if (playing_ && !stop_) {
      // Pace: give the wall clock a few milliseconds before the next slice.
      cv_.wait_for(lk, std::chrono::milliseconds(4),
                   [&] { return stop_ || !playing_ || has_requests(); });
    }
  }
  lk.unlock();
  on_driver_exit();
}

}  // namespace wqlab::session

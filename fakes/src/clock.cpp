// FakeClock: steady and wall time that move only when advanced.
#include <flowproof/fakes/clock.hpp>
#include <flowproof/fakes/errors.hpp>

namespace flowproof::fakes {

FakeClock::FakeClock() : FakeClock(Options{}) {}

FakeClock::FakeClock(Options options)
    // An arbitrary, fixed steady origin: far from zero so that subtracting durations stays valid.
    : steady_start_(std::chrono::steady_clock::time_point(std::chrono::hours(24 * 365))),
      steady_(steady_start_),
      wall_(options.wall_start),
      auto_advance_(options.auto_advance) {}

std::chrono::steady_clock::time_point FakeClock::steady_now() {
  std::lock_guard lock(mutex_);
  return steady_;
}

std::chrono::system_clock::time_point FakeClock::wall_now() {
  std::lock_guard lock(mutex_);
  return wall_;
}

void FakeClock::advance(std::chrono::nanoseconds amount) {
  if (amount < std::chrono::nanoseconds::zero()) {
    throw ScriptError("FakeClock::advance: a clock cannot go back (" +
                      std::to_string(amount.count()) + " ns)");
  }
  std::lock_guard lock(mutex_);
  steady_ += amount;
  wall_ += std::chrono::duration_cast<std::chrono::system_clock::duration>(amount);
}

void FakeClock::set_wall(std::chrono::system_clock::time_point time) {
  std::lock_guard lock(mutex_);
  wall_ = time;
}

void FakeClock::set_auto_advance(std::chrono::nanoseconds amount) {
  if (amount < std::chrono::nanoseconds::zero()) {
    throw ScriptError("FakeClock::set_auto_advance: negative amount");
  }
  std::lock_guard lock(mutex_);
  auto_advance_ = amount;
}

std::chrono::nanoseconds FakeClock::auto_advance() const {
  std::lock_guard lock(mutex_);
  return auto_advance_;
}

void FakeClock::tick() {
  std::lock_guard lock(mutex_);
  steady_ += auto_advance_;
  wall_ += std::chrono::duration_cast<std::chrono::system_clock::duration>(auto_advance_);
}

std::chrono::nanoseconds FakeClock::elapsed() const {
  std::lock_guard lock(mutex_);
  return steady_ - steady_start_;
}

std::chrono::system_clock::time_point FakeClock::default_wall_start() {
  using namespace std::chrono;
  return sys_days{year{2026} / January / 1};
}

}  // namespace flowproof::fakes

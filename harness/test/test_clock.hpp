// Test-local fake Clock for the harness's own tests (the real FakeClock lives in flowproof::fakes).
//
//   ManualClock clock;  clock.advance(std::chrono::milliseconds(250));
#pragma once

#include <flowproof/harness/clock.hpp>

#include <chrono>

namespace flowproof::harness::testing_support {

/// A Clock that moves only when advance() is called.
class ManualClock final : public Clock {
 public:
  std::chrono::steady_clock::time_point steady_now() override { return steady_; }
  std::chrono::system_clock::time_point wall_now() override { return wall_; }
  /// Moves both clocks forward.
  void advance(std::chrono::nanoseconds by) {
    steady_ += by;
    wall_ += std::chrono::duration_cast<std::chrono::system_clock::duration>(by);
  }

 private:
  std::chrono::steady_clock::time_point steady_{std::chrono::hours(1)};
  std::chrono::system_clock::time_point wall_{std::chrono::milliseconds(1781090820001)};
};

}  // namespace flowproof::harness::testing_support

// flowproof/harness/clock.hpp — the clock interface that trackers and clients read time from.
//
// Production code uses system_clock(); tests inject a fake (flowproof::fakes::FakeClock) so that
// durations are exact in assertions:
//
//   FlowTracker tracker(&client, flow, {.clock = &fake_clock});
#pragma once

#include <chrono>
#include <string>

namespace flowproof::harness {

/// A source of steady time (for durations) and wall time (for timestamps).
class Clock {
 public:
  virtual ~Clock() = default;
  /// Monotonic time, used to measure durations.
  virtual std::chrono::steady_clock::time_point steady_now() = 0;
  /// Wall-clock time, used for event timestamps.
  virtual std::chrono::system_clock::time_point wall_now() = 0;
};

/// The real clocks (std::chrono::steady_clock and system_clock). Thread-safe.
Clock& system_clock();

/// ISO-8601 UTC with millisecond precision: 2026-06-10T11:27:00.001Z.
std::string format_timestamp(std::chrono::system_clock::time_point time);

}  // namespace flowproof::harness

// flowproof/fakes/clock.hpp — FakeClock: a harness::Clock that only moves when told.
//
// Durations in assertions become exact: every fake call can advance the clock by a fixed amount,
// and waits advance it by what they would have slept.
//
//   FakeClock clock;                              // wall time starts at 2026-01-01T00:00:00.000Z
//   FlowTracker flow(&client, create_flow, {.clock = &clock});
//   clock.advance(std::chrono::milliseconds(1500));
//   flow.complete();                              // duration_ms == 1500, exactly
//
// Thread-safe: any thread may read or advance it.
#pragma once

#include <flowproof/harness/clock.hpp>

#include <chrono>
#include <mutex>

namespace flowproof::fakes {

class FakeClock final : public harness::Clock {
 public:
  struct Options {
    /// Initial wall time; the default is 2026-01-01T00:00:00.000Z.
    std::chrono::system_clock::time_point wall_start = default_wall_start();
    /// How far tick() (called by FakeSession at every fake call) advances; zero by default.
    std::chrono::nanoseconds auto_advance{0};
  };

  FakeClock();
  explicit FakeClock(Options options);

  std::chrono::steady_clock::time_point steady_now() override;
  std::chrono::system_clock::time_point wall_now() override;

  /// Moves steady and wall time forward together (a negative amount is a ScriptError).
  void advance(std::chrono::nanoseconds amount);
  /// Sets wall time only (as an NTP correction would); steady time is unaffected.
  void set_wall(std::chrono::system_clock::time_point time);
  /// Sets how far each tick() advances.
  void set_auto_advance(std::chrono::nanoseconds amount);
  std::chrono::nanoseconds auto_advance() const;
  /// Advances by the auto-advance amount (FakeSession calls this once per fake call).
  void tick();
  /// Steady time elapsed since construction.
  std::chrono::nanoseconds elapsed() const;

  /// 2026-01-01T00:00:00.000Z.
  static std::chrono::system_clock::time_point default_wall_start();

 private:
  mutable std::mutex mutex_;
  std::chrono::steady_clock::time_point steady_start_;
  std::chrono::steady_clock::time_point steady_;
  std::chrono::system_clock::time_point wall_;
  std::chrono::nanoseconds auto_advance_;
};

}  // namespace flowproof::fakes

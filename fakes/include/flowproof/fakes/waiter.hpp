// flowproof/fakes/waiter.hpp — the Waiter interface (spinners, browser waits, polling sleeps) and
// its fake, which advances the fake clock instead of sleeping and can be interrupted.
//
//   FakeSession session;
//   session.interrupt_at("wait:browser");        // Ctrl-C while the spinner waits for the browser
//   FakeWaiter waiter(session);
//   EXPECT_THROW(login(prompter, backend, waiter), Interrupted);
//
//   // production
//   SleepingWaiter waiter;
//   waiter.wait("browser", std::chrono::seconds(2));
#pragma once

#include <flowproof/fakes/session.hpp>

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace flowproof::fakes {

/// Something a product waits on for a while (a spinner, a browser callback, a poll interval).
class Waiter {
 public:
  virtual ~Waiter() = default;
  /// Waits for the duration; `what` names the wait ("browser", "poll:deployment").
  virtual void wait(std::string_view what, std::chrono::milliseconds duration) = 0;
};

/// The production Waiter: really sleeps.
class SleepingWaiter final : public Waiter {
 public:
  void wait(std::string_view, std::chrono::milliseconds duration) override {
    std::this_thread::sleep_for(duration);
  }
};

/// One wait as FakeWaiter logged it.
struct WaitRecord {
  std::string what;
  std::chrono::milliseconds duration{0};
  bool interrupted = false;
};

/// A Waiter whose every wait enters the session (call point "wait:<what>") and then advances the
/// session clock by the duration, instantly. Thread-safe.
class FakeWaiter final : public Waiter {
 public:
  /// The session is not owned and must outlive the waiter.
  explicit FakeWaiter(FakeSession& session);
  void wait(std::string_view what, std::chrono::milliseconds duration) override;
  /// Every wait so far, in order (interrupted ones included).
  std::vector<WaitRecord> waits() const;
  /// Sum of the durations of completed waits.
  std::chrono::milliseconds total_waited() const;

 private:
  FakeSession* session_;
  mutable std::mutex mutex_;
  std::vector<WaitRecord> waits_;
};

}  // namespace flowproof::fakes

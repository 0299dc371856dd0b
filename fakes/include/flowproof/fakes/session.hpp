// flowproof/fakes/session.hpp — FakeSession: the one place every fake call goes through.
//
// All fakes of one test share a session. Each fake call (a prompt, a backend call, a wait, a sleep)
// enters the session once, which
//   1. appends a transcript entry ("#3 backend:create_application {...}"),
//   2. advances the fake clock by its auto-advance amount,
//   3. delivers the product's cancellation if an interruption is scheduled at that call point.
// Call points are named "kind:name" — "prompt:confirm", "backend:create_application",
// "wait:browser", "sleep:" — and numbered from 1 in call order.
//
//   FakeSession session;
//   session.set_interruption(Interruption::as<UserCancelled>());
//   session.interrupt_at("wait:browser");             // Ctrl-C during the browser wait
//   session.interrupt_at("prompt:*", 2);              // ... or at the second prompt
//   session.interrupt_at_call(5);                     // ... or at the fifth fake call of any kind
//   ScriptedPrompter prompter(session);  ScriptedBackend backend(session);  FakeWaiter
//   waiter(session); run_product(prompter, backend, waiter); EXPECT_EQ(session.verify(), ""); //
//   every scheduled interruption was delivered
//
// Random fakes plug in through InterruptSource (decide at each call) and the fakes' own sources.
// Thread-safe.
#pragma once

#include <flowproof/fakes/clock.hpp>
#include <flowproof/fakes/errors.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace flowproof::fakes {

/// Where a fake call happens: kind ("prompt", "backend", "wait", "sleep") and name.
struct CallPoint {
  std::string kind;
  std::string name;
  /// "kind:name", the form interrupt_at() patterns match.
  std::string id() const { return kind + ":" + name; }
};

/// True when a pattern ("backend:create_*", "prompt:*", "*") matches a call point id; '*' matches
/// any run of characters, everything else matches itself.
bool call_point_matches(std::string_view pattern, std::string_view id);

/// One fake call as the transcript records it.
struct TranscriptEntry {
  std::size_t number = 0;  ///< 1-based position among all fake calls of the session
  CallPoint point;
  std::string detail;  ///< the question, the request, the wait duration
  std::string result;  ///< the answer, the outcome, "interrupted"; empty while the call runs
  std::chrono::nanoseconds at{0};  ///< session clock time (since the clock started) when entered
};

/// Decides at each fake call whether the user presses Ctrl-C there (random fakes implement this).
class InterruptSource {
 public:
  virtual ~InterruptSource() = default;
  /// True to deliver the product's cancellation at this call (number is 1-based).
  virtual bool interrupt_here(const CallPoint& point, std::size_t number) = 0;
};

class FakeSession {
 public:
  FakeSession();
  explicit FakeSession(FakeClock::Options clock_options);
  FakeSession(const FakeSession&) = delete;
  FakeSession& operator=(const FakeSession&) = delete;
  ~FakeSession();

  /// The session's clock; hand it to FlowTracker / ClientOptions.
  FakeClock& clock();

  /// Chooses the exception delivered as Ctrl-C (default: fakes::Interrupted).
  void set_interruption(Interruption interruption);
  /// Chooses the exception delivered as end of input (default: fakes::EndOfInput).
  void set_end_of_input(Interruption end_of_input);

  /// Schedules one Ctrl-C at the occurrence-th call (1-based) whose id matches the pattern.
  FakeSession& interrupt_at(std::string pattern, std::size_t occurrence = 1);
  /// Schedules one Ctrl-C at the number-th fake call of any kind (1-based).
  FakeSession& interrupt_at_call(std::size_t number);
  /// Consults a source at every call (after the scheduled points); nullptr to stop. Not owned.
  void set_interrupt_source(InterruptSource* source);

  /// Enters a fake call: logs it, ticks the clock, and delivers a scheduled interruption (the entry
  /// then reads "interrupted"). Returns the call number for finish_call(). Fakes call this.
  std::size_t begin_call(CallPoint point, std::string detail);
  /// Records what the call returned, e.g. `yes` or `success 200`.
  void finish_call(std::size_t number, std::string result);
  /// Records the result, then throws the product's cancellation.
  [[noreturn]] void interrupt(std::size_t number);
  /// Records the result, then throws the product's end-of-input exception.
  [[noreturn]] void end_input(std::size_t number);
  /// Throws ScriptError with the message followed by the transcript so far.
  [[noreturn]] void fail(const std::string& message) const;

  /// A fake sleep (call point "sleep:<what>"): enters, then advances the clock by the duration.
  void sleep(std::chrono::nanoseconds duration, std::string what = "");

  /// Copy of the transcript so far.
  std::vector<TranscriptEntry> transcript() const;
  /// The transcript, one numbered line per call ("  #2 prompt:confirm \"Accept?\" -> yes").
  std::string transcript_text() const;
  /// Number of fake calls so far.
  std::size_t call_count() const;
  /// Every ScriptError fail() raised so far, one line each; empty when none. A product that
  /// catches every exception swallows them, so verify() reports them again.
  std::string script_errors() const;
  /// Empty when every scheduled interruption was delivered and no ScriptError was raised;
  /// otherwise says which were not, and what was raised.
  [[nodiscard]] std::string verify() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

namespace detail {
/// Holds a session a fake owns; a base so that it is built before the fake's own base (which takes
/// the session).
struct OwnedSession {
  explicit OwnedSession(bool create);
  ~OwnedSession();
  std::unique_ptr<FakeSession> owned_session;
};
}  // namespace detail

}  // namespace flowproof::fakes

// flowproof/harness/flow.hpp — FlowTracker: one flow instance, exactly one terminal event.
//
//   FlowTracker flow(&client, create_flow);  // emits "... Started"
//   flow.step("terms");
//   if (!accepted) {
//     flow.abort("declined_terms");  // "... Aborted" {step, reason, duration_ms}
//     return;
//   }
//   flow.complete({{"region", region}});  // "... Completed" {region, duration_ms}
//
// A second terminal is refused and counted. A tracker destroyed without a terminal emits one
// itself: Failed with the error class of the exception in flight, or Aborted{cancelled} when that
// exception is a registered cancellation; with no exception in flight (an early return) Failed with
// no_terminal_error_class ("flowproof::harness::NoTerminal") at the current step. A tracker with a
// null client emits nothing (but still refuses and counts second terminals).
//
// Property precedence on every event: the call site's properties, then FlowOptions::properties,
// then the tracker's own (step, reason, error class, duration) — later ones win. Properties must
// be a JSON object (or null): `complete({{"region", "eu"}})`. One pair of braces,
// `complete({"region", "eu"})`, builds the array ["region","eu"]; the tracker never throws into
// the product, so it sends the event without them and reports them to the client
// (Client::report_refused_properties; a RecordingClient counts them and verify() names them).
//
// Lifetimes: the tracker keeps the Client* and FlowOptions::clock it was given, and its destructor
// may emit a terminal through them: both must outlive the tracker (declare the client before the
// tracker; never keep a tracker in an object that outlives its client).
//
// Keep the tracker in a named variable: `FlowTracker(&client, flow);` alone is a temporary that
// emits Started and at once Failed{NoTerminal} (the constructor is [[nodiscard]], so compilers
// warn).
//
// A tracker belongs to one thread. To see the exception in flight from its destructor, the harness
// interposes __cxa_throw, __cxa_rethrow and __cxa_begin_catch (libstdc++, Itanium ABI; see
// docs/harness.md); exceptions it cannot see are reported as "unknown".
//
// guard() runs a body and, when it throws, emits the terminal for that exception and rethrows:
//
//   flow.guard([&] { create_application(flow); });
#pragma once

#include <flowproof/harness/client.hpp>
#include <flowproof/harness/clock.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace flowproof::harness {

/// The event names and property names of one flow (as a tracking plan declares them).
struct FlowDefinition {
  std::string id{};         ///< the plan's flow id, e.g. "application_create"
  std::string started{};    ///< e.g. "CLI Application Create Started"
  std::string completed{};  ///< empty when the flow declares no such terminal
  std::string aborted{};
  std::string failed{};
  std::string step_property = "step";
  std::string reason_property = "reason";
  std::string error_property = "error_class";
  std::string duration_property = "duration_ms";  ///< empty: no duration is reported
  std::string cancelled_reason = "cancelled";     ///< reason used for a cancellation
};

/// The kind of terminal event that closed a flow instance.
enum class TerminalKind { none, completed, aborted, failed };

/// How one tracker measures, decorates and classifies (designated initializers welcome:
/// FlowOptions{.clock = &fake_clock}; every member has a default, so GCC's -Wextra stays quiet).
struct FlowOptions {
  /// Duration source; nullptr means system_clock(). Not owned: it must outlive the tracker.
  Clock* clock = nullptr;
  /// Properties added to every event of the flow (Started, intermediates and the terminal).
  nlohmann::json properties = nlohmann::json::object();
  /// Decides whether an exception is the product's cancellation (e.g. Ctrl-C). When empty, the
  /// global registry (register_cancellation) decides.
  std::function<bool(std::exception_ptr)> is_cancellation{};
};

class FlowTracker {
 public:
  /// Emits Started. A null client makes the tracker silent. The client (and options.clock) must
  /// outlive the tracker: its destructor may emit a terminal through them. [[nodiscard]]: an
  /// unnamed temporary would end the flow (Failed{NoTerminal}) on the same line.
  [[nodiscard]] FlowTracker(Client* client, FlowDefinition flow, FlowOptions options = {},
                            nlohmann::json started_properties = nlohmann::json::object());
  FlowTracker(const FlowTracker&) = delete;
  FlowTracker& operator=(const FlowTracker&) = delete;
  /// Emits a terminal when none was emitted (see the file comment).
  ~FlowTracker();

  /// Records the step the flow is at; terminals carry it.
  void step(std::string_view step);
  const std::string& current_step() const { return step_; }
  /// Emits an intermediate event of the flow (carries the flow's properties).
  void track(std::string_view event, nlohmann::json properties = nlohmann::json::object());

  /// Emits Completed. False (and counted) when a terminal was already emitted.
  bool complete(nlohmann::json properties = nlohmann::json::object());
  /// Emits Aborted with the reason at the current step.
  bool abort(std::string_view reason, nlohmann::json properties = nlohmann::json::object());
  /// Emits Failed with an error class at the current step.
  bool fail(std::string_view error_class, nlohmann::json properties = nlohmann::json::object());
  /// Emits Failed with the exception's class, or Aborted{cancelled} for a registered cancellation.
  bool fail(std::exception_ptr error, nlohmann::json properties = nlohmann::json::object());

  /// Runs body; when it throws and no terminal was emitted yet, emits fail(the exception) and
  /// rethrows. Returns what body returns. A normal return emits nothing.
  template <class Body>
  decltype(auto) guard(Body&& body) {
    try {
      return std::invoke(std::forward<Body>(body));
    } catch (...) {
      if (!ended()) fail(std::current_exception());
      throw;
    }
  }

  /// True when error is a cancellation for this tracker (FlowOptions::is_cancellation, else the
  /// global registry). A predicate that throws counts as "no".
  bool is_cancellation(std::exception_ptr error) const;

  TerminalKind terminal() const { return terminal_; }
  bool ended() const { return terminal_ != TerminalKind::none; }
  /// Terminals refused because one had already been emitted.
  std::uint64_t refused_terminals() const { return refused_; }
  /// Whole milliseconds since Started, by the tracker's clock.
  std::int64_t elapsed_ms() const;
  const FlowDefinition& definition() const { return flow_; }

 private:
  nlohmann::json flow_properties(const std::string& event, nlohmann::json properties) const;
  bool emit_terminal(TerminalKind kind, const std::string& event, nlohmann::json properties);

  Client* client_;
  FlowDefinition flow_;
  FlowOptions options_;
  Clock* clock_;
  std::chrono::steady_clock::time_point started_at_;
  std::string step_;
  TerminalKind terminal_ = TerminalKind::none;
  std::uint64_t refused_ = 0;
  int uncaught_at_start_;
};

/// Registers a predicate deciding "this exception is a cancellation" for every tracker
/// (thread-safe).
void register_cancellation(std::function<bool(std::exception_ptr)> predicate);
/// Registers exception type E (and every type derived from it) as a cancellation.
template <class E>
void register_cancellation() {
  register_cancellation([](std::exception_ptr error) {
    try {
      std::rethrow_exception(error);
    } catch (const E&) {
      return true;
    } catch (...) {
      return false;
    }
  });
}
/// True when any registered predicate says the exception is a cancellation.
bool is_registered_cancellation(std::exception_ptr error);
/// Forgets every registered cancellation (for tests).
void clear_cancellations();

}  // namespace flowproof::harness

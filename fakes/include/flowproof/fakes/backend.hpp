// flowproof/fakes/backend.hpp — the Backend interface and ScriptedBackend: per operation, a queue
// of outcomes (success, billing wall, already on plan, no candidates, HTTP error, network error,
// timeout, region unavailable, Ctrl-C during the call), and a call log to assert on.
//
//   FakeSession session;
//   ScriptedBackend backend(session);
//   backend.on("create_application")
//       .region_unavailable("eu-west-1")               // first attempt: cluster unavailable
//       .succeed({{"id", "app-1"}}).took(std::chrono::milliseconds(800));  // the retry works
//   backend.on("update_plan").billing_required();
//   backend.set_default("get_plans", Response::success({{"plans", {"free", "pro"}}}));
//
//   Response r = backend.call("create_application", {{"region", "eu-west-1"}});
//   r.throw_if_error();                                // throws RegionUnavailable
//   backend.call_or_throw("create_application", {});   // the same in one call: returns success
//   EXPECT_EQ(backend.calls("create_application").size(), 1u);
//
// Products either branch on Response::outcome or let throw_if_error() raise a typed exception
// (BillingRequired, HttpError, NetworkError, Timeout, RegionUnavailable, ...) and map those to
// their own error types. STRICT: a call with no queued outcome and no default throws ScriptError;
// verify() reports queued outcomes never used. Outcomes come from an OutcomeSource, so a random
// source (drawn inside a property) plugs into FakeBackend the same way.
#pragma once

#include <flowproof/fakes/session.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstddef>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace flowproof::fakes {

/// What a backend call came to.
enum class Outcome {
  success,
  billing_required,    ///< payment required (HTTP 402): the billing wall
  already_on_plan,     ///< the plan change asked for the current plan (HTTP 409)
  no_candidates,       ///< nothing to choose from, e.g. no plan to downgrade to (HTTP 404)
  http_error,          ///< any other HTTP error status
  network_error,       ///< no response: connection refused, DNS failure (status 0)
  timeout,             ///< no response in time (status 0)
  region_unavailable,  ///< the region's cluster is unavailable (HTTP 503): retry elsewhere
  interrupted,         ///< Ctrl-C while the call was in flight: the session's cancellation
};
/// "success", "billing_required", ... (the enumerator's name).
std::string_view to_string(Outcome outcome);

/// A backend's answer to one call.
struct Response {
  Outcome outcome = Outcome::success;
  int status = 200;  ///< HTTP status; 0 when there was no response
  nlohmann::json body = nlohmann::json::object();
  std::string message;                   ///< human-readable error text (empty on success)
  std::string operation;                 ///< filled in by the backend
  std::chrono::milliseconds latency{0};  ///< how far the fake clock advances during the call

  bool ok() const { return outcome == Outcome::success; }
  /// Throws the typed exception for an error outcome (see BackendError); returns on success.
  void throw_if_error() const;
  /// e.g. `success 200`, `billing_required 402 "payment required"`.
  std::string describe() const;

  /// HTTP 200 with the body.
  static Response success(nlohmann::json body = nlohmann::json::object());
  /// HTTP 402: payment required.
  static Response billing_required(std::string message = "payment required");
  /// HTTP 409: already on that plan.
  static Response already_on_plan(std::string plan = "");
  /// HTTP 404: no candidates.
  static Response no_candidates(std::string message = "no candidates");
  /// Any HTTP error status with an optional body.
  static Response http_error(int status, nlohmann::json body = nlohmann::json::object(),
                             std::string message = "");
  /// Connection-level failure (status 0).
  static Response network_error(std::string message = "connection refused");
  /// No answer in time (status 0).
  static Response timeout(std::string message = "deadline exceeded");
  /// HTTP 503: the region's cluster is unavailable; body
  /// {"error":"cluster_unavailable","region":r}.
  static Response region_unavailable(std::string region = "");
  /// Ctrl-C during the call: the backend throws the session's cancellation.
  static Response interrupted();
};

/// Base of the typed exceptions throw_if_error() raises; carries the response.
class BackendError : public std::runtime_error {
 public:
  explicit BackendError(Response response);
  const Response& response() const { return response_; }

 private:
  Response response_;
};
/// The billing wall (402).
class BillingRequired : public BackendError {
 public:
  using BackendError::BackendError;
};
/// Already on the requested plan (409).
class AlreadyOnPlan : public BackendError {
 public:
  using BackendError::BackendError;
};
/// Nothing to choose from (404).
class NoCandidates : public BackendError {
 public:
  using BackendError::BackendError;
};
/// Any other HTTP error status.
class HttpError : public BackendError {
 public:
  using BackendError::BackendError;
};
/// No connection.
class NetworkError : public BackendError {
 public:
  using BackendError::BackendError;
};
/// No answer in time.
class Timeout : public BackendError {
 public:
  using BackendError::BackendError;
};
/// The region's cluster is unavailable (503).
class RegionUnavailable : public BackendError {
 public:
  using BackendError::BackendError;
};

/// What products call their API through (adapters wrap it in typed methods).
class Backend {
 public:
  virtual ~Backend() = default;
  /// Performs one operation; error outcomes are returned, not thrown (see throw_if_error()).
  virtual Response call(std::string_view operation, const nlohmann::json& request) = 0;
  /// call(), then throw_if_error(): the success response, or the outcome's typed exception.
  Response call_or_throw(std::string_view operation, const nlohmann::json& request) {
    Response response = call(operation, request);
    response.throw_if_error();
    return response;
  }
};

/// One call as the log records it.
struct BackendCall {
  std::size_t number = 0;  ///< session call number
  std::string operation;
  nlohmann::json request;
  Response response;
  std::chrono::nanoseconds at{0};  ///< session clock time (since it started) when the call began
};

/// Where a FakeBackend gets outcomes (queues for scripts, draws for random fakes).
class OutcomeSource {
 public:
  virtual ~OutcomeSource() = default;
  /// The outcome of this call; nullopt when the source has none (the backend's default applies).
  virtual std::optional<Response> next_outcome(std::string_view operation,
                                               const nlohmann::json& request) = 0;
  /// Empty when the source was used up as intended; otherwise what is left.
  [[nodiscard]] virtual std::string verify() const { return {}; }
};

/// A Backend whose every call enters the session (call point "backend:<operation>"), takes the
/// outcome from a source (else a default), advances the clock by its latency, and is logged.
/// Thread-safe.
class FakeBackend : public Backend {
 public:
  /// Neither the session nor the source is owned; both must outlive the backend.
  FakeBackend(FakeSession& session, OutcomeSource& source);

  /// Enters the session, takes the outcome, logs the call (a null request is logged as {}).
  Response call(std::string_view operation, const nlohmann::json& request) override;

  /// The outcome for calls to this operation that the source has none for.
  void set_default(std::string operation, Response response);
  /// The outcome for calls to any operation that the source and set_default() have none for.
  void set_default(Response response);

  /// Every call so far (interrupted ones included), in order.
  std::vector<BackendCall> calls() const;
  /// The calls to one operation.
  std::vector<BackendCall> calls(std::string_view operation) const;
  /// How many calls one operation received.
  std::size_t call_count(std::string_view operation) const;

  /// The session every call enters.
  FakeSession& session() { return *session_; }
  const FakeSession& session() const { return *session_; }

 protected:
  explicit FakeBackend(FakeSession& session);
  void set_source(OutcomeSource& source) { source_ = &source; }

 private:
  FakeSession* session_;
  OutcomeSource* source_ = nullptr;
  mutable std::mutex mutex_;
  std::map<std::string, Response, std::less<>> defaults_;
  std::optional<Response> default_;
  std::vector<BackendCall> calls_;
};

/// An OutcomeSource with one FIFO queue of outcomes per operation.
class ScriptedOutcomes : public OutcomeSource {
 public:
  /// Appends an outcome to the operation's queue.
  void add(std::string operation, Response response);
  /// Sets the latency of the outcome most recently added to the operation's queue.
  void set_last_latency(std::string_view operation, std::chrono::milliseconds latency);
  std::optional<Response> next_outcome(std::string_view operation,
                                       const nlohmann::json& request) override;
  [[nodiscard]] std::string verify() const override;
  /// Outcomes still queued for an operation.
  std::size_t remaining(std::string_view operation) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::deque<Response>, std::less<>> queues_;
};

class ScriptedBackend;

/// Fluent builder for one operation's queue (returned by ScriptedBackend::on()).
class OutcomeQueue {
 public:
  OutcomeQueue(ScriptedOutcomes& outcomes, std::string operation);
  /// Queues an arbitrary response.
  OutcomeQueue& respond(Response response);
  /// Queues a success with this body.
  OutcomeQueue& succeed(nlohmann::json body = nlohmann::json::object());
  /// Queues the billing wall.
  OutcomeQueue& billing_required(std::string message = "payment required");
  /// Queues "already on that plan".
  OutcomeQueue& already_on_plan(std::string plan = "");
  /// Queues "no candidates".
  OutcomeQueue& no_candidates(std::string message = "no candidates");
  /// Queues an HTTP error status.
  OutcomeQueue& http_error(int status, nlohmann::json body = nlohmann::json::object());
  /// Queues a network error.
  OutcomeQueue& network_error(std::string message = "connection refused");
  /// Queues a timeout.
  OutcomeQueue& timeout();
  /// Queues "region unavailable" (cluster unavailable) for the region.
  OutcomeQueue& region_unavailable(std::string region = "");
  /// Queues Ctrl-C during the call.
  OutcomeQueue& interrupt();
  /// Sets how long the most recently queued outcome takes (advances the fake clock).
  OutcomeQueue& took(std::chrono::milliseconds latency);

 private:
  ScriptedOutcomes* outcomes_;
  std::string operation_;
};

/// A FakeBackend over per-operation queues built with on(operation).
class ScriptedBackend : private detail::OwnedSession, public FakeBackend {
 public:
  /// Uses a session of its own (for tests with a single fake).
  ScriptedBackend();
  /// Shares the test's session (not owned).
  explicit ScriptedBackend(FakeSession& session);
  ScriptedBackend(const ScriptedBackend&) = delete;
  ScriptedBackend& operator=(const ScriptedBackend&) = delete;
  ~ScriptedBackend() override;

  /// The queue of one operation, to append outcomes to.
  OutcomeQueue on(std::string operation);
  /// Empty when every queued outcome was used; otherwise names what is left.
  [[nodiscard]] std::string verify() const;
  /// Outcomes still queued for an operation.
  std::size_t remaining(std::string_view operation) const { return outcomes_.remaining(operation); }

 private:
  ScriptedOutcomes outcomes_;
};

}  // namespace flowproof::fakes

// Response and its typed exceptions, FakeBackend (defaults, call log), ScriptedOutcomes/Backend.
#include <flowproof/fakes/backend.hpp>

#include "text.hpp"

#include <utility>

namespace flowproof::fakes {

using detail::quote;

std::string_view to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::success:
      return "success";
    case Outcome::billing_required:
      return "billing_required";
    case Outcome::already_on_plan:
      return "already_on_plan";
    case Outcome::no_candidates:
      return "no_candidates";
    case Outcome::http_error:
      return "http_error";
    case Outcome::network_error:
      return "network_error";
    case Outcome::timeout:
      return "timeout";
    case Outcome::region_unavailable:
      return "region_unavailable";
    case Outcome::interrupted:
      return "interrupted";
  }
  return "unknown";
}

std::string Response::describe() const {
  std::string out = std::string(to_string(outcome)) + " " + std::to_string(status);
  if (!message.empty()) {
    // Appended in two steps: `" " + quote(...)` trips GCC 12's -Wrestrict false positive in
    // Release.
    out += ' ';
    out += quote(message);
  }
  return out;
}

void Response::throw_if_error() const {
  switch (outcome) {
    case Outcome::success:
      return;
    case Outcome::billing_required:
      throw BillingRequired(*this);
    case Outcome::already_on_plan:
      throw AlreadyOnPlan(*this);
    case Outcome::no_candidates:
      throw NoCandidates(*this);
    case Outcome::http_error:
      throw HttpError(*this);
    case Outcome::network_error:
      throw NetworkError(*this);
    case Outcome::timeout:
      throw Timeout(*this);
    case Outcome::region_unavailable:
      throw RegionUnavailable(*this);
    case Outcome::interrupted:
      // A FakeBackend throws the session's cancellation before returning such a response; one
      // built by hand has nobody to deliver it.
      throw ScriptError(
          "Response::throw_if_error: an interrupted response was returned to the "
          "product; call it through a FakeBackend so the session interrupts");
  }
}

namespace {

Response make(Outcome outcome, int status, nlohmann::json body, std::string message) {
  Response response;
  response.outcome = outcome;
  response.status = status;
  response.body = std::move(body);
  response.message = std::move(message);
  return response;
}

}  // namespace

Response Response::success(nlohmann::json body) {
  return make(Outcome::success, 200, std::move(body), "");
}
Response Response::billing_required(std::string message) {
  return make(Outcome::billing_required, 402, {{"error", "payment_required"}}, std::move(message));
}
Response Response::already_on_plan(std::string plan) {
  return make(Outcome::already_on_plan, 409, {{"error", "already_on_plan"}, {"plan", plan}},
              plan.empty() ? "already on that plan" : "already on plan " + plan);
}
Response Response::no_candidates(std::string message) {
  return make(Outcome::no_candidates, 404, {{"error", "no_candidates"}}, std::move(message));
}
Response Response::http_error(int status, nlohmann::json body, std::string message) {
  if (message.empty()) message = "HTTP " + std::to_string(status);
  return make(Outcome::http_error, status, std::move(body), std::move(message));
}
Response Response::network_error(std::string message) {
  return make(Outcome::network_error, 0, nlohmann::json::object(), std::move(message));
}
Response Response::timeout(std::string message) {
  return make(Outcome::timeout, 0, nlohmann::json::object(), std::move(message));
}
Response Response::region_unavailable(std::string region) {
  std::string message =
      region.empty() ? "cluster unavailable" : "cluster unavailable in region " + region;
  return make(Outcome::region_unavailable, 503,
              {{"error", "cluster_unavailable"}, {"region", std::move(region)}},
              std::move(message));
}
Response Response::interrupted() {
  return make(Outcome::interrupted, 0, nlohmann::json::object(), "interrupted (Ctrl-C)");
}

BackendError::BackendError(Response response)
    : std::runtime_error(
          (response.operation.empty() ? std::string("backend") : response.operation) + ": " +
          std::string(to_string(response.outcome)) +
          (response.status != 0 ? " (HTTP " + std::to_string(response.status) + ")"
                                : std::string()) +
          (response.message.empty() ? std::string() : ": " + response.message)),
      response_(std::move(response)) {}

FakeBackend::FakeBackend(FakeSession& session, OutcomeSource& source)
    : session_(&session), source_(&source) {}

FakeBackend::FakeBackend(FakeSession& session) : session_(&session) {}

Response FakeBackend::call(std::string_view operation, const nlohmann::json& request_in) {
  // `call("get_plans", {})` passes null; log it as the empty object the caller meant.
  const nlohmann::json request = request_in.is_null() ? nlohmann::json::object() : request_in;
  const std::string name(operation);
  std::size_t number = 0;
  try {
    number = session_->begin_call(CallPoint{"backend", name}, request.dump());
  } catch (...) {
    // Ctrl-C arrived as the call started: the log still shows the call the user cut short.
    Response response = Response::interrupted();
    response.operation = name;
    std::lock_guard lock(mutex_);
    calls_.push_back(BackendCall{session_->call_count(), name, request, std::move(response),
                                 session_->clock().elapsed()});
    throw;
  }
  const auto started = session_->clock().elapsed();
  std::optional<Response> response = source_->next_outcome(operation, request);
  if (!response) {
    std::lock_guard lock(mutex_);
    if (auto it = defaults_.find(operation); it != defaults_.end()) {
      response = it->second;
    } else if (default_) {
      response = default_;
    }
  }
  if (!response) {
    session_->fail("unexpected backend call: " + name + " " + request.dump() +
                   ": no outcome is queued for it and there is no default (queue one with "
                   "on(\"" +
                   name + "\") or set_default)");
  }
  response->operation = name;
  session_->clock().advance(response->latency);
  {
    std::lock_guard lock(mutex_);
    calls_.push_back(BackendCall{number, name, request, *response, started});
  }
  if (response->outcome == Outcome::interrupted) session_->interrupt(number);
  session_->finish_call(number, response->describe());
  return *response;
}

void FakeBackend::set_default(std::string operation, Response response) {
  std::lock_guard lock(mutex_);
  defaults_.insert_or_assign(std::move(operation), std::move(response));
}

void FakeBackend::set_default(Response response) {
  std::lock_guard lock(mutex_);
  default_ = std::move(response);
}

std::vector<BackendCall> FakeBackend::calls() const {
  std::lock_guard lock(mutex_);
  return calls_;
}

std::vector<BackendCall> FakeBackend::calls(std::string_view operation) const {
  std::lock_guard lock(mutex_);
  std::vector<BackendCall> out;
  for (const auto& call : calls_) {
    if (call.operation == operation) out.push_back(call);
  }
  return out;
}

std::size_t FakeBackend::call_count(std::string_view operation) const {
  return calls(operation).size();
}

void ScriptedOutcomes::add(std::string operation, Response response) {
  std::lock_guard lock(mutex_);
  queues_[std::move(operation)].push_back(std::move(response));
}

void ScriptedOutcomes::set_last_latency(std::string_view operation,
                                        std::chrono::milliseconds latency) {
  std::lock_guard lock(mutex_);
  auto it = queues_.find(operation);
  if (it == queues_.end() || it->second.empty()) {
    throw ScriptError("took(): no outcome queued yet for " + quote(operation));
  }
  it->second.back().latency = latency;
}

std::optional<Response> ScriptedOutcomes::next_outcome(std::string_view operation,
                                                       const nlohmann::json&) {
  std::lock_guard lock(mutex_);
  auto it = queues_.find(operation);
  if (it == queues_.end() || it->second.empty()) return std::nullopt;
  Response response = std::move(it->second.front());
  it->second.pop_front();
  return response;
}

std::string ScriptedOutcomes::verify() const {
  std::lock_guard lock(mutex_);
  std::string out;
  for (const auto& [operation, queue] : queues_) {
    if (queue.empty()) continue;
    out += "  " + quote(operation) + ": " + std::to_string(queue.size()) + " never used:";
    for (const auto& response : queue) {
      out += ' ';
      out += response.describe();
      out += ';';
    }
    out += "\n";
  }
  return out.empty() ? out : "outcomes left in the queues:\n" + out;
}

std::size_t ScriptedOutcomes::remaining(std::string_view operation) const {
  std::lock_guard lock(mutex_);
  auto it = queues_.find(operation);
  return it == queues_.end() ? 0 : it->second.size();
}

OutcomeQueue::OutcomeQueue(ScriptedOutcomes& outcomes, std::string operation)
    : outcomes_(&outcomes), operation_(std::move(operation)) {}

OutcomeQueue& OutcomeQueue::respond(Response response) {
  outcomes_->add(operation_, std::move(response));
  return *this;
}
OutcomeQueue& OutcomeQueue::succeed(nlohmann::json body) {
  return respond(Response::success(std::move(body)));
}
OutcomeQueue& OutcomeQueue::billing_required(std::string message) {
  return respond(Response::billing_required(std::move(message)));
}
OutcomeQueue& OutcomeQueue::already_on_plan(std::string plan) {
  return respond(Response::already_on_plan(std::move(plan)));
}
OutcomeQueue& OutcomeQueue::no_candidates(std::string message) {
  return respond(Response::no_candidates(std::move(message)));
}
OutcomeQueue& OutcomeQueue::http_error(int status, nlohmann::json body) {
  return respond(Response::http_error(status, std::move(body)));
}
OutcomeQueue& OutcomeQueue::network_error(std::string message) {
  return respond(Response::network_error(std::move(message)));
}
OutcomeQueue& OutcomeQueue::timeout() { return respond(Response::timeout()); }
OutcomeQueue& OutcomeQueue::region_unavailable(std::string region) {
  return respond(Response::region_unavailable(std::move(region)));
}
OutcomeQueue& OutcomeQueue::interrupt() { return respond(Response::interrupted()); }
OutcomeQueue& OutcomeQueue::took(std::chrono::milliseconds latency) {
  outcomes_->set_last_latency(operation_, latency);
  return *this;
}

ScriptedBackend::ScriptedBackend() : detail::OwnedSession(true), FakeBackend(*owned_session) {
  set_source(outcomes_);
}

ScriptedBackend::ScriptedBackend(FakeSession& session)
    : detail::OwnedSession(false), FakeBackend(session) {
  set_source(outcomes_);
}

ScriptedBackend::~ScriptedBackend() = default;

OutcomeQueue ScriptedBackend::on(std::string operation) {
  return OutcomeQueue(outcomes_, std::move(operation));
}

std::string ScriptedBackend::verify() const {
  std::string problems = outcomes_.verify();
  // A session of its own cannot be verified by the test: its script errors are reported here.
  const std::string errors = owned_session ? owned_session->script_errors() : std::string();
  if (problems.empty() && errors.empty()) return problems;
  return "ScriptedBackend " + errors + problems + "transcript:\n" + session().transcript_text();
}

}  // namespace flowproof::fakes

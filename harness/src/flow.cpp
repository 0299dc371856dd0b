// FlowTracker: Started, intermediates and exactly one terminal per flow instance; the cancellation
// registry.
#include <flowproof/harness/error_class.hpp>
#include <flowproof/harness/flow.hpp>

#include "in_flight.hpp"

#include <mutex>
#include <vector>

namespace flowproof::harness {
namespace {

struct CancellationRegistry {
  std::mutex mutex;
  std::vector<std::function<bool(std::exception_ptr)>> predicates;
};

CancellationRegistry& registry() {
  static CancellationRegistry instance;
  return instance;
}

bool safe_call(const std::function<bool(std::exception_ptr)>& predicate, std::exception_ptr error) {
  try {
    return predicate(std::move(error));
  } catch (...) {
    return false;
  }
}

}  // namespace

FlowTracker::FlowTracker(Client* client, FlowDefinition flow, FlowOptions options,
                         nlohmann::json started_properties)
    : client_(client),
      flow_(std::move(flow)),
      options_(std::move(options)),
      clock_(options_.clock != nullptr ? options_.clock : &system_clock()),
      started_at_(clock_->steady_now()),
      uncaught_at_start_(std::uncaught_exceptions()) {
  if (!options_.properties.is_object()) {
    if (!options_.properties.is_null() && client_ != nullptr) {
      client_->report_refused_properties(flow_.started, options_.properties);
    }
    options_.properties = nlohmann::json::object();
  }
  if (client_ != nullptr && !flow_.started.empty()) {
    client_->track(flow_.started, flow_properties(flow_.started, std::move(started_properties)));
  }
}

FlowTracker::~FlowTracker() {
  if (ended()) return;
  try {
    if (std::uncaught_exceptions() > uncaught_at_start_) {
      std::exception_ptr error = detail::in_flight_exception();
      if (error) {
        fail(error);
      } else {
        fail(unknown_error_class);
      }
    } else {
      fail(no_terminal_error_class);
    }
  } catch (...) {
    // A destructor that may run during unwinding must never throw; the terminal is lost.
  }
}

void FlowTracker::step(std::string_view step) { step_ = std::string(step); }

void FlowTracker::track(std::string_view event, nlohmann::json properties) {
  if (client_ == nullptr) return;
  const std::string name(event);
  client_->track(name, flow_properties(name, std::move(properties)));
}

bool FlowTracker::complete(nlohmann::json properties) {
  return emit_terminal(TerminalKind::completed, flow_.completed,
                       flow_properties(flow_.completed, std::move(properties)));
}

bool FlowTracker::abort(std::string_view reason, nlohmann::json properties) {
  properties = flow_properties(flow_.aborted, std::move(properties));
  properties[flow_.step_property] = step_;
  properties[flow_.reason_property] = std::string(reason);
  return emit_terminal(TerminalKind::aborted, flow_.aborted, std::move(properties));
}

bool FlowTracker::fail(std::string_view error_class, nlohmann::json properties) {
  properties = flow_properties(flow_.failed, std::move(properties));
  properties[flow_.step_property] = step_;
  properties[flow_.error_property] = std::string(error_class);
  return emit_terminal(TerminalKind::failed, flow_.failed, std::move(properties));
}

bool FlowTracker::fail(std::exception_ptr error, nlohmann::json properties) {
  if (error && is_cancellation(error)) {
    return abort(flow_.cancelled_reason, std::move(properties));
  }
  return fail(harness::error_class(error), std::move(properties));
}

bool FlowTracker::is_cancellation(std::exception_ptr error) const {
  if (!error) return false;
  if (options_.is_cancellation) return safe_call(options_.is_cancellation, std::move(error));
  return is_registered_cancellation(std::move(error));
}

std::int64_t FlowTracker::elapsed_ms() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_->steady_now() - started_at_)
      .count();
}

// A call site's properties that are neither an object nor null (complete({"region", "eu"}) is an
// array) cannot be merged: the event goes out without them — the tracker must never throw into the
// product — and the client is told, so that the tests see it (RecordingClient::verify()).
nlohmann::json FlowTracker::flow_properties(const std::string& event,
                                            nlohmann::json properties) const {
  if (!properties.is_object()) {
    if (!properties.is_null() && client_ != nullptr) {
      client_->report_refused_properties(event.empty() ? flow_.id : event, properties);
    }
    properties = nlohmann::json::object();
  }
  for (const auto& [key, value] : options_.properties.items()) properties[key] = value;
  return properties;
}

// properties already hold the flow's properties; only the duration is added here.
bool FlowTracker::emit_terminal(TerminalKind kind, const std::string& event,
                                nlohmann::json properties) {
  if (terminal_ != TerminalKind::none) {
    ++refused_;
    return false;
  }
  terminal_ = kind;
  // A terminal the flow does not declare closes the instance without an event.
  if (client_ == nullptr || event.empty()) return true;
  if (!flow_.duration_property.empty()) properties[flow_.duration_property] = elapsed_ms();
  client_->track(event, std::move(properties));
  return true;
}

void register_cancellation(std::function<bool(std::exception_ptr)> predicate) {
  if (!predicate) return;
  std::lock_guard lock(registry().mutex);
  registry().predicates.push_back(std::move(predicate));
}

bool is_registered_cancellation(std::exception_ptr error) {
  if (!error) return false;
  std::vector<std::function<bool(std::exception_ptr)>> predicates;
  {
    std::lock_guard lock(registry().mutex);
    predicates = registry().predicates;
  }
  for (const auto& predicate : predicates) {
    if (safe_call(predicate, error)) return true;
  }
  return false;
}

void clear_cancellations() {
  std::lock_guard lock(registry().mutex);
  registry().predicates.clear();
}

}  // namespace flowproof::harness

// cloud_cli/errors.hpp — the product's own exception types.
//
// Telemetry reports an error by its type name (harness::error_class gives "cloud_cli::ApiError"),
// never by its message, so each failure the product distinguishes gets a type of its own:
//
//   try { api.create_application(name, plan, region); }
//   catch (const cloud_cli::RegionUnavailable& e) { region = e.alternative(); }  // retry elsewhere
#pragma once

#include <stdexcept>
#include <string>

namespace cloud_cli {

/// The user pressed Ctrl-C (at a prompt, during a wait or during a backend call).
class UserCancelled : public std::runtime_error {
 public:
  UserCancelled() : std::runtime_error("cancelled") {}
};

/// Standard input ended (Ctrl-D, a closed pipe) while a prompt waited for an answer.
class InputClosed : public std::runtime_error {
 public:
  InputClosed() : std::runtime_error("input closed") {}
};

/// A value the command needs was not given and cannot be asked for (--non-interactive).
class MissingValue : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The user declined the terms of service.
class TermsDeclined : public std::runtime_error {
 public:
  TermsDeclined() : std::runtime_error("terms declined") {}
};

/// The chosen plan needs a payment method (the billing wall).
class BillingRequired : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The application is already on the requested plan.
class AlreadyOnPlan : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// There is no plan to upgrade or downgrade to.
class NoCandidates : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The region's cluster cannot take a new application; alternative() suggests another region.
class RegionUnavailable : public std::runtime_error {
 public:
  RegionUnavailable(std::string region, std::string alternative)
      : std::runtime_error("cluster unavailable in " + region),
        region_(std::move(region)),
        alternative_(std::move(alternative)) {}
  const std::string& region() const { return region_; }
  /// The region the service suggests instead (may be empty).
  const std::string& alternative() const { return alternative_; }

 private:
  std::string region_;
  std::string alternative_;
};

/// The API answered with an error status.
class ApiError : public std::runtime_error {
 public:
  ApiError(int status, const std::string& message)
      : std::runtime_error("API error " + std::to_string(status) + ": " + message),
        status_(status) {}
  int status() const { return status_; }

 private:
  int status_;
};

/// The API could not be reached.
class NetworkError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The API did not answer in time.
class ApiTimeout : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace cloud_cli

// cloud_cli/api.hpp — CloudApi: the product's typed API client over a flowproof::fakes::Backend.
//
// The product talks to its service through one `call(operation, request)` seam; tests plug in a
// fakes::ScriptedBackend, the real program a local simulation (simulation.hpp). CloudApi turns
// error outcomes into the product's own exception types (errors.hpp):
//
//   fakes::ScriptedBackend backend(session);
//   backend.on("create_application").region_unavailable("eu-west-1");
//   CloudApi api(backend);
//   api.create_application("shop", "build", "eu-west-1");   // throws cloud_cli::RegionUnavailable
#pragma once

#include <flowproof/fakes/backend.hpp>

#include <string>
#include <vector>

namespace cloud_cli {

/// An application as the API describes it.
struct Application {
  std::string id;
  std::string name;
  std::string plan;  ///< the plan template, e.g. "build" for the free tier
  std::string region;
};

/// The plan templates the service offers, cheapest first ("build" is the free tier).
const std::vector<std::string>& plan_templates();

class CloudApi {
 public:
  /// The backend is not owned and must outlive the api.
  explicit CloudApi(flowproof::fakes::Backend& backend) : backend_(&backend) {}

  /// Whether the stored session is still valid (operation `get_session`).
  bool session_valid();
  /// Renews the session silently (operation `refresh_session`).
  void refresh_session();
  /// Exchanges a browser sign-in code for a session (operation `exchange_code`).
  void exchange_code(const std::string& code);
  /// The code the browser sign-in produced (operation `poll_browser_code`).
  std::string poll_browser_code();
  /// The user's applications (operation `list_applications`).
  std::vector<Application> list_applications();
  /// Regions an application can be created in (operation `list_regions`).
  std::vector<std::string> list_regions();
  /// Throws BillingRequired when the plan needs a payment method (operation `check_billing`).
  void check_billing(const std::string& plan_template);
  /// Creates an application (operation `create_application`); RegionUnavailable names an
  /// alternative.
  Application create_application(const std::string& name, const std::string& plan_template,
                                 const std::string& region);
  /// Creates the application's first API key (operation `create_api_key`).
  void create_api_key(const std::string& app_id);
  /// Applies the plan's settings to a new application (operation `apply_plan`).
  void apply_plan(const std::string& app_id, const std::string& plan_template);
  /// Writes the local profile for the application (operation `configure_profile`).
  void configure_profile(const std::string& app_id);
  /// The application's current plan template (operation `get_plan`).
  std::string current_plan(const std::string& app_id);
  /// Plans the application may move to (operation `list_plan_candidates`).
  std::vector<std::string> plan_candidates(const std::string& app_id, const std::string& direction);
  /// Moves the application to another plan (operation `change_plan`).
  void change_plan(const std::string& app_id, const std::string& plan_template);
  /// Opens the web dashboard (operation `open_dashboard`).
  void open_dashboard(const std::string& app_id);

 private:
  nlohmann::json call(std::string_view operation, const nlohmann::json& request);

  flowproof::fakes::Backend* backend_;
};

}  // namespace cloud_cli

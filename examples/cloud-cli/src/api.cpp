// CloudApi: typed operations over the Backend seam, with error outcomes mapped to product errors.
#include "cloud_cli/api.hpp"

#include "cloud_cli/errors.hpp"
#include "cloud_cli/zoo.hpp"

namespace cloud_cli {

namespace fakes = flowproof::fakes;

const std::vector<std::string>& plan_templates() {
  static const std::vector<std::string> plans = {"build", "grow", "grow-plus", "premium",
                                                 "elevate"};
  return plans;
}

nlohmann::json CloudApi::call(std::string_view operation, const nlohmann::json& request) {
#if CLOUD_CLI_DEFECT_IS(no_terminal_on_ctrl_c_outside_prompt)
  // BUG: SIGINT is handled only while a prompt reads, so a Ctrl-C during a backend call takes
  // SIGINT's default action: the process ends on the spot, its funnel and command still open.
  const fakes::Response response = [&] {
    try {
      return backend_->call(operation, request);
    } catch (const UserCancelled&) {
      zoo::end_process_on_sigint();
      throw;
    }
  }();
#else
  const fakes::Response response = backend_->call(operation, request);
#endif
  const std::string message = response.message.empty() ? std::string(operation) : response.message;
  switch (response.outcome) {
    case fakes::Outcome::success:
      return response.body.is_object() ? response.body : nlohmann::json::object();
    case fakes::Outcome::billing_required:
      throw BillingRequired(message);
    case fakes::Outcome::already_on_plan:
      throw AlreadyOnPlan(message);
    case fakes::Outcome::no_candidates:
      throw NoCandidates(message);
    case fakes::Outcome::region_unavailable: {
      const nlohmann::json& body = response.body;
      std::string region = body.is_object() ? body.value("region", "") : "";
      std::string alternative = body.is_object() ? body.value("alternative", "") : "";
      if (region.empty()) region = request.value("region", "");
      throw RegionUnavailable(region, alternative);
    }
    case fakes::Outcome::network_error:
      throw NetworkError(message);
    case fakes::Outcome::timeout:
      throw ApiTimeout(message);
    case fakes::Outcome::interrupted:
      // A fake backend throws the session's cancellation itself; this is the fallback.
      throw UserCancelled();
    case fakes::Outcome::http_error:
      break;
  }
#if CLOUD_CLI_DEFECT_IS(generic_error_class)
  // BUG: an HTTP error thrown as a bare std::runtime_error: the message is right, but telemetry
  // reports the error class "std::runtime_error" instead of the product's cloud_cli::ApiError.
  throw std::runtime_error("API error " + std::to_string(response.status) + ": " + message);
#else
  throw ApiError(response.status, message);
#endif
}

bool CloudApi::session_valid() { return call("get_session", {}).value("valid", true); }

void CloudApi::refresh_session() { call("refresh_session", {}); }

void CloudApi::exchange_code(const std::string& code) { call("exchange_code", {{"code", code}}); }

std::string CloudApi::poll_browser_code() {
  return call("poll_browser_code", {}).value("code", "browser-code");
}

std::vector<Application> CloudApi::list_applications() {
  std::vector<Application> applications;
  const nlohmann::json body = call("list_applications", {});
  for (const nlohmann::json& item : body.value("applications", nlohmann::json::array())) {
    applications.push_back({item.value("id", ""), item.value("name", ""),
                            item.value("plan", "build"), item.value("region", "")});
  }
  return applications;
}

std::vector<std::string> CloudApi::list_regions() {
  const nlohmann::json body = call("list_regions", {});
  std::vector<std::string> regions = body.value("regions", std::vector<std::string>{});
  if (regions.empty()) regions = {"us-east-1", "eu-west-1", "ap-south-1"};
  return regions;
}

void CloudApi::check_billing(const std::string& plan_template) {
  call("check_billing", {{"plan", plan_template}});
}

Application CloudApi::create_application(const std::string& name, const std::string& plan_template,
                                         const std::string& region) {
  const nlohmann::json body =
      call("create_application", {{"name", name}, {"plan", plan_template}, {"region", region}});
  return {body.value("id", "app-" + name), name, plan_template, body.value("region", region)};
}

void CloudApi::create_api_key(const std::string& app_id) {
  call("create_api_key", {{"app_id", app_id}});
}

void CloudApi::apply_plan(const std::string& app_id, const std::string& plan_template) {
  call("apply_plan", {{"app_id", app_id}, {"plan", plan_template}});
}

void CloudApi::configure_profile(const std::string& app_id) {
  call("configure_profile", {{"app_id", app_id}});
}

std::string CloudApi::current_plan(const std::string& app_id) {
  return call("get_plan", {{"app_id", app_id}}).value("plan", "build");
}

std::vector<std::string> CloudApi::plan_candidates(const std::string& app_id,
                                                   const std::string& direction) {
  const nlohmann::json body =
      call("list_plan_candidates", {{"app_id", app_id}, {"direction", direction}});
  return body.value("plans", std::vector<std::string>{});
}

void CloudApi::change_plan(const std::string& app_id, const std::string& plan_template) {
  call("change_plan", {{"app_id", app_id}, {"plan", plan_template}});
}

void CloudApi::open_dashboard(const std::string& app_id) {
  call("open_dashboard", {{"app_id", app_id}});
}

}  // namespace cloud_cli

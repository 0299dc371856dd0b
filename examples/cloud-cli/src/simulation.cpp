// The example-only simulated service behind the real `cloud-cli` (see cloud_cli/simulation.hpp).
#include "cloud_cli/simulation.hpp"

#include "cloud_cli/terminal.hpp"

#include <algorithm>
#include <chrono>
#include <stdexcept>

namespace cloud_cli {

using flowproof::fakes::Response;
using namespace std::chrono_literals;

const std::vector<std::string>& SimulatedBackend::known_outcomes() {
  static const std::vector<std::string> outcomes = {
      "billing-wall",  "region-unavailable", "api-error",    "network-error", "already-on-plan",
      "no-candidates", "session-expired",    "slow-browser", "slow-api"};
  return outcomes;
}

SimulatedBackend::SimulatedBackend(const std::vector<std::string>& outcomes,
                                   flowproof::fakes::Waiter& waiter)
    : waiter_(&waiter) {
  for (const std::string& outcome : outcomes) {
    const auto& known = known_outcomes();
    if (std::find(known.begin(), known.end(), outcome) == known.end())
      throw std::invalid_argument("unknown --simulate outcome \"" + outcome + "\"");
    pending_.insert(outcome);
    asked_.insert(outcome);
  }
}

bool SimulatedBackend::take(const std::string& outcome) { return pending_.erase(outcome) > 0; }

Response SimulatedBackend::call(std::string_view operation, const nlohmann::json& request) {
  const std::string op(operation);
  // Ctrl-C during a call ends it as the product's cancellation.
  throw_if_interrupted();
  if (asked_.contains("slow-api")) waiter_->wait("api:" + op, 30s);
  if (op == "poll_browser_code" && asked_.contains("slow-browser")) waiter_->wait("browser", 60s);
  waiter_->wait("api:" + op, 50ms);  // a little latency, interruptible like the real thing

  if (op == "get_session") return Response::success({{"valid", !take("session-expired")}});
  if (op == "poll_browser_code") return Response::success({{"code", "simulated-code"}});
  if (op == "exchange_code") {
    if (take("api-error")) return Response::http_error(500, {}, "internal error");
    return Response::success({{"token", "simulated"}});
  }
  if (op == "list_applications") {
    if (take("network-error")) return Response::network_error();
    return Response::success(
        {{"applications",
          {{{"id", "app-7f3a"}, {"name", "shop"}, {"plan", "grow"}, {"region", "eu-west-1"}}}}});
  }
  if (op == "list_regions")
    return Response::success({{"regions", {"us-east-1", "eu-west-1", "ap-south-1"}}});
  if (op == "check_billing") {
    if (take("billing-wall")) return Response::billing_required();
    return Response::success();
  }
  if (op == "create_application") {
    const std::string region = request.value("region", "us-east-1");
    if (take("region-unavailable")) {
      Response response = Response::region_unavailable(region);
      response.body["alternative"] = region == "eu-west-1" ? "us-east-1" : "eu-west-1";
      return response;
    }
    if (take("api-error")) return Response::http_error(500, {}, "internal error");
    return Response::success({{"id", "app-" + request.value("name", "new")}, {"region", region}});
  }
  if (op == "create_api_key") {
    if (take("network-error")) return Response::network_error();
    return Response::success({{"key_id", "key-1"}});
  }
  if (op == "get_plan") {
    if (take("network-error")) return Response::network_error();
    return Response::success({{"plan", "grow"}});
  }
  if (op == "list_plan_candidates") {
    if (take("no-candidates")) return Response::success({{"plans", nlohmann::json::array()}});
    if (request.value("direction", "upgrade") == "downgrade")
      return Response::success({{"plans", {"build"}}});
    return Response::success({{"plans", {"grow-plus", "premium", "elevate"}}});
  }
  if (op == "change_plan") {
    if (take("already-on-plan")) return Response::already_on_plan(request.value("plan", ""));
    if (take("billing-wall")) return Response::billing_required();
    if (take("api-error")) return Response::http_error(500, {}, "internal error");
    return Response::success();
  }
  return Response::success();  // refresh_session, apply_plan, configure_profile, open_dashboard
}

}  // namespace cloud_cli

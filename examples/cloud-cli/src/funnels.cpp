// The product's funnel definitions (see cloud_cli/funnels.hpp).
#include "cloud_cli/funnels.hpp"

namespace cloud_cli::funnels {

namespace {
flowproof::harness::FlowDefinition flow(std::string id, const std::string& prefix) {
  flowproof::harness::FlowDefinition definition;
  definition.id = std::move(id);
  definition.started = prefix + " Started";
  definition.completed = prefix + " Completed";
  definition.aborted = prefix + " Aborted";
  definition.failed = prefix + " Failed";
  return definition;
}
}  // namespace

flowproof::harness::FlowDefinition auth() { return flow("auth", "CLI Auth"); }

flowproof::harness::FlowDefinition application_create() {
  return flow("application_create", "CLI Application Create");
}

flowproof::harness::FlowDefinition plan_change() {
  return flow("plan_change", "CLI Application Plan Change");
}

std::string reported_plan(const std::string& plan_template) {
  return plan_template == "build" ? "free" : plan_template;
}

}  // namespace cloud_cli::funnels

// cloud_cli/funnels.hpp — the product's funnels, named exactly as cli.plan.json declares them.
//
// A real product keeps its event names in code; the tests prove they match the tracking plan.
//
//   harness::FlowTracker flow(&client, cloud_cli::funnels::application_create(), options);
//   flow.track(cloud_cli::funnels::create_accepted_terms, {{"plan", "free"}});
#pragma once

#include <flowproof/harness/flow.hpp>

#include <string>

namespace cloud_cli::funnels {

inline constexpr const char* command_invoked = "Command Invoked";
inline constexpr const char* command_completed = "Command Completed";
inline constexpr const char* create_accepted_terms = "CLI Application Create Accepted Terms";
inline constexpr const char* create_declined_terms = "CLI Application Create Declined Terms";
inline constexpr const char* plan_change_accepted_terms =
    "CLI Application Plan Change Accepted Terms";
inline constexpr const char* plan_change_declined_terms =
    "CLI Application Plan Change Declined Terms";

/// `auth`: CLI Auth Started / Completed / Aborted / Failed.
flowproof::harness::FlowDefinition auth();
/// `application_create`: CLI Application Create Started / Completed / Aborted / Failed.
flowproof::harness::FlowDefinition application_create();
/// `plan_change`: CLI Application Plan Change Started / Completed / Aborted / Failed.
flowproof::harness::FlowDefinition plan_change();

/// The plan id telemetry reports for a plan template: the free tier's template `build` is `free`.
std::string reported_plan(const std::string& plan_template);

}  // namespace cloud_cli::funnels

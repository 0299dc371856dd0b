// cloud_cli/commands.hpp — the commands and the services they are given.
//
// Every dependency a command has is injected, so a test reaches each funnel outcome with fakes:
//
//   Services services{.client = recording, .prompter = prompter, .api = api,
//                     .waiter = waiter, .clock = session.clock()};
//   app_create(invocation, services);   // CLI Application Create Started ... one terminal
#pragma once

#include "cloud_cli/api.hpp"
#include "cloud_cli/cli.hpp"

#include <flowproof/fakes/prompter.hpp>
#include <flowproof/fakes/waiter.hpp>
#include <flowproof/harness/client.hpp>
#include <flowproof/harness/clock.hpp>
#include <flowproof/harness/flow.hpp>

#include <functional>
#include <iostream>
#include <string>

namespace cloud_cli {

/// What a command works with.
struct Services {
  flowproof::harness::Client& client;    ///< telemetry
  flowproof::fakes::Prompter& prompter;  ///< questions to the user
  CloudApi& api;                         ///< the service
  flowproof::fakes::Waiter& waiter;      ///< spinners and browser waits
  flowproof::harness::Clock& clock;      ///< durations
  /// Called once the application the command works on is known (sets the app_id base property).
  std::function<void(const std::string& app_id)> app_known = {};
  std::ostream* out = &std::cerr;  ///< messages for the user
};

/// Registers UserCancelled as the cancellation every FlowTracker reports as Aborted{cancelled}.
void register_cancellations();

/// `auth login`: the auth funnel (steps browser_wait ... profile_configure).
void auth_login(const Invocation& invocation, Services& services);
/// `app create`: the application_create funnel; a dry run emits no funnel events.
void app_create(const Invocation& invocation, Services& services);
/// `app upgrade` / `app downgrade`: the plan_change funnel, direction from the command.
void app_change_plan(const Invocation& invocation, Services& services);

}  // namespace cloud_cli

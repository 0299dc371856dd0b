// The commands: auth login, app create, app upgrade/downgrade, each instrumented with FlowTracker.
//
// The pattern every command follows:
//   1. construct a FlowTracker (emits Started) — with a null client on a dry run, so it stays
//   silent;
//   2. call flow.step(...) before each stage, so a terminal names the stage it ended in;
//   3. end with exactly one of complete / abort / fail; unexpected exceptions go through
//      flow.fail(std::current_exception()), which reports UserCancelled as Aborted{cancelled}.
#include "cloud_cli/commands.hpp"

#include "cloud_cli/errors.hpp"
#include "cloud_cli/funnels.hpp"
#include "cloud_cli/zoo.hpp"

#include <algorithm>
#include <chrono>
#include <mutex>

namespace cloud_cli {

namespace harness = flowproof::harness;
using namespace std::chrono_literals;

void register_cancellations() {
  static std::once_flag once;
  std::call_once(once, [] { harness::register_cancellation<UserCancelled>(); });
}

namespace {

harness::FlowOptions flow_options(Services& services, nlohmann::json properties = {}) {
  harness::FlowOptions options;
  options.clock = &services.clock;
  options.properties = properties.is_object() ? std::move(properties) : nlohmann::json::object();
  return options;
}

void app_known(Services& services, const std::string& app_id) {
  if (services.app_known && !app_id.empty()) services.app_known(app_id);
}

/// Renews an expired session silently. Deliberately no auth funnel: a nested funnel would count
/// the user twice.
void ensure_session(Services& services) {
  if (services.api.session_valid()) return;
#if CLOUD_CLI_DEFECT_IS(nested_auth_funnel)
  // BUG: the silent renewal tracked as a sign-in, inside the command's own funnel.
  harness::FlowTracker auth(&services.client, funnels::auth(),
                            flow_options(services, {{"flow", "login"}}));
  auth.step("code_exchange");
  services.api.refresh_session();
  auth.complete();
#else
  services.api.refresh_session();
#endif
}

/// The flag's value, or the user's answer to a question; --non-interactive makes it an error.
std::string text_or_ask(const std::optional<std::string>& given, const Invocation& invocation,
                        Services& services, const std::string& question,
                        const std::string& default_answer) {
  if (given) return *given;
  if (invocation.non_interactive) throw MissingValue(question);
  return services.prompter.text(question, default_answer);
}

std::string choose_or_ask(const std::optional<std::string>& given, const Invocation& invocation,
                          Services& services, const std::string& question,
                          const std::vector<std::string>& options) {
  if (given) return *given;
  if (invocation.non_interactive || options.size() == 1) {
    if (options.empty()) throw MissingValue(question);
    return options.front();
  }
  return options.at(services.prompter.select(question, options));
}

/// Accepts the template id or the name telemetry uses: `--plan free` means template `build`.
std::string plan_template(std::string plan) { return plan == "free" ? "build" : plan; }

/// A courtesy step after the work is done: whatever happens here, the change stays Completed.
/// (Unused in the zoo's cancelled_after_success variant, which inlines it without its catch.)
[[maybe_unused]] void offer_dashboard(const Invocation& invocation, Services& services,
                                      const std::string& app_id) {
  if (invocation.non_interactive) return;
  try {
    if (services.prompter.confirm("Open the dashboard?", false))
      services.api.open_dashboard(app_id);
  } catch (const std::runtime_error& error) {  // product errors and UserCancelled, not test bugs
    *services.out << "Could not open the dashboard (" << error.what() << ").\n";
  }
}

}  // namespace

void auth_login(const Invocation& invocation, Services& services) {
  harness::FlowTracker flow(&services.client, funnels::auth(),
                            flow_options(services, {{"flow", "login"}}),
                            {{"no_browser", invocation.no_browser}});
  try {
    flow.step("browser_wait");
    std::string code;
    if (invocation.no_browser) {
      code = services.prompter.text("Paste the code shown in your browser", "");
    } else {
      *services.out << "Waiting for you to sign in with the browser...\n";
      services.waiter.wait("browser", 2s);
      code = services.api.poll_browser_code();
    }

    flow.step("code_exchange");
    services.api.exchange_code(code);

    flow.step("apps_fetch");
    const std::vector<Application> applications = services.api.list_applications();

    std::string app_id;
    if (!applications.empty()) {
      flow.step("app_select");
      std::vector<std::string> options;
      for (const Application& application : applications) options.push_back(application.name);
      options.push_back("Create a new application");
      const std::size_t chosen = services.prompter.select("Choose an application", options);
      if (chosen < applications.size()) app_id = applications[chosen].id;
    }
    if (app_id.empty()) {
      // Created automatically as part of login: no application_create funnel of its own.
      flow.step("app_create");
      app_id = services.api.create_application("my-first-app", "build", "us-east-1").id;
    }
    app_known(services, app_id);

    flow.step("profile_configure");
    services.api.configure_profile(app_id);
    flow.complete();
    *services.out << "Signed in.\n";
  } catch (...) {
    flow.fail(std::current_exception());  // UserCancelled -> Aborted{cancelled}; else Failed
    throw;
  }
}

void app_create(const Invocation& invocation, Services& services) {
  // A dry run is not a funnel: the tracker gets no client and emits nothing.
  harness::Client* telemetry = invocation.dry_run ? nullptr : &services.client;
#if CLOUD_CLI_DEFECT_IS(tracked_dry_run)
  telemetry = &services.client;  // BUG: a dry run tracked like a real creation
#endif
  harness::FlowTracker flow(telemetry, funnels::application_create(), flow_options(services));
  try {
    flow.step("name");
    const std::string name =
        text_or_ask(invocation.name, invocation, services, "Application name", "my-app");

    flow.step("auth");
    ensure_session(services);

    flow.step("plan");
    const std::string plan = plan_template(
        choose_or_ask(invocation.plan, invocation, services, "Choose a plan", plan_templates()));
    services.api.check_billing(plan);  // the billing wall: BillingRequired

    flow.step("terms");
    const nlohmann::json terms = {{"plan", funnels::reported_plan(plan)}};
    if (!invocation.yes) {
      if (invocation.non_interactive) throw MissingValue("accepting the terms needs --yes");
      if (!services.prompter.confirm("Accept the terms of service for the " + plan + " plan?",
                                     false)) {
        flow.track(funnels::create_declined_terms, terms);
#if CLOUD_CLI_DEFECT_IS(abort_without_reason)
        flow.abort("");  // BUG: the abort names no reason
#else
        flow.abort("declined_terms");
#endif
        throw TermsDeclined();
      }
    }
    flow.track(funnels::create_accepted_terms, terms);

    flow.step("region");
    std::vector<std::string> regions = services.api.list_regions();
    std::string region =
        choose_or_ask(invocation.region, invocation, services, "Choose a region", regions);
#if CLOUD_CLI_DEFECT_IS(wrong_region_after_retry)
    const std::string chosen_region = region;  // BUG (see Completed below): kept for the report
#endif

    if (invocation.dry_run) {
      *services.out << "Dry run: would create " << name << " (" << plan << ") in " << region
                    << "\n";
      flow.complete();  // silent: the tracker has no client
      return;
    }

    flow.step("api_call");
    Application application;
    for (int attempt = 1;; ++attempt) {
      try {
        application = services.api.create_application(name, plan, region);
        break;
      } catch (const RegionUnavailable& unavailable) {
        if (attempt == 3) throw;
        std::erase(regions, unavailable.region());
        const bool suggested = !unavailable.alternative().empty() && invocation.non_interactive;
        if (regions.empty() && !suggested) throw;  // no region left to offer
        // Retry in another region; the region reported at the end is the one actually used.
        flow.step("region");
        *services.out << "The cluster in " << unavailable.region() << " is unavailable.\n";
        region = suggested ? unavailable.alternative()
                           : choose_or_ask(std::nullopt, invocation, services,
                                           "Choose another region", regions);
        flow.step("api_call");
      }
    }
    app_known(services, application.id);

    flow.step("api_key");
    services.api.create_api_key(application.id);
    flow.step("apply_plan");
    services.api.apply_plan(application.id, plan);
    flow.step("profile_configure");
    services.api.configure_profile(application.id);

#if CLOUD_CLI_DEFECT_IS(wrong_region_after_retry)
    // BUG: reports the region the user chose; after a region retry that is the full one, not the
    // one the application was created in.
    flow.complete({{"region", chosen_region}, {"plan", funnels::reported_plan(plan)}});
#else
    flow.complete({{"region", region}, {"plan", funnels::reported_plan(plan)}});
#endif
    *services.out << "Created " << application.id << " in " << region << ".\n";
  } catch (const BillingRequired&) {
    // Interactive or not, the billing wall is the user's stop, not a failure.
    flow.abort("billing_required");
#if CLOUD_CLI_DEFECT_IS(two_terminals_on_billing_wall)
    // BUG: the wall also reported as the funnel's failure, by name, past the tracker's guard.
    services.client.track(funnels::application_create().failed,
                          {{"step", flow.current_step()},
                           {"error_class", "cloud_cli::BillingRequired"},
                           {"duration_ms", flow.elapsed_ms()}});
#endif
    throw;
#if CLOUD_CLI_DEFECT_IS(message_as_error_class)
  } catch (const ApiError& error) {
    flow.fail(error.what());  // BUG: the message ("API error 500: ...") as the error class
    throw;
#endif
  } catch (...) {
    if (!flow.ended()) flow.fail(std::current_exception());
    throw;
  }
}

void app_change_plan(const Invocation& invocation, Services& services) {
  const std::string direction = invocation.command == "app downgrade" ? "downgrade" : "upgrade";
  harness::Client* telemetry = invocation.dry_run ? nullptr : &services.client;
  // `direction` is a flow property: Started, the terms events and the terminal all carry it.
  harness::FlowTracker flow(telemetry, funnels::plan_change(),
                            flow_options(services, {{"direction", direction}}));
  std::string app_id;
  try {
    flow.step("auth");
    ensure_session(services);

    flow.step("plan");
    if (invocation.app) {
      app_id = *invocation.app;
    } else {
      std::vector<std::string> names;
      const std::vector<Application> applications = services.api.list_applications();
      for (const Application& application : applications) names.push_back(application.name);
      const std::string chosen =
          choose_or_ask(std::nullopt, invocation, services, "Choose an application", names);
      app_id = applications.at(std::find(names.begin(), names.end(), chosen) - names.begin()).id;
    }
    app_known(services, app_id);
    const std::string from = services.api.current_plan(app_id);
    const std::vector<std::string> candidates = services.api.plan_candidates(app_id, direction);
    if (candidates.empty()) throw NoCandidates("no plan to " + direction + " to");
    const std::string to = invocation.plan ? plan_template(*invocation.plan)
                                           : choose_or_ask(std::nullopt, invocation, services,
                                                           "Choose the new plan", candidates);
    if (to == from) throw AlreadyOnPlan("already on " + to);

    flow.step("terms");
    const nlohmann::json terms = {{"plan", funnels::reported_plan(to)}};
    if (!invocation.yes) {
      if (invocation.non_interactive) throw MissingValue("accepting the terms needs --yes");
      if (!services.prompter.confirm("Accept the terms of the " + to + " plan?", false)) {
        flow.track(funnels::plan_change_declined_terms, terms);
        flow.abort("declined_terms");
        throw TermsDeclined();
      }
    }
    flow.track(funnels::plan_change_accepted_terms, terms);

    if (invocation.dry_run) {
      *services.out << "Dry run: would " << direction << " " << app_id << " to " << to << "\n";
      flow.complete();
      return;
    }
    flow.step("api_call");
    services.api.change_plan(app_id, to);
#if CLOUD_CLI_DEFECT_IS(cancelled_after_success)
    // BUG: the dashboard offer inside the funnel, outside its own catch: a Ctrl-C at "Open the
    // dashboard?" turns the change that just succeeded into Aborted{cancelled}.
    if (!invocation.non_interactive && services.prompter.confirm("Open the dashboard?", false))
      services.api.open_dashboard(app_id);
#elif CLOUD_CLI_DEFECT_IS(duration_includes_later_wait)
    // BUG: the courtesy step before Completed: the funnel's duration includes it.
    offer_dashboard(invocation, services, app_id);
#endif
    flow.complete(
        {{"from_plan", funnels::reported_plan(from)}, {"to_plan", funnels::reported_plan(to)}});
    *services.out << "Moved " << app_id << " from " << from << " to " << to << ".\n";
  } catch (const AlreadyOnPlan&) {
    flow.abort("already_on_plan");
    *services.out << app_id << " is already on that plan.\n";
    return;  // nothing to do is not an error
  } catch (const NoCandidates&) {
    flow.abort("no_candidates");
    throw;
  } catch (const BillingRequired&) {
    flow.abort("billing_required");
    throw;
  } catch (...) {
    if (!flow.ended()) flow.fail(std::current_exception());
    throw;
  }

#if !CLOUD_CLI_DEFECT_IS(cancelled_after_success) && \
    !CLOUD_CLI_DEFECT_IS(duration_includes_later_wait)
  offer_dashboard(invocation, services, app_id);  // after the funnel ended
#endif
}

}  // namespace cloud_cli

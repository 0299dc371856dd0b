// properties_cloud_cli_test.cpp — the generic funnel property applied to the real cloud-cli: every
// funnel (auth, application_create, plan_change) run through random prompts, backend outcomes and
// Ctrl-C points must end exactly once, validly, with exact durations, and reach every outcome the
// plan declares. Failures are saved under test/corpus/<flow>/ and replay as ordinary tests.
#include "cloud_cli/api.hpp"
#include "cloud_cli/cli.hpp"
#include "cloud_cli/commands.hpp"
#include "cloud_cli/errors.hpp"
#include "cloud_cli/telemetry.hpp"

#include <flowproof/conformance/plan.hpp>
#include <flowproof/properties/corpus.hpp>
#include <flowproof/properties/funnel.hpp>

#include <gtest/gtest.h>

#include <sstream>
#include <string>

namespace cloud_cli::property_tests {
namespace {

namespace fakes = flowproof::fakes;
namespace conformance = flowproof::conformance;
namespace properties = flowproof::properties;
using json = nlohmann::json;

const conformance::Plan& plan() {
  static const conformance::Plan loaded = conformance::load_plan(CLOUD_CLI_PLAN_PATH);
  return loaded;
}

std::string corpus(const std::string& flow) {
  return std::string(CLOUD_CLI_PROPERTIES_CORPUS_DIR) + "/" + flow;
}

const char* const invocation_id = "3f0c2a9e-7b1d-4c5e-9f8a-0d1e2f3a4b5c";

// Runs the real program's command with the world's fakes; flags are drawn.
void run_cli(properties::World& world, const std::string& command) {
  register_cancellations();
  world.session().set_interruption(fakes::Interruption::as<UserCancelled>());
  world.session().set_end_of_input(fakes::Interruption::as<InputClosed>());
  std::vector<std::string> args;
  std::istringstream words(command);
  for (std::string word; words >> word;) args.push_back(word);
  if (command != "auth login" && world.flag("dry_run", 0.1)) args.push_back("--dry-run");
  if (command == "auth login" && world.flag("no_browser", 0.3)) args.push_back("--no-browser");
  if (command != "auth login" && world.flag("yes", 0.2)) args.push_back("--yes");
  const ParseResult parsed = parse_command_line(args);
  const json base = base_properties(invocation_id, parsed.invocation);
  world.client().set_base_property("flags", base["flags"]);
  CloudApi api(world.backend());
  std::ostringstream out;
  Services services{.client = world.client(),
                    .prompter = world.prompter(),
                    .api = api,
                    .waiter = world.waiter(),
                    .clock = world.clock(),
                    .app_known =
                        [&world](const std::string& app_id) {
                          world.client().set_base_property("app_id", app_id);
                        },
                    .out = &out};
  run_command(parsed.invocation, services);
}

properties::FunnelExpectations expectations_for(const std::string& command) {
  properties::FunnelExpectations expectations;
  Invocation invocation;
  invocation.command = command;
  expectations.world.client.base_properties = base_properties(invocation_id, invocation);
  auto& weights = expectations.world.weights;
  weights.interrupt_probability = 0.04;
  weights.outcomes = {
      {"check_billing", {{fakes::Outcome::success, 5}, {fakes::Outcome::billing_required, 1}}},
      // change_plan is reached in about a fifth of the runs: its billing wall needs a higher
      // weight than check_billing's to be covered within 100 cases whatever the seed.
      {"change_plan", {{fakes::Outcome::success, 2}, {fakes::Outcome::billing_required, 1}}},
      {"list_plan_candidates", {{fakes::Outcome::success, 6}, {fakes::Outcome::no_candidates, 1}}},
      {"create_application",
       {{fakes::Outcome::success, 6},
        {fakes::Outcome::region_unavailable, 1},
        {fakes::Outcome::http_error, 1}}},
  };
  weights.default_outcomes = {{fakes::Outcome::success, 12}, {fakes::Outcome::timeout, 1}};
  weights.success_bodies = {
      {"list_regions", {{"regions", {"us-east-1", "eu-west-1"}}}},
      {"create_application", {{"id", "app-1"}}},
      {"list_applications", {{"applications", {{{"id", "app-1"}, {"name", "shop"}}}}}},
      {"get_plan", {{"plan", "grow"}}},
      {"list_plan_candidates", {{"plans", {"grow", "premium"}}}}};
  const auto declined = [](std::string drawn) {
    return properties::OutcomeRule{.when = "prompt:confirm",
                                   .question = "terms",
                                   .drawn = std::move(drawn),
                                   .terminal = conformance::TerminalKind::aborted,
                                   .reason = "declined_terms",
                                   .step = "terms"};
  };
  expectations.rules = {declined("no"),
                        declined("default"),
                        {.when = "backend:*",
                         .question = "",
                         .drawn = "billing_required",
                         .terminal = conformance::TerminalKind::aborted,
                         .reason = "billing_required",
                         .step = ""},
                        {.when = "backend:change_plan",
                         .question = "",
                         .drawn = "success",
                         .terminal = conformance::TerminalKind::completed,
                         .reason = "",
                         .step = ""}};
  // Ctrl-C ends the flow Aborted{cancelled} (built in) AT THE STEP of the call it came in: one
  // rule per call point whose step is known (these come before the built-in rule, so they decide).
  const auto cancelled_at = [](std::string when, std::string question, std::string step) {
    return properties::OutcomeRule{.when = std::move(when),
                                   .question = std::move(question),
                                   .drawn = "interrupt",
                                   .terminal = conformance::TerminalKind::aborted,
                                   .reason = "cancelled",
                                   .step = std::move(step)};
  };
  // snippet-begin: cancelled-at
  for (properties::OutcomeRule rule : {
           cancelled_at("wait:browser", "", "browser_wait"),
           cancelled_at("prompt:text", "Paste the code", "browser_wait"),
           cancelled_at("prompt:select", "Choose an application", "app_select"),
           cancelled_at("prompt:text", "Application name", "name"),
           cancelled_at("prompt:select", "Choose a plan", "plan"),
           cancelled_at("prompt:select", "Choose the new plan", "plan"),
           cancelled_at("prompt:confirm", "terms", "terms"),
           cancelled_at("backend:change_plan", "", "api_call"),
       }) {
    expectations.rules.push_back(std::move(rule));
  }
  // snippet-end: cancelled-at
  expectations.flow_expected = [](properties::World& w) {
    const properties::ScriptStep* dry_run = w.script().flag("dry_run");
    return dry_run == nullptr || dry_run->value != "true";
  };
  return expectations;
}

properties::FunnelPropertyOptions options_for(const std::string& flow) {
  properties::FunnelPropertyOptions options;
  options.property.seed = 7;
  options.corpus_dir = corpus(flow);
  return options;
}

// snippet-begin: app-create-property
TEST(CloudCliProperties, AppCreateEndsExactlyOnceOnEveryPath) {
  const properties::PropertyResult result = properties::check_funnel_property(
      plan(), "application_create", [](properties::World& w) { run_cli(w, "app create"); },
      expectations_for("app create"), options_for("application_create"));
  properties::report_to_gtest(result, __FILE__, __LINE__);
}
// snippet-end: app-create-property

TEST(CloudCliProperties, PlanChangeEndsExactlyOnceOnEveryPath) {
  const properties::PropertyResult result = properties::check_funnel_property(
      plan(), "plan_change", [](properties::World& w) { run_cli(w, "app upgrade"); },
      expectations_for("app upgrade"), options_for("plan_change"));
  properties::report_to_gtest(result, __FILE__, __LINE__);
}

TEST(CloudCliProperties, AuthEndsExactlyOnceOnEveryPath) {
  properties::FunnelExpectations expectations = expectations_for("auth login");
  expectations.flow_expected = nullptr;
  const properties::PropertyResult result = properties::check_funnel_property(
      plan(), "auth", [](properties::World& w) { run_cli(w, "auth login"); }, expectations,
      options_for("auth"));
  properties::report_to_gtest(result, __FILE__, __LINE__);
}

// Every script saved under test/corpus/<flow>/ replays as a test of its own.
const std::size_t corpus_tests =
    properties::register_corpus_tests(
        "CloudCliCorpusCreate", corpus("application_create"), [] { return plan(); },
        [](properties::World& w) { run_cli(w, "app create"); }, expectations_for("app create")) +
    properties::register_corpus_tests(
        "CloudCliCorpusPlanChange", corpus("plan_change"), [] { return plan(); },
        [](properties::World& w) { run_cli(w, "app upgrade"); }, expectations_for("app upgrade")) +
    properties::register_corpus_tests(
        "CloudCliCorpusAuth", corpus("auth"), [] { return plan(); },
        [](properties::World& w) { run_cli(w, "auth login"); }, expectations_for("auth login"));

}  // namespace
}  // namespace cloud_cli::property_tests

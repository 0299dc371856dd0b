// checker_self_test.cpp — the checker's self-test: a valid stream checks clean, and a stream with
// exactly one injected violation of a rule is reported with exactly that rule — over the example
// plan and over generated plans.
#include <flowproof/conformance/checker.hpp>
#include <flowproof/conformance/plan.hpp>
#include <flowproof/harness/timeline.hpp>
#include <flowproof/properties/mutators.hpp>
#include <flowproof/properties/property.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <set>
#include <string>

namespace flowproof::properties {
namespace {

const conformance::Plan& example_plan() {
  static const conformance::Plan plan = conformance::load_plan(FLOWPROOF_PROPERTIES_EXAMPLE_PLAN);
  return plan;
}

std::string findings(const conformance::Report& report) {
  std::string out;
  for (const auto& violation : report.violations) {
    out += "  " + violation.rule + " " + violation.message + "\n";
  }
  return out.empty() ? "  (none)\n" : out;
}

void check_injected_rule(const conformance::Plan& plan, int max_events) {
  const std::string rule = *rc::gen::elementOf(mutation_rules());
  // Streams are drawn until one offers a place for the rule (most do; some rules need a failed
  // or aborted instance, an implication or two flows that do not nest).
  std::optional<std::vector<harness::Event>> broken;
  for (int attempt = 0; attempt < 10 && !broken; ++attempt) {
    const std::vector<harness::Event> events = *gen_valid_stream(plan, max_events);
    const conformance::Report clean = conformance::check(plan, events);
    note("valid stream", harness::format_timeline(events));
    note("findings on the valid stream", findings(clean));
    RC_ASSERT(reported_rules(clean).empty());
    broken = inject_violation(plan, events, rule, *rc::gen::inRange<std::size_t>(0, 1000));
  }
  RC_PRE(broken.has_value());
  const conformance::Report report = conformance::check(plan, *broken);
  note("injected", rule);
  note("mutated stream", harness::format_timeline(*broken));
  note("findings", findings(report));
  RC_ASSERT(reported_rules(report) == std::set<std::string>{rule});
  cover(rule);
}

FLOWPROOF_PROPERTY(CheckerSelfTest, ReportsExactlyTheInjectedRuleOnTheExamplePlan,
                   (.cases = 100, .max_size = 30, .seed = 20261127,
                    .must_reach = mutation_rules())) {
  check_injected_rule(example_plan(), 30);
}

// snippet-begin: generated-plans
FLOWPROOF_PROPERTY(CheckerSelfTest, ReportsExactlyTheInjectedRuleOnGeneratedPlans,
                   (.cases = 100, .max_size = 30)) {
  const std::string text = *gen_plan_text();
  note("plan", text);
  const conformance::Plan plan = conformance::parse_plan(text, "generated.plan.json");
  check_injected_rule(plan, 25);
}
// snippet-end: generated-plans

FLOWPROOF_PROPERTY(CheckerSelfTest, GeneratedPlansAreValid, (.cases = 50)) {
  const std::string text = *gen_plan_text();
  note("plan", text);
  const conformance::Plan plan = conformance::parse_plan(text, "generated.plan.json");
  RC_ASSERT(!plan.flows.empty());
}

TEST(Mutators, FindTheInstancesOfAStream) {
  const conformance::Plan& plan = example_plan();
  auto event = [](std::string name, int sequence, nlohmann::json extra = nlohmann::json::object()) {
    harness::Event e;
    e.name = std::move(name);
    e.timestamp = "2026-01-01T00:00:00.000Z";
    e.properties = {{"invocation_id", "00000000-0000-4000-8000-000000000001"},
                    {"sequence", sequence},
                    {"command", "app create"}};
    e.properties.update(extra);
    return e;
  };
  const std::vector<harness::Event> events = {
      event("Command Invoked", 1),
      event("CLI Application Create Started", 2),
      event("CLI Application Create Declined Terms", 3, {{"plan", "free"}}),
      event("CLI Application Create Aborted", 4,
            {{"step", "terms"}, {"reason", "declined_terms"}, {"duration_ms", 0}}),
      event("Command Completed", 5, {{"succeeded", false}, {"exit_code", 1}, {"duration_ms", 0}}),
  };
  ASSERT_TRUE(conformance::check(plan, events).passed())
      << findings(conformance::check(plan, events));
  const std::vector<StreamInstance> instances = analyse_stream(plan, events);
  ASSERT_EQ(instances.size(), 2u);
  EXPECT_EQ(plan.flows[static_cast<std::size_t>(instances[0].flow)].id, "command");
  EXPECT_TRUE(instances[0].has_children);
  EXPECT_EQ(instances[1].kind, conformance::TerminalKind::aborted);
  EXPECT_EQ(instances[1].intermediates, std::vector<std::size_t>{2});
  EXPECT_EQ(instances[1].parent, std::optional<std::size_t>(0));

  for (const std::string rule : {"FP003", "FP004", "FP101", "FP103", "FP104"}) {
    const auto broken = inject_violation(plan, events, rule, 0);
    ASSERT_TRUE(broken.has_value()) << rule;
    EXPECT_EQ(reported_rules(conformance::check(plan, *broken)), std::set<std::string>{rule})
        << rule << "\n"
        << findings(conformance::check(plan, *broken));
  }
  EXPECT_FALSE(inject_violation(plan, events, "FP107", 0).has_value());  // nothing failed
  EXPECT_FALSE(inject_violation(plan, events, "FP999", 0).has_value());
}

// Regression: removing the terminal of an instance whose flow starts again later in the
// invocation made the checker report FP102 (a Started while open), not the injected FP103.
TEST(Mutators, AMissingTerminalIsNeverFollowedByARestartOrASibling) {
  const conformance::Plan& plan = example_plan();
  auto event = [](std::string name, int sequence, nlohmann::json extra = nlohmann::json::object()) {
    harness::Event e;
    e.name = std::move(name);
    e.timestamp = "2026-01-01T00:00:00.000Z";
    e.properties = {{"invocation_id", "00000000-0000-4000-8000-000000000002"},
                    {"sequence", sequence},
                    {"command", "auth login"}};
    e.properties.update(extra);
    return e;
  };
  const std::vector<harness::Event> events = {
      event("Command Invoked", 1),
      event("CLI Auth Started", 2, {{"flow", "login"}}),
      event("CLI Auth Completed", 3, {{"flow", "login"}, {"duration_ms", 0}}),
      event("CLI Auth Started", 4, {{"flow", "login"}}),
      event("CLI Auth Completed", 5, {{"flow", "login"}, {"duration_ms", 0}}),
      event("Command Completed", 6, {{"succeeded", true}, {"exit_code", 0}, {"duration_ms", 0}}),
  };
  ASSERT_TRUE(conformance::check(plan, events).passed())
      << findings(conformance::check(plan, events));
  // ... nor by a sibling that would then start inside it (FP110: create does not contain auth).
  const std::vector<harness::Event> siblings = {
      event("Command Invoked", 1),
      event("CLI Application Create Started", 2),
      event("CLI Application Create Completed", 3,
            {{"region", "eu-west-1"}, {"plan", "free"}, {"duration_ms", 0}}),
      event("CLI Auth Started", 4, {{"flow", "login"}}),
      event("CLI Auth Completed", 5, {{"flow", "login"}, {"duration_ms", 0}}),
      event("Command Completed", 6, {{"succeeded", true}, {"exit_code", 0}, {"duration_ms", 0}}),
  };
  ASSERT_TRUE(conformance::check(plan, siblings).passed())
      << findings(conformance::check(plan, siblings));
  for (const auto* stream : {&events, &siblings}) {
    for (std::size_t choice = 0; choice < 4; ++choice) {
      const auto broken = inject_violation(plan, *stream, "FP103", choice);
      ASSERT_TRUE(broken.has_value()) << choice;
      EXPECT_EQ(reported_rules(conformance::check(plan, *broken)), std::set<std::string>{"FP103"})
          << choice << "\n"
          << harness::format_timeline(*broken) << findings(conformance::check(plan, *broken));
    }
  }
}

}  // namespace
}  // namespace flowproof::properties

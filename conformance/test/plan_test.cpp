// plan_test.cpp — parse_plan/load_plan: the example plan loads as written; each way a plan can
// break the contract is reported with its exact JSON pointer; every problem is reported at once.
#include <flowproof/conformance/plan.hpp>

#include "regex.hpp"
#include "schema.hpp"
#include "sha256.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <string>

namespace flowproof::conformance {

// Readable failure output for problem lists (found by argument-dependent lookup).
void PrintTo(const PlanProblem& problem, std::ostream* out) {
  *out << problem.pointer << ": " << problem.message;
}

namespace {

using nlohmann::json;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

// Test data lives in the source tree; ctest sets FLOWPROOF_SOURCE_DIR.
std::filesystem::path plans_dir() {
  const char* root = std::getenv("FLOWPROOF_SOURCE_DIR");
  if (root == nullptr) {
    ADD_FAILURE() << "FLOWPROOF_SOURCE_DIR is not set: run the tests under ctest";
    return {};
  }
  return std::filesystem::path(root) / "conformance" / "test" / "data" / "plans";
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

json example_plan() { return json::parse(read_text(plans_dir() / "cli.plan.json")); }

// The problems parse_plan reports for `text`; fails the test when the plan is accepted.
std::vector<PlanProblem> problems_of(const std::string& text) {
  try {
    parse_plan(text, "test.plan.json");
  } catch (const PlanError& error) {
    EXPECT_EQ(error.source(), "test.plan.json");
    return error.problems();
  }
  ADD_FAILURE() << "the plan was accepted:\n" << text;
  return {};
}

MATCHER_P2(Problem, pointer, fragment, "a problem at " + std::string(pointer)) {
  return arg.pointer == pointer && arg.message.find(fragment) != std::string::npos;
}

std::string dump_problems(const std::vector<PlanProblem>& problems) {
  std::string text;
  for (const auto& p : problems) text += p.pointer + ": " + p.message + "\n";
  return text;
}

// ---------------------------------------------------------------------------------------------
// The example plan

class ExamplePlan : public ::testing::Test {
 protected:
  void SetUp() override { plan_ = load_plan(plans_dir() / "cli.plan.json"); }
  Plan plan_;
};

TEST_F(ExamplePlan, HasItsNameInvocationAndFlowsInPlanOrder) {
  EXPECT_EQ(plan_.name, "cloud-cli");
  EXPECT_EQ(plan_.invocation.key, "/properties/invocation_id");
  EXPECT_EQ(plan_.invocation.order, "/properties/sequence");
  EXPECT_EQ(plan_.invocation.timestamp, "/timestamp");
  EXPECT_EQ(plan_.invocation.sequence_start, 1);
  ASSERT_THAT(plan_.flows, SizeIs(4));
  EXPECT_EQ(plan_.flows[0].id, "command");
  EXPECT_EQ(plan_.flows[1].id, "auth");
  EXPECT_EQ(plan_.flows[2].id, "application_create");
  EXPECT_EQ(plan_.flows[3].id, "plan_change");
  EXPECT_EQ(plan_.flow_index("plan_change"), 3);
  EXPECT_EQ(plan_.flow_index("nope"), -1);
  EXPECT_EQ(plan_.find_flow("nope"), nullptr);
  EXPECT_THAT(plan_.invocation_constant, ElementsAre("invocation_id", "command", "flags"));
  EXPECT_NE(plan_.base_properties, nullptr);
  EXPECT_TRUE(plan_.definitions.contains("plan"));
}

TEST_F(ExamplePlan, ApplicationCreateHasItsEventsStepsAndReasons) {
  const Flow* create = plan_.find_flow("application_create");
  ASSERT_NE(create, nullptr);
  EXPECT_EQ(create->pointer, "/flows/application_create");
  EXPECT_EQ(create->started.name, "CLI Application Create Started");
  ASSERT_TRUE(create->completed && create->aborted && create->failed);
  EXPECT_EQ(create->completed->name, "CLI Application Create Completed");
  EXPECT_EQ(create->aborted->pointer, "/flows/application_create/aborted");
  EXPECT_THAT(create->steps, ElementsAre("name", "auth", "plan", "terms", "region", "api_call",
                                         "api_key", "apply_plan", "profile_configure"));
  EXPECT_THAT(create->reasons, ElementsAre("declined_terms", "cancelled", "billing_required"));
  EXPECT_THAT(create->terminal_kinds(),
              ElementsAre(TerminalKind::completed, TerminalKind::aborted, TerminalKind::failed));
  ASSERT_THAT(create->events, SizeIs(2));
  EXPECT_EQ(create->events[0].name, "CLI Application Create Accepted Terms");
  EXPECT_FALSE(create->events[0].implies);
  ASSERT_TRUE(create->events[1].implies);
  EXPECT_EQ(create->events[1].implies->terminal, TerminalKind::aborted);
  EXPECT_EQ(create->events[1].implies->properties,
            json({{"step", "terms"}, {"reason", "declined_terms"}}));
  ASSERT_TRUE(create->duration);
  EXPECT_EQ(create->duration->property, "duration_ms");
  EXPECT_EQ(create->duration->tolerance_ms, 1000);
  EXPECT_EQ(create->duration->max_ms, 86'400'000);
  EXPECT_THAT(create->duration->on.value(), SizeIs(3));
  EXPECT_TRUE(create->reason_required);
  EXPECT_EQ(create->step_property, "step");
  ASSERT_NE(create->error_class, nullptr);
  EXPECT_TRUE(create->error_class->full_match("ApiError"));
  EXPECT_FALSE(create->error_class->full_match("the request timed out"));
}

TEST_F(ExamplePlan, CommandContainsTheFunnels) {
  const Flow* command = plan_.find_flow("command");
  ASSERT_NE(command, nullptr);
  EXPECT_THAT(command->contains, ElementsAre("auth", "application_create", "plan_change"));
  EXPECT_FALSE(command->aborted);
  EXPECT_THAT(command->steps, IsEmpty());
  ASSERT_TRUE(command->duration);
  EXPECT_THAT(command->duration->on.value(), ElementsAre(TerminalKind::completed));
}

TEST_F(ExamplePlan, FindsEveryEventByName) {
  const EventRole* started = plan_.find_event("CLI Auth Started");
  ASSERT_NE(started, nullptr);
  EXPECT_EQ(started->kind, EventRole::Kind::started);
  EXPECT_EQ(started->flow, plan_.flow_index("auth"));
  ASSERT_NE(started->declaration, nullptr);
  EXPECT_EQ(started->declaration->name, "CLI Auth Started");

  const EventRole* declined = plan_.find_event("CLI Application Plan Change Declined Terms");
  ASSERT_NE(declined, nullptr);
  EXPECT_EQ(declined->kind, EventRole::Kind::intermediate);
  EXPECT_EQ(declined->flow, 3);
  EXPECT_EQ(declined->index, 1);

  const EventRole* logout = plan_.find_event("CLI Auth Logout");
  ASSERT_NE(logout, nullptr);
  EXPECT_EQ(logout->kind, EventRole::Kind::standalone);
  EXPECT_EQ(logout->flow, -1);
  EXPECT_EQ(logout->index, 0);

  EXPECT_EQ(plan_.find_event("CLI Auth Failed")->kind, EventRole::Kind::failed);
  EXPECT_EQ(plan_.find_event("Command Completed")->kind, EventRole::Kind::completed);
  EXPECT_EQ(plan_.find_event("Nobody Declared This"), nullptr);
}

TEST_F(ExamplePlan, EventRolesListsEveryDeclaredNameAsFindEventAnswers) {
  std::set<std::string> expected;
  for (const Flow& flow : plan_.flows) {
    expected.insert(flow.started.name);
    for (const auto* terminal : {&flow.completed, &flow.aborted, &flow.failed}) {
      if (*terminal) expected.insert((*terminal)->name);
    }
    for (const auto& event : flow.events) expected.insert(event.name);
  }
  for (const auto& event : plan_.events) expected.insert(event.name);
  std::set<std::string> listed;
  for (const auto& [name, role] : plan_.event_roles()) {
    listed.insert(std::string(name));
    EXPECT_EQ(role, plan_.find_event(name)) << name;
  }
  EXPECT_EQ(listed, expected);
  EXPECT_EQ(plan_.event_roles().size(), expected.size());  // no name twice
}

TEST_F(ExamplePlan, ACopyHasItsOwnIndex) {
  Plan copy = plan_;
  plan_ = Plan();  // the original's flows are gone; the copy must not point into them
  const EventRole* role = copy.find_event("CLI Auth Completed");
  ASSERT_NE(role, nullptr);
  EXPECT_EQ(role->declaration, &*copy.flows[1].completed);
}

TEST_F(ExamplePlan, SchemasValidateEventProperties) {
  const Flow* create = plan_.find_flow("application_create");
  ASSERT_NE(create->completed->schema, nullptr);
  simdjson::dom::parser parser;
  std::vector<SchemaError> errors;
  EXPECT_TRUE(create->completed->schema->validate(
      parser.parse(std::string(R"({"region": "eu", "plan": "free"})")), errors));
  EXPECT_FALSE(create->completed->schema->validate(
      parser.parse(std::string(R"({"region": "eu", "plan": "x"})")), errors));
  EXPECT_THAT(errors, ElementsAre(Field(&SchemaError::pointer, "/plan")));
  EXPECT_TRUE(create->completed->schema_json.is_object());
}

TEST_F(ExamplePlan, PiiRulesAreThePlansOwn) {
  EXPECT_FALSE(plan_.pii.built_in);
  EXPECT_THAT(plan_.pii.deny_keys, Contains("password"));
  EXPECT_THAT(plan_.pii.allow_keys, ElementsAre("invocation_id"));
  ASSERT_THAT(plan_.pii.deny_patterns, SizeIs(2));
  EXPECT_EQ(plan_.pii.deny_patterns[0].first, "email");
  ASSERT_THAT(plan_.pii.compiled_patterns, SizeIs(2));
  EXPECT_TRUE(plan_.pii.compiled_patterns[0]->partial_match("write to ann@example.org today"));
}

TEST_F(ExamplePlan, RecordsSourceAndTheSha256OfItsBytes) {
  const auto path = plans_dir() / "cli.plan.json";
  EXPECT_EQ(plan_.source, path.string());
  EXPECT_EQ(plan_.sha256, sha256_hex(read_text(path)));
  EXPECT_THAT(plan_.sha256, SizeIs(64));
}

TEST_F(ExamplePlan, GivesTheHarnessItsFlowDefinition) {
  harness::FlowDefinition definition = plan_.find_flow("application_create")->definition();
  EXPECT_EQ(definition.id, "application_create");
  EXPECT_EQ(definition.started, "CLI Application Create Started");
  EXPECT_EQ(definition.aborted, "CLI Application Create Aborted");
  EXPECT_EQ(definition.duration_property, "duration_ms");
  harness::FlowDefinition command = plan_.find_flow("command")->definition();
  EXPECT_EQ(command.aborted, "");
}

// ---------------------------------------------------------------------------------------------
// Defaults

TEST(PlanDefaults, MinimalPlanGetsTheContractDefaults) {
  Plan plan = load_plan(plans_dir() / "minimal.plan.json");
  EXPECT_EQ(plan.invocation.timestamp, "/timestamp");
  EXPECT_FALSE(plan.invocation.order);
  EXPECT_EQ(plan.invocation.sequence_start, 1);
  ASSERT_THAT(plan.flows, SizeIs(1));
  const Flow& login = plan.flows[0];
  EXPECT_EQ(login.error_class_pattern, R"(^[A-Za-z_*][A-Za-z0-9_.:*<>\[\]/-]{0,127}$)");
  EXPECT_EQ(login.started.schema, nullptr);
  EXPECT_FALSE(login.duration);
  EXPECT_TRUE(plan.rule_severity.empty());
  EXPECT_EQ(plan.base_properties, nullptr);
}

TEST(PlanDefaults, DurationOnDefaultsToEveryDeclaredTerminal) {
  json plan = json::parse(read_text(plans_dir() / "minimal.plan.json"));
  plan["flows"]["login"]["failed"] = {{"event", "Login Failed"}};
  plan["flows"]["login"]["steps"] = {"password"};
  plan["flows"]["login"]["duration"] = json::object();
  Plan loaded = parse_plan(plan.dump());
  ASSERT_TRUE(loaded.flows[0].duration);
  EXPECT_THAT(loaded.flows[0].duration->on.value(),
              ElementsAre(TerminalKind::completed, TerminalKind::failed));
  EXPECT_EQ(loaded.flows[0].duration->max_ms, 86'400'000);
}

TEST(PlanDefaults, BuiltInPiiPatternsApplyWhenPiiIsAbsent) {
  Plan plan = load_plan(plans_dir() / "minimal.plan.json");
  EXPECT_TRUE(plan.pii.built_in);
  ASSERT_EQ(plan.pii.deny_patterns.size(), plan.pii.compiled_patterns.size());
  auto matches = [&](std::string_view text) {
    for (const auto& regex : plan.pii.compiled_patterns) {
      if (regex->partial_match(text)) return true;
    }
    return false;
  };
  EXPECT_TRUE(matches("contact ann.lee@example.co.uk"));
  EXPECT_TRUE(matches("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig"));
  EXPECT_TRUE(matches("key 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"));
  EXPECT_TRUE(matches("dGhpcyBpcyBhIHNlY3JldCB0b2tlbiB2YWx1ZQ=="));
  EXPECT_FALSE(matches("32833106-536e-45df-80b2-d002cc92d33d"));
  EXPECT_FALSE(matches("application create"));
  EXPECT_FALSE(matches("declined_terms"));
}

// Identical expressions are compiled once and shared (before the plan review every flow compiled
// the default error class anew: most of the loading time of a plan with many flows).
TEST(PlanDefaults, IdenticalExpressionsShareOneCompiledRegex) {
  json plan = example_plan();
  plan["flows"]["auth"]["error_class"] = "[A-Z][a-z]+";
  plan["flows"]["plan_change"]["error_class"] = "[A-Z][a-z]+";
  plan["pii"]["deny_patterns"]["also_secret"] = plan["pii"]["deny_patterns"]["secret"];
  const Plan loaded = parse_plan(plan.dump());
  const Flow& create = *loaded.find_flow("application_create");
  ASSERT_NE(create.error_class, nullptr);
  EXPECT_EQ(create.error_class, loaded.find_flow("command")->error_class);  // both the default
  EXPECT_EQ(loaded.find_flow("auth")->error_class, loaded.find_flow("plan_change")->error_class);
  EXPECT_NE(loaded.find_flow("auth")->error_class, create.error_class);
  auto pattern = [&](std::string_view name) -> std::shared_ptr<const Regex> {
    for (std::size_t i = 0; i < loaded.pii.deny_patterns.size(); ++i) {
      if (loaded.pii.deny_patterns[i].first == name) return loaded.pii.compiled_patterns[i];
    }
    return nullptr;
  };
  ASSERT_NE(pattern("secret"), nullptr);
  EXPECT_EQ(pattern("secret"), pattern("also_secret"));
}

TEST(PlanDefaults, RulesAndWaiversAreRead) {
  json plan = json::parse(read_text(plans_dir() / "minimal.plan.json"));
  plan["rules"] = {{"FP005", "error"}, {"FP201", "warning"}, {"FP004", "off"}};
  plan["waivers"] = {{{"rule", "FP103"},
                      {"flow", "login"},
                      {"event", "Login Started"},
                      {"why", "the login flow is cut off by design"}}};
  Plan loaded = parse_plan(plan.dump());
  EXPECT_EQ(loaded.rule_severity.at("FP005"), Severity::error);
  EXPECT_EQ(loaded.rule_severity.at("FP201"), Severity::warning);
  EXPECT_EQ(loaded.rule_severity.at("FP004"), Severity::off);
  ASSERT_THAT(loaded.waivers, SizeIs(1));
  EXPECT_EQ(loaded.waivers[0].rule, "FP103");
  EXPECT_EQ(loaded.waivers[0].flow, "login");
  EXPECT_EQ(loaded.waivers[0].event, "Login Started");
  EXPECT_EQ(loaded.waivers[0].pointer, "/waivers/0");
}

TEST(PlanNames, SeverityAndTerminalKindNames) {
  EXPECT_EQ(to_string(Severity::warning), "warning");
  EXPECT_EQ(parse_severity("off"), Severity::off);
  EXPECT_EQ(parse_severity("error"), Severity::error);
  EXPECT_EQ(parse_severity("Error"), std::nullopt);
  EXPECT_EQ(to_string(TerminalKind::aborted), "aborted");
}

// ---------------------------------------------------------------------------------------------
// Bad plans: each mutation of the example plan yields a problem at an exact pointer.

struct BadPlan {
  const char* name;
  std::function<void(json&)> mutate;
  const char* pointer;
  const char* message;
};

void PrintTo(const BadPlan& c, std::ostream* out) { *out << c.name; }

class BadPlanTest : public ::testing::TestWithParam<BadPlan> {};

TEST_P(BadPlanTest, ReportsTheProblemAtItsPointer) {
  json plan = example_plan();
  GetParam().mutate(plan);
  auto problems = problems_of(plan.dump(2));
  EXPECT_THAT(problems, Contains(Problem(std::string(GetParam().pointer), GetParam().message)))
      << dump_problems(problems);
}

json& create(json& plan) { return plan["flows"]["application_create"]; }

INSTANTIATE_TEST_SUITE_P(
    Mutations, BadPlanTest,
    ::testing::Values(
        BadPlan{"unknown_top_level_key", [](json& p) { p["flowz"] = json::object(); }, "/flowz",
                R"(unknown key "flowz")"},
        BadPlan{"unknown_invocation_key", [](json& p) { p["invocation"]["ordr"] = "/x"; },
                "/invocation/ordr", R"(unknown key "ordr")"},
        BadPlan{"unknown_flow_key", [](json& p) { create(p)["stepz"] = json::array(); },
                "/flows/application_create/stepz", R"(unknown key "stepz")"},
        BadPlan{"unknown_event_declaration_key",
                [](json& p) { create(p)["started"]["shema"] = json::object(); },
                "/flows/application_create/started/shema", R"(unknown key "shema")"},
        BadPlan{"unknown_duration_key", [](json& p) { create(p)["duration"]["tolerance"] = 5; },
                "/flows/application_create/duration/tolerance", R"(unknown key "tolerance")"},
        BadPlan{
            "unknown_implies_key",
            [](json& p) {
              create(p)["events"]["CLI Application Create Declined Terms"]["implies"]["kind"] =
                  "aborted";
            },
            "/flows/application_create/events/CLI Application Create Declined Terms/implies/kind",
            R"(unknown key "kind")"},
        BadPlan{"unknown_pii_key", [](json& p) { p["pii"]["deny"] = json::array(); }, "/pii/deny",
                R"(unknown key "deny")"},
        BadPlan{"unknown_waiver_key",
                [](json& p) {
                  p["waivers"] = {{{"rule", "FP103"}, {"why", "x"}, {"because", "y"}}};
                },
                "/waivers/0/because", R"(unknown key "because")"},
        BadPlan{"unknown_standalone_event_key",
                [](json& p) { p["events"]["CLI Auth Logout"]["implies"] = json::object(); },
                "/events/CLI Auth Logout/implies", R"(unknown key "implies")"},
        BadPlan{"bad_schema_keyword",
                [](json& p) {
                  create(p)["aborted"]["schema"]["properties"]["reason"] = {
                      {"type", "string"}, {"enumm", {"cancelled"}}};
                },
                "/flows/application_create/aborted/schema/properties/reason",
                R"(unknown keyword "enumm")"},
        BadPlan{"dangling_ref",
                [](json& p) {
                  create(p)["completed"]["schema"]["properties"]["plan"]["$ref"] =
                      "#/definitions/plans";
                },
                "/flows/application_create/completed/schema/properties/plan",
                R"($ref "#/definitions/plans" names no definition)"},
        BadPlan{"bad_definition", [](json& p) { p["definitions"]["plan"]["minLength"] = "2"; },
                "/definitions/plan", R"("minLength" must be a non-negative integer)"},
        BadPlan{
            "duplicate_event_name",
            [](json& p) { create(p)["failed"]["event"] = "CLI Auth Failed"; }, "/flows/auth/failed",
            R"(event "CLI Auth Failed" is declared twice: also at /flows/application_create/failed)"},
        BadPlan{"duplicate_standalone_event",
                [](json& p) { p["events"]["Command Invoked"] = json::object(); },
                "/events/Command Invoked",
                R"(event "Command Invoked" is declared twice: also at /flows/command/started)"},
        BadPlan{"bad_error_class_regex", [](json& p) { create(p)["error_class"] = "[A-Z"; },
                "/flows/application_create/error_class",
                R"(invalid regular expression "[A-Z": missing ])"},
        BadPlan{"bad_deny_pattern", [](json& p) { p["pii"]["deny_patterns"]["secret"] = "(?<x>a"; },
                "/pii/deny_patterns/secret", "invalid regular expression"},
        BadPlan{"bad_flow_id",
                [](json& p) {
                  p["flows"]["Plan-Change"] = p["flows"]["plan_change"];
                  p["flows"].erase("plan_change");
                  p["flows"]["command"]["contains"] = {"auth", "application_create"};
                },
                "/flows/Plan-Change", R"(flow id "Plan-Change" must match ^[a-z][a-z0-9_]*$)"},
        BadPlan{"flow_id_starting_with_a_digit",
                [](json& p) {
                  p["flows"]["2fa"] = {{"started", {{"event", "2FA Started"}}},
                                       {"completed", {{"event", "2FA Done"}}}};
                },
                "/flows/2fa", "must match"},
        BadPlan{"missing_terminals",
                [](json& p) {
                  create(p).erase("completed");
                  create(p).erase("aborted");
                  create(p).erase("failed");
                  create(p)["duration"].erase("on");
                  create(p)["events"]["CLI Application Create Declined Terms"].erase("implies");
                },
                "/flows/application_create", "a flow needs at least one terminal"},
        BadPlan{"missing_started", [](json& p) { create(p).erase("started"); },
                "/flows/application_create/started", R"(missing required key "started")"},
        BadPlan{"missing_steps",
                [](json& p) {
                  create(p).erase("steps");
                  create(
                      p)["events"]["CLI Application Create Declined Terms"]["implies"]["properties"]
                      .erase("step");
                },
                "/flows/application_create/steps", R"(missing key "steps")"},
        BadPlan{"missing_reasons",
                [](json& p) {
                  create(p).erase("reasons");
                  create(
                      p)["events"]["CLI Application Create Declined Terms"]["implies"]["properties"]
                      .erase("reason");
                },
                "/flows/application_create/reasons", R"(missing key "reasons")"},
        BadPlan{"duplicate_step", [](json& p) { create(p)["steps"].push_back("terms"); },
                "/flows/application_create/steps/9", R"("terms" is listed twice)"},
        BadPlan{"contains_unknown_flow",
                [](json& p) { p["flows"]["command"]["contains"].push_back("billing"); },
                "/flows/command/contains/3", R"("billing" names no flow of this plan)"},
        BadPlan{"contains_itself",
                [](json& p) { p["flows"]["command"]["contains"].push_back("command"); },
                "/flows/command/contains/3", "a flow cannot contain itself"},
        BadPlan{"implies_undeclared_terminal",
                [](json& p) {
                  create(p).erase("failed");
                  create(p)["duration"]["on"] = {"completed"};
                  create(p)["events"]["CLI Application Create Accepted Terms"]["implies"] = {
                      {"terminal", "failed"}};
                },
                "/flows/application_create/events/CLI Application Create Accepted "
                "Terms/implies/terminal",
                R"(the flow declares no "failed" terminal)"},
        BadPlan{"implies_unknown_kind",
                [](json& p) {
                  create(
                      p)["events"]["CLI Application Create Declined Terms"]["implies"]["terminal"] =
                      "cancelled";
                },
                "/flows/application_create/events/CLI Application Create Declined "
                "Terms/implies/terminal",
                "is not a terminal kind"},
        BadPlan{"implies_unknown_step",
                [](json& p) {
                  create(p)["events"]["CLI Application Create Declined Terms"]["implies"]
                           ["properties"]["step"] = "tos";
                },
                "/flows/application_create/events/CLI Application Create Declined "
                "Terms/implies/properties/step",
                R"("tos" is not one of the flow's steps)"},
        BadPlan{"implies_unknown_reason",
                [](json& p) {
                  create(p)["events"]["CLI Application Create Declined Terms"]["implies"]
                           ["properties"]["reason"] = "declined";
                },
                "/flows/application_create/events/CLI Application Create Declined "
                "Terms/implies/properties/reason",
                R"("declined" is not one of the flow's reasons)"},
        BadPlan{"duration_on_undeclared_kind",
                [](json& p) {
                  p["flows"]["command"]["duration"]["on"] = {"completed", "aborted"};
                },
                "/flows/command/duration/on/1", R"(the flow declares no "aborted" terminal)"},
        BadPlan{"negative_tolerance", [](json& p) { create(p)["duration"]["tolerance_ms"] = -1; },
                "/flows/application_create/duration/tolerance_ms",
                "expected a non-negative integer up to 9223372036854775807, got -1"},
        BadPlan{"fractional_max", [](json& p) { create(p)["duration"]["max_ms"] = 1.5; },
                "/flows/application_create/duration/max_ms", "expected a non-negative integer"},
        BadPlan{"invocation_key_not_a_pointer",
                [](json& p) { p["invocation"]["key"] = "properties.invocation_id"; },
                "/invocation/key", "is not a JSON pointer"},
        BadPlan{"bad_pointer_escape", [](json& p) { p["invocation"]["order"] = "/a~2b"; },
                "/invocation/order", "is not a JSON pointer"},
        BadPlan{"missing_invocation_key", [](json& p) { p["invocation"].erase("key"); },
                "/invocation/key", R"(missing required key "key")"},
        BadPlan{"unknown_rule_in_rules_map",
                [](json& p) {
                  p["rules"] = {{"FP999", "error"}};
                },
                "/rules/FP999", R"(unknown rule "FP999")"},
        BadPlan{"bad_severity",
                [](json& p) {
                  p["rules"] = {{"FP005", "fatal"}};
                },
                "/rules/FP005", R"(expected "error", "warning" or "off", got "fatal")"},
        BadPlan{"waiver_without_why",
                [](json& p) {
                  p["waivers"] = {{{"rule", "FP103"}}};
                },
                "/waivers/0/why", R"(missing required key "why")"},
        BadPlan{"waiver_with_empty_why",
                [](json& p) {
                  p["waivers"] = {{{"rule", "FP103"}, {"why", ""}}};
                },
                "/waivers/0/why", "must not be empty"},
        BadPlan{"waiver_unknown_rule",
                [](json& p) {
                  p["waivers"] = {{{"rule", "FP1030"}, {"why", "x"}}};
                },
                "/waivers/0/rule", R"(unknown rule "FP1030")"},
        BadPlan{"waiver_unknown_flow",
                [](json& p) {
                  p["waivers"] = {{{"rule", "FP103"}, {"flow", "billing"}, {"why", "x"}}};
                },
                "/waivers/0/flow", R"("billing" names no flow of this plan)"},
        BadPlan{"waiver_undeclared_event",
                [](json& p) {
                  p["waivers"] = {{{"rule", "FP005"}, {"event", "Foo"}, {"why", "x"}}};
                },
                "/waivers/0/event", R"("Foo" is declared nowhere in this plan)"},
        BadPlan{"waiver_event_of_another_flow",
                [](json& p) {
                  p["waivers"] = {{{"rule", "FP101"},
                                   {"flow", "auth"},
                                   {"event", "CLI Application Create Aborted"},
                                   {"why", "x"}}};
                },
                "/waivers/0/event", R"(is not an event of flow "auth")"},
        BadPlan{"waivers_not_a_list", [](json& p) { p["waivers"] = json::object(); }, "/waivers",
                "expected an array of waivers"},
        BadPlan{"version_as_string", [](json& p) { p["flowproof_plan"] = "1"; }, "/flowproof_plan",
                R"(must be the integer 1, got "1")"},
        BadPlan{"version_fractional", [](json& p) { p["flowproof_plan"] = 1.5; }, "/flowproof_plan",
                "must be the integer 1, got 1.5"},
        BadPlan{"version_two", [](json& p) { p["flowproof_plan"] = 2; }, "/flowproof_plan",
                "unsupported plan version 2"},
        BadPlan{"missing_version", [](json& p) { p.erase("flowproof_plan"); }, "/flowproof_plan",
                R"(missing required key "flowproof_plan")"},
        BadPlan{"name_not_a_string", [](json& p) { p["name"] = 5; }, "/name",
                "expected a string, got integer"},
        BadPlan{"flows_not_an_object", [](json& p) { p["flows"] = json::array(); }, "/flows",
                "expected an object, got array"},
        BadPlan{"invocation_constant_undeclared",
                [](json& p) { p["invocation_constant"].push_back("region"); },
                "/invocation_constant/3", R"("region" is not declared in base_properties)"},
        BadPlan{"base_properties_unknown_key",
                [](json& p) { p["base_properties"]["additionalProperties"] = false; },
                "/base_properties/additionalProperties", "unknown key"},
        BadPlan{"base_property_bad_schema",
                [](json& p) { p["base_properties"]["properties"]["sequence"]["type"] = "int"; },
                "/base_properties/properties/sequence", R"(unknown type "int")"},
        // The plan review: integers past int64 are refused naming the range.
        BadPlan{"tolerance_past_int64",
                [](json& p) { create(p)["duration"]["tolerance_ms"] = 9223372036854775808ULL; },
                "/flows/application_create/duration/tolerance_ms",
                "expected a non-negative integer up to 9223372036854775807, got "
                "9223372036854775808"},
        BadPlan{"max_ms_past_int64", [](json& p) { create(p)["duration"]["max_ms"] = 1e19; },
                "/flows/application_create/duration/max_ms",
                "expected a non-negative integer up to 9223372036854775807, got 1e+19"},
        BadPlan{"sequence_start_past_int64",
                [](json& p) { p["invocation"]["sequence_start"] = 9223372036854775808ULL; },
                "/invocation/sequence_start",
                "expected a non-negative integer up to 9223372036854775807, got "
                "9223372036854775808"},
        BadPlan{
            "min_length_past_int64", [](json& p) { p["definitions"]["plan"]["minLength"] = 1e19; },
            "/definitions/plan",
            R"("minLength" must be a non-negative integer up to 9223372036854775807, got 1e+19)"},
        // A key both denied and allowed (in any case: denied keys match ignoring case).
        BadPlan{"key_denied_and_allowed",
                [](json& p) { p["pii"]["allow_keys"].push_back("Email"); }, "/pii/allow_keys/1",
                R"("Email" is also denied at /pii/deny_keys/0)"},
        BadPlan{"empty_deny_pattern_name", [](json& p) { p["pii"]["deny_patterns"][""] = "@"; },
                "/pii/deny_patterns/", "a pattern name must not be empty"},
        // One property for two roles.
        BadPlan{
            "step_property_is_reason_property",
            [](json& p) {
              create(p)["step_property"] = "x";
              create(p)["reason_property"] = "x";
            },
            "/flows/application_create/reason_property",
            R"("x" is also the flow's step_property (/flows/application_create/step_property))"},
        BadPlan{"reason_property_is_default_step",
                [](json& p) { create(p)["reason_property"] = "step"; },
                "/flows/application_create/reason_property",
                R"("step" is also the flow's step_property (its default))"},
        BadPlan{"step_property_is_default_error_property",
                [](json& p) { create(p)["step_property"] = "error_class"; },
                "/flows/application_create/step_property",
                R"("error_class" is also the flow's error_property (its default))"},
        BadPlan{"duration_property_is_step",
                [](json& p) { create(p)["duration"]["property"] = "step"; },
                "/flows/application_create/duration/property",
                R"("step" is also the flow's step_property (its default))"},
        BadPlan{
            "duration_property_is_error_property",
            [](json& p) {
              create(p)["error_property"] = "err";
              create(p)["duration"]["property"] = "err";
            },
            "/flows/application_create/duration/property",
            R"("err" is also the flow's error_property (/flows/application_create/error_property))"},
        BadPlan{"order_is_the_invocation_key",
                [](json& p) { p["invocation"]["order"] = p["invocation"]["key"]; },
                "/invocation/order",
                R"("/properties/invocation_id" is also the invocation key (/invocation/key))"},
        BadPlan{"order_listed_as_constant",
                [](json& p) { p["invocation_constant"].push_back("sequence"); },
                "/invocation_constant/3",
                R"("sequence" is the invocation's order (/invocation/order))"},
        // An empty vocabulary that every terminal would break.
        BadPlan{"empty_steps", [](json& p) { create(p)["steps"] = json::array(); },
                "/flows/application_create/steps",
                R"(must not be empty when "aborted" or "failed" is declared)"},
        BadPlan{"empty_reasons", [](json& p) { create(p)["reasons"] = json::array(); },
                "/flows/application_create/reasons",
                R"(must not be empty when "aborted" is declared and "reason_required" is true)"},
        BadPlan{"reason_required_not_boolean",
                [](json& p) { create(p)["reason_required"] = "yes"; },
                "/flows/application_create/reason_required", "expected a boolean, got string"}),
    [](const ::testing::TestParamInfo<BadPlan>& info) { return std::string(info.param.name); });

// ---------------------------------------------------------------------------------------------
// Fixture files

TEST(BadPlanFiles, UnknownKeywordNamesTheFullPointer) {
  try {
    load_plan(plans_dir() / "bad" / "unknown_keyword.plan.json");
    FAIL() << "accepted";
  } catch (const PlanError& error) {
    EXPECT_THAT(error.problems(),
                ElementsAre(Problem("/flows/application_create/aborted/schema/properties/reason",
                                    R"(unknown keyword "enumm")")));
    EXPECT_THAT(error.what(),
                HasSubstr("unknown_keyword.plan.json: "
                          "/flows/application_create/aborted/schema/properties/reason: unknown "
                          "keyword \"enumm\""));
  }
}

TEST(BadPlanFiles, SyntaxErrorNamesLineAndColumn) {
  try {
    load_plan(plans_dir() / "bad" / "syntax_error.plan.json");
    FAIL() << "accepted";
  } catch (const PlanError& error) {
    ASSERT_THAT(error.problems(), SizeIs(1));
    EXPECT_EQ(error.problems()[0].pointer, "");
    EXPECT_THAT(error.problems()[0].message, HasSubstr("JSON syntax error at line 4, column "));
    EXPECT_THAT(error.what(), HasSubstr("syntax_error.plan.json: JSON syntax error at line 4"));
  }
}

TEST(BadPlanFiles, EveryProblemIsReportedAtOnce) {
  try {
    load_plan(plans_dir() / "bad" / "many_problems.plan.json");
    FAIL() << "accepted";
  } catch (const PlanError& error) {
    const auto& problems = error.problems();
    EXPECT_THAT(problems, Contains(Problem("/flowproof_plan", "must be the integer 1")));
    EXPECT_THAT(problems, Contains(Problem("/invocation/key", "is not a JSON pointer")));
    EXPECT_THAT(problems, Contains(Problem("/invocation/ordr", "unknown key")));
    EXPECT_THAT(problems, Contains(Problem("/flows/Checkout", "must match")));
    EXPECT_THAT(problems,
                Contains(Problem("/flows/Checkout/aborted", "also at /flows/Checkout/started")));
    EXPECT_THAT(problems, Contains(Problem("/flows/Checkout/steps", "missing key")));
    EXPECT_THAT(problems, Contains(Problem("/flows/Checkout/reasons", "missing key")));
    EXPECT_THAT(problems,
                Contains(Problem("/flows/payment/started/schema", "names no definition")));
    EXPECT_THAT(problems, Contains(Problem("/flows/payment/error_class", "missing )")));
    EXPECT_THAT(problems, Contains(Problem("/flows/payment/contains/0", "names no flow")));
    EXPECT_THAT(problems, Contains(Problem("/rules/FP999", "unknown rule")));
    EXPECT_THAT(problems, Contains(Problem("/rules/FP005", "got \"loud\"")));
    EXPECT_THAT(problems, Contains(Problem("/waivers/0/why", "missing required key")));
    EXPECT_THAT(problems, SizeIs(13)) << dump_problems(problems);
    // what(): one line per problem.
    const std::string what = error.what();
    EXPECT_EQ(std::count(what.begin(), what.end(), '\n'), 12);
  }
}

TEST(BadPlanFiles, AProblemInADefinitionIsReportedOnce) {
  json plan = example_plan();
  plan["definitions"]["plan"]["enumm"] = json::array();  // used by five schemas
  auto problems = problems_of(plan.dump());
  EXPECT_THAT(problems, ElementsAre(Problem("/definitions/plan", R"(unknown keyword "enumm")")));
}

TEST(BadPlanFiles, AnUnreadableFileIsAPlanError) {
  try {
    load_plan(plans_dir() / "no_such.plan.json");
    FAIL() << "accepted";
  } catch (const PlanError& error) {
    // With the system's reason (before the plan review it was left out).
    EXPECT_THAT(error.problems(),
                ElementsAre(Problem("", "cannot read the plan file: No such file or directory")));
  }
}

// A bad `steps` or `reasons` is one problem: the implied step and reason are not checked against
// a vocabulary that could not be read (before the plan review each implies added one more).
TEST(BadPlanFiles, ABadVocabularyIsOneProblem) {
  for (const char* key : {"steps", "reasons"}) {
    json plan = example_plan();
    create(plan)[key] = "oops";
    EXPECT_THAT(problems_of(plan.dump()),
                ElementsAre(Problem("/flows/application_create/" + std::string(key),
                                    "expected an array of strings, got string")));
    create(plan)[key] = json::array({"a", 5});
    EXPECT_THAT(problems_of(plan.dump()),
                ElementsAre(Problem("/flows/application_create/" + std::string(key) + "/1",
                                    "expected a string, got integer")));
  }
  json plan = example_plan();
  create(plan).erase("steps");
  EXPECT_THAT(problems_of(plan.dump()),
              ElementsAre(Problem("/flows/application_create/steps", "missing key \"steps\"")));
}

// `"reasons": []` is accepted when an Aborted need carry no reason; `"steps": []` when the flow
// has no Aborted or Failed.
TEST(PlanDefaults, AnEmptyVocabularyNobodyNeedsIsAccepted) {
  json plan = example_plan();
  create(plan)["reasons"] = json::array();
  create(plan)["reason_required"] = false;
  create(plan)["events"]["CLI Application Create Declined Terms"]["implies"]["properties"].erase(
      "reason");
  EXPECT_TRUE(parse_plan(plan.dump()).find_flow("application_create")->reasons.empty());
  plan = example_plan();
  plan["flows"]["command"]["steps"] = json::array();
  EXPECT_NO_THROW(parse_plan(plan.dump()));
}

TEST(BadPlanText, NotAnObject) {
  EXPECT_THAT(problems_of("[1, 2]"), ElementsAre(Problem("", "a plan must be a JSON object")));
}

TEST(BadPlanText, DuplicateKeysAreReportedWithTheirPointer) {
  const std::string text = R"({
    "flowproof_plan": 1, "name": "a", "name": "b",
    "invocation": {"key": "/properties/id"},
    "flows": {"login": {"started": {"event": "Login Started"},
                        "completed": {"event": "Login Completed", "event": "Login Done"}}},
    "waivers": [{"rule": "FP005", "why": "x"}, {"rule": "FP005", "why": "x", "why": "y"}]
  })";
  EXPECT_THAT(problems_of(text),
              ElementsAre(Problem("/name", R"(duplicate key "name")"),
                          Problem("/flows/login/completed/event", R"(duplicate key "event")"),
                          Problem("/waivers/1/why", R"(duplicate key "why")")));
}

TEST(BadPlanText, TrailingGarbageIsASyntaxError) {
  EXPECT_THAT(problems_of("{}\n}"), ElementsAre(Problem("", "JSON syntax error at line 2")));
}

// ---------------------------------------------------------------------------------------------
// Big plans keep the plan's order. The loader recovers it in one linear pass over the text (it
// used to parse the plan a second time as nlohmann::ordered_json, whose key search made a plan of
// 10,000 flows quadratic to load); how long loading takes is measured by bench/check_bench.cpp
// (BM_LoadPlan), never here.

// A valid plan whose flows, each flow's events, the standalone events and the deny patterns are
// written in an order that is neither sorted nor reversed (a stride through the names), with what
// the loader must read back in that order.
struct BigPlan {
  std::string text;
  std::vector<std::string> flows;
  std::vector<std::vector<std::string>> flow_events;
  std::vector<std::string> events;
  std::vector<std::string> patterns;
};

BigPlan big_plan(std::size_t flows, std::size_t events, std::size_t patterns) {
  // 7919 is prime, so i -> i * 7919 % n visits every index once for n it does not divide.
  auto scrambled = [](std::size_t i, std::size_t n) { return i * 7919 % n; };
  auto padded = [](std::size_t number) {
    std::string digits = std::to_string(number);
    return std::string(6 - digits.size(), '0') + digits;
  };
  BigPlan plan;
  std::string& text = plan.text;
  text = R"({"flowproof_plan": 1, "name": "big", "invocation": {"key": "/properties/id"},)";
  text += "\n\"flows\": {";
  for (std::size_t i = 0; i < flows; ++i) {
    const std::string tag = padded(scrambled(i, flows));
    plan.flows.push_back("f" + tag);
    plan.flow_events.push_back({"F" + tag + " c", "F" + tag + " a", "F" + tag + " b"});
    text += std::string(i == 0 ? "" : ",\n") + "\"f" + tag + R"(": {"started": {"event": "F)" +
            tag + R"( Started"}, "completed": {"event": "F)" + tag + R"( Completed"}, "events": {)";
    for (std::size_t e = 0; e < 3; ++e) {
      text += std::string(e == 0 ? "" : ", ") + "\"" + plan.flow_events.back()[e] + "\": {}";
    }
    text += "}}";
  }
  text += "},\n\"events\": {";
  for (std::size_t i = 0; i < events; ++i) {
    plan.events.push_back("S" + padded(scrambled(i, events)));
    text += std::string(i == 0 ? "" : ", ") + "\"" + plan.events.back() + "\": {}";
  }
  text += "},\n\"pii\": {\"deny_patterns\": {";
  for (std::size_t i = 0; i < patterns; ++i) {
    plan.patterns.push_back("p" + padded(scrambled(i, patterns)));
    text += std::string(i == 0 ? "" : ", ") + "\"" + plan.patterns.back() + "\": \"x" +
            std::to_string(i) + "y\"";
  }
  text += "}}}\n";
  return plan;
}

TEST(BigPlan, ManyFlowsKeepThePlansOrderInThePlanAndItsIndex) {
  const BigPlan big = big_plan(3000, 500, 60);
  const Plan plan = parse_plan(big.text);
  ASSERT_THAT(plan.flows, SizeIs(big.flows.size()));
  for (std::size_t f = 0; f < big.flows.size(); ++f) {
    const Flow& flow = plan.flows[f];
    ASSERT_EQ(flow.id, big.flows[f]) << "flow " << f;
    ASSERT_THAT(flow.events, SizeIs(3));
    for (std::size_t e = 0; e < 3; ++e) {
      ASSERT_EQ(flow.events[e].name, big.flow_events[f][e]) << flow.id;
      const EventRole* role = plan.find_event(big.flow_events[f][e]);
      ASSERT_NE(role, nullptr) << big.flow_events[f][e];
      EXPECT_EQ(role->flow, static_cast<int>(f));
      EXPECT_EQ(role->index, static_cast<int>(e));
    }
    const EventRole* started = plan.find_event("F" + flow.id.substr(1) + " Started");
    ASSERT_NE(started, nullptr) << flow.id;
    EXPECT_EQ(started->flow, static_cast<int>(f));
  }
  ASSERT_THAT(plan.events, SizeIs(big.events.size()));
  for (std::size_t e = 0; e < big.events.size(); ++e) {
    ASSERT_EQ(plan.events[e].name, big.events[e]) << "standalone event " << e;
    ASSERT_NE(plan.find_event(big.events[e]), nullptr);
    EXPECT_EQ(plan.find_event(big.events[e])->index, static_cast<int>(e));
  }
  ASSERT_THAT(plan.pii.deny_patterns, SizeIs(big.patterns.size()));
  for (std::size_t p = 0; p < big.patterns.size(); ++p) {
    EXPECT_EQ(plan.pii.deny_patterns[p].first, big.patterns[p]);
    EXPECT_EQ(plan.pii.deny_patterns[p].second, "x" + std::to_string(p) + "y");
  }
}

// `flowproof plan lint` prints describe_plan(load_plan(path)): its listing follows the plan.
TEST(BigPlan, ManyFlowsAreDescribedInThePlansOrder) {
  const BigPlan big = big_plan(3000, 500, 60);
  const std::string text = describe_plan(parse_plan(big.text));
  EXPECT_THAT(text, HasSubstr("flows (3000):\n  " + big.flows[0] + "\n"));
  std::size_t at = 0;
  for (std::size_t f = 0; f < big.flows.size(); ++f) {
    // Each flow's line, then its events, each after the one before.
    for (const std::string& line :
         {"\n  " + big.flows[f] + "\n", "events      " + big.flow_events[f][0] + "\n",
          "                " + big.flow_events[f][1] + "\n",
          "                " + big.flow_events[f][2] + "\n"}) {
      at = text.find(line, at);
      ASSERT_NE(at, std::string::npos) << "not in the plan's order: " << line;
    }
  }
  at = text.find("standalone events (500):\n", at);
  ASSERT_NE(at, std::string::npos);
  for (const std::string& name : big.events) {
    at = text.find("\n  " + name + "\n", at);
    ASSERT_NE(at, std::string::npos) << "not in the plan's order: " << name;
  }
  for (const std::string& name : big.patterns) {
    at = text.find("  pattern " + name + ": ", at);
    ASSERT_NE(at, std::string::npos) << "not in the plan's order: " << name;
  }
}

// Problems are reported in the plan's order too: for flows whose id must be escaped in a pointer,
// and for a flow written twice (json keeps its last value, listed where the first one was).
TEST(BigPlan, ProblemsFollowThePlansOrderThroughEscapesAndDuplicates) {
  const std::string text =
      R"({"flowproof_plan": 1, "name": "t", "invocation": {"key": "/properties/id"},
    "flows": {
      "z/~": {"started": {"event": "Z Started"}, "completed": {"event": "Z Completed"},
              "events": {"Z 2": 1, "Z 1": 2}},
      "b": {"started": {"event": "B Started"}, "completed": {"event": "B Completed"},
            "events": {"B 9": 1, "B 8": 1}},
      "a": {"started": {"event": "A Started"}, "completed": {"event": "A Completed"},
            "events": {"A 1": 0}},
      "b": {"started": {"event": "B Started"}, "completed": {"event": "B Completed"},
            "events": {"B 3": true, "B 2": true, "B 3": false}}},
    "events": {"S 2": 1, "S 1": 2}})";
  EXPECT_THAT(problems_of(text),
              ElementsAre(Problem("/flows/b", R"(duplicate key "b")"),
                          Problem("/flows/b/events/B 3", R"(duplicate key "B 3")"),
                          Problem("/flows/z~1~0", R"(flow id "z/~" must match)"),
                          Problem("/flows/z~1~0/events/Z 2", "expected an object, got integer"),
                          Problem("/flows/z~1~0/events/Z 1", "expected an object, got integer"),
                          Problem("/flows/b/events/B 3", "expected an object, got boolean"),
                          Problem("/flows/b/events/B 2", "expected an object, got boolean"),
                          Problem("/flows/a/events/A 1", "expected an object, got integer"),
                          Problem("/events/S 2", "expected an object, got integer"),
                          Problem("/events/S 1", "expected an object, got integer")))
      << dump_problems(problems_of(text));
}

// ---------------------------------------------------------------------------------------------
// SHA-256

TEST(Sha256, KnownVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(sha256_hex(std::string(1'000'000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, PaddingBoundaries) {
  // 55, 56 and 64 bytes straddle the one-or-two-block padding decision.
  EXPECT_EQ(sha256_hex(std::string(55, 'a')),
            "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
  EXPECT_EQ(sha256_hex(std::string(56, 'a')),
            "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
  EXPECT_EQ(sha256_hex(std::string(64, 'a')),
            "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}

}  // namespace
}  // namespace flowproof::conformance

namespace flowproof::conformance {
namespace {

// ---------------------------------------------------------------------------------------------
// describe_plan

TEST(DescribePlan, ListsFlowsEventsVocabulariesAndRules) {
  // ordered_json keeps the plan's flow order through the edit (json would sort the flows).
  auto plan = nlohmann::ordered_json::parse(read_text(plans_dir() / "cli.plan.json"));
  plan["rules"] = {{"FP005", "error"}};
  plan["waivers"] = {{{"rule", "FP103"}, {"flow", "auth"}, {"why", "browser login may hang"}}};
  const std::string text = describe_plan(parse_plan(plan.dump(), "cli.plan.json"));
  EXPECT_THAT(text, HasSubstr("plan cloud-cli (sha256 "));
  EXPECT_THAT(text, HasSubstr("invocations: grouped by /properties/invocation_id, ordered by "
                              "/properties/sequence from 1, time at /timestamp\n"));
  EXPECT_THAT(text, HasSubstr("constant within an invocation: invocation_id, command, flags\n"));
  EXPECT_THAT(text, HasSubstr("flows (4):\n  command\n    started     Command Invoked\n"));
  EXPECT_THAT(text, HasSubstr("    contains    auth, application_create, plan_change\n"));
  EXPECT_THAT(text, HasSubstr("    aborted     CLI Application Create Aborted\n"));
  EXPECT_THAT(text, HasSubstr("CLI Application Create Declined Terms -> aborted {reason: "
                              "\"declined_terms\", step: \"terms\"}\n"));
  EXPECT_THAT(text, HasSubstr("    steps       name, auth, plan, terms, region, api_call, api_key, "
                              "apply_plan, profile_configure\n"));
  EXPECT_THAT(text, HasSubstr("    reasons     declined_terms, cancelled, billing_required\n"));
  EXPECT_THAT(text, HasSubstr("    duration    duration_ms on completed, aborted, failed "
                              "(tolerance 1000 ms, max 86400000 ms)\n"));
  EXPECT_THAT(text, HasSubstr("standalone events (1):\n  CLI Auth Logout  {flow} required flow\n"));
  EXPECT_THAT(text, HasSubstr("  pattern secret: \\b[0-9a-fA-F]{32,}\\b\n"));
  EXPECT_THAT(text, HasSubstr("rule overrides:\n  FP005: error\n"));
  EXPECT_THAT(text, HasSubstr("waivers (1):\n  FP103 flow auth: browser login may hang\n"));
  // Flows appear in plan order.
  EXPECT_LT(text.find("  command\n"), text.find("  auth\n"));
  EXPECT_LT(text.find("  auth\n"), text.find("  application_create\n"));
}

// Nothing from the plan can split a line, forge one or drive the terminal; list items that
// could be misread are JSON strings; implied values are JSON (before the plan review all were
// printed raw: steps ["a, b", " c"] read as three, an event name could forge a lint line).
TEST(DescribePlan, EveryNameIsUnambiguousAndInert) {
  const std::string text = R"({
    "flowproof_plan": 1, "name": "t\u0000x", "invocation": {"key": "/properties/a, b"},
    "flows": {"f": {
      "started": {"event": "S\n    completed   Forged\u001b[31m"},
      "completed": {"event": "C \u202e"},
      "aborted": {"event": "A"},
      "steps": ["a, b", " c", "", "plain step", "q\"uote"],
      "reasons": [],
      "reason_required": false,
      "events": {"I": {"implies": {"terminal": "aborted",
                                   "properties": {"step": "a, b", "n": 1, "s": "1", "z": null}}}}
    }},
    "waivers": [{"rule": "FP103", "event": "A", "why": "line\nbreak"}]
  })";
  const std::string out = describe_plan(parse_plan(text));
  EXPECT_THAT(out, HasSubstr("plan \"t\\u0000x\" (sha256 "));
  EXPECT_THAT(out, HasSubstr("grouped by \"/properties/a, b\", in arrival order"));
  EXPECT_THAT(out, HasSubstr("    started     \"S\\u000A    completed   Forged\\u001B[31m\"\n"));
  EXPECT_THAT(out, HasSubstr("    completed   \"C \\u202E\"\n"));
  EXPECT_THAT(out, HasSubstr(R"(    steps       "a, b", " c", "", plain step, "q\"uote")"
                             "\n"));
  EXPECT_THAT(out, HasSubstr("    reasons     (none) (optional)\n"));
  EXPECT_THAT(out, HasSubstr(R"(I -> aborted {n: 1, s: "1", step: "a, b", z: null})"));
  EXPECT_THAT(out, HasSubstr("  FP103 event \"A\": line\\u000Abreak\n"));
  EXPECT_EQ(out.find('\x1b'), std::string::npos);
  EXPECT_EQ(out.find('\0'), std::string::npos);
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 20) << out;
}

TEST(DescribePlan, PlanErrorsAreOneLineEachWithInertData) {
  const std::string text = R"({
    "flowproof_plan": 1, "name": "t", "invocation": {"key": "/properties/inv"},
    "flows": {"f": {"started": {"event": "S"}, "completed": {"event": "C",
      "schema": {"properties": {"a\nb\u001b[31m: x": {"typo": 1}}, "enumm\n": 1}}}},
    "definitions": {"p": {"pattern": "(a)\\1"}},
    "pii": {"deny_patterns": {"d": "(a)\\1"}}
  })";
  try {
    parse_plan(text, "t.json");
    FAIL() << "accepted";
  } catch (const PlanError& error) {
    const std::string what = error.what();
    EXPECT_EQ(std::count(what.begin(), what.end(), '\n'), 3) << what;
    EXPECT_EQ(what.find('\x1b'), std::string::npos);
    EXPECT_THAT(what,
                HasSubstr("t.json: \"/flows/f/completed/schema/properties/a\\u000Ab\\u001B[31m:"
                          " x\": unknown keyword \"typo\""));
    EXPECT_THAT(what, HasSubstr(R"(/flows/f/completed/schema: unknown keyword "enumm\n")"));
    // One form for every pattern error: the expression as a JSON string.
    EXPECT_THAT(what, HasSubstr(R"(/definitions/p: invalid pattern "(a)\\1")"));
    EXPECT_THAT(what, HasSubstr(R"(/pii/deny_patterns/d: invalid regular expression "(a)\\1")"));
    // The problems themselves keep the pointer as it is.
    EXPECT_THAT(error.problems(),
                Contains(Field(&PlanProblem::pointer,
                               "/flows/f/completed/schema/properties/a\nb\x1b[31m: x")));
  }
}

TEST(DescribePlan, SaysWhenTheBuiltInPiiDefaultApplies) {
  const std::string text = describe_plan(load_plan(plans_dir() / "minimal.plan.json"));
  EXPECT_THAT(text, HasSubstr("personal data (built-in default):\n  pattern email: "));
  EXPECT_THAT(text, HasSubstr(", in arrival order, time at /timestamp\n"));
  EXPECT_THAT(text, Not(HasSubstr("rule overrides")));
}

}  // namespace
}  // namespace flowproof::conformance

// The command line and the command pair: what starts a command, base properties on every event,
// flags as names only, and Command Completed's error fields. TearDown checks each recording
// against the plan.
#include "cloud_cli_test.hpp"

#include "cloud_cli/funnels.hpp"

#include <regex>

namespace cloud_cli::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

using CommandTest = CloudCliTest;

// Help, version and a bad flag never start a command, so the program sends nothing at all.
TEST_F(CommandTest, HelpVersionAndBadFlagsDoNotStartACommand) {
  EXPECT_EQ(parse_command_line({"app", "create", "--help"}).kind, ParseResult::Kind::help);
  EXPECT_EQ(parse_command_line({"--version"}).kind, ParseResult::Kind::version);
  EXPECT_EQ(parse_command_line({"app", "create", "--colour"}).kind, ParseResult::Kind::usage_error);
  EXPECT_EQ(parse_command_line({"app", "create", "--name"}).kind, ParseResult::Kind::usage_error);
  EXPECT_EQ(parse_command_line({"app", "destroy"}).kind, ParseResult::Kind::usage_error);
  EXPECT_TRUE(events().empty());
}

TEST_F(CommandTest, ParsesFlagNamesWithoutValues) {
  const ParseResult parsed =
      parse_command_line({"app", "create", "--name", "secret-project", "--plan=grow", "-y"});
  ASSERT_EQ(parsed.kind, ParseResult::Kind::run);
  EXPECT_EQ(parsed.invocation.command, "app create");
  EXPECT_THAT(parsed.invocation.flags, ElementsAre("name", "plan", "yes"));
  EXPECT_EQ(parsed.invocation.name, "secret-project");
  EXPECT_EQ(parsed.invocation.plan, "grow");
}

TEST_F(CommandTest, EveryEventCarriesTheBaseProperties) {
  prompter.type_text("shop").choose("grow").yes().choose("eu-west-1");

  EXPECT_EQ(run({"app", "create"}), 0);

  std::int64_t expected_sequence = 1;
  for (const harness::Event& event : events()) {
    SCOPED_TRACE(event.name);
    EXPECT_EQ(event.properties["invocation_id"], invocation_id);
    EXPECT_EQ(event.properties["command"], "app create");
    EXPECT_EQ(event.properties["flags"], nullptr);  // none given
    EXPECT_EQ(event.properties["sequence"], expected_sequence++);
    EXPECT_TRUE(event.properties.contains("app_id"));
  }
  // app_id is null until the application exists, then set for the rest of the invocation.
  EXPECT_EQ(property("CLI Application Create Started", "app_id"), nullptr);
  EXPECT_EQ(property("CLI Application Create Completed", "app_id"), "app-42");
}

// Flags are recorded by name; a value typed by the user never reaches telemetry.
TEST_F(CommandTest, FlagValuesNeverReachTelemetry) {
  EXPECT_EQ(run({"app", "create", "--non-interactive", "--yes", "--name", "secret-project",
                 "--plan", "grow", "--region", "eu-west-1"}),
            0);

  EXPECT_THAT(property("Command Invoked", "flags").get<std::vector<std::string>>(),
              ElementsAre("non-interactive", "yes", "name", "plan", "region"));
  EXPECT_THAT(harness::to_json_lines(events()), ::testing::Not(HasSubstr("secret-project")));
}

// The product's invocation client puts base properties after the call site's own.
TEST_F(CommandTest, BasePropertiesCannotBeOverriddenByACallSite) {
  const ParseResult parsed = parse_command_line({"app", "create"});
  harness::RecordingClient sent(delivery_options(invocation_id));
  const std::unique_ptr<InvocationClient> forging =
      make_invocation_client(sent, invocation_id, parsed.invocation);

  forging->track("Command Invoked", {{"invocation_id", "forged"},
                                     {"command", "auth login"},
                                     {"flags", {"forged"}},
                                     {"app_id", "app-forged"},
                                     {"sequence", 99}});

  ASSERT_EQ(sent.size(), 1u);
  const nlohmann::json properties = sent.events().at(0).properties;
  EXPECT_EQ(properties["invocation_id"], invocation_id);
  EXPECT_EQ(properties["command"], "app create");
  EXPECT_EQ(properties["flags"], nullptr);
  EXPECT_EQ(properties["app_id"], nullptr);
  EXPECT_EQ(properties["sequence"], 1);
}

TEST_F(CommandTest, ASuccessfulCommandCarriesNoErrorFields) {
  EXPECT_EQ(
      run({"app", "upgrade", "--app", "app-1", "--plan", "premium", "--yes", "--non-interactive"}),
      0);

  const harness::Event done = event("Command Completed");
  EXPECT_EQ(done.properties["succeeded"], true);
  EXPECT_EQ(done.properties["exit_code"], 0);
  EXPECT_FALSE(done.properties.contains("error_class"));
  EXPECT_FALSE(done.properties.contains("user_cancelled"));
}

TEST_F(CommandTest, AFailedCommandCarriesTheErrorTypeNotItsMessage) {
  backend.on("change_plan").http_error(500, {{"detail", "db is down"}});

  EXPECT_EQ(
      run({"app", "upgrade", "--app", "app-1", "--plan", "premium", "--yes", "--non-interactive"}),
      1);

  const harness::Event done = event("Command Completed");
  EXPECT_EQ(done.properties["succeeded"], false);
  EXPECT_EQ(done.properties["exit_code"], 1);
  EXPECT_EQ(done.properties["error_class"], "cloud_cli::ApiError");
  EXPECT_EQ(done.properties["user_cancelled"], false);
  EXPECT_THAT(output.str(), HasSubstr("API error 500"));  // the message is for the user only
}

TEST_F(CommandTest, InvocationIdsAreLowerCaseVersion4Uuids) {
  const std::regex uuid_v4("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  const std::string first = new_invocation_id();
  EXPECT_TRUE(std::regex_match(first, uuid_v4)) << first;
  EXPECT_NE(first, new_invocation_id());
}

// The funnels in code and the tracking plan name the same events.
TEST_F(CommandTest, FunnelDefinitionsMatchThePlan) {
  for (const harness::FlowDefinition& flow :
       {funnels::auth(), funnels::application_create(), funnels::plan_change()}) {
    SCOPED_TRACE(flow.id);
    const conformance::Flow* declared = plan().find_flow(flow.id);
    ASSERT_NE(declared, nullptr);
    const harness::FlowDefinition expected = declared->definition();
    EXPECT_EQ(flow.started, expected.started);
    EXPECT_EQ(flow.completed, expected.completed);
    EXPECT_EQ(flow.aborted, expected.aborted);
    EXPECT_EQ(flow.failed, expected.failed);
  }
}

// What the TearDown check catches: the classic Ctrl-C bug, where the process dies in a spinner
// after Started was sent, leaves the funnel open and the command pair unfinished.
TEST_F(CommandTest, ThePlanCheckCatchesAFunnelLeftOpen) {
  const ParseResult parsed = parse_command_line({"app", "create"});
  harness::RecordingClient killed(delivery_options(invocation_id));
  const std::unique_ptr<InvocationClient> product =
      make_invocation_client(killed, invocation_id, parsed.invocation);
  product->track("Command Invoked");
  product->track("CLI Application Create Started");  // ... and then the process was gone

  EXPECT_THAT(killed.events(), ::testing::Not(conformance::ConformsTo(plan())));
  ::testing::StringMatchResultListener why;
  conformance::ConformsTo(plan()).MatchAndExplain(killed.events(), &why);
  EXPECT_THAT(why.str(), HasSubstr("FP103 missing-terminal"));
}

}  // namespace
}  // namespace cloud_cli::testing

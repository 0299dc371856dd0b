// `app create`: every terminal, abort reason and failure step of the application_create funnel,
// reached through scripted fakes. TearDown (cloud_cli_test.hpp) checks each recording against the
// tracking plan.
#include "cloud_cli_test.hpp"

#include <flowproof/fakes/mock_prompter.hpp>

namespace cloud_cli::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr const char* started = "CLI Application Create Started";
constexpr const char* completed = "CLI Application Create Completed";
constexpr const char* aborted = "CLI Application Create Aborted";
constexpr const char* failed = "CLI Application Create Failed";

using AppCreateTest = CloudCliTest;

TEST_F(AppCreateTest, CompletesWithThePlanAndRegionChosen) {
  prompter.type_text("shop", "Application name")
      .choose("grow", "Choose a plan")
      .yes("terms of service")
      .choose("eu-west-1", "Choose a region");

  EXPECT_EQ(run({"app", "create"}), 0);

  EXPECT_THAT(event_names(),
              ElementsAre("Command Invoked", started, "CLI Application Create Accepted Terms",
                          completed, "Command Completed"));
  EXPECT_EQ(property(completed, "region"), "eu-west-1");
  EXPECT_EQ(property(completed, "plan"), "grow");
  EXPECT_EQ(property("Command Completed", "succeeded"), true);
}

// The free tier's template id is `build`; telemetry always says `free`.
TEST_F(AppCreateTest, ReportsTheBuildTemplateAsFree) {
  prompter.type_text("shop").choose("build").yes().choose("us-east-1");

  EXPECT_EQ(run({"app", "create"}), 0);

  EXPECT_EQ(property("CLI Application Create Accepted Terms", "plan"), "free");
  EXPECT_EQ(property(completed, "plan"), "free");
}

// Each fake call advances the fake clock by 100 ms: eleven calls, 1100 ms, exactly.
TEST_F(AppCreateTest, DurationsAreExactWithTheFakeClock) {
  prompter.type_text("shop").choose("grow").yes().choose("eu-west-1");

  EXPECT_EQ(run({"app", "create"}), 0);

  EXPECT_EQ(session.call_count(), 11u);
  EXPECT_EQ(property(completed, "duration_ms"), 1100);
  EXPECT_EQ(property("Command Completed", "duration_ms"), 1100);
}

TEST_F(AppCreateTest, DeclinedTermsAbortAtTheTermsStep) {
  prompter.type_text("shop").choose("grow").no("terms of service");

  EXPECT_EQ(run({"app", "create"}), 1);

  EXPECT_EQ(property("CLI Application Create Declined Terms", "plan"), "grow");
  EXPECT_EQ(property(aborted, "step"), "terms");
  EXPECT_EQ(property(aborted, "reason"), "declined_terms");
  EXPECT_EQ(property(aborted, "duration_ms"), 500);  // five fake calls
  EXPECT_EQ(property("Command Completed", "error_class"), "cloud_cli::TermsDeclined");
  EXPECT_EQ(property("Command Completed", "user_cancelled"), false);
}

TEST_F(AppCreateTest, CtrlCAtAPromptAbortsAsCancelledAtThatStep) {
  prompter.type_text("shop").choose("grow").yes().interrupt("Choose a region");

  EXPECT_EQ(run({"app", "create"}), 130);

  EXPECT_EQ(property(aborted, "step"), "region");
  EXPECT_EQ(property(aborted, "reason"), "cancelled");
  EXPECT_EQ(property("Command Completed", "user_cancelled"), true);
  EXPECT_EQ(property("Command Completed", "exit_code"), 130);
}

// Ctrl-C outside a prompt: while the create call is in flight.
TEST_F(AppCreateTest, CtrlCDuringTheBackendCallAbortsAsCancelled) {
  prompter.type_text("shop").choose("grow").yes().choose("eu-west-1");
  backend.on("create_application").interrupt();

  EXPECT_EQ(run({"app", "create"}), 130);

  EXPECT_EQ(property(aborted, "step"), "api_call");
  EXPECT_EQ(property(aborted, "reason"), "cancelled");
  EXPECT_EQ(count("Command Completed"), 1u);
}

TEST_F(AppCreateTest, BillingWallAbortsAtThePlanStep) {
  prompter.type_text("shop").choose("premium");
  backend.on("check_billing").billing_required();

  EXPECT_EQ(run({"app", "create"}), 1);

  EXPECT_EQ(property(aborted, "step"), "plan");
  EXPECT_EQ(property(aborted, "reason"), "billing_required");
  EXPECT_EQ(count(failed), 0u);  // reported once, as Aborted — never also as Failed
}

TEST_F(AppCreateTest, BillingWallIsTheSameAbortWithoutPrompts) {
  backend.on("check_billing").billing_required();

  EXPECT_EQ(run({"app", "create", "--non-interactive", "--name", "shop", "--plan", "premium",
                 "--region", "eu-west-1", "--yes"}),
            1);

  EXPECT_EQ(property(aborted, "step"), "plan");
  EXPECT_EQ(property(aborted, "reason"), "billing_required");
}

// The cluster in the first region is full; the user picks another and Completed reports it.
TEST_F(AppCreateTest, RegionRetryReportsTheRegionActuallyUsed) {
  prompter.type_text("shop")
      .choose("grow")
      .yes()
      .choose("us-east-1", "Choose a region")
      .choose("ap-south-1", "Choose another region");
  backend.on("create_application").region_unavailable("us-east-1").succeed({{"id", "app-42"}});

  EXPECT_EQ(run({"app", "create"}), 0);

  EXPECT_EQ(property(completed, "region"), "ap-south-1");
  EXPECT_EQ(backend.calls("create_application").at(1).request["region"], "ap-south-1");
}

// Every region offered is full: Failed at api_call, never a question with nothing to choose from
// (the generic property found that path).
TEST_F(AppCreateTest, RegionRetryStopsWhenNoRegionIsLeft) {
  prompter.type_text("shop").choose("grow").yes().choose("us-east-1", "Choose a region");
  backend.on("list_regions").succeed({{"regions", {"us-east-1", "eu-west-1"}}});
  backend.on("create_application").region_unavailable("us-east-1").region_unavailable("eu-west-1");

  EXPECT_EQ(run({"app", "create"}), 1);

  EXPECT_EQ(property(failed, "step"), "api_call");
  EXPECT_EQ(property(failed, "error_class"), "cloud_cli::RegionUnavailable");
}

TEST_F(AppCreateTest, RegionRetryWithoutPromptsTakesTheSuggestedRegion) {
  backend.on("create_application")
      .respond([] {
        fakes::Response full = fakes::Response::region_unavailable("us-east-1");
        full.body["alternative"] = "eu-west-1";
        return full;
      }())
      .succeed({{"id", "app-42"}});

  EXPECT_EQ(run({"app", "create", "--non-interactive", "--yes", "--name", "shop", "--plan", "grow",
                 "--region", "us-east-1"}),
            0);

  EXPECT_EQ(property(completed, "region"), "eu-west-1");
}

// An expired session is renewed inside create: no auth funnel of its own (no nested funnels).
TEST_F(AppCreateTest, RenewsAnExpiredSessionWithoutAnAuthFunnel) {
  prompter.type_text("shop").choose("grow").yes().choose("eu-west-1");
  backend.on("get_session").succeed({{"valid", false}});

  EXPECT_EQ(run({"app", "create"}), 0);

  EXPECT_EQ(backend.call_count("refresh_session"), 1u);
  EXPECT_EQ(count("CLI Auth Started"), 0u);
}

// A dry run is not a funnel: only the command pair goes out, and nothing is created.
TEST_F(AppCreateTest, DryRunSendsOnlyTheCommandPair) {
  prompter.type_text("shop").choose("grow").yes().choose("eu-west-1");

  EXPECT_EQ(run({"app", "create", "--dry-run"}), 0);

  EXPECT_THAT(event_names(), ElementsAre("Command Invoked", "Command Completed"));
  EXPECT_EQ(backend.call_count("create_application"), 0u);
  EXPECT_THAT(output.str(), HasSubstr("Dry run"));
}

TEST_F(AppCreateTest, EndOfInputAtTheNamePromptFailsAtTheNameStep) {
  prompter.end_of_input("Application name");

  EXPECT_EQ(run({"app", "create"}), 1);

  EXPECT_EQ(property(failed, "step"), "name");
  EXPECT_EQ(property(failed, "error_class"), "cloud_cli::InputClosed");
}

TEST_F(AppCreateTest, NonInteractiveWithoutTermsConsentFailsAtTheTermsStep) {
  EXPECT_EQ(run({"app", "create", "--non-interactive", "--name", "shop", "--plan", "grow"}), 1);

  EXPECT_EQ(property(failed, "step"), "terms");
  EXPECT_EQ(property(failed, "error_class"), "cloud_cli::MissingValue");
}

// Every backend failure ends the funnel as Failed at the step it happened in, with the error's
// type name (never its message) as error_class.
struct BackendFailure {
  const char* operation;
  fakes::Response response;
  const char* step;
  const char* error_class;
};

class AppCreateFailureTest : public CloudCliTest,
                             public ::testing::WithParamInterface<BackendFailure> {};

TEST_P(AppCreateFailureTest, FailsAtTheStepWithTheErrorsType) {
  backend.on(GetParam().operation).respond(GetParam().response);

  EXPECT_EQ(run({"app", "create", "--non-interactive", "--yes", "--name", "shop", "--plan", "grow",
                 "--region", "eu-west-1"}),
            1);

  EXPECT_EQ(property(failed, "step"), GetParam().step);
  EXPECT_EQ(property(failed, "error_class"), GetParam().error_class);
  EXPECT_EQ(property("Command Completed", "error_class"), GetParam().error_class);
}

INSTANTIATE_TEST_SUITE_P(
    EveryStep, AppCreateFailureTest,
    ::testing::Values(BackendFailure{"get_session", fakes::Response::network_error(), "auth",
                                     "cloud_cli::NetworkError"},
                      BackendFailure{"check_billing", fakes::Response::http_error(500), "plan",
                                     "cloud_cli::ApiError"},
                      BackendFailure{"list_regions", fakes::Response::timeout(), "region",
                                     "cloud_cli::ApiTimeout"},
                      BackendFailure{"create_application", fakes::Response::http_error(500),
                                     "api_call", "cloud_cli::ApiError"},
                      BackendFailure{"create_api_key", fakes::Response::network_error(), "api_key",
                                     "cloud_cli::NetworkError"},
                      BackendFailure{"apply_plan", fakes::Response::http_error(409), "apply_plan",
                                     "cloud_cli::ApiError"},
                      BackendFailure{"configure_profile", fakes::Response::timeout(),
                                     "profile_configure", "cloud_cli::ApiTimeout"}),
    [](const ::testing::TestParamInfo<BackendFailure>& info) {
      return std::string(info.param.step);
    });

// The GoogleMock style: state what the product must ask, and answer each question in place.
TEST_F(AppCreateTest, AsksForNameAndPlanThenStopsWhenTermsAreDeclined) {
  ::testing::StrictMock<fakes::MockPrompter> mock;
  EXPECT_CALL(mock, text(HasSubstr("name"), "my-app")).WillOnce(fakes::Answer("shop"));
  EXPECT_CALL(mock, select("Choose a plan", ::testing::_)).WillOnce(fakes::Choose("grow"));
  EXPECT_CALL(mock, confirm(HasSubstr("terms"), false)).WillOnce(fakes::Decline());
  use_prompter(mock);

  EXPECT_EQ(run({"app", "create"}), 1);

  EXPECT_EQ(property(aborted, "reason"), "declined_terms");
}

}  // namespace
}  // namespace cloud_cli::testing

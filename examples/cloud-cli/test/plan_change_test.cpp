// `app upgrade` / `app downgrade`: the plan_change funnel — direction from the command, every
// abort reason, failures, and a success that stays Completed whatever a later courtesy prompt does.
// TearDown checks each recording against the plan.
#include "cloud_cli_test.hpp"

namespace cloud_cli::testing {
namespace {

using ::testing::ElementsAre;

constexpr const char* started = "CLI Application Plan Change Started";
constexpr const char* completed = "CLI Application Plan Change Completed";
constexpr const char* aborted = "CLI Application Plan Change Aborted";
constexpr const char* failed = "CLI Application Plan Change Failed";

using PlanChangeTest = CloudCliTest;

TEST_F(PlanChangeTest, UpgradeCompletesWithFromAndToPlans) {
  prompter.choose("premium", "Choose the new plan").yes("terms").no("Open the dashboard");

  EXPECT_EQ(run({"app", "upgrade", "--app", "app-1"}), 0);

  EXPECT_THAT(event_names(),
              ElementsAre("Command Invoked", started, "CLI Application Plan Change Accepted Terms",
                          completed, "Command Completed"));
  EXPECT_EQ(property(started, "direction"), "upgrade");
  EXPECT_EQ(property("CLI Application Plan Change Accepted Terms", "plan"), "premium");
  EXPECT_EQ(property(completed, "direction"), "upgrade");
  EXPECT_EQ(property(completed, "from_plan"), "grow");
  EXPECT_EQ(property(completed, "to_plan"), "premium");
  EXPECT_EQ(property(started, "app_id"), "app-1");  // known from --app: a base property
  // The funnel's duration is the change's own: get_session, get_plan, list_plan_candidates, the
  // plan choice, the terms and change_plan, 100 ms each on the fake clock. The dashboard offer
  // that follows is not part of it.
  EXPECT_EQ(property(completed, "duration_ms"), 600);
}

// The direction comes from the command; the free tier's template `build` is reported as `free`.
TEST_F(PlanChangeTest, DowngradeToTheFreeTierReportsFree) {
  backend.on("list_plan_candidates").succeed({{"plans", {"build"}}});
  prompter.yes("terms").no("Open the dashboard");

  EXPECT_EQ(run({"app", "downgrade", "--app", "app-1"}), 0);

  EXPECT_EQ(property(completed, "direction"), "downgrade");
  EXPECT_EQ(property(completed, "to_plan"), "free");
}

TEST_F(PlanChangeTest, AskingForTheCurrentPlanAbortsAsAlreadyOnPlan) {
  EXPECT_EQ(run({"app", "upgrade", "--app", "app-1", "--plan", "grow"}), 0);

  EXPECT_EQ(property(aborted, "step"), "plan");
  EXPECT_EQ(property(aborted, "reason"), "already_on_plan");
  EXPECT_EQ(property(aborted, "direction"), "upgrade");
}

TEST_F(PlanChangeTest, TheServiceSayingAlreadyOnPlanAbortsAtTheApiCall) {
  backend.on("change_plan").already_on_plan("premium");

  EXPECT_EQ(run({"app", "upgrade", "--app", "app-1", "--plan", "premium", "--yes"}), 0);

  EXPECT_EQ(property(aborted, "step"), "api_call");
  EXPECT_EQ(property(aborted, "reason"), "already_on_plan");
}

TEST_F(PlanChangeTest, NothingToDowngradeToAbortsAsNoCandidates) {
  backend.on("list_plan_candidates").succeed({{"plans", nlohmann::json::array()}});

  EXPECT_EQ(run({"app", "downgrade", "--app", "app-1"}), 1);

  EXPECT_EQ(property(aborted, "step"), "plan");
  EXPECT_EQ(property(aborted, "reason"), "no_candidates");
}

TEST_F(PlanChangeTest, TheServiceFindingNoCandidatesAbortsAsNoCandidates) {
  backend.on("list_plan_candidates").no_candidates();

  EXPECT_EQ(run({"app", "downgrade", "--app", "app-1"}), 1);

  EXPECT_EQ(property(aborted, "reason"), "no_candidates");
}

TEST_F(PlanChangeTest, DeclinedTermsAbortWithTheDirectionAndPlan) {
  prompter.choose("elevate").no("terms");

  EXPECT_EQ(run({"app", "upgrade", "--app", "app-1"}), 1);

  EXPECT_EQ(property("CLI Application Plan Change Declined Terms", "direction"), "upgrade");
  EXPECT_EQ(property("CLI Application Plan Change Declined Terms", "plan"), "elevate");
  EXPECT_EQ(property(aborted, "step"), "terms");
  EXPECT_EQ(property(aborted, "reason"), "declined_terms");
}

TEST_F(PlanChangeTest, BillingWallAbortsAtTheApiCall) {
  backend.on("change_plan").billing_required();

  EXPECT_EQ(run({"app", "upgrade", "--app", "app-1", "--plan", "premium", "--yes"}), 1);

  EXPECT_EQ(property(aborted, "step"), "api_call");
  EXPECT_EQ(property(aborted, "reason"), "billing_required");
}

TEST_F(PlanChangeTest, CtrlCAtTheTermsPromptAbortsAsCancelled) {
  prompter.choose("premium").interrupt("terms");

  EXPECT_EQ(run({"app", "upgrade", "--app", "app-1"}), 130);

  EXPECT_EQ(property(aborted, "step"), "terms");
  EXPECT_EQ(property(aborted, "reason"), "cancelled");
}

TEST_F(PlanChangeTest, CtrlCDuringThePlanChangeCallAbortsAsCancelled) {
  backend.on("change_plan").interrupt();

  EXPECT_EQ(run({"app", "upgrade", "--app", "app-1", "--plan", "premium", "--yes"}), 130);

  EXPECT_EQ(property(aborted, "step"), "api_call");
  EXPECT_EQ(property(aborted, "reason"), "cancelled");
}

// After the plan changed, Ctrl-C at the courtesy prompt changes nothing: still Completed, exit 0.
TEST_F(PlanChangeTest, CtrlCAtTheCourtesyPromptAfterSuccessStaysCompleted) {
  prompter.interrupt("Open the dashboard");

  EXPECT_EQ(run({"app", "upgrade", "--app", "app-1", "--plan", "premium", "--yes"}), 0);

  EXPECT_EQ(count(completed), 1u);
  EXPECT_EQ(count(aborted), 0u);
  EXPECT_EQ(property("Command Completed", "succeeded"), true);
}

TEST_F(PlanChangeTest, AFailingCourtesyStepAfterSuccessStaysCompleted) {
  prompter.yes("Open the dashboard");
  backend.on("open_dashboard").network_error();

  EXPECT_EQ(run({"app", "upgrade", "--app", "app-1", "--plan", "premium", "--yes"}), 0);

  EXPECT_EQ(count(completed), 1u);
  EXPECT_EQ(count(failed), 0u);
}

TEST_F(PlanChangeTest, ChoosesTheApplicationWhenNoneIsGiven) {
  backend.on("list_applications")
      .succeed({{"applications",
                 {{{"id", "app-1"}, {"name", "shop"}}, {{"id", "app-2"}, {"name", "blog"}}}}});
  prompter.choose("blog", "Choose an application").no("Open the dashboard");

  EXPECT_EQ(run({"app", "upgrade", "--plan", "premium", "--yes"}), 0);

  EXPECT_EQ(backend.calls("change_plan").at(0).request["app_id"], "app-2");
  EXPECT_EQ(property(completed, "app_id"), "app-2");
}

TEST_F(PlanChangeTest, DryRunSendsOnlyTheCommandPair) {
  EXPECT_EQ(run({"app", "upgrade", "--app", "app-1", "--plan", "premium", "--yes", "--dry-run"}),
            0);

  EXPECT_THAT(event_names(), ElementsAre("Command Invoked", "Command Completed"));
  EXPECT_EQ(backend.call_count("change_plan"), 0u);
}

TEST_F(PlanChangeTest, EndOfInputAtTheTermsPromptFailsAtTerms) {
  prompter.choose("premium").end_of_input("terms");

  EXPECT_EQ(run({"app", "upgrade", "--app", "app-1"}), 1);

  EXPECT_EQ(property(failed, "step"), "terms");
  EXPECT_EQ(property(failed, "error_class"), "cloud_cli::InputClosed");
  EXPECT_EQ(property(failed, "direction"), "upgrade");
}

struct ChangeFailure {
  const char* operation;
  fakes::Response response;
  const char* step;
  const char* error_class;
};

class PlanChangeFailureTest : public CloudCliTest,
                              public ::testing::WithParamInterface<ChangeFailure> {};

TEST_P(PlanChangeFailureTest, FailsAtTheStepWithTheErrorsType) {
  backend.on(GetParam().operation).respond(GetParam().response);

  EXPECT_EQ(
      run({"app", "upgrade", "--app", "app-1", "--plan", "premium", "--yes", "--non-interactive"}),
      1);

  EXPECT_EQ(property(failed, "step"), GetParam().step);
  EXPECT_EQ(property(failed, "error_class"), GetParam().error_class);
}

INSTANTIATE_TEST_SUITE_P(
    EveryStep, PlanChangeFailureTest,
    ::testing::Values(ChangeFailure{"get_session", fakes::Response::network_error(), "auth",
                                    "cloud_cli::NetworkError"},
                      ChangeFailure{"get_plan", fakes::Response::http_error(500), "plan",
                                    "cloud_cli::ApiError"},
                      ChangeFailure{"change_plan", fakes::Response::timeout(), "api_call",
                                    "cloud_cli::ApiTimeout"}),
    [](const ::testing::TestParamInfo<ChangeFailure>& info) {
      return std::string(info.param.step);
    });

}  // namespace
}  // namespace cloud_cli::testing

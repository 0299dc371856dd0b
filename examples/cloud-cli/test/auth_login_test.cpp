// `auth login`: the auth funnel's terminals and failure steps, including Ctrl-C during the
// browser wait (outside any prompt). TearDown checks each recording against the plan.
#include "cloud_cli_test.hpp"

namespace cloud_cli::testing {
namespace {

using ::testing::ElementsAre;

constexpr const char* completed = "CLI Auth Completed";
constexpr const char* aborted = "CLI Auth Aborted";
constexpr const char* failed = "CLI Auth Failed";

using AuthLoginTest = CloudCliTest;

TEST_F(AuthLoginTest, CompletesAfterTheBrowserSignIn) {
  prompter.choose("shop", "Choose an application");

  EXPECT_EQ(run({"auth", "login"}), 0);

  EXPECT_THAT(event_names(),
              ElementsAre("Command Invoked", "CLI Auth Started", completed, "Command Completed"));
  EXPECT_EQ(property("CLI Auth Started", "flow"), "login");
  EXPECT_EQ(property("CLI Auth Started", "no_browser"), false);
  EXPECT_EQ(property(completed, "flow"), "login");
  // The wait (2 s on the fake clock) plus six fake calls of 100 ms each.
  EXPECT_EQ(property(completed, "duration_ms"), 2600);
}

TEST_F(AuthLoginTest, NoBrowserAsksForTheCode) {
  prompter.type_text("c0de", "Paste the code").choose("shop");

  EXPECT_EQ(run({"auth", "login", "--no-browser"}), 0);

  EXPECT_EQ(property("CLI Auth Started", "no_browser"), true);
  EXPECT_EQ(backend.calls("exchange_code").at(0).request["code"], "c0de");
  EXPECT_EQ(count(completed), 1u);
}

// Ctrl-C outside a prompt: during the spinner that waits for the browser.
TEST_F(AuthLoginTest, CtrlCDuringTheBrowserWaitAbortsAsCancelled) {
  session.interrupt_at("wait:browser");

  EXPECT_EQ(run({"auth", "login"}), 130);

  EXPECT_EQ(property(aborted, "step"), "browser_wait");
  EXPECT_EQ(property(aborted, "reason"), "cancelled");
  EXPECT_EQ(property(aborted, "flow"), "login");
  EXPECT_EQ(property("Command Completed", "user_cancelled"), true);
  EXPECT_SCRIPT_DONE(session);  // the interruption was delivered
}

TEST_F(AuthLoginTest, CtrlCAtTheApplicationPromptAbortsAsCancelled) {
  prompter.interrupt("Choose an application");

  EXPECT_EQ(run({"auth", "login"}), 130);

  EXPECT_EQ(property(aborted, "step"), "app_select");
  EXPECT_EQ(property(aborted, "reason"), "cancelled");
}

// A user without applications gets one created as part of login: no create funnel of its own.
TEST_F(AuthLoginTest, CreatesAFirstApplicationWithoutANestedFunnel) {
  backend.on("list_applications").succeed({{"applications", nlohmann::json::array()}});

  EXPECT_EQ(run({"auth", "login"}), 0);

  EXPECT_EQ(backend.call_count("create_application"), 1u);
  EXPECT_EQ(count("CLI Application Create Started"), 0u);
  EXPECT_EQ(count(completed), 1u);
  // Once known, the application's id is on every later event.
  EXPECT_EQ(property("Command Completed", "app_id"), "app-42");
}

TEST_F(AuthLoginTest, EndOfInputAtTheApplicationPromptFailsAtAppSelect) {
  prompter.end_of_input("Choose an application");

  EXPECT_EQ(run({"auth", "login"}), 1);

  EXPECT_EQ(property(failed, "step"), "app_select");
  EXPECT_EQ(property(failed, "error_class"), "cloud_cli::InputClosed");
}

struct LoginFailure {
  const char* operation;
  fakes::Response response;
  const char* step;
  const char* error_class;
};

class AuthLoginFailureTest : public CloudCliTest,
                             public ::testing::WithParamInterface<LoginFailure> {};

TEST_P(AuthLoginFailureTest, FailsAtTheStepWithTheErrorsType) {
  // No applications yet, so the app_create step runs too.
  backend.set_default("list_applications",
                      fakes::Response::success({{"applications", nlohmann::json::array()}}));
  backend.on(GetParam().operation).respond(GetParam().response);

  EXPECT_EQ(run({"auth", "login"}), 1);

  EXPECT_EQ(property(failed, "step"), GetParam().step);
  EXPECT_EQ(property(failed, "error_class"), GetParam().error_class);
}

INSTANTIATE_TEST_SUITE_P(
    EveryStep, AuthLoginFailureTest,
    ::testing::Values(LoginFailure{"poll_browser_code", fakes::Response::timeout(), "browser_wait",
                                   "cloud_cli::ApiTimeout"},
                      LoginFailure{"exchange_code", fakes::Response::http_error(401),
                                   "code_exchange", "cloud_cli::ApiError"},
                      LoginFailure{"create_application", fakes::Response::http_error(500),
                                   "app_create", "cloud_cli::ApiError"},
                      LoginFailure{"configure_profile", fakes::Response::network_error(),
                                   "profile_configure", "cloud_cli::NetworkError"}),
    [](const ::testing::TestParamInfo<LoginFailure>& info) {
      return std::string(info.param.step);
    });

TEST_F(AuthLoginTest, NetworkErrorFetchingApplicationsFailsAtAppsFetch) {
  backend.on("list_applications").network_error();

  EXPECT_EQ(run({"auth", "login"}), 1);

  EXPECT_EQ(property(failed, "step"), "apps_fetch");
  EXPECT_EQ(property(failed, "error_class"), "cloud_cli::NetworkError");
}

}  // namespace
}  // namespace cloud_cli::testing

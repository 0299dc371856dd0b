// cloud_cli_test.hpp — the fixture every cloud-cli test uses.
//
// It wires the product to fakes that share one FakeSession (so prompts, backend calls and waits
// form one transcript and one fake clock) and tracks through the product's own telemetry path, as
// main() does: the invocation client (make_invocation_client) enriches every event (base
// properties, sequence) and hands it to a RecordingClient with the program's delivery options,
// which adds only ids and timestamps, so the test reads exactly what the program would send. In
// TearDown it proves four things for EVERY test:
//   1. the recorded events conform to the tracking plan (the conformance checker, via ConformsTo);
//   2. the scripted prompter used its whole script;
//   3. the scripted backend used every outcome queued for it;
//   4. the session delivered every scheduled interruption and raised no ScriptError (one the
//      product caught and swallowed would otherwise go unnoticed).
//
//   TEST_F(CloudCliTest, DeclinedTermsAbort) {
//     prompter.type_text("shop").choose("grow").no("terms");
//     EXPECT_EQ(run({"app", "create", "--region", "eu-west-1"}), 1);
//     EXPECT_THAT(terminal_of("CLI Application Create"), ...);
//   }
#pragma once

#include "cloud_cli/api.hpp"
#include "cloud_cli/cli.hpp"
#include "cloud_cli/commands.hpp"
#include "cloud_cli/errors.hpp"
#include "cloud_cli/telemetry.hpp"
#include "cloud_cli_plan.hpp"

#include <flowproof/conformance/matchers.hpp>
#include <flowproof/conformance/plan.hpp>
#include <flowproof/fakes/fakes.hpp>
#include <flowproof/fakes/gtest.hpp>
#include <flowproof/harness/recording.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace cloud_cli::testing {

namespace fakes = flowproof::fakes;
namespace harness = flowproof::harness;
namespace conformance = flowproof::conformance;

class CloudCliTest : public ::testing::Test {
 protected:
  CloudCliTest() {
    register_cancellations();  // UserCancelled -> Aborted{cancelled}
    // Ctrl-C and end of input arrive as the product's own exception types.
    session.set_interruption(fakes::Interruption::as<UserCancelled>());
    session.set_end_of_input(fakes::Interruption::as<InputClosed>());
    answer_happy_path_by_default();
  }

  void TearDown() override {
    EXPECT_THAT(events(), conformance::ConformsTo(plan()));
    EXPECT_SCRIPT_DONE(prompter);
    EXPECT_SCRIPT_DONE(backend);
    EXPECT_SCRIPT_DONE(session);
  }

  /// Runs the program's command line against the fakes; returns the exit code.
  int run(const std::vector<std::string>& args) {
    const ParseResult parsed = parse_command_line(args);
    EXPECT_EQ(parsed.kind, ParseResult::Kind::run) << parsed.message;
    client.reset();  // before the recorder it tracks into
    recording = std::make_unique<harness::RecordingClient>(
        delivery_options(invocation_id, &session.clock()));
    client = make_invocation_client(*recording, invocation_id, parsed.invocation, &session.clock());
    Services services{
        .client = *client,
        .prompter = *active_prompter,
        .api = api,
        .waiter = waiter,
        .clock = session.clock(),
        .app_known = [this](const std::string& app_id) { client->set_app_id(app_id); },
        .out = &output};
    return run_command(parsed.invocation, services);
  }

  /// Everything recorded so far (empty before run()).
  std::vector<harness::Event> events() const {
    return recording ? recording->events() : std::vector<harness::Event>{};
  }
  /// The names of the recorded events, in order.
  std::vector<std::string> event_names() const {
    std::vector<std::string> names;
    for (const harness::Event& event : events()) names.push_back(event.name);
    return names;
  }
  /// The first recorded event with this name; fails the test when there is none.
  harness::Event event(const std::string& name) const {
    for (const harness::Event& recorded : events())
      if (recorded.name == name) return recorded;
    ADD_FAILURE() << "no event \"" << name << "\" in the recording";
    return {};
  }
  /// How many recorded events have this name.
  std::size_t count(const std::string& name) const {
    std::size_t n = 0;
    for (const harness::Event& recorded : events()) n += recorded.name == name ? 1 : 0;
    return n;
  }
  /// A property of the first event with this name.
  nlohmann::json property(const std::string& event_name, const std::string& key) const {
    return event(event_name).properties.value(key, nlohmann::json());
  }

  /// Uses a different prompter (a MockPrompter) for the next run().
  void use_prompter(fakes::Prompter& other) { active_prompter = &other; }

  // Every fake call advances the fake clock by 100 ms, so durations are exact.
  fakes::FakeSession session{
      fakes::FakeClock::Options{.auto_advance = std::chrono::milliseconds(100)}};
  fakes::ScriptedPrompter prompter{session};
  fakes::ScriptedBackend backend{session};
  fakes::FakeWaiter waiter{session};
  CloudApi api{backend};
  /// What the program would deliver: every event as the invocation client finished it.
  std::unique_ptr<harness::RecordingClient> recording;
  /// The product's invocation client of the last run() (tracks into `recording`).
  std::unique_ptr<InvocationClient> client;
  std::ostringstream output;  // what the user would have seen
  const std::string invocation_id = "0c6d2f8e-4a1b-4c3d-9e8f-7a6b5c4d3e2f";

 private:
  // The service's normal answers; a test queues the deviation it is about with backend.on(...).
  void answer_happy_path_by_default() {
    using fakes::Response;
    backend.set_default("get_session", Response::success({{"valid", true}}));
    backend.set_default("refresh_session", Response::success());
    backend.set_default("poll_browser_code", Response::success({{"code", "c0de"}}));
    backend.set_default("exchange_code", Response::success());
    backend.set_default(
        "list_applications",
        Response::success(
            {{"applications", {{{"id", "app-1"}, {"name", "shop"}, {"plan", "grow"}}}}}));
    backend.set_default("list_regions",
                        Response::success({{"regions", {"us-east-1", "eu-west-1", "ap-south-1"}}}));
    backend.set_default("check_billing", Response::success());
    backend.set_default("create_application", Response::success({{"id", "app-42"}}));
    backend.set_default("create_api_key", Response::success());
    backend.set_default("apply_plan", Response::success());
    backend.set_default("configure_profile", Response::success());
    backend.set_default("get_plan", Response::success({{"plan", "grow"}}));
    backend.set_default("list_plan_candidates",
                        Response::success({{"plans", {"grow-plus", "premium", "elevate"}}}));
    backend.set_default("change_plan", Response::success());
    backend.set_default("open_dashboard", Response::success());
  }

  fakes::Prompter* active_prompter = &prompter;
};

}  // namespace cloud_cli::testing

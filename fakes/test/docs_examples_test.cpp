// The examples of docs/fakes.md, compiled and run so the page cannot rot: a small "application
// create" flow driven through ScriptedPrompter, ScriptedBackend and FakeWaiter.
#include <flowproof/fakes/fakes.hpp>
#include <flowproof/fakes/gtest.hpp>

#include <flowproof/harness/flow.hpp>
#include <flowproof/harness/recording.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

namespace demo {

using namespace flowproof;
using namespace std::chrono_literals;

// The product's own cancellation type (what its Ctrl-C handler throws).
struct UserCancelled {};

harness::FlowDefinition create_flow() {
  harness::FlowDefinition flow;
  flow.id = "application_create";
  flow.started = "CLI Application Create Started";
  flow.completed = "CLI Application Create Completed";
  flow.aborted = "CLI Application Create Aborted";
  flow.failed = "CLI Application Create Failed";
  return flow;
}

// snippet-begin: product
void create_application(fakes::Prompter& prompter, fakes::Backend& backend, fakes::Waiter& waiter,
                        harness::Client& client, harness::Clock& clock) {
  harness::FlowOptions options;
  options.clock = &clock;
  options.is_cancellation = [](std::exception_ptr error) {
    try {
      std::rethrow_exception(error);
    } catch (const UserCancelled&) {
      return true;
    } catch (...) {
      return false;
    }
  };
  harness::FlowTracker flow(&client, create_flow(), options);
  flow.step("name");
  const std::string name = prompter.text("Application name", "");
  flow.step("plan");
  const std::vector<std::string> plans = {"free", "pro"};
  const std::string plan = plans[prompter.select("Choose a plan", plans)];
  flow.step("region");
  std::string region = "eu-west-1";
  flow.step("api_call");
  for (;;) {
    waiter.wait("spinner", 500ms);
    auto response =
        backend.call("create_application", {{"name", name}, {"plan", plan}, {"region", region}});
    if (response.outcome == fakes::Outcome::region_unavailable) {
      region = "us-east-1";  // the retry lands somewhere else
      continue;
    }
    if (response.outcome == fakes::Outcome::billing_required) {
      flow.abort("billing_required");
      return;
    }
    response.throw_if_error();
    break;
  }
  flow.complete({{"region", region}, {"plan", plan}});
}
// snippet-end: product

std::vector<std::string> names(const harness::RecordingClient& client) {
  std::vector<std::string> out;
  for (const auto& event : client.events()) out.push_back(event.name);
  return out;
}

TEST(DocsExamples, CtrlCAtASpinnerAbortsWithCancelled) {
  // snippet-begin: ctrl-c
  fakes::FakeSession session;
  session.set_interruption(fakes::Interruption::as<UserCancelled>());
  session.interrupt_at("wait:spinner");  // the user presses Ctrl-C while the spinner turns

  fakes::ScriptedPrompter prompter(session);
  prompter.type_text("my-app", "name").choose("pro", "plan");
  fakes::ScriptedBackend backend(session);  // never reached: no outcome needed
  fakes::FakeWaiter waiter(session);
  harness::RecordingClient client;

  EXPECT_THROW(create_application(prompter, backend, waiter, client, session.clock()),
               UserCancelled);
  const auto events = client.events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].name, "CLI Application Create Aborted");
  EXPECT_EQ(events[1].properties["reason"], "cancelled");
  EXPECT_EQ(events[1].properties["step"], "api_call");
  EXPECT_SCRIPT_DONE(prompter);
  EXPECT_SCRIPT_DONE(session);
  // snippet-end: ctrl-c
}

TEST(DocsExamples, BillingWallThenSuccess) {
  // snippet-begin: billing
  fakes::FakeSession session;
  fakes::ScriptedPrompter prompter(session);
  prompter.type_text("my-app")
      .choose("pro")  // first attempt
      .type_text("my-app")
      .choose("pro");  // after adding a card
  fakes::ScriptedBackend backend(session);
  backend.on("create_application").billing_required().succeed({{"id", "app-1"}});
  fakes::FakeWaiter waiter(session);
  fakes::ScriptGuard guard(prompter, backend, session);
  harness::RecordingClient client;

  create_application(prompter, backend, waiter, client, session.clock());
  create_application(prompter, backend, waiter, client, session.clock());

  EXPECT_EQ(names(client),
            (std::vector<std::string>{
                "CLI Application Create Started", "CLI Application Create Aborted",
                "CLI Application Create Started", "CLI Application Create Completed"}));
  EXPECT_EQ(client.events()[1].properties["reason"], "billing_required");
  EXPECT_EQ(backend.calls("create_application").size(), 2u);
  // snippet-end: billing
}

TEST(DocsExamples, RegionRetryReportsTheRegionActuallyUsed) {
  // snippet-begin: region-retry
  fakes::FakeSession session;
  fakes::ScriptedPrompter prompter(session);
  prompter.type_text("my-app").choose("free");
  fakes::ScriptedBackend backend(session);
  backend.on("create_application")
      .region_unavailable("eu-west-1")
      .took(200ms)
      .succeed({{"id", "app-1"}})
      .took(800ms);
  fakes::FakeWaiter waiter(session);
  harness::RecordingClient client;

  create_application(prompter, backend, waiter, client, session.clock());

  const auto calls = backend.calls("create_application");
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].request["region"], "eu-west-1");
  EXPECT_EQ(calls[1].request["region"], "us-east-1");
  const auto completed = client.events().back();
  EXPECT_EQ(completed.properties["region"], "us-east-1");
  EXPECT_EQ(completed.properties["duration_ms"], 2000);  // 2 spinners x 500 + 200 + 800, exactly
  EXPECT_SCRIPT_DONE(backend);
  // snippet-end: region-retry
}

}  // namespace demo

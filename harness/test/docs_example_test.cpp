// The examples quoted in docs/harness.md (checked by the docs_snippets test): a tiny product that
// instruments a create flow, and the tests that pin its funnel down.
#include <flowproof/harness/error_class.hpp>
#include <flowproof/harness/flow.hpp>
#include <flowproof/harness/matchers.hpp>
#include <flowproof/harness/recording.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace docs_example {

using namespace flowproof::harness;

struct Interrupted : std::exception {};  // the product's Ctrl-C
struct QuotaExceeded : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// snippet-begin: product
FlowDefinition create_flow() {
  FlowDefinition flow;
  flow.id = "application_create";
  flow.started = "CLI Application Create Started";
  flow.completed = "CLI Application Create Completed";
  flow.aborted = "CLI Application Create Aborted";
  flow.failed = "CLI Application Create Failed";
  return flow;
}

// The product: every path out of this function ends the funnel exactly once.
void create_application(Client& client, bool accept_terms, bool quota_left) {
  FlowTracker flow(&client, create_flow());
  flow.step("terms");
  if (!accept_terms) {
    flow.abort("declined_terms");
    return;
  }
  flow.step("api_call");
  if (!quota_left) throw QuotaExceeded("quota exceeded for alice@example.com");
  flow.complete({{"region", "us"}, {"plan", "free"}});
}
// snippet-end: product

TEST(DocsExample, Paths) {
  // snippet-begin: paths
  ClientOptions options;
  options.base_properties = {{"invocation_id", "d7ec5d61"}, {"command", "application create"}};
  RecordingClient client(options);

  create_application(client, /*accept_terms=*/false, /*quota_left=*/true);
  EXPECT_THAT(client.events(), HasExactlyOneTerminal(create_flow()));
  EXPECT_THAT(client.events(), EndedWith(create_flow(), TerminalKind::aborted, "declined_terms"));
  EXPECT_THAT(client.events(), TerminalOf(create_flow(), HasProperty("step", "terms")));

  client.clear();
  EXPECT_THROW(create_application(client, true, /*quota_left=*/false), QuotaExceeded);
  // The tracker's destructor saw the exception in flight: Failed, with its type, not its message.
  auto failed_at_api_call =
      AllOf(TerminalIs(create_flow(), TerminalKind::failed), HasProperty("step", "api_call"),
            HasProperty("error_class", JsonString(::testing::EndsWith("QuotaExceeded"))));
  EXPECT_THAT(client.events(), TerminalOf(create_flow(), failed_at_api_call));
  // snippet-end: paths
}

TEST(DocsExample, Cancellation) {
  // snippet-begin: cancellation
  register_cancellation<Interrupted>();  // once, at start-up
  RecordingClient client;
  {
    FlowTracker flow(&client, create_flow());
    flow.step("region");
    EXPECT_THROW(flow.guard([] { throw Interrupted(); }), Interrupted);
  }
  EXPECT_THAT(client.events(), EndedWith(create_flow(), TerminalKind::aborted, "cancelled"));
  EXPECT_THAT(client.events(), TerminalOf(create_flow(), HasProperty("step", "region")));
  // snippet-end: cancellation
  clear_cancellations();
}

TEST(DocsExample, WaitAndWrite) {
  RecordingClient client;
  create_application(client, true, true);
  // snippet-begin: wait
  ASSERT_TRUE(client.wait_for([](const std::vector<Event>& events) { return events.size() >= 2; },
                              std::chrono::seconds(10)));
  const auto path = std::filesystem::temp_directory_path() / "flowproof-docs-example.jsonl";
  client.write_json_lines(path);  // feed it to `flowproof check --plan plan.json FILE`
  // snippet-end: wait
  EXPECT_TRUE(std::filesystem::exists(path));
  std::filesystem::remove(path);
}

}  // namespace docs_example

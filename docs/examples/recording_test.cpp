// docs/examples/recording_test.cpp — the README's example of a product test: the product tracks
// through a Client it is handed, the test hands it a RecordingClient and asserts on the recording
// with flowproof's matchers. Built and run by ctest (docs_examples); the README quotes the region.
//
//   ctest -R RecordingExample
#include <flowproof/harness/flow.hpp>
#include <flowproof/harness/matchers.hpp>
#include <flowproof/harness/recording.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace {

// snippet-begin: recording-test
using namespace flowproof::harness;

const FlowDefinition create_flow{.id = "application_create",
                                 .started = "CLI Application Create Started",
                                 .completed = "CLI Application Create Completed",
                                 .aborted = "CLI Application Create Aborted",
                                 .failed = "CLI Application Create Failed"};

// The product code under test: it only knows the Client interface.
void create_application(Client& analytics, bool accept_terms) {
  FlowTracker flow(&analytics, create_flow);
  flow.step("terms");
  if (!accept_terms) {
    flow.abort("declined_terms");
    return;
  }
  flow.complete({{"region", "eu-west"}, {"plan", "free"}});
}

TEST(RecordingExample, DecliningTermsAbortsTheFlowOnce) {
  RecordingClient analytics(ClientOptions{.base_properties = {{"invocation_id", "test-1"}}});

  create_application(analytics, /*accept_terms=*/false);

  const auto events = analytics.events();
  EXPECT_THAT(events, HasExactlyOneTerminal(create_flow));
  EXPECT_THAT(events, EndedWith(create_flow, TerminalKind::aborted, "declined_terms"));
  EXPECT_THAT(events, TerminalOf(create_flow, HasProperty("step", "terms")));
}
// snippet-end: recording-test

TEST(RecordingExample, AcceptingTermsCompletesWithThePlan) {
  RecordingClient analytics(ClientOptions{.base_properties = {{"invocation_id", "test-2"}}});
  create_application(analytics, /*accept_terms=*/true);
  const auto events = analytics.events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_THAT(events[0], IsEvent("CLI Application Create Started"));
  EXPECT_THAT(events, TerminalOf(create_flow, HasProperty("plan", "free")));
}

}  // namespace

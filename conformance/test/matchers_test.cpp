// Tests of ConformsTo(plan), the GoogleMock matcher that runs the checker over a recording.
#include <flowproof/conformance/matchers.hpp>
#include <flowproof/harness/flow.hpp>
#include <flowproof/harness/recording.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace flowproof::conformance {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

// A one-flow plan: enough to produce conforming and broken recordings.
constexpr const char* plan_text = R"({
  "flowproof_plan": 1,
  "name": "tiny",
  "invocation": {"key": "/properties/invocation_id", "order": "/properties/sequence"},
  "flows": {
    "checkout": {
      "started": {"event": "Checkout Started", "schema": {"type": "object"}},
      "completed": {"event": "Checkout Completed", "schema": {"type": "object"}},
      "aborted": {"event": "Checkout Aborted", "schema": {"type": "object"}},
      "steps": ["cart", "pay"],
      "reasons": ["cancelled"]
    }
  }
})";

harness::FlowDefinition checkout() {
  harness::FlowDefinition flow;
  flow.id = "checkout";
  flow.started = "Checkout Started";
  flow.completed = "Checkout Completed";
  flow.aborted = "Checkout Aborted";
  flow.duration_property = "";  // the tiny plan declares no duration
  return flow;
}

class ConformsToTest : public ::testing::Test {
 protected:
  harness::ClientOptions options() {
    harness::ClientOptions options;
    options.base_properties = {{"invocation_id", "inv-1"}};
    return options;
  }
  // Explains a match the way a failing EXPECT_THAT would.
  static std::string explain(const ::testing::Matcher<const std::vector<harness::Event>&>& matcher,
                             const std::vector<harness::Event>& events) {
    ::testing::StringMatchResultListener listener;
    matcher.MatchAndExplain(events, &listener);
    return listener.str();
  }

  Plan plan = parse_plan(plan_text, "tiny.plan.json");
  harness::RecordingClient recording{options()};
};

TEST_F(ConformsToTest, MatchesARecordingThatFollowsThePlan) {
  {
    harness::FlowTracker flow(&recording, checkout());
    flow.step("cart");
    flow.complete();
  }
  EXPECT_THAT(recording.events(), ConformsTo(plan));
}

TEST_F(ConformsToTest, FailsAndExplainsFindingsAndTimelineWhenATerminalIsMissing) {
  recording.track("Checkout Started");  // never ends: FP103

  const auto matcher = ConformsTo(plan);
  EXPECT_FALSE(matcher.Matches(recording.events()));
  const std::string why = explain(matcher, recording.events());
  EXPECT_THAT(why, AllOf(HasSubstr("1 error"), HasSubstr("FP103 missing-terminal (error)"),
                         HasSubstr("at sequence 1"), HasSubstr("timeline:"),
                         HasSubstr("Checkout Started")));
}

TEST_F(ConformsToTest, ExplainsAnInvalidReasonWithItsSequence) {
  recording.track("Checkout Started");
  recording.track("Checkout Aborted", {{"step", "pay"}, {"reason", "bored"}});  // not a reason

  const std::string why = explain(ConformsTo(plan), recording.events());
  EXPECT_THAT(why, AllOf(HasSubstr("FP106 invalid-reason"), HasSubstr("at sequence 2"),
                         HasSubstr("[flow checkout]"), HasSubstr("reason=bored")));
}

TEST_F(ConformsToTest, DescribesItselfAndItsNegationByPlanName) {
  const auto matcher = ConformsTo(plan);
  EXPECT_EQ(::testing::DescribeMatcher<const std::vector<harness::Event>&>(matcher),
            "conforms to the tracking plan \"tiny\"");
  EXPECT_EQ(::testing::DescribeMatcher<const std::vector<harness::Event>&>(matcher, true),
            "breaks the tracking plan \"tiny\"");
}

TEST_F(ConformsToTest, WorksNegatedWithNot) {
  recording.track("Checkout Completed");  // a terminal with no Started: FP101
  EXPECT_THAT(recording.events(), Not(ConformsTo(plan)));
}

TEST_F(ConformsToTest, WarningsDoNotFailTheMatchButAreListed) {
  recording.track("Something Else");  // unknown event: FP005, a warning by default

  const auto matcher = ConformsTo(plan);
  EXPECT_TRUE(matcher.Matches(recording.events()));
  EXPECT_THAT(explain(matcher, recording.events()),
              AllOf(HasSubstr("1 warning"), HasSubstr("FP005 unknown-event (warning)")));
}

TEST_F(ConformsToTest, PassesCheckOptionsToTheChecker) {
  recording.track("Checkout Started");  // FP103 ...
  CheckOptions options;
  options.severity_overrides["FP103"] = Severity::off;  // ... switched off for this match
  EXPECT_THAT(recording.events(), ConformsTo(plan, options));
}

TEST_F(ConformsToTest, KeepsItsOwnCopyOfThePlan) {
  const auto matcher = ConformsTo(parse_plan(plan_text));  // the temporary plan dies here
  recording.track("Checkout Started");
  EXPECT_FALSE(matcher.Matches(recording.events()));
}

TEST_F(ConformsToTest, AnEmptyRecordingConforms) {
  EXPECT_THAT(std::vector<harness::Event>{}, ConformsTo(plan));
}

}  // namespace
}  // namespace flowproof::conformance

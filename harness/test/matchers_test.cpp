// Tests for the GoogleMock matchers: what each matches, and that failures print the timeline.
#include <flowproof/harness/matchers.hpp>
#include <flowproof/harness/recording.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace flowproof::harness {
namespace {

using ::testing::DescribeMatcher;
using ::testing::Ge;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;
using ::testing::StringMatchResultListener;

FlowDefinition create_flow() {
  FlowDefinition flow;
  flow.id = "application_create";
  flow.started = "Create Started";
  flow.completed = "Create Completed";
  flow.aborted = "Create Aborted";
  flow.failed = "Create Failed";
  return flow;
}

// Explanation of a failed match, or "MATCHED" when it matched.
template <class Matcher, class Value>
std::string explain(const Matcher& matcher, const Value& value) {
  StringMatchResultListener listener;
  if (::testing::ExplainMatchResult(matcher, value, &listener)) return "MATCHED";
  return listener.str();
}

class MatchersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    client.track("Command Invoked");
    FlowTracker flow(&client, create_flow());
    flow.step("terms");
    flow.abort("declined_terms", {{"plan", "free"}});
    events = client.events();
  }
  RecordingClient client;
  std::vector<Event> events;
};

TEST_F(MatchersTest, IsEvent) {
  EXPECT_THAT(events[0], IsEvent("Command Invoked"));
  EXPECT_THAT(events[1], IsEvent(StartsWith("Create")));
  EXPECT_THAT(events[0], Not(IsEvent("Command Completed")));
  const std::string why = explain(IsEvent("Command Completed"), events[0]);
  EXPECT_THAT(why, HasSubstr("whose name \"Command Invoked\" doesn't match"));
  EXPECT_THAT(why, HasSubstr("#1 Command Invoked"));
  EXPECT_EQ(DescribeMatcher<const Event&>(IsEvent("X")),
            "is an event whose name is equal to \"X\"");
}

TEST_F(MatchersTest, HasPropertyWithPlainValuesAndMatchers) {
  const Event& aborted = events[2];
  EXPECT_THAT(aborted, HasProperty("plan", "free"));
  EXPECT_THAT(aborted, HasProperty("sequence", 3));
  EXPECT_THAT(aborted, HasProperty("plan", std::string("free")));
  EXPECT_THAT(aborted, HasProperty("plan", nlohmann::json("free")));
  EXPECT_THAT(aborted, HasProperty("reason", JsonString(StartsWith("declined"))));
  EXPECT_THAT(aborted, HasProperty("duration_ms", ::testing::Ge(0)));
  EXPECT_THAT(aborted, Not(HasProperty("plan", "build")));
  EXPECT_THAT(aborted, Not(HasProperty("error_class", ::testing::_)));

  const std::string wrong = explain(HasProperty("plan", "build"), aborted);
  EXPECT_THAT(wrong, HasSubstr("whose property \"plan\" is \"free\""));
  EXPECT_THAT(wrong, HasSubstr("#3 Create Aborted  step=terms reason=declined_terms"));
  EXPECT_THAT(explain(HasProperty("region", "us"), aborted),
              HasSubstr("which has no property \"region\""));
  EXPECT_THAT(explain(HasProperty("plan", JsonString(StartsWith("x"))), events[0]),
              HasSubstr("no property"));
  EXPECT_THAT(explain(HasProperty("sequence", JsonString(StartsWith("1"))), events[0]),
              HasSubstr("which is not a JSON string (it is a number)"));
  EXPECT_EQ(DescribeMatcher<const Event&>(HasProperty("plan", "free")),
            "has property \"plan\" that is equal to \"free\"");
}

TEST_F(MatchersTest, ContainsEvent) {
  EXPECT_THAT(events, ContainsEvent("Create Aborted"));
  EXPECT_THAT(events, Not(ContainsEvent("Create Completed")));
  const std::string why = explain(ContainsEvent("Command Completed"), events);
  EXPECT_THAT(why, HasSubstr("which has no such event among 3"));
  EXPECT_THAT(why, HasSubstr("recorded timeline:\n  #1 Command Invoked\n  #2 Create Started\n"
                             "  #3 Create Aborted  step=terms reason=declined_terms duration_ms="));
  EXPECT_EQ(DescribeMatcher<const std::vector<Event>&>(ContainsEvent("X")),
            "contains an event whose name is equal to \"X\"");
}

TEST_F(MatchersTest, TerminalOf) {
  EXPECT_THAT(events, TerminalOf(create_flow(), HasProperty("plan", "free")));
  const std::string why = explain(TerminalOf(create_flow(), HasProperty("plan", "pro")), events);
  EXPECT_THAT(why, HasSubstr("(event #3, \"Create Aborted\") doesn't match: whose property "
                             "\"plan\" is \"free\""));
  EXPECT_THAT(why, HasSubstr("recorded timeline:\n  #1 Command Invoked"));

  std::vector<Event> twice = events;
  twice.push_back(events[2]);
  EXPECT_THAT(explain(TerminalOf(create_flow(), ::testing::_), twice),
              HasSubstr("which has 2 terminal events of flow \"application_create\""));
  EXPECT_THAT(explain(TerminalOf(create_flow(), ::testing::_), std::vector<Event>{}),
              HasSubstr("(no events recorded)"));
}

TEST_F(MatchersTest, HasExactlyOneTerminal) {
  EXPECT_THAT(events, HasExactlyOneTerminal(create_flow()));
  std::vector<Event> twice = events;
  twice.push_back(events[2]);
  const std::string why = explain(HasExactlyOneTerminal(create_flow()), twice);
  EXPECT_THAT(why, HasSubstr("which has 2 terminal events"));
  EXPECT_THAT(why, HasSubstr("#3 Create Aborted"));

  std::vector<Event> open = {events[0], events[1]};
  EXPECT_THAT(explain(HasExactlyOneTerminal(create_flow()), open),
              HasSubstr("which has 0 terminal events"));
  std::vector<Event> reversed = {events[2], events[1]};
  EXPECT_THAT(explain(HasExactlyOneTerminal(create_flow()), reversed),
              HasSubstr("comes before \"Create Started\""));
  std::vector<Event> orphan = {events[0], events[2]};
  EXPECT_THAT(explain(HasExactlyOneTerminal(create_flow()), orphan),
              HasSubstr("which has 0 \"Create Started\" events"));
}

TEST_F(MatchersTest, TerminalIsAndEndedWith) {
  const FlowDefinition flow = create_flow();
  EXPECT_THAT(events[2], TerminalIs(flow, TerminalKind::aborted));
  EXPECT_THAT(events[2], TerminalIs(flow, TerminalKind::aborted, "declined_terms"));
  EXPECT_THAT(events[2], Not(TerminalIs(flow, TerminalKind::aborted, "cancelled")));
  EXPECT_THAT(events[2], Not(TerminalIs(flow, TerminalKind::failed)));
  EXPECT_THAT(events, EndedWith(flow, TerminalKind::aborted, "declined_terms"));
  EXPECT_THAT(events, Not(EndedWith(flow, TerminalKind::completed)));

  const std::string why = explain(EndedWith(flow, TerminalKind::completed), events);
  EXPECT_THAT(why, HasSubstr("which is \"Create Aborted\", not the completed terminal "
                             "\"Create Completed\""));
  EXPECT_THAT(why, HasSubstr("#2 Create Started"));
  EXPECT_THAT(explain(TerminalIs(flow, TerminalKind::aborted, "cancelled"), events[2]),
              HasSubstr("whose reason is \"declined_terms\""));
  EXPECT_EQ(DescribeMatcher<const Event&>(TerminalIs(flow, TerminalKind::failed, "api::Quota")),
            "is the failed terminal \"Create Failed\" with error_class that is equal to "
            "\"api::Quota\"");
  // The detail may be any string matcher.
  EXPECT_THAT(events, EndedWith(flow, TerminalKind::aborted, ::testing::StartsWith("declined")));
  EXPECT_THAT(
      explain(TerminalIs(flow, TerminalKind::aborted, ::testing::EndsWith("led")), events[2]),
      HasSubstr("whose reason is \"declined_terms\""));
}

// JsonNumber and JsonInteger check the JSON type first: Ge(0) alone compares a nlohmann::json,
// which orders every string and array above every number, so it matches "oops".
TEST_F(MatchersTest, JsonNumberAndJsonIntegerRefuseOtherTypes) {
  Event event;
  event.properties = {{"duration_ms", "oops"}, {"ratio", 0.5}, {"whole", 120.0}, {"ms", 120}};
  EXPECT_THAT(event, HasProperty("duration_ms", Ge(0)));  // why the two matchers exist
  EXPECT_THAT(event, Not(HasProperty("duration_ms", JsonNumber(Ge(0)))));
  EXPECT_THAT(explain(HasProperty("duration_ms", JsonInteger(Ge(0))), event),
              HasSubstr("which is not a JSON number (it is a string)"));
  EXPECT_THAT(event, HasProperty("ratio", JsonNumber(::testing::Lt(1.0))));
  EXPECT_THAT(explain(HasProperty("ratio", JsonInteger(Ge(0))), event),
              HasSubstr("which is not an integer within 64 bits (it is 0.5)"));
  EXPECT_THAT(event, HasProperty("whole", JsonInteger(120)));  // 120.0 is an integer
  EXPECT_THAT(event, HasProperty("ms", JsonInteger(Ge(0))));
  EXPECT_THAT(event, Not(HasProperty("ms", JsonInteger(Ge(121)))));
  event.properties["ms"] = -1;
  EXPECT_THAT(event, Not(HasProperty("ms", JsonInteger(Ge(0)))));
  EXPECT_EQ(DescribeMatcher<const nlohmann::json&>(JsonInteger(Ge(0))),
            "is an integer that is >= 0");
}

// Messages name events by their timeline label — "#" and the sequence number, "@" and the position
// without one — so a message and the timeline under it agree (before session 7 a message said
// "event #2" for the event the timeline showed as "#4", after client.clear() for instance).
TEST_F(MatchersTest, MessagesNameEventsAsTheTimelineDoes) {
  std::vector<Event> later(events.begin() + 1, events.end());  // sequences 2 and 3 at 1 and 2
  const std::string why = explain(EndedWith(create_flow(), TerminalKind::completed), later);
  EXPECT_THAT(why, HasSubstr("(event #3, \"Create Aborted\") doesn't match"));
  EXPECT_THAT(why, HasSubstr("\n  #3 Create Aborted"));
  std::vector<Event> reversed = {later[1], later[0]};
  EXPECT_THAT(explain(HasExactlyOneTerminal(create_flow()), reversed),
              HasSubstr("whose terminal (event #3) comes before \"Create Started\" (event #2)"));
  for (Event& event : reversed) event.properties.erase("sequence");
  EXPECT_THAT(explain(HasExactlyOneTerminal(create_flow()), reversed),
              HasSubstr("whose terminal (event @1) comes before \"Create Started\" (event @2)"));
  EXPECT_EQ(timeline_label(reversed, 1), "@2");
  EXPECT_EQ(timeline_label(later, 0), "#2");
}

// Inside a failing Not(...) the matcher's match is the explanation: it names what matched and,
// over a recording, shows the timeline, as a failure does.
TEST_F(MatchersTest, NegatedMatchersExplainTheMatchWithTheTimeline) {
  const std::string contains = explain(Not(ContainsEvent("Create Aborted")), events);
  EXPECT_THAT(contains, HasSubstr("whose event #3 \"Create Aborted\" matches"));
  EXPECT_THAT(contains, HasSubstr("recorded timeline:\n  #1 Command Invoked"));
  const std::string one = explain(Not(HasExactlyOneTerminal(create_flow())), events);
  EXPECT_THAT(one, HasSubstr("which has \"Create Started\" (event #2) and one terminal, "
                             "\"Create Aborted\" (event #3)"));
  EXPECT_THAT(one, HasSubstr("recorded timeline:\n  #1 Command Invoked"));
  const std::string ended =
      explain(Not(EndedWith(create_flow(), TerminalKind::aborted, "declined_terms")), events);
  EXPECT_THAT(ended, HasSubstr("(event #3, \"Create Aborted\") matches"));
  EXPECT_THAT(ended, HasSubstr("recorded timeline:"));
  EXPECT_THAT(explain(Not(IsEvent("Command Invoked")), events[0]),
              HasSubstr("whose name is \"Command Invoked\""));
  EXPECT_THAT(explain(Not(HasProperty("plan", "free")), events[2]),
              HasSubstr("whose property \"plan\" is \"free\""));
}

// A completed terminal has no reason or error class, and FlowTracker adds no step to it: a detail
// for it is a mistake the matcher names, instead of failing with "whose step is missing".
TEST(Matchers, ACompletedTerminalHasNoDetail) {
  RecordingClient client;
  {
    FlowTracker tracker(&client, create_flow());
    tracker.step("done");
    tracker.complete();
  }
  const auto events = client.events();
  EXPECT_THAT(events, EndedWith(create_flow(), TerminalKind::completed));
  const std::string why =
      explain(EndedWith(create_flow(), TerminalKind::completed, "done"), events);
  EXPECT_THAT(why, HasSubstr("a completed terminal has no detail to compare"));
  EXPECT_THAT(
      DescribeMatcher<const Event&>(TerminalIs(create_flow(), TerminalKind::completed, "done")),
      HasSubstr("which a completed terminal never has"));
}

// GoogleTest prints an event by name and properties: no message id or timestamp, which differ on
// every run and buried the explanation.
TEST_F(MatchersTest, EventsPrintByNameAndProperties) {
  const std::string printed = ::testing::PrintToString(events[2]);
  EXPECT_THAT(printed, StartsWith("\"Create Aborted\" {"));
  EXPECT_THAT(printed, HasSubstr("\"reason\":\"declined_terms\""));
  EXPECT_THAT(printed, Not(HasSubstr(events[2].message_id)));
  EXPECT_THAT(printed, Not(HasSubstr(events[2].timestamp)));
  Event identify;
  identify.type = EventType::identify;
  identify.user_id = "user-1";
  identify.properties = {{"plan", "free"}};
  EXPECT_EQ(::testing::PrintToString(identify), "identify \"user-1\" {\"plan\":\"free\"}");
}

TEST(Timeline, FormatsSequenceNameAndKeyProperties) {
  Event identify;
  identify.type = EventType::identify;
  identify.user_id = "user-1";
  Event failed;
  failed.name = "Create Failed";
  failed.properties = {{"sequence", 4},
                       {"step", "api_call"},
                       {"error_class", "api::Quota"},
                       {"duration_ms", 12},
                       {"plan", "free"}};
  EXPECT_EQ(format_timeline({identify, failed}),
            "  @1 identify user-1\n"
            "  #4 Create Failed  step=api_call error_class=api::Quota duration_ms=12\n");
  EXPECT_EQ(format_timeline({}), "  (no events recorded)\n");
  TimelineOptions options;
  options.keys = {"plan"};
  options.indent = "";
  EXPECT_EQ(format_timeline({failed}, options), "#4 Create Failed  plan=free\n");
}

TEST_F(MatchersTest, GoogleMocksStringMatchersOnANonStringAreAMismatchNotAnException) {
  // HasProperty("sequence", StartsWith("a")) used to throw nlohmann's type_error.302.
  const Event& aborted = events[2];
  std::string why;
  EXPECT_NO_THROW(why = explain(HasProperty("sequence", StartsWith("a")), aborted));
  EXPECT_THAT(why, StartsWith("whose property \"sequence\" is 3 (which is not a JSON string (it is "
                              "a number))"));
  EXPECT_THAT(explain(HasProperty("duration_ms", ::testing::HasSubstr("1")), aborted),
              HasSubstr("(which is not a JSON string (it is a number))"));
  EXPECT_THAT(aborted, HasProperty("reason", StartsWith("declined")));
  EXPECT_THAT(aborted, HasProperty("reason", ::testing::EndsWith("terms")));
  EXPECT_THAT(aborted, HasProperty("reason", ::testing::HasSubstr("ined_t")));
  EXPECT_THAT(aborted, HasProperty("reason", ::testing::StrEq("declined_terms")));
  EXPECT_THAT(aborted, HasProperty("reason", ::testing::StrCaseEq("DECLINED_TERMS")));
  EXPECT_THAT(aborted, HasProperty("reason", ::testing::MatchesRegex("dec.*")));
  EXPECT_THAT(aborted, HasProperty("reason", ::testing::ContainsRegex("_t")));
  EXPECT_THAT(aborted, Not(HasProperty("sequence", ::testing::StrNe("x"))));
  EXPECT_THAT(aborted, Not(HasProperty("plan", ::testing::MatchesRegex("[0-9]+"))));
}

TEST_F(MatchersTest, AnyMatcherThatCannotTakeTheJsonValueIsAMismatchThatSaysSo) {
  // A predicate over std::string, cast to a matcher over the JSON value, converts it and throws.
  auto short_text = ::testing::Truly([](const std::string& text) { return text.size() < 5; });
  std::string why;
  EXPECT_NO_THROW(why = explain(HasProperty("sequence", short_text), events[2]));
  EXPECT_THAT(why, StartsWith("whose property \"sequence\" is 3 (which is a number, and the "
                              "matcher cannot compare it: "));
  EXPECT_THAT(why, HasSubstr("type must be string, but is number"));
  EXPECT_THAT(events[2], HasProperty("plan", short_text));
}

TEST(MatchersUtf8, FailureMessagesShowInvalidUtf8InsteadOfThrowing) {
  // A failing EXPECT_THAT used to report "C++ exception thrown in the test body".
  RecordingClient client;
  client.track("Create Started",
               {{"app_name", "caf\xe9"}, {"step", nlohmann::json::array({"\xff"})}});
  const std::vector<Event> events = client.events();
  std::string why;
  EXPECT_NO_THROW(why = explain(ContainsEvent("Create Completed"), events));
  EXPECT_THAT(why, HasSubstr("step=[\"\xef\xbf\xbd\"]"));
  EXPECT_NO_THROW(why = explain(HasProperty("app_name", "cafe"), events[0]));
  EXPECT_THAT(why, HasSubstr("is \"caf\xef\xbf\xbd\""));
  EXPECT_THAT(::testing::PrintToString(events), HasSubstr("caf\xef\xbf\xbd"));
  FlowDefinition flow = create_flow();
  const Event aborted{.name = "Create Aborted",
                      .properties = {{"reason", nlohmann::json::array({"\xfe"})}}};
  EXPECT_NO_THROW(why = explain(TerminalIs(flow, TerminalKind::aborted, "x"), aborted));
  EXPECT_THAT(why, HasSubstr("whose reason is [\"\xef\xbf\xbd\"]"));
}

TEST(MatchersTerminalKind, NoneIsRefusedWhenTheMatcherIsBuilt) {
  // TerminalIs(flow, TerminalKind::none) used to be accepted and never match.
  EXPECT_THROW((void)TerminalIs(create_flow(), TerminalKind::none), std::invalid_argument);
  EXPECT_THROW((void)TerminalIs(create_flow(), TerminalKind::none, "x"), std::invalid_argument);
  EXPECT_THROW((void)EndedWith(create_flow(), TerminalKind::none), std::invalid_argument);
  EXPECT_NO_THROW((void)EndedWith(create_flow(), TerminalKind::failed));
}

}  // namespace
}  // namespace flowproof::harness

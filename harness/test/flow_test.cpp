// Tests for FlowTracker: terminals, durations, the destructor's terminal for exceptions in flight,
// early returns and cancellations, guard(), and the null client.
#include <flowproof/harness/error_class.hpp>
#include <flowproof/harness/flow.hpp>
#include <flowproof/harness/recording.hpp>

#include <gtest/gtest.h>

#include <stdexcept>
#include <thread>
#include <vector>

#include "test_clock.hpp"

namespace flowproof::harness {
namespace {

using testing_support::ManualClock;
using namespace std::chrono_literals;

struct QuotaExceeded : std::runtime_error {
  using std::runtime_error::runtime_error;
};
struct Interrupted : std::exception {};
struct CtrlC : Interrupted {};
struct PlainCancel {};

// (Members are assigned one by one: GCC 12's -Wextra warns on partial designated initializers.)
FlowDefinition create_flow() {
  FlowDefinition flow;
  flow.id = "application_create";
  flow.started = "Create Started";
  flow.completed = "Create Completed";
  flow.aborted = "Create Aborted";
  flow.failed = "Create Failed";
  return flow;
}

FlowOptions with_clock(Clock* clock) {
  FlowOptions options;
  options.clock = clock;
  return options;
}

ClientOptions client_with_clock(Clock* clock) {
  ClientOptions options;
  options.clock = clock;
  return options;
}

class FlowTrackerTest : public ::testing::Test {
 protected:
  void TearDown() override { clear_cancellations(); }

  FlowOptions options() { return with_clock(&clock); }
  const Event& last() {
    events = client.events();
    return events.back();
  }

  ManualClock clock;
  RecordingClient client{client_with_clock(&clock)};
  std::vector<Event> events;
};

TEST_F(FlowTrackerTest, StartedThenCompletedWithExactDuration) {
  {
    FlowTracker flow(&client, create_flow(), options(), {{"no_browser", false}});
    clock.advance(2200ms + 999us);
    EXPECT_TRUE(flow.complete({{"region", "us"}}));
    EXPECT_EQ(flow.terminal(), TerminalKind::completed);
  }
  events = client.events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].name, "Create Started");
  EXPECT_EQ(events[0].properties["no_browser"], false);
  EXPECT_FALSE(events[0].properties.contains("duration_ms"));
  EXPECT_EQ(events[1].name, "Create Completed");
  EXPECT_EQ(events[1].properties["duration_ms"], 2200);
  EXPECT_TRUE(events[1].properties["duration_ms"].is_number_integer());
  EXPECT_EQ(events[1].properties["region"], "us");
  EXPECT_FALSE(events[1].properties.contains("step"));
}

TEST_F(FlowTrackerTest, AbortedCarriesStepReasonDuration) {
  FlowTracker flow(&client, create_flow(), options());
  flow.step("terms");
  clock.advance(120ms);
  EXPECT_TRUE(flow.abort("declined_terms"));
  const Event& aborted = last();
  EXPECT_EQ(aborted.name, "Create Aborted");
  EXPECT_EQ(aborted.properties["step"], "terms");
  EXPECT_EQ(aborted.properties["reason"], "declined_terms");
  EXPECT_EQ(aborted.properties["duration_ms"], 120);
}

TEST_F(FlowTrackerTest, FailedCarriesStepErrorClassDuration) {
  FlowTracker flow(&client, create_flow(), options());
  flow.step("api_call");
  clock.advance(5ms);
  EXPECT_TRUE(flow.fail(std::make_exception_ptr(QuotaExceeded("alice@example.com"))));
  const Event& failed = last();
  EXPECT_EQ(failed.name, "Create Failed");
  EXPECT_EQ(failed.properties["step"], "api_call");
  EXPECT_EQ(failed.properties["error_class"], "flowproof::harness::anonymous::QuotaExceeded");
  EXPECT_EQ(failed.properties["duration_ms"], 5);
}

TEST_F(FlowTrackerTest, SecondTerminalRefusedAndCounted) {
  FlowTracker flow(&client, create_flow(), options());
  EXPECT_TRUE(flow.abort("billing_required"));
  EXPECT_FALSE(flow.fail("api::Error"));
  EXPECT_FALSE(flow.complete());
  EXPECT_EQ(flow.refused_terminals(), 2u);
  EXPECT_EQ(flow.terminal(), TerminalKind::aborted);
  EXPECT_EQ(client.size(), 2u);
}

TEST_F(FlowTrackerTest, FlowPropertiesOnEveryEventAndTrackerKeysWin) {
  {
    FlowOptions flow_options = options();
    flow_options.properties = {{"direction", "upgrade"}};
    FlowTracker flow(&client, create_flow(), flow_options);
    flow.step("terms");
    flow.track("Plan Change Accepted Terms", {{"plan", "pro"}});
    flow.abort("cancelled", {{"reason", "call site"}, {"step", "call site"}});
  }
  events = client.events();
  ASSERT_EQ(events.size(), 3u);
  for (const Event& event : events) EXPECT_EQ(event.properties["direction"], "upgrade");
  EXPECT_EQ(events[1].properties["plan"], "pro");
  EXPECT_EQ(events[2].properties["reason"], "cancelled");
  EXPECT_EQ(events[2].properties["step"], "terms");
}

TEST_F(FlowTrackerTest, CustomPropertyNamesAndNoDuration) {
  FlowDefinition flow_definition = create_flow();
  flow_definition.step_property = "stage";
  flow_definition.error_property = "error_type";
  flow_definition.duration_property = "";
  FlowTracker flow(&client, flow_definition, options());
  flow.step("auth");
  flow.fail("net::Timeout");
  const Event& failed = last();
  EXPECT_EQ(failed.properties["stage"], "auth");
  EXPECT_EQ(failed.properties["error_type"], "net::Timeout");
  EXPECT_FALSE(failed.properties.contains("duration_ms"));
}

TEST_F(FlowTrackerTest, DestructorOnStdExceptionEmitsFailed) {
  try {
    FlowTracker flow(&client, create_flow(), options());
    flow.step("region");
    clock.advance(42ms);
    std::vector<int> regions;
    (void)regions.at(3);  // thrown inside libstdc++
  } catch (const std::out_of_range&) {
  }
  const Event& failed = last();
  EXPECT_EQ(failed.name, "Create Failed");
  EXPECT_EQ(failed.properties["error_class"], "std::out_of_range");
  EXPECT_EQ(failed.properties["step"], "region");
  EXPECT_EQ(failed.properties["duration_ms"], 42);
}

TEST_F(FlowTrackerTest, DestructorOnCustomExceptionEmitsFailed) {
  EXPECT_THROW(
      {
        FlowTracker flow(&client, create_flow(), options());
        flow.step("api_call");
        throw QuotaExceeded("alice@example.com");
      },
      QuotaExceeded);
  EXPECT_EQ(last().properties["error_class"], "flowproof::harness::anonymous::QuotaExceeded");
  EXPECT_EQ(last().properties["step"], "api_call");
}

TEST_F(FlowTrackerTest, DestructorOnNonStdException) {
  try {
    FlowTracker flow(&client, create_flow(), options());
    throw 7;
  } catch (int) {
  }
  EXPECT_EQ(last().properties["error_class"], "int");
}

TEST_F(FlowTrackerTest, DestructorOnNestedExceptionSeesThroughWrapper) {
  try {
    FlowTracker flow(&client, create_flow(), options());
    try {
      throw QuotaExceeded("inner");
    } catch (...) {
      std::throw_with_nested(std::runtime_error("while creating the application"));
    }
  } catch (const std::exception&) {
  }
  EXPECT_EQ(last().properties["error_class"], "flowproof::harness::anonymous::QuotaExceeded");
}

TEST_F(FlowTrackerTest, DestructorOnRethrownException) {
  try {
    FlowTracker flow(&client, create_flow(), options());
    try {
      throw QuotaExceeded("first");
    } catch (...) {
      try {
        throw std::logic_error("handled inside the handler");
      } catch (...) {
      }
      throw;
    }
  } catch (const QuotaExceeded&) {
  }
  EXPECT_EQ(last().properties["error_class"], "flowproof::harness::anonymous::QuotaExceeded");
}

TEST_F(FlowTrackerTest, DestructorIgnoresExceptionsCaughtBeforeTheReturn) {
  {
    FlowTracker flow(&client, create_flow(), options());
    try {
      throw QuotaExceeded("caught");
    } catch (...) {
    }
  }
  EXPECT_EQ(last().properties["error_class"], no_terminal_error_class);
}

TEST_F(FlowTrackerTest, InnermostExceptionWhileAnotherUnwinds) {
  struct Cleanup {
    RecordingClient* client;
    ManualClock* clock;
    ~Cleanup() {
      try {
        FlowDefinition inner_flow;
        inner_flow.id = "inner";
        inner_flow.started = "Inner Started";
        inner_flow.failed = "Inner Failed";
        FlowTracker inner(client, inner_flow, with_clock(clock));
        throw std::logic_error("during unwinding");
      } catch (const std::logic_error&) {
      }
    }
  };
  try {
    FlowTracker outer(&client, create_flow(), options());
    Cleanup cleanup{&client, &clock};
    throw QuotaExceeded("outer");
  } catch (const QuotaExceeded&) {
  }
  events = client.events();
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[2].name, "Inner Failed");
  EXPECT_EQ(events[2].properties["error_class"], "std::logic_error");
  EXPECT_EQ(events[3].name, "Create Failed");
  EXPECT_EQ(events[3].properties["error_class"], "flowproof::harness::anonymous::QuotaExceeded");
}

// Two trackers unwound by one exception (a command flow around a funnel flow) classify it alike:
// the inner one's classification catches the same object one level deeper, which must not make
// the outer one lose it (before session 7 the outer one said "unknown", and missed a Ctrl-C).
TEST_F(FlowTrackerTest, NestedTrackersUnwoundByOneExceptionBothClassifyIt) {
  FlowDefinition command;
  command.id = "command";
  command.started = "Command Started";
  command.aborted = "Command Aborted";
  command.failed = "Command Failed";
  auto funnel = [&] {
    FlowTracker inner(&client, create_flow(), options());
    inner.step("region");
    throw QuotaExceeded("quota");
  };
  try {
    FlowTracker outer(&client, command, options());
    funnel();
  } catch (const QuotaExceeded&) {
  }
  events = client.events();
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[2].name, "Create Failed");
  EXPECT_EQ(events[3].name, "Command Failed");
  EXPECT_EQ(events[2].properties["error_class"], "flowproof::harness::anonymous::QuotaExceeded");
  EXPECT_EQ(events[3].properties["error_class"], "flowproof::harness::anonymous::QuotaExceeded");

  register_cancellation<Interrupted>();
  client.clear();
  try {
    FlowTracker outer(&client, command, options());
    FlowTracker inner(&client, create_flow(), options());
    inner.step("terms");
    throw CtrlC();
  } catch (const Interrupted&) {
  }
  events = client.events();
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[2].name, "Create Aborted");
  EXPECT_EQ(events[3].name, "Command Aborted");
  EXPECT_EQ(events[3].properties["reason"], "cancelled");
}

TEST_F(FlowTrackerTest, EarlyReturnEmitsNoTerminalFailure) {
  auto product = [&](bool accepted) {
    FlowTracker flow(&client, create_flow(), options());
    flow.step("terms");
    if (!accepted) return;  // the bug: forgot flow.abort("declined_terms")
    flow.complete();
  };
  product(false);
  const Event& failed = last();
  EXPECT_EQ(failed.name, "Create Failed");
  EXPECT_EQ(failed.properties["error_class"], "flowproof::harness::NoTerminal");
  EXPECT_EQ(failed.properties["step"], "terms");
}

TEST_F(FlowTrackerTest, RegisteredCancellationTypeAborts) {
  register_cancellation<Interrupted>();
  try {
    FlowTracker flow(&client, create_flow(), options());
    flow.step("region");
    clock.advance(3ms);
    throw CtrlC();  // derived from the registered type
  } catch (const Interrupted&) {
  }
  const Event& aborted = last();
  EXPECT_EQ(aborted.name, "Create Aborted");
  EXPECT_EQ(aborted.properties["reason"], "cancelled");
  EXPECT_EQ(aborted.properties["step"], "region");
  EXPECT_EQ(aborted.properties["duration_ms"], 3);
  EXPECT_FALSE(aborted.properties.contains("error_class"));
}

TEST_F(FlowTrackerTest, RegisteredPredicateAndNonStdCancellation) {
  register_cancellation<PlainCancel>();
  try {
    FlowTracker flow(&client, create_flow(), options());
    throw PlainCancel();
  } catch (const PlainCancel&) {
  }
  EXPECT_EQ(last().name, "Create Aborted");
  register_cancellation([](std::exception_ptr error) {
    try {
      std::rethrow_exception(error);
    } catch (const std::runtime_error& e) {
      return std::string(e.what()) == "signal: interrupt";
    } catch (...) {
      return false;
    }
  });
  try {
    FlowTracker flow(&client, create_flow(), options());
    throw std::runtime_error("signal: interrupt");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(last().name, "Create Aborted");
}

TEST_F(FlowTrackerTest, UnregisteredExceptionIsNotCancellation) {
  register_cancellation<Interrupted>();
  try {
    FlowTracker flow(&client, create_flow(), options());
    throw std::runtime_error("x");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(last().name, "Create Failed");
  clear_cancellations();
  EXPECT_FALSE(is_registered_cancellation(std::make_exception_ptr(CtrlC())));
}

TEST_F(FlowTrackerTest, PerTrackerCancellationPredicateWins) {
  register_cancellation<Interrupted>();
  FlowOptions flow_options = options();
  flow_options.is_cancellation = [](std::exception_ptr) { return false; };
  try {
    FlowTracker flow(&client, create_flow(), flow_options);
    throw CtrlC();
  } catch (const CtrlC&) {
  }
  EXPECT_EQ(last().name, "Create Failed");
}

TEST_F(FlowTrackerTest, GuardEmitsAndRethrows) {
  register_cancellation<Interrupted>();
  FlowTracker flow(&client, create_flow(), options());
  flow.step("browser_wait");
  EXPECT_THROW(flow.guard([] { throw CtrlC(); }), CtrlC);
  EXPECT_EQ(flow.terminal(), TerminalKind::aborted);
  EXPECT_EQ(last().properties["reason"], "cancelled");

  FlowTracker second(&client, create_flow(), options());
  EXPECT_THROW(second.guard([] { throw QuotaExceeded("q"); }), QuotaExceeded);
  EXPECT_EQ(second.terminal(), TerminalKind::failed);
  EXPECT_EQ(second.guard([] { return 5; }), 5);
}

TEST_F(FlowTrackerTest, ExceptionAfterTerminalEmitsNothingMore) {
  try {
    FlowTracker flow(&client, create_flow(), options());
    flow.complete();
    throw std::runtime_error("courtesy step failed");
  } catch (const std::runtime_error&) {
  }
  events = client.events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].name, "Create Completed");
}

TEST_F(FlowTrackerTest, NullClientEmitsNothingButCounts) {
  RecordingClient unused;
  {
    FlowTracker flow(nullptr, create_flow(), options());
    flow.step("terms");
    flow.track("Intermediate");
    EXPECT_TRUE(flow.abort("declined_terms"));
    EXPECT_FALSE(flow.complete());
    EXPECT_EQ(flow.refused_terminals(), 1u);
  }
  try {
    FlowTracker flow(nullptr, create_flow(), options());
    throw std::runtime_error("x");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(client.size(), 0u);
  EXPECT_EQ(unused.size(), 0u);
}

TEST_F(FlowTrackerTest, UndeclaredTerminalClosesSilently) {
  FlowDefinition flow_definition = create_flow();
  flow_definition.aborted.clear();
  {
    FlowTracker flow(&client, flow_definition, options());
    EXPECT_TRUE(flow.abort("cancelled"));
  }
  EXPECT_EQ(client.size(), 1u);  // Started only
}

TEST_F(FlowTrackerTest, ThrowHooksDoNotBreakOrdinaryExceptions) {
  int caught = 0;
  for (int i = 0; i < 100; ++i) {
    try {
      try {
        throw std::runtime_error("a");
      } catch (const std::exception&) {
        throw;
      }
    } catch (const std::runtime_error& e) {
      caught += std::string(e.what()) == "a" ? 1 : 0;
    }
  }
  EXPECT_EQ(caught, 100);
  std::exception_ptr stored;
  try {
    throw QuotaExceeded("kept");
  } catch (...) {
    stored = std::current_exception();
  }
  EXPECT_THROW(std::rethrow_exception(stored), QuotaExceeded);
  std::thread worker([&] {
    try {
      FlowTracker flow(&client, create_flow(), options());
      throw std::length_error("in a thread");
    } catch (const std::length_error&) {
    }
  });
  worker.join();
  EXPECT_EQ(last().properties["error_class"], "std::length_error");
}

TEST_F(FlowTrackerTest, PropertiesThatAreNotAnObjectAreLeftOutAndReportedToTheClient) {
  {
    FlowTracker flow(&client, create_flow(), options());
    flow.track("Create Region Chosen", {"region", "eu"});  // one pair of braces: an array
    flow.step("terms");
    flow.complete({"region", "eu"});
  }
  events = client.events();
  ASSERT_EQ(events.size(), 3u);
  // The events still go out, with the tracker's own properties (never an exception in the product).
  EXPECT_EQ(events[1].properties, (nlohmann::json{{"sequence", 2}}));
  EXPECT_EQ(events[2].name, "Create Completed");
  EXPECT_TRUE(events[2].properties.contains("duration_ms"));
  EXPECT_FALSE(events[2].properties.contains("region"));
  EXPECT_EQ(client.refused_properties(), 2u);
  EXPECT_EQ(client.verify(),
            "\"Create Region Chosen\": properties [\"region\",\"eu\"] are an array, not a JSON "
            "object; left out\n"
            "\"Create Completed\": properties [\"region\",\"eu\"] are an array, not a JSON object; "
            "left out\n");
}

TEST_F(FlowTrackerTest, EveryTerminalAndStartedReportPropertiesThatAreNotAnObject) {
  {
    FlowTracker flow(&client, create_flow(), options(), 42);
    flow.complete(42);
  }
  {
    FlowTracker flow(&client, create_flow(), options());
    flow.abort("declined", "x");
  }
  {
    FlowTracker flow(&client, create_flow(), options());
    flow.fail("E", true);
  }
  FlowOptions bad_flow_properties = options();
  bad_flow_properties.properties = nlohmann::json::array();
  {
    FlowTracker flow(&client, create_flow(), bad_flow_properties);
    flow.complete();
  }
  EXPECT_EQ(client.refused_properties(), 5u);
  // Null means "no properties": never reported.
  RecordingClient quiet;
  {
    FlowTracker flow(&quiet, create_flow(), options(), nullptr);
    flow.complete(nullptr);
  }
  EXPECT_EQ(quiet.refused_properties(), 0u);
  EXPECT_EQ(quiet.verify(), "");
}

}  // namespace
}  // namespace flowproof::harness

namespace flowproof::harness {
namespace {

// Every option struct member has a default, so partial designated initializers compile without
// -Wmissing-field-initializers (this file is built with -Wextra -Werror in the dev preset).
TEST(OptionStructs, DesignatedInitializersNeedNoFullList) {
  testing_support::ManualClock clock;
  const FlowDefinition flow{.id = "auth", .started = "Auth Started", .failed = "Auth Failed"};
  RecordingClient client(ClientOptions{.anonymous_id = "a3f1c0de9b", .clock = &clock});
  {
    FlowTracker tracker(&client, flow, FlowOptions{.clock = &clock});
    tracker.fail("net::Timeout");
  }
  const Event expected{.name = "Auth Failed"};
  ASSERT_EQ(client.size(), 2u);
  EXPECT_EQ(client.events()[1].name, expected.name);
  EXPECT_EQ(client.events()[1].anonymous_id, "a3f1c0de9b");
}

}  // namespace
}  // namespace flowproof::harness

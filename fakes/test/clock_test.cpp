// Tests for FakeClock: manual advance, wall time, auto-advance, and exact FlowTracker durations.
#include <flowproof/fakes/clock.hpp>
#include <flowproof/fakes/session.hpp>
#include <flowproof/fakes/waiter.hpp>

#include <flowproof/harness/flow.hpp>
#include <flowproof/harness/recording.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <thread>
#include <vector>

namespace flowproof::fakes {
namespace {

using namespace std::chrono_literals;

TEST(FakeClock, StandsStillUntilAdvanced) {
  FakeClock clock;
  const auto steady = clock.steady_now();
  const auto wall = clock.wall_now();
  EXPECT_EQ(clock.steady_now(), steady);
  clock.advance(1500ms);
  EXPECT_EQ(clock.steady_now() - steady, 1500ms);
  EXPECT_EQ(clock.wall_now() - wall, 1500ms);
  EXPECT_EQ(clock.elapsed(), 1500ms);
}

TEST(FakeClock, WallStartsAtAFixedDateAndCanBeSet) {
  FakeClock clock;
  EXPECT_EQ(harness::format_timestamp(clock.wall_now()), "2026-01-01T00:00:00.000Z");
  const auto steady = clock.steady_now();
  clock.set_wall(FakeClock::default_wall_start() + 24h + 1ms);
  EXPECT_EQ(harness::format_timestamp(clock.wall_now()), "2026-01-02T00:00:00.001Z");
  EXPECT_EQ(clock.steady_now(), steady);  // wall corrections never move steady time
}

TEST(FakeClock, AutoAdvanceMovesOnEveryTick) {
  FakeClock clock({.wall_start = FakeClock::default_wall_start(), .auto_advance = 5ms});
  EXPECT_EQ(clock.auto_advance(), 5ms);
  clock.tick();
  clock.tick();
  EXPECT_EQ(clock.elapsed(), 10ms);
  clock.set_auto_advance(0ms);
  clock.tick();
  EXPECT_EQ(clock.elapsed(), 10ms);
}

TEST(FakeClock, RefusesToGoBack) {
  FakeClock clock;
  EXPECT_THROW(clock.advance(-1ms), ScriptError);
  EXPECT_THROW(clock.set_auto_advance(-1ms), ScriptError);
}

TEST(FakeClock, IsThreadSafe) {
  FakeClock clock;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&clock] {
      for (int i = 0; i < 1000; ++i) {
        clock.advance(1ms);
        (void)clock.steady_now();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(clock.elapsed(), 4000ms);
}

harness::FlowDefinition create_flow() {
  harness::FlowDefinition flow;
  flow.id = "application_create";
  flow.started = "CLI Application Create Started";
  flow.completed = "CLI Application Create Completed";
  flow.aborted = "CLI Application Create Aborted";
  flow.failed = "CLI Application Create Failed";
  return flow;
}

TEST(FakeClock, FlowTrackerDurationsAreExact) {
  FakeSession session({.wall_start = FakeClock::default_wall_start(), .auto_advance = 10ms});
  harness::ClientOptions client_options;
  client_options.clock = &session.clock();
  harness::RecordingClient client(client_options);
  FakeWaiter waiter(session);
  {
    harness::FlowOptions options;
    options.clock = &session.clock();
    harness::FlowTracker flow(&client, create_flow(), options);
    waiter.wait("spinner", 1200ms);  // 10ms tick + 1200ms
    session.sleep(300ms);            // 10ms tick + 300ms
    flow.complete();
  }
  const auto events = client.events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].name, "CLI Application Create Completed");
  EXPECT_EQ(events[1].properties["duration_ms"], 1520);
  EXPECT_EQ(events[0].timestamp, "2026-01-01T00:00:00.000Z");
  EXPECT_EQ(events[1].timestamp, "2026-01-01T00:00:01.520Z");
}

}  // namespace
}  // namespace flowproof::fakes

// Tests for the transport fakes, alone and under a harness::TransportClient. Nothing here measures
// time: deadlines only bound, and the slow transport blocks on a condition the test releases.
#include <flowproof/fakes/errors.hpp>
#include <flowproof/fakes/transports.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace flowproof::fakes {
namespace {

using harness::Event;
using namespace std::chrono_literals;

std::vector<Event> numbered(int count) {
  std::vector<Event> events;
  for (int i = 1; i <= count; ++i) {
    Event event;
    event.name = "E" + std::to_string(i);
    events.push_back(event);
  }
  return events;
}

std::vector<std::string> names(const std::vector<Event>& events) {
  std::vector<std::string> out;
  for (const auto& event : events) out.push_back(event.name);
  return out;
}

TEST(CollectingTransport, KeepsEventsAndBatchSizes) {
  CollectingTransport transport;
  auto events = numbered(5);
  EXPECT_TRUE(transport.send({events.begin(), events.begin() + 2}));
  EXPECT_TRUE(transport.send({events.begin() + 2, events.end()}));
  EXPECT_EQ(names(transport.events()), (std::vector<std::string>{"E1", "E2", "E3", "E4", "E5"}));
  EXPECT_EQ(transport.batch_sizes(), (std::vector<std::size_t>{2, 3}));
}

TEST(FailingTransport, RefusesAndCounts) {
  FailingTransport transport;
  EXPECT_FALSE(transport.send(numbered(3)));
  EXPECT_FALSE(transport.send(numbered(2)));
  EXPECT_EQ(transport.batches_refused(), 2u);
  EXPECT_EQ(transport.events_refused(), 5u);
}

TEST(DroppingTransport, DropsEveryKthAcrossBatchesAndForwardsTheRest) {
  CollectingTransport sink;
  DroppingTransport transport(3, &sink);
  auto events = numbered(7);
  EXPECT_TRUE(transport.send({events.begin(), events.begin() + 4}));
  EXPECT_TRUE(transport.send({events.begin() + 4, events.end()}));
  EXPECT_EQ(names(transport.dropped()), (std::vector<std::string>{"E3", "E6"}));
  EXPECT_EQ(names(sink.events()), (std::vector<std::string>{"E1", "E2", "E4", "E5", "E7"}));
  EXPECT_EQ(names(transport.delivered()), names(sink.events()));
}

TEST(DroppingTransport, KeepsTheRestWithoutASinkAndRejectsZero) {
  DroppingTransport transport(2);
  transport.send(numbered(4));
  EXPECT_EQ(names(transport.delivered()), (std::vector<std::string>{"E1", "E3"}));
  EXPECT_THROW(DroppingTransport(0), ScriptError);
}

TEST(DroppingTransport, UnderATransportClientLeavesSequenceGaps) {
  CollectingTransport sink;
  DroppingTransport dropping(3, &sink);
  harness::TransportClient client(dropping, {}, 2);
  for (int i = 0; i < 6; ++i) client.track("Command Invoked");
  ASSERT_TRUE(client.close(std::chrono::seconds(30)));  // bounds a hang; never measured
  std::vector<std::uint64_t> sequences;
  for (const auto& event : sink.events()) {
    sequences.push_back(event.properties["sequence"].get<std::uint64_t>());
  }
  EXPECT_EQ(sequences, (std::vector<std::uint64_t>{1, 2, 4, 5}));
  EXPECT_EQ(dropping.dropped().size(), 2u);
}

TEST(FailingTransport, UnderATransportClientCountsFailedEvents) {
  FailingTransport failing;
  harness::TransportClient client(failing);
  client.track("Command Invoked");
  client.track("Command Completed");
  client.close(std::chrono::seconds(30));
  EXPECT_EQ(failing.events_refused(), 2u);
  EXPECT_EQ(client.stats().failed, 2u);
  EXPECT_EQ(client.stats().sent, 0u);
}

TEST(SlowTransport, BlocksUntilReleased) {
  SlowTransport transport;
  transport.release();
  EXPECT_TRUE(transport.send(numbered(1)));  // released: returns at once
  EXPECT_EQ(transport.events().size(), 1u);
  EXPECT_EQ(transport.blocked(), 0u);
}

TEST(SlowTransport, TransportClientCloseIsBoundedAndReportsFailure) {
  SlowTransport slow;
  harness::TransportClient client(slow);
  auto release = slow.release_on_exit();  // runs before the client's destructor joins its worker
  client.track("Command Invoked");
  client.flush(0ms);  // nudge the worker: the deadline is zero, we only ask for a send
  ASSERT_TRUE(slow.wait_until_blocked());
  EXPECT_EQ(slow.blocked(), 1u);
  // The transport never returns while the client closes, so close() can only come back through
  // its deadline: returning at all proves it is bounded.
  EXPECT_FALSE(client.close(50ms));
  EXPECT_GE(client.stats().pending, 1u);
}

}  // namespace
}  // namespace flowproof::fakes

// Tests for EnrichingClient (through RecordingClient) and TransportClient: base properties,
// sequences under concurrency, identify, close, bounded flush/close, failing transports.
#include <flowproof/harness/client.hpp>
#include <flowproof/harness/recording.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <condition_variable>
#include <future>
#include <set>
#include <thread>
#include <type_traits>
#include <vector>

#include "test_clock.hpp"

namespace flowproof::harness {
namespace {

using namespace std::chrono_literals;

ClientOptions cli_options() {
  ClientOptions options;
  options.base_properties = {{"invocation_id", "d7ec5d61-8fd5-4fc1-a018-d089bf1d11a0"},
                             {"app_id", nullptr},
                             {"command", "application create"},
                             {"flags", nullptr}};
  options.anonymous_id = "a3f1c0de9b";
  return options;
}

TEST(EnrichingClient, AddsBaseSequenceTimestampAndIds) {
  testing_support::ManualClock clock;
  ClientOptions options = cli_options();
  options.clock = &clock;
  RecordingClient client(options);
  client.track("Command Invoked");
  client.track("Command Completed", {{"succeeded", true}});
  const auto events = client.events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].properties["sequence"], 1);
  EXPECT_EQ(events[1].properties["sequence"], 2);
  EXPECT_EQ(events[1].properties["succeeded"], true);
  EXPECT_EQ(events[0].properties["command"], "application create");
  EXPECT_TRUE(events[0].properties["flags"].is_null());
  EXPECT_EQ(events[0].timestamp, "2026-06-10T11:27:00.001Z");
  EXPECT_EQ(events[0].anonymous_id, "a3f1c0de9b");
  EXPECT_EQ(events[0].message_id.size(), 36u);
  EXPECT_NE(events[0].message_id, events[1].message_id);
  EXPECT_EQ(client.next_sequence(), 3u);
}

TEST(EnrichingClient, MessageIdsAreVersionFourUuids) {
  RecordingClient client;
  for (int i = 0; i < 200; ++i) client.track("Command Invoked");
  std::set<char> variants;
  for (const Event& event : client.events()) {
    const std::string& id = event.message_id;
    ASSERT_EQ(id.size(), 36u) << id;
    for (std::size_t i = 0; i < id.size(); ++i) {
      const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
      EXPECT_TRUE(dash ? id[i] == '-'
                       : std::isxdigit(static_cast<unsigned char>(id[i])) &&
                             !std::isupper(static_cast<unsigned char>(id[i])))
          << id << " at " << i;
    }
    EXPECT_EQ(id[14], '4') << id;                                          // version 4
    EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos) << id;  // variant 10xx
    variants.insert(id[19]);
  }
  EXPECT_EQ(variants.size(), 4u);  // all four variant digits occur: the other bits are random
}

TEST(EnrichingClient, EveryBasePropertyResistsOverride) {
  const ClientOptions options = cli_options();
  std::vector<std::string> keys;
  for (const auto& item : options.base_properties.items()) keys.push_back(item.key());
  keys.push_back("sequence");
  for (const std::string& key : keys) {
    RecordingClient client(options);
    client.track("Command Invoked", {{key, "overridden by the call site"}});
    const Event event = client.events().at(0);
    if (key == "sequence") {
      EXPECT_EQ(event.properties[key], 1) << key;
    } else {
      EXPECT_EQ(event.properties[key], options.base_properties[key]) << key;
    }
  }
}

TEST(EnrichingClient, SetBasePropertyAppliesToLaterEvents) {
  RecordingClient client(cli_options());
  client.track("A");
  client.set_base_property("app_id", "app-9");
  client.track("B", {{"app_id", "other"}});
  const auto events = client.events();
  EXPECT_TRUE(events[0].properties["app_id"].is_null());
  EXPECT_EQ(events[1].properties["app_id"], "app-9");
}

TEST(EnrichingClient, CustomSequenceStartAndProperty) {
  ClientOptions options;
  options.sequence_start = 100;
  options.sequence_property = "seq";
  RecordingClient client(options);
  client.track("A");
  EXPECT_EQ(client.events()[0].properties["seq"], 100);
  EXPECT_FALSE(client.events()[0].properties.contains("sequence"));

  ClientOptions none;
  none.sequence_property.clear();
  RecordingClient unsequenced(none);
  unsequenced.track("A");
  EXPECT_EQ(unsequenced.events()[0].properties, nlohmann::json::object());
}

TEST(EnrichingClient, NonObjectPropertiesAreLeftOutAndCounted) {
  RecordingClient client;
  client.track("A", nlohmann::json::array({1, 2}));
  EXPECT_EQ(client.events()[0].properties, (nlohmann::json{{"sequence", 1}}));
  client.track("B", 42);
  client.identify("alice", "not traits");
  client.track("C", nullptr);  // null means "no properties": not counted
  EXPECT_EQ(client.events()[2].properties, nlohmann::json::object());
  EXPECT_EQ(client.refused_properties(), 3u);
  EXPECT_EQ(client.verify(),
            "\"A\": properties [1,2] are an array, not a JSON object; left out\n"
            "\"B\": properties 42 are a number, not a JSON object; left out\n"
            "\"identify\": properties \"not traits\" are a string, not a JSON object; left out\n");
}

TEST(EnrichingClient, NonObjectBasePropertiesAreCountedOnce) {
  ClientOptions options;
  options.base_properties = nlohmann::json::array({"invocation_id", "x"});
  RecordingClient client(options);
  client.track("A");
  EXPECT_EQ(client.events()[0].properties, (nlohmann::json{{"sequence", 1}}));
  EXPECT_EQ(client.refused_properties(), 1u);
}

TEST(EnrichingClient, RefusalsBeyondTheFirstFiveAreSummed) {
  RecordingClient client;
  for (int i = 0; i < 7; ++i) client.track("A", i);
  EXPECT_EQ(client.refused_properties(), 7u);
  const std::string report = client.verify();
  EXPECT_NE(report.find("... and 2 more\n"), std::string::npos) << report;
}

static_assert(!std::is_convertible_v<Transport&, TransportClient>,
              "TransportClient(Transport&, ...) is explicit: a Transport is not a client");

TEST(EnrichingClient, ConcurrentTrackingGivesContiguousUniqueSequences) {
  ClientOptions options = cli_options();
  options.sequence_start = 7;
  RecordingClient client(options);
  constexpr int threads = 8;
  constexpr int per_thread = 1000;
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&client, t] {
      for (int i = 0; i < per_thread; ++i) client.track("Tick", {{"thread", t}, {"i", i}});
    });
  }
  for (auto& worker : workers) worker.join();
  const auto events = client.events();
  ASSERT_EQ(events.size(), static_cast<std::size_t>(threads * per_thread));
  // Delivered in sequence order, so the recording itself is 7, 8, 9, ...
  for (std::size_t i = 0; i < events.size(); ++i) {
    ASSERT_EQ(events[i].properties["sequence"], 7 + i) << "at " << i;
  }
  std::set<std::string> message_ids;
  for (const Event& event : events) message_ids.insert(event.message_id);
  EXPECT_EQ(message_ids.size(), events.size());
}

TEST(EnrichingClient, IdentifyCarriesTraitsOnlyAndSetsUser) {
  RecordingClient client(cli_options());
  client.track("Before");
  client.identify("user-1", {{"email", "alice@example.com"}});
  client.track("After");
  const auto events = client.events();
  ASSERT_EQ(events.size(), 3u);
  const Event& identify = events[1];
  EXPECT_EQ(identify.type, EventType::identify);
  EXPECT_EQ(identify.user_id, "user-1");
  EXPECT_EQ(identify.properties, (nlohmann::json{{"email", "alice@example.com"}}));
  EXPECT_TRUE(events[0].user_id.empty());
  EXPECT_EQ(events[2].user_id, "user-1");
  EXPECT_EQ(events[2].properties["sequence"], 2);  // identify takes no sequence number
  EXPECT_FALSE(events[2].properties.contains("email"));
}

TEST(EnrichingClient, CloseRefusesAndCountsLaterCalls) {
  RecordingClient client;
  client.track("A");
  EXPECT_TRUE(client.close(0ms));
  EXPECT_TRUE(client.closed());
  client.track("B");
  client.identify("u");
  EXPECT_EQ(client.size(), 1u);
  EXPECT_EQ(client.refused_after_close(), 2u);
  EXPECT_EQ(client.next_sequence(), 2u);
}

TEST(NullClient, AcceptsEverything) {
  NullClient client;
  client.track("A", {{"x", 1}});
  client.identify("u");
  EXPECT_TRUE(client.flush(0ms));
  EXPECT_TRUE(client.close(0ms));
}

// A transport that blocks in send() until released (or a generous safety bound passes).
class GatedTransport final : public Transport {
 public:
  bool send(const std::vector<Event>& batch) override {
    std::unique_lock lock(mutex_);
    ++sends_;
    entered_.notify_all();
    released_.wait_for(lock, 30s, [&] { return open_; });
    received_ += batch.size();
    return accept_;
  }
  void open() {
    std::lock_guard lock(mutex_);
    open_ = true;
    released_.notify_all();
  }
  bool wait_entered(int sends) {
    std::unique_lock lock(mutex_);
    return entered_.wait_for(lock, 30s, [&] { return sends_ >= sends; });
  }
  void set_accept(bool accept) {
    std::lock_guard lock(mutex_);
    accept_ = accept;
  }
  std::size_t received() {
    std::lock_guard lock(mutex_);
    return received_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable released_;
  std::condition_variable entered_;
  bool open_ = false;
  bool accept_ = true;
  int sends_ = 0;
  std::size_t received_ = 0;
};

TEST(TransportClient, DeliversBatchesAndFlushes) {
  GatedTransport transport;
  transport.open();
  TransportClient client(transport, cli_options(), 2);
  for (int i = 0; i < 5; ++i) client.track("Tick");
  EXPECT_TRUE(client.flush(30s));
  EXPECT_EQ(transport.received(), 5u);
  const auto stats = client.stats();
  EXPECT_EQ(stats.sent, 5u);
  EXPECT_EQ(stats.failed, 0u);
  EXPECT_EQ(stats.pending, 0u);
  EXPECT_TRUE(client.close(30s));
  client.track("Late");
  EXPECT_EQ(client.refused_after_close(), 1u);
}

TEST(TransportClient, CloseWithSlowTransportReturnsFalseWithinItsDeadline) {
  GatedTransport transport;
  {
    TransportClient client(transport, cli_options());
    client.track("Command Invoked");
    ASSERT_TRUE(transport.wait_entered(1));
    client.track("Command Completed");  // queued behind the stuck send
    // close() runs on another thread so a hang fails the test instead of blocking it forever.
    auto closing = std::async(std::launch::async, [&] { return client.close(50ms); });
    ASSERT_EQ(closing.wait_for(30s), std::future_status::ready) << "close() ignored its deadline";
    EXPECT_FALSE(closing.get());
    EXPECT_EQ(client.stats().pending, 2u);
    transport.open();
  }
  EXPECT_GE(transport.received(), 1u);
}

TEST(TransportClient, FailingTransportIsCounted) {
  GatedTransport transport;
  transport.set_accept(false);
  transport.open();
  TransportClient client(transport, cli_options(), 10);
  client.track("A");
  client.track("B");
  EXPECT_TRUE(client.flush(30s));
  EXPECT_EQ(client.stats().failed, 2u);
  EXPECT_EQ(client.stats().sent, 0u);
}

TEST(TransportClient, ThrowingTransportIsCountedAsFailed) {
  struct Throwing final : Transport {
    bool send(const std::vector<Event>&) override { throw std::runtime_error("connection reset"); }
  } transport;
  TransportClient client(transport);
  client.track("A");
  EXPECT_TRUE(client.flush(30s));
  EXPECT_EQ(client.stats().failed, 1u);
}

TEST(TransportClient, DestructorAfterCloseDeliversEverythingToAFastTransport) {
  GatedTransport transport;
  transport.open();
  {
    TransportClient client(transport, cli_options(), 3);
    for (int i = 0; i < 10; ++i) client.track("Tick");
    EXPECT_TRUE(client.close(30s));
    EXPECT_EQ(client.stats().sent, 10u);
    EXPECT_EQ(client.stats().dropped, 0u);
  }
  EXPECT_EQ(transport.received(), 10u);
}

}  // namespace
}  // namespace flowproof::harness

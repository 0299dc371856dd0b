// Tests for RecordingClient: snapshots, clear, wait_for, JSON Lines files, forwarding, close.
#include <flowproof/harness/recording.hpp>

#include <gtest/gtest.h>

#include <unistd.h>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>
#include <utility>

namespace flowproof::harness {
namespace {

using namespace std::chrono_literals;

TEST(RecordingClient, RecordsEnrichedEventsAndClears) {
  ClientOptions options;
  options.base_properties = {{"invocation_id", "i-1"}};
  RecordingClient client(options);
  client.track("A", {{"x", 1}});
  ASSERT_EQ(client.size(), 1u);
  EXPECT_EQ(client.events()[0].properties,
            (nlohmann::json{{"x", 1}, {"invocation_id", "i-1"}, {"sequence", 1}}));
  client.clear();
  EXPECT_EQ(client.size(), 0u);
  client.track("B");
  EXPECT_EQ(client.events()[0].properties["sequence"], 2);  // the counter keeps running
}

TEST(RecordingClient, WaitForReturnsWhenThePredicateHolds) {
  RecordingClient client;
  std::thread producer([&] {
    for (int i = 0; i < 3; ++i) client.track("Tick");
  });
  EXPECT_TRUE(
      client.wait_for([](const std::vector<Event>& events) { return events.size() == 3; }, 30s));
  producer.join();
  EXPECT_TRUE(client.wait_for([](const auto& events) { return !events.empty(); }, 0ms));
}

TEST(RecordingClient, WaitForGivesUpAfterTheTimeout) {
  RecordingClient client;
  EXPECT_FALSE(client.wait_for([](const auto& events) { return !events.empty(); }, 1ms));
}

TEST(RecordingClient, WritesJsonLinesAtomically) {
  const auto directory = std::filesystem::temp_directory_path() /
                         ("flowproof-recording-" + std::to_string(::getpid()));
  std::filesystem::create_directories(directory);
  const auto path = directory / "events.jsonl";
  {
    std::ofstream old(path);
    old << "old content\n";
  }
  RecordingClient client;
  client.track("A", {{"plan", "free"}});
  client.track("B");
  client.write_json_lines(path);
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), to_json_lines(client.events()));
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(directory)) ++files;
  EXPECT_EQ(files, 1u);  // no temporary file left behind
  EXPECT_THROW(client.write_json_lines(directory / "missing" / "x.jsonl"), std::exception);
  std::filesystem::remove_all(directory);
}

TEST(RecordingClient, ForwardsNameAndEnrichedProperties) {
  RecordingClient target;
  ClientOptions options;
  options.base_properties = {{"invocation_id", "i-1"}};
  RecordingClient client(options, &target);
  client.track("A", {{"x", 1}});
  client.identify("user-1", {{"email", "alice@example.com"}});
  const auto forwarded = target.events();
  ASSERT_EQ(forwarded.size(), 2u);
  EXPECT_EQ(forwarded[0].name, "A");
  EXPECT_EQ(forwarded[0].properties["invocation_id"], "i-1");
  EXPECT_EQ(forwarded[0].properties["x"], 1);
  EXPECT_EQ(forwarded[1].type, EventType::identify);
  EXPECT_EQ(forwarded[1].user_id, "user-1");
  EXPECT_EQ(forwarded[1].properties["email"], "alice@example.com");
}

TEST(RecordingClient, CloseRefusesLaterCalls) {
  RecordingClient target;
  RecordingClient client({}, &target);
  EXPECT_TRUE(client.flush(0ms));
  EXPECT_TRUE(client.close(0ms));
  client.track("Late");
  client.track("Later");
  EXPECT_EQ(client.size(), 0u);
  EXPECT_EQ(target.size(), 0u);
  EXPECT_EQ(client.refused_after_close(), 2u);
  EXPECT_FALSE(target.closed());  // the forward target is not closed
}

TEST(RecordingObserver, SeesEveryRecordedEventUntilRemoved) {
  struct Collector final : RecordingObserver {
    void recorded(const RecordingClient& client, const Event& event) override {
      std::lock_guard lock(mutex);
      seen.emplace_back(&client, event.name);
    }
    std::mutex mutex;
    std::vector<std::pair<const RecordingClient*, std::string>> seen;
  } collector;
  RecordingClient first;
  RecordingClient second;
  RecordingObserver* previous = set_recording_observer(&collector);
  first.track("A");
  second.track("B");
  EXPECT_EQ(set_recording_observer(previous), &collector);
  first.track("C");  // after removal: not observed
  ASSERT_EQ(collector.seen.size(), 2u);
  EXPECT_EQ(collector.seen[0],
            std::make_pair(static_cast<const RecordingClient*>(&first), std::string("A")));
  EXPECT_EQ(collector.seen[1].first, &second);
  EXPECT_EQ(first.size(), 2u);
}

}  // namespace
}  // namespace flowproof::harness

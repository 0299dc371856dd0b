// suite_recorder_test.cpp — SuiteRecorder without GoogleTest's listener machinery: per-test
// invocation ids, labels, events outside tests, the observer slot, and the labels sidecar.
#include <flowproof/conformance/suite.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <numeric>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace flowproof::conformance {
namespace {

namespace fs = std::filesystem;
using harness::ClientOptions;
using harness::RecordingClient;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::MatchesRegex;
using ::testing::Pair;

ClientOptions product_options() {
  return ClientOptions{.base_properties = {{"invocation_id", "fixed"}}};
}

std::string id_of(const harness::Event& event) {
  return event.properties.at("invocation_id").get<std::string>();
}

TEST(SuiteInvocationId, IsUuidShapedAndDeterministic) {
  const std::string id = suite_invocation_id("AppTest.Creates", 1);
  EXPECT_THAT(id, MatchesRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"));
  EXPECT_EQ(id, suite_invocation_id("AppTest.Creates", 1));
  EXPECT_NE(id, suite_invocation_id("AppTest.Creates", 2));
  EXPECT_NE(id, suite_invocation_id("AppTest.Create", 1));
}

TEST(SuiteRecorder, GivesEachTestItsOwnInvocationAndKeepsTheClientsOwnEvents) {
  SuiteRecorder suite;
  suite.install();
  suite.begin_test("A.One");
  RecordingClient first(product_options());
  first.track("Signup Started");
  suite.end_test(TestStatus::passed);
  suite.begin_test("A.Two");
  RecordingClient second(product_options());
  second.track("Signup Started");
  suite.end_test(TestStatus::failed);
  suite.uninstall();
  second.track("Not Recorded By The Suite");

  EXPECT_EQ(id_of(first.events()[0]), "fixed");  // the client's own recording is untouched
  const SuiteRecording recording = suite.recording();
  ASSERT_EQ(recording.events.size(), 2u);
  EXPECT_EQ(id_of(recording.events[0]), suite_invocation_id("A.One", 1));
  EXPECT_EQ(id_of(recording.events[1]), suite_invocation_id("A.Two", 1));
  EXPECT_THAT(recording.labels,
              ::testing::UnorderedElementsAre(Pair(suite_invocation_id("A.One", 1), "A.One"),
                                              Pair(suite_invocation_id("A.Two", 1), "A.Two")));
  EXPECT_THAT(recording.tests,
              ElementsAre(Pair("A.One", TestStatus::passed), Pair("A.Two", TestStatus::failed)));
}

TEST(SuiteRecorder, LabelsEventsOutsideTests) {
  SuiteRecorder suite({.outside_label = "setup"});
  suite.install();
  RecordingClient client(product_options());
  client.track("Signup Started");
  suite.uninstall();
  const SuiteRecording recording = suite.recording();
  ASSERT_EQ(recording.events.size(), 1u);
  EXPECT_EQ(recording.labels.at(id_of(recording.events[0])), "setup");
  EXPECT_TRUE(recording.tests.empty());
}

TEST(SuiteRecorder, CanKeepTheProductsInvocationIds) {
  SuiteRecorder suite({.keep_invocation_ids = true});
  suite.install();
  suite.begin_test("A.Keeps");
  RecordingClient client(product_options());
  client.track("Signup Started");
  suite.end_test(TestStatus::skipped);
  suite.uninstall();
  const SuiteRecording recording = suite.recording();
  EXPECT_EQ(id_of(recording.events.at(0)), "fixed");
  EXPECT_THAT(recording.labels, ElementsAre(Pair("fixed", "A.Keeps")));
}

TEST(SuiteRecorder, EventsWithoutTheKeyAreKeptUnchanged) {
  SuiteRecorder suite;
  suite.install();
  suite.begin_test("A.Identify");
  RecordingClient client;
  client.identify("user-1", {{"plan", "free"}});
  suite.end_test(TestStatus::passed);
  suite.uninstall();
  const SuiteRecording recording = suite.recording();
  ASSERT_EQ(recording.events.size(), 1u);
  EXPECT_FALSE(recording.events[0].properties.contains("invocation_id"));
  EXPECT_TRUE(recording.labels.empty());
}

TEST(SuiteRecorder, UninstallLeavesAnotherObserverInPlace) {
  SuiteRecorder first, second;
  first.install();
  second.install();
  first.uninstall();  // second is the one installed: it stays
  RecordingClient client(product_options());
  client.track("Signup Started");
  second.uninstall();
  EXPECT_EQ(second.recording().events.size(), 1u);
  EXPECT_TRUE(first.recording().events.empty());
}

TEST(SuiteRecorder, ANewClientAtARecycledAddressIsANewInvocation) {
  SuiteRecorder suite;
  suite.install();
  suite.begin_test("A.Recycles");
  for (int run = 0; run < 2; ++run) {
    auto client = std::make_unique<RecordingClient>(product_options());
    client->track("Signup Started");
    client->track("Signup Completed");
  }
  RecordingClient same(product_options());
  same.track("Signup Started");
  same.clear();  // a sequence that keeps increasing stays one invocation
  same.track("Signup Completed");
  suite.end_test(TestStatus::passed);
  suite.uninstall();
  const SuiteRecording recording = suite.recording();
  ASSERT_EQ(recording.events.size(), 6u);
  EXPECT_NE(id_of(recording.events[0]), id_of(recording.events[2]));
  EXPECT_EQ(id_of(recording.events[0]), id_of(recording.events[1]));
  EXPECT_EQ(id_of(recording.events[4]), id_of(recording.events[5]));
  EXPECT_EQ(recording.labels.size(), 3u);
}

// Several threads track through their own clients while the suite records and a reader takes
// snapshots (TSan runs this: label `concurrency`). Nothing is lost, each client keeps its own
// invocation, and each invocation's sequences arrive complete and in order.
TEST(SuiteRecorder, ConcurrentClientsLoseNoEventAndKeepTheirOwnInvocations) {
  constexpr int kThreads = 4;
  constexpr std::int64_t kEvents = 250;
  SuiteRecorder suite;
  suite.install();
  suite.begin_test("C.Threads");
  std::atomic<bool> done{false};
  std::size_t largest_snapshot = 0;
  std::thread reader([&] {
    while (!done.load()) {
      const std::size_t size = suite.recording().events.size();
      EXPECT_GE(size, largest_snapshot);  // snapshots only grow
      largest_snapshot = size;
    }
  });
  std::vector<std::thread> writers;
  for (int t = 0; t < kThreads; ++t) {
    writers.emplace_back([] {
      RecordingClient client(product_options());
      for (std::int64_t i = 0; i < kEvents; ++i) client.track("Signup Step");
    });
  }
  for (auto& writer : writers) writer.join();
  done = true;
  reader.join();
  suite.end_test(TestStatus::passed);
  suite.uninstall();

  const SuiteRecording recording = suite.recording();
  ASSERT_EQ(recording.events.size(), static_cast<std::size_t>(kThreads * kEvents));
  std::map<std::string, std::vector<std::int64_t>> sequences;
  for (const auto& event : recording.events) {
    sequences[id_of(event)].push_back(event.properties.at("sequence").get<std::int64_t>());
  }
  ASSERT_EQ(sequences.size(), static_cast<std::size_t>(kThreads));
  for (const auto& [id, seen] : sequences) {
    std::vector<std::int64_t> expected(kEvents);
    std::iota(expected.begin(), expected.end(), 1);
    EXPECT_EQ(seen, expected) << "invocation " << id;
    EXPECT_THAT(recording.labels, Contains(Pair(id, "C.Threads")));
  }
}

TEST(SuiteRecorder, ExcludedTestsRecordNothing) {
  SuiteRecorder suite({.exclude = {"Zoo.*", "A.Bug?"}});
  suite.install();
  for (const char* name : {"Zoo.Specimens", "A.Bug1", "A.Kept"}) {
    suite.begin_test(name);
    RecordingClient client(product_options());
    client.track("Signup Started");
    suite.end_test(TestStatus::passed);
  }
  suite.uninstall();
  const SuiteRecording recording = suite.recording();
  ASSERT_EQ(recording.events.size(), 1u);
  EXPECT_EQ(recording.labels.at(id_of(recording.events[0])), "A.Kept");
  EXPECT_EQ(recording.tests.size(), 3u);
}

TEST(TestNameMatches, Wildcards) {
  EXPECT_TRUE(test_name_matches("Zoo.*", "Zoo.Anything"));
  EXPECT_TRUE(test_name_matches("*.Fails", "Child.Fails"));
  EXPECT_TRUE(test_name_matches("A.?", "A.B"));
  EXPECT_TRUE(test_name_matches("A.B", "A.B"));
  EXPECT_FALSE(test_name_matches("A.?", "A.BC"));
  EXPECT_FALSE(test_name_matches("Zoo.*", "Zo.x"));
  EXPECT_TRUE(test_name_matches("*", ""));
}

TEST(LabelsFile, RoundTripsTheSidecarAndReadsPlainObjects) {
  const fs::path dir =
      fs::temp_directory_path() / ("flowproof-labels-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  SuiteRecording recording;
  recording.labels = {{"inv-1", "A.One"}, {"inv-2", "A \"quoted\" <test>"}};
  recording.tests = {{"A.One", TestStatus::passed}};
  std::ofstream(dir / "sidecar.json") << labels_json(recording);
  EXPECT_EQ(read_labels_file(dir / "sidecar.json"), recording.labels);

  std::ofstream(dir / "plain.json") << R"({"inv-9": "B.Nine"})";
  EXPECT_THAT(read_labels_file(dir / "plain.json"), ElementsAre(Pair("inv-9", "B.Nine")));

  std::ofstream(dir / "bad.json") << R"({"inv-9": 3})";
  EXPECT_THROW(read_labels_file(dir / "bad.json"), std::runtime_error);
  std::ofstream(dir / "broken.json") << "{";
  EXPECT_THROW(read_labels_file(dir / "broken.json"), std::runtime_error);
  EXPECT_THROW(read_labels_file(dir / "missing.json"), std::runtime_error);
  fs::remove_all(dir);
}

TEST(SuiteRecorder, WritesJsonLinesAndSidecar) {
  const fs::path dir =
      fs::temp_directory_path() / ("flowproof-write-" + std::to_string(::getpid()));
  SuiteRecorder suite;
  suite.install();
  suite.begin_test("A.Writes");
  RecordingClient client(product_options());
  client.track("Signup Started");
  client.track("Signup Completed");
  suite.end_test(TestStatus::passed);
  suite.uninstall();
  suite.write(dir / "sub" / "events.jsonl", dir / "sub" / "labels.json");
  std::ifstream in(dir / "sub" / "events.jsonl");
  std::string line;
  int lines = 0;
  while (std::getline(in, line)) {
    ++lines;
    EXPECT_EQ(harness::event_from_json(nlohmann::json::parse(line)).properties.at("invocation_id"),
              suite_invocation_id("A.Writes", 1));
  }
  EXPECT_EQ(lines, 2);
  EXPECT_THAT(read_labels_file(dir / "sub" / "labels.json"),
              ElementsAre(Pair(suite_invocation_id("A.Writes", 1), "A.Writes")));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace flowproof::conformance

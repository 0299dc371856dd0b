// Tests for RecordingClient: snapshots, clear, wait_for, JSON Lines files, forwarding, close, and
// the observer (its exceptions contained like a forward target's).
#include <flowproof/harness/recording.hpp>
#include <flowproof/harness/timeline.hpp>

#include <gtest/gtest.h>

#include <unistd.h>
#include <filesystem>
#include <fstream>
#include <future>
#include <memory>
#include <mutex>
#include <sstream>
#include <stdexcept>
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

// Fails rather than hangs when `body` deadlocks: it runs on a detached thread, so a stuck body
// leaves only that thread behind.
void expect_finishes_within(std::chrono::seconds limit, std::function<void()> body) {
  auto done = std::make_shared<std::promise<void>>();
  std::future<void> finished = done->get_future();
  std::thread([done, body = std::move(body)] {
    body();
    done->set_value();
  }).detach();
  ASSERT_EQ(finished.wait_for(limit), std::future_status::ready) << "deadlocked";
}

TEST(RecordingObserver, MayCallTheClientsConstMembers) {
  // recorded() used to run under the client's (non-recursive) lock: closed() deadlocked.
  struct Querying final : RecordingObserver {
    void recorded(const RecordingClient& client, const Event& event) override {
      log += event.name + " closed=" + std::to_string(client.closed()) +
             " next=" + std::to_string(client.next_sequence()) +
             " size=" + std::to_string(client.size()) +
             " refused=" + std::to_string(client.refused_after_close()) + "\n";
    }
    std::string log;
  };
  static Querying observer;  // static: a deadlocked thread must never see it destroyed
  expect_finishes_within(std::chrono::seconds(10), [] {
    RecordingObserver* previous = set_recording_observer(&observer);
    RecordingClient client;
    client.track("A");
    client.track("B");
    set_recording_observer(previous);
  });
  EXPECT_EQ(observer.log,
            "A closed=0 next=2 size=0 refused=0\n"
            "B closed=0 next=3 size=1 refused=0\n");
}

// Counts deliveries that break sequence order; throws on every even sequence when asked.
struct OrderChecking final : RecordingObserver {
  explicit OrderChecking(bool throw_on_even = false) : throw_on_even(throw_on_even) {}
  void recorded(const RecordingClient& client, const Event& event) override {
    const auto sequence = event.properties.at("sequence").get<std::uint64_t>();
    if (sequence != ++last) ++out_of_order;
    if (client.size() + 1 != sequence) ++out_of_order;  // stored before the next is observed
    if (throw_on_even && sequence % 2 == 0) throw std::runtime_error("even");
  }
  bool throw_on_even;
  std::uint64_t last = 0;  // one call at a time per client: no lock needed
  int out_of_order = 0;
};

// Four threads track 250 events each through one client.
void track_from_four_threads(RecordingClient& client) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 250; ++i) client.track("E");
    });
  }
  for (auto& thread : threads) thread.join();
}

TEST(RecordingObserver, SeesOneClientsEventsInSequenceOrderFromManyThreads) {
  // The suite recorder relies on it: a sequence that does not increase means a new invocation.
  OrderChecking observer;
  RecordingObserver* previous = set_recording_observer(&observer);
  RecordingClient client;
  track_from_four_threads(client);
  set_recording_observer(previous);
  EXPECT_EQ(observer.last, 1000u);
  EXPECT_EQ(observer.out_of_order, 0);
}

TEST(RecordingObserver, MayCloseTheClient) {
  struct Closing final : RecordingObserver {
    void recorded(const RecordingClient& client, const Event&) override {
      const_cast<RecordingClient&>(client).close(std::chrono::milliseconds(0));
    }
  };
  static Closing observer;
  expect_finishes_within(std::chrono::seconds(10), [] {
    RecordingObserver* previous = set_recording_observer(&observer);
    RecordingClient client;
    client.track("A");
    client.track("B");  // refused: closed by the observer during A
    set_recording_observer(previous);
    EXPECT_EQ(client.size(), 1u);
    EXPECT_EQ(client.refused_after_close(), 1u);
  });
}

struct ThrowingOnce final : Client {
  void track(std::string_view, nlohmann::json) override {
    if (++calls == 1) throw std::runtime_error("busy");
  }
  void identify(std::string_view, nlohmann::json) override { throw 42; }
  bool flush(std::chrono::milliseconds) override { return true; }
  bool close(std::chrono::milliseconds) override { return true; }
  int calls = 0;
};

TEST(RecordingClient, AForwardTargetThatThrowsIsContainedAndCounted) {
  ThrowingOnce target;
  RecordingClient client({}, &target);
  EXPECT_NO_THROW(client.track("A"));  // the tracker (and the client) never throw into the product
  EXPECT_NO_THROW(client.track("B"));
  EXPECT_NO_THROW(client.identify("alice"));
  EXPECT_EQ(target.calls, 2);
  // Gap-free: A is recorded with #1 although the target threw.
  EXPECT_EQ(format_timeline(client.events()), "  #1 A\n  #2 B\n  @3 identify alice\n");
  EXPECT_EQ(client.forward_failures(), 2u);
  EXPECT_EQ(client.verify(),
            "2 forwarded calls threw (the first: std::runtime_error forwarding \"A\"); the events "
            "were recorded\n");
}

// A forward target that remembers what reached it.
struct Remembering final : Client {
  void track(std::string_view event, nlohmann::json) override { names.emplace_back(event); }
  void identify(std::string_view, nlohmann::json) override { names.emplace_back("identify"); }
  bool flush(std::chrono::milliseconds) override { return true; }
  bool close(std::chrono::milliseconds) override { return true; }
  std::vector<std::string> names;
};

TEST(RecordingObserver, AnObserverThatThrowsIsContainedAndReportedWithTheEventsSequence) {
  struct ThrowingOnB final : RecordingObserver {
    void recorded(const RecordingClient&, const Event& event) override {
      seen += event.name + " ";
      if (event.name == "B") throw std::runtime_error("observer broke on alice@example.com");
    }
    std::string seen;  // one event at a time: the only client here tracks from one thread
  };
  static ThrowingOnB observer;
  Remembering target;
  ClientOptions options;
  options.sequence_start = 41;
  RecordingClient client(options, &target);
  RecordingObserver* previous = set_recording_observer(&observer);
  EXPECT_NO_THROW(client.track("A"));
  EXPECT_NO_THROW(client.track("B"));  // the product never sees the observer's exception
  EXPECT_NO_THROW(client.track("C"));
  set_recording_observer(previous);
  EXPECT_EQ(observer.seen, "A B C ");  // later events are still observed
  // Recorded and forwarded all the same; the sequence is gap-free.
  EXPECT_EQ(format_timeline(client.events()), "  #41 A\n  #42 B\n  #43 C\n");
  EXPECT_EQ(target.names, (std::vector<std::string>{"A", "B", "C"}));
  EXPECT_EQ(client.observer_failures(), 1u);
  EXPECT_EQ(client.forward_failures(), 0u);
  // The type, never the message (it can hold user data), and the event as the timeline labels it.
  EXPECT_EQ(client.verify(),
            "1 observer call threw (the first: std::runtime_error observing #42 \"B\"); the events "
            "were recorded\n");
}

TEST(RecordingObserver, AnObserverThatThrowsANonStdExceptionIsContainedToo) {
  struct ThrowingInt final : RecordingObserver {
    void recorded(const RecordingClient&, const Event& event) override {
      seen += (event.type == EventType::identify ? "identify" : event.name) + " ";
      throw 42;
    }
    std::string seen;
  };
  static ThrowingInt observer;
  RecordingClient client;
  RecordingObserver* previous = set_recording_observer(&observer);
  EXPECT_NO_THROW(client.identify("alice"));
  EXPECT_NO_THROW(client.track("A"));
  EXPECT_NO_THROW(client.track("B"));
  set_recording_observer(previous);
  EXPECT_EQ(observer.seen, "identify A B ");
  EXPECT_EQ(format_timeline(client.events()), "  @1 identify alice\n  #1 A\n  #2 B\n");
  EXPECT_EQ(client.observer_failures(), 3u);
  // An identify call has no sequence: it is named by its position, as in the timeline.
  EXPECT_EQ(client.verify(),
            "3 observer calls threw (the first: int observing @1 \"identify\"); the events were "
            "recorded\n");
}

TEST(RecordingObserver, AThrowingObserverAndAThrowingForwardTargetAreReportedOnALineEach) {
  struct Throwing final : RecordingObserver {
    void recorded(const RecordingClient&, const Event&) override {
      throw std::logic_error("observer");
    }
  };
  static Throwing observer;
  ThrowingOnce target;
  RecordingClient client({}, &target);
  RecordingObserver* previous = set_recording_observer(&observer);
  EXPECT_NO_THROW(client.track("A"));
  set_recording_observer(previous);
  EXPECT_EQ(client.size(), 1u);
  EXPECT_EQ(client.verify(),
            "1 forwarded call threw (the first: std::runtime_error forwarding \"A\"); the events "
            "were recorded\n"
            "1 observer call threw (the first: std::logic_error observing #1 \"A\"); the events "
            "were recorded\n");
}

TEST(RecordingObserver, AThrowingObserverKeepsOneClientsEventsInSequenceOrderFromManyThreads) {
  // Every other call throws: deliveries must still come one at a time, in sequence order, and
  // none may be lost or wait for ever behind a delivery that ended in an exception.
  static OrderChecking observer(true);  // static: a deadlocked thread must never see it destroyed
  expect_finishes_within(std::chrono::seconds(60), [] {
    RecordingObserver* previous = set_recording_observer(&observer);
    RecordingClient client;
    track_from_four_threads(client);
    set_recording_observer(previous);
    EXPECT_EQ(client.size(), 1000u);
    EXPECT_EQ(client.observer_failures(), 500u);
    // Deliveries are in sequence order, so the first failure is always #2.
    EXPECT_EQ(client.verify(),
              "500 observer calls threw (the first: std::runtime_error observing #2 \"E\"); the "
              "events were recorded\n");
  });
  EXPECT_EQ(observer.last, 1000u);
  EXPECT_EQ(observer.out_of_order, 0);
}

TEST(RecordingClient, VerifyIsEmptyWhenNothingWentWrong) {
  RecordingClient client;
  client.track("A", {{"k", "v"}});
  client.track("B", nullptr);  // null: no properties, not a mistake
  client.track("C", {});
  EXPECT_EQ(client.verify(), "");
  EXPECT_EQ(client.refused_properties(), 0u);
}

TEST(RecordingClient, WriteJsonLinesRefusesInvalidUtf8NamingThePathAndTheEvent) {
  RecordingClient client;
  client.track("A");
  client.track("B", {{"app_name", "caf\xe9"}});
  const auto path = std::filesystem::temp_directory_path() /
                    ("flowproof-utf8-" + std::to_string(::getpid()) + ".jsonl");
  std::filesystem::remove(path);
  try {
    client.write_json_lines(path);
    FAIL() << "expected std::runtime_error";
  } catch (const std::runtime_error& error) {
    EXPECT_EQ(dynamic_cast<const nlohmann::json::exception*>(&error), nullptr)
        << "the documented std::runtime_error, not nlohmann's type_error: " << error.what();
    const std::string what = error.what();
    EXPECT_EQ(what.rfind("cannot write " + path.string() + ": event #2 \"B\"", 0), 0u) << what;
    EXPECT_NE(what.find("not valid UTF-8"), std::string::npos) << what;
  }
  EXPECT_FALSE(std::filesystem::exists(path));  // nothing half-written
}

TEST(RecordingClient, WriteJsonLinesThrowsRuntimeErrorForAMissingDirectory) {
  RecordingClient client;
  client.track("A");
  EXPECT_THROW(client.write_json_lines("/nonexistent-flowproof-dir/out.jsonl"), std::runtime_error);
}

}  // namespace
}  // namespace flowproof::harness

// flowproof/harness/recording.hpp — RecordingClient: the Client tests hand to the product.
//
// It records every enriched event (base properties and sequence included) exactly as a real client
// would send it, so a test can assert on the recording, feed it to the conformance checker, or
// write it out as JSON Lines for `flowproof check`:
//
//   ClientOptions options;
//   options.base_properties = {{"invocation_id", "d7ec5d61"}};
//   RecordingClient client(options);
//   run_product(client);
//   ASSERT_TRUE(client.wait_for([](const auto& events) { return events.size() >= 3; },
//                               std::chrono::seconds(5)));
//   EXPECT_THAT(client.events(), ContainsEvent("CLI Application Create Completed"));
//   client.write_json_lines("recording.jsonl");
#pragma once

#include <flowproof/harness/client.hpp>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace flowproof::harness {

class RecordingClient;

/// Process-wide observer of every RecordingClient's events (opt-in; the suite recorder of
/// flowproof/conformance/suite.hpp is one). recorded() may be called from several threads at once
/// (for different clients, or for one client from several threads: one at a time per client, in
/// sequence order).
class RecordingObserver {
 public:
  virtual ~RecordingObserver() = default;
  /// Called with each enriched event a RecordingClient records, before it is stored, outside the
  /// client's locks: it may call the client's const members (size(), events(), closed(),
  /// next_sequence(), ...). It must not call track() or identify() on that client (the call would
  /// wait behind the delivery that made it, for ever). An exception it throws is contained: the
  /// event is still recorded (and forwarded), the product never sees the exception, and the client
  /// counts it in observer_failures() and reports it in verify().
  virtual void recorded(const RecordingClient& client, const Event& event) = 0;
};

/// Installs the process-wide observer (nullptr removes it) and returns the previous one. Install
/// and remove it while no RecordingClient is recording (e.g. before and after a test suite).
RecordingObserver* set_recording_observer(RecordingObserver* observer);

/// A thread-safe client that keeps every enriched event in memory (and may forward it).
class RecordingClient final : public EnrichingClient {
 public:
  /// Records with the given options; when forward_to is set, every call is also forwarded to it
  /// (track: the call site's event name with the enriched properties; identify: user id and
  /// traits). The forward target is not owned and is never flushed or closed by this client; it
  /// (and ClientOptions::clock) must outlive the client. An exception the forward target throws is
  /// contained: the event is still recorded (the sequence stays gap-free), the product never sees
  /// the exception, and it is counted in forward_failures().
  explicit RecordingClient(ClientOptions options = {}, Client* forward_to = nullptr);

  /// A snapshot of the events recorded so far, in sequence order.
  std::vector<Event> events() const;
  /// The number of events recorded so far.
  std::size_t size() const;
  /// Forgets the recorded events (the sequence counter keeps running).
  void clear();
  /// Waits until predicate(events) holds or the timeout passes; true when it held. The predicate
  /// runs under the recording's lock: it must not call back into this client.
  [[nodiscard]] bool wait_for(const std::function<bool(const std::vector<Event>&)>& predicate,
                              std::chrono::milliseconds timeout) const;
  /// Writes the recording as JSON Lines with write_output_file (output_file.hpp): a regular file
  /// is replaced atomically. Throws std::runtime_error "cannot write PATH: REASON" when it cannot,
  /// also when a string in an event is not valid UTF-8 (REASON names the event; nothing is
  /// written).
  void write_json_lines(const std::filesystem::path& path) const;

  /// Calls whose forward target threw (contained; the events were recorded).
  std::uint64_t forward_failures() const;
  /// Events whose RecordingObserver::recorded() threw (contained; the events were recorded).
  std::uint64_t observer_failures() const;
  /// Empty when nothing went wrong quietly; otherwise one line per problem: properties that were
  /// not a JSON object and were left out (refused_properties()), forward targets that threw, the
  /// observer throwing (naming the first such event by its timeline label). For
  /// EXPECT_EQ(client.verify(), "").
  [[nodiscard]] std::string verify() const;

  /// Nothing is pending in a recording: returns true.
  bool flush(std::chrono::milliseconds deadline) override;
  /// Refuses (and counts) every later call; returns true.
  bool close(std::chrono::milliseconds deadline) override;

 protected:
  void deliver(Event event) override;

 private:
  Client* forward_to_;
  mutable std::mutex mutex_;
  std::uint64_t forward_failures_ = 0;   ///< under mutex_
  std::string first_forward_failure_;    ///< under mutex_
  std::uint64_t observer_failures_ = 0;  ///< under mutex_
  std::string first_observer_failure_;   ///< under mutex_
  mutable std::condition_variable changed_;
  std::vector<Event> events_;
};

}  // namespace flowproof::harness

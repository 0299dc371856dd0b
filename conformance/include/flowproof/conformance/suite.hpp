// flowproof/conformance/suite.hpp — SuiteRecorder: gathers every event the RecordingClients of a
// whole test suite record, gives each test its own invocation and names it after the test, and
// writes the events as JSON Lines plus a labels sidecar for `flowproof check --labels FILE`.
//
// GoogleTest users install it through the listener in gtest_listener.hpp; by hand it is:
//
//   SuiteRecorder suite;
//   suite.install();                                   // every RecordingClient now reports here
//   suite.begin_test("AppCreateTest.DeclinedTerms");
//   run_product(recording_client);                     // events get a per-test invocation id
//   suite.end_test(TestStatus::passed);
//   suite.uninstall();
//   suite.write("suite.events.jsonl", "suite.labels.json");
//   // flowproof check --plan app.plan.json --labels suite.labels.json suite.events.jsonl
#pragma once

#include <flowproof/harness/event.hpp>
#include <flowproof/harness/recording.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace flowproof::conformance {

/// How a test ended, as the labels sidecar records it.
enum class TestStatus { passed, failed, skipped };

/// "passed", "failed" or "skipped".
std::string_view to_string(TestStatus status);

struct SuiteOptions {
  /// JSON pointer (into the Segment-shaped event) of the plan's invocation key; its value is
  /// replaced by a per-test invocation id. Events without it are recorded unchanged.
  std::string invocation_pointer = "/properties/invocation_id";
  /// Label of invocations recorded while no test runs (suite set-up, static initialisation).
  std::string outside_label = "(outside any test)";
  /// JSON pointer of the per-client sequence number: when it does not increase, the events come
  /// from a new client (e.g. one built at a freed client's address) and get a new invocation.
  std::string sequence_pointer = "/properties/sequence";
  /// Tests whose events are left out ("Suite.Test" patterns, `*` and `?` wildcards): tests that
  /// record broken telemetry on purpose (e.g. to prove the checker finds it).
  std::vector<std::string> exclude = {};
  /// Keep the product's own invocation ids instead of per-test ones (labels then name the last
  /// test that used each id).
  bool keep_invocation_ids = false;
};

/// What a suite run recorded: its events, invocation -> test labels and each test's status.
struct SuiteRecording {
  std::vector<harness::Event> events;
  std::map<std::string, std::string> labels;              ///< invocation id -> "Suite.Test"
  std::vector<std::pair<std::string, TestStatus>> tests;  ///< in the order they ended
};

/// A process-wide sink for every RecordingClient's events (see the file comment). Thread-safe.
class SuiteRecorder final : public harness::RecordingObserver {
 public:
  explicit SuiteRecorder(SuiteOptions options = {});
  /// Uninstalls itself if it is still installed.
  ~SuiteRecorder() override;
  SuiteRecorder(const SuiteRecorder&) = delete;
  SuiteRecorder& operator=(const SuiteRecorder&) = delete;

  /// Makes every RecordingClient in the process report here (replacing any other observer).
  void install();
  /// Stops observing (restores nothing: the observer slot is emptied if it still holds this).
  void uninstall();

  /// A test starts: events from now on belong to invocations labelled `label`.
  void begin_test(std::string label);
  /// The running test ended with this status.
  void end_test(TestStatus status);

  void recorded(const harness::RecordingClient& client, const harness::Event& event) override;

  /// A copy of everything recorded so far.
  SuiteRecording recording() const;
  /// Writes the events as JSON Lines and the labels sidecar, each atomically.
  void write(const std::filesystem::path& events_path,
             const std::filesystem::path& labels_path) const;

 private:
  SuiteOptions options_;
  mutable std::mutex mutex_;
  std::string current_;  ///< label of the running test; empty outside tests
  std::size_t test_serial_ = 0;
  bool excluded_ = false;  ///< the running test matches SuiteOptions::exclude
  struct Assigned {
    std::string id;
    std::optional<std::int64_t> last_sequence;
  };
  /// (client, product invocation id) -> suite invocation id, for the running test only.
  std::map<std::pair<const void*, std::string>, Assigned> mapping_;
  std::map<std::string, std::size_t> ordinals_;  ///< label -> invocations given out so far
  SuiteRecording recording_;
};

/// A UUID-shaped (8-4-4-4-12 lowercase hex) id derived from a label and an ordinal; the same
/// inputs always give the same id.
std::string suite_invocation_id(std::string_view label, std::size_t ordinal);

/// True when a "Suite.Test" name matches a pattern with `*` (any run) and `?` (one character).
bool test_name_matches(std::string_view pattern, std::string_view name);

/// The labels sidecar's JSON: {"flowproof_labels": 1, "labels": {...}, "tests": [...]}.
std::string labels_json(const SuiteRecording& recording);

/// Reads a labels sidecar (or a plain {"invocation": "label"} object) into invocation -> label.
/// Throws std::runtime_error naming the file when it cannot be read or parsed.
std::map<std::string, std::string> read_labels_file(const std::filesystem::path& path);

}  // namespace flowproof::conformance

// flowproof/conformance/checker.hpp — the checker as a library: feed it streams or a recording,
// get the same Report the `flowproof check` command prints.
//
//   Plan plan = load_plan("cli.plan.json");
//   Checker checker(plan);
//   checker.add_file("events.jsonl");          // JSON Lines, JSON array, .gz, or "-" for stdin
//   Report report = checker.finish();
//
//   // In a test, straight from a RecordingClient:
//   EXPECT_TRUE(check(plan, recording.events()).passed());
#pragma once

#include <flowproof/conformance/plan.hpp>
#include <flowproof/conformance/report.hpp>
#include <flowproof/harness/event.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <istream>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace flowproof::conformance {

/// An input that cannot be read at all (exit 3 on the command line).
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Progress of a long check, for a terminal progress line.
struct Progress {
  std::uint64_t bytes = 0;
  std::uint64_t lines = 0;
  std::uint64_t events = 0;
  double seconds = 0;
};

/// Bounds on what one check holds; each exceeded case is a finding or an error, never a crash.
struct Limits {
  std::size_t max_line_bytes = 16 * 1024 * 1024;  ///< a longer line is FP001
  std::size_t max_depth = 256;                    ///< deeper JSON nesting is FP001
  std::size_t max_properties = 10'000;            ///< more properties on one event is FP001
  std::size_t max_open_invocations = 10'000'000;  ///< beyond: InputError naming the limit
  std::size_t max_timeline_invocations = 200;     ///< timelines kept for reports
};

struct CheckOptions {
  /// Turns FP201/FP202 on at error severity (unless a severity override says otherwise).
  bool require_coverage = false;
  /// Fails the run (a coverage finding) when the covered share of outcomes is below this.
  std::optional<double> min_coverage;
  /// rule id -> severity, applied after the plan's own `rules` map.
  std::map<std::string, Severity> severity_overrides;
  /// Called now and then while reading (at most a few times a second).
  std::function<void(const Progress&)> progress;
  Limits limits;
  /// Keep each invocation's compact event history so the report can show the timeline of the
  /// invocations that have findings (HTML/Markdown). Costs memory per event; off for plain checks.
  bool keep_timelines = false;
  /// Invocation -> label (e.g. the test that produced it), copied into the report.
  std::map<std::string, std::string> invocation_labels;
};

/// Checks event streams against a plan. The checker keeps a reference to the plan: the plan must
/// outlive it (a temporary plan is refused at compile time).
class Checker {
 public:
  explicit Checker(const Plan& plan, CheckOptions options = {});
  Checker(Plan&&, CheckOptions = {}) = delete;  // would dangle: keep the plan in a variable
  ~Checker();
  Checker(Checker&&) noexcept;
  Checker& operator=(Checker&&) noexcept;

  /// Reads a file (gzip decompressed; "-" is standard input). Throws InputError when unreadable.
  void add_file(const std::filesystem::path& path);
  /// Reads a stream of JSON Lines (or one JSON array) under the given input name.
  void add_stream(std::string_view input_name, std::istream& in);
  /// Reads text held in memory.
  void add_text(std::string_view input_name, std::string_view text);
  /// Checks recorded events (as their Segment JSON, one line each).
  void add_events(std::string_view input_name, const std::vector<harness::Event>& events);

  /// Ends every invocation, evaluates coverage and returns the report. Call once.
  Report finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// A rule's severity in a check: the catalogue default, then the plan's `rules` map, then error for
/// the coverage rules under `require_coverage`, then `severity_overrides`. Unknown ids: error.
Severity effective_severity(std::string_view rule_id, const Plan& plan,
                            const CheckOptions& options);

/// One-shot check of recorded events. [[nodiscard]]: the findings are in the report.
[[nodiscard]] Report check(const Plan& plan, const std::vector<harness::Event>& events,
                           CheckOptions options = {});

/// flowproof's version string ("0.1.0").
std::string_view version();

}  // namespace flowproof::conformance

// flowproof/conformance/report.hpp — the report model every output format is written from
// (docs/contract/report-format.md). The checker builds one Report; reporters only read it.
//
//   Report report = check(plan, recording.events());
//   if (!report.passed()) std::cout << to_json(report).dump(2);
#pragma once

#include <flowproof/conformance/plan.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace flowproof::conformance {

/// One event a finding rests on.
struct Location {
  std::string input;                     ///< input name as given ("-" for standard input)
  std::uint64_t line = 0;                ///< 1-based line number within the input
  std::optional<std::int64_t> sequence;  ///< the order value, when the plan declares one
};

struct Violation {
  std::string rule;  ///< "FP103"
  std::string name;  ///< "missing-terminal"
  Severity severity = Severity::error;
  bool waived = false;
  std::string waiver_why;                 ///< the waiver's `why` when waived
  std::optional<std::string> invocation;  ///< null for FP001 and whole-input rules
  std::optional<std::string> flow;
  std::optional<std::string> event;
  std::vector<Location> at;  ///< ordered by input, then line
  std::string message;
};

/// One line of an invocation's timeline, for reports that show what happened.
struct TimelineEntry {
  Location at;
  std::string event;
  nlohmann::json properties = nlohmann::json::object();  ///< the key properties only
};

struct FlowOutcomes {
  std::uint64_t instances = 0;
  std::uint64_t open = 0;  ///< instances that never ended
  std::uint64_t completed = 0;
  std::map<std::string, std::uint64_t> aborted;  ///< by reason ("" for none)
  std::map<std::string, std::uint64_t> failed;   ///< by step ("" for none)
};

struct FlowCoverage {
  std::map<std::string, bool> terminals;      ///< completed / aborted / failed, as declared
  std::map<std::string, bool> reasons;        ///< every declared reason
  std::map<std::string, bool> failure_steps;  ///< every declared step, when `failed` is declared
};

struct Summary {
  std::uint64_t inputs = 0;
  std::uint64_t lines =
      0;  ///< every line read (lines = events-bearing + skipped + malformed + blank)
  std::uint64_t events = 0;     ///< events checked (a batch line contributes each element)
  std::uint64_t skipped = 0;    ///< non-track calls (identify, page, ...) counted and not checked
  std::uint64_t malformed = 0;  ///< lines or elements that broke FP001
  std::uint64_t blank = 0;      ///< empty or whitespace-only lines
  std::uint64_t invocations = 0;
  std::uint64_t instances = 0;
  std::uint64_t errors = 0;    ///< non-waived violations of error severity
  std::uint64_t warnings = 0;  ///< non-waived violations of warning severity
  std::uint64_t waived = 0;
};

struct RuleCount {
  std::string id;
  std::string name;
  Severity severity;
  std::uint64_t violations = 0;  ///< including waived ones
};

struct Report {
  std::string tool_name = "flowproof";
  std::string tool_version;
  std::string plan_name;
  std::string plan_sha256;
  std::vector<std::string> inputs;  ///< input names in the order read
  Summary summary;
  std::vector<RuleCount> rules;       ///< every rule with at least one violation, in id order
  std::vector<Violation> violations;  ///< ordered by input, then line
  std::vector<std::pair<std::string, FlowOutcomes>> flows;  ///< in plan order
  std::vector<Waiver> unused_waivers;
  std::vector<std::pair<std::string, FlowCoverage>> coverage;  ///< in plan order
  /// Timelines of the invocations that have findings (at most a bounded number), by invocation.
  std::map<std::string, std::vector<TimelineEntry>> timelines;
  /// Invocation -> a human label (e.g. the GoogleTest test that produced it), when known.
  std::map<std::string, std::string> invocation_labels;
  /// Flow id -> outcome ("completed", "aborted:REASON", "failed:STEP"; REASON/STEP empty when
  /// absent) -> the first invocations that reached it (at most 20 each, in the order reached).
  /// The coverage matrix (coverage.hpp) names the tests behind each outcome from these.
  std::map<std::string, std::map<std::string, std::vector<std::string>>> outcome_invocations;
  /// Flow id -> the outcomes that more invocations reached than outcome_invocations lists (its
  /// list stops at 20): their tests are named in part.
  std::map<std::string, std::set<std::string>> outcome_invocations_cut;
  /// Effective severity of rules in this run (the plan's `rules`, then overrides), when the
  /// producer knows it (annotate_report fills it); reporters fall back to the catalogue defaults.
  std::map<std::string, Severity> rule_severities;
  /// Flow id -> ids of flow rules that cannot apply to it (FP107 where no `failed` is declared,
  /// ...), when known (annotate_report fills it); the JUnit report marks those `<skipped/>`.
  std::map<std::string, std::vector<std::string>> inapplicable_rules;

  /// No non-waived violation of error severity.
  bool passed() const { return summary.errors == 0; }
  std::string_view verdict() const { return passed() ? "pass" : "fail"; }
  /// Share of the plan's outcome space (terminal kinds, reasons, failure steps) observed, 0..1.
  double coverage_ratio() const;
};

/// The JSON report exactly as report-format.md specifies.
nlohmann::json to_json(const Report& report);
/// The same without its `violations` member, and one element of that member: the JSON reporter
/// writes the findings one at a time, so a run with many holds no second copy of them.
nlohmann::json to_json_without_violations(const Report& report);
nlohmann::json violation_json(const Violation& violation);

}  // namespace flowproof::conformance

// flowproof/conformance/coverage.hpp — the coverage matrix of a report: per flow, every outcome
// the plan declares (terminal kinds, abort reasons, failure steps), whether the inputs reached it,
// how often, and which tests (or invocations) reached it; the unreached paths by name.
//
//   for (const CoverageMatrix& flow : coverage_matrix(report)) {
//     for (const CoverageRow& row : flow.rows)
//       std::cout << flow.flow << " " << row.outcome << (row.reached ? " yes " : " no ")
//                 << row.count << "\n";
//     for (const std::string& gap : flow.unreached) std::cout << "unreached: " << gap << "\n";
//   }
//   std::cout << coverage_markdown(report);   // the same as Markdown tables
#pragma once

#include <flowproof/conformance/report.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace flowproof::conformance {

/// One outcome of a flow's outcome space.
struct CoverageRow {
  enum class Kind { terminal, reason, step };
  Kind kind = Kind::terminal;
  std::string name;     ///< "completed" / "aborted" / "failed", the reason, or the step
  std::string outcome;  ///< display text: "completed", "aborted: cancelled", "failed at api_call"
  bool reached = false;
  std::uint64_t count = 0;               ///< terminals of this outcome seen
  std::vector<std::string> invocations;  ///< the first invocations that reached it
  std::vector<std::string> tests;  ///< their labels (distinct, in order); the id when unlabelled
  /// More invocations reached it than `invocations` lists (the report keeps the first 20 per
  /// outcome), so `tests` names only some of the tests behind it.
  bool more = false;
  /// What follows the first `max_tests` names in a cell: " +N more" when `tests` is complete and
  /// longer, " and more" when it is not complete, else nothing.
  std::string more_text(std::size_t max_tests) const;
};

/// One flow's matrix: terminal rows first (completed, aborted, failed, as declared), then abort
/// reasons, then failure steps, each in name order.
struct CoverageMatrix {
  std::string flow;
  std::vector<CoverageRow> rows;
  std::vector<std::string>
      unreached;  ///< "terminal failed", "reason cancelled", "failure step api_call"
  std::uint64_t reached() const;  ///< rows reached
};

/// The coverage matrix of every flow in the report, in plan order.
std::vector<CoverageMatrix> coverage_matrix(const Report& report);

/// The matrix as Markdown: one table per flow (Outcome | Reached | Count | Tests) and the
/// unreached paths; at most `max_tests` names per cell.
std::string coverage_markdown(const Report& report, std::size_t max_tests = 5);

}  // namespace flowproof::conformance

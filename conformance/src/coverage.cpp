// coverage.cpp — the coverage matrix (rows per declared outcome, counts, the tests that reached
// each) and its Markdown tables.
#include <flowproof/conformance/coverage.hpp>

#include "reporter_formats.hpp"

#include <algorithm>
#include <sstream>

namespace flowproof::conformance {
namespace {

constexpr auto cell = report_detail::markdown_cell;

const FlowOutcomes* outcomes_of(const Report& report, const std::string& flow) {
  for (const auto& [id, outcomes] : report.flows) {
    if (id == flow) return &outcomes;
  }
  return nullptr;
}

std::uint64_t sum(const std::map<std::string, std::uint64_t>& counts) {
  std::uint64_t total = 0;
  for (const auto& [name, count] : counts) total += count;
  return total;
}

// Fills invocations and tests from the report's outcome_invocations entries that `matches`.
template <typename Matches>
void add_reachers(const Report& report, const std::string& flow, Matches matches,
                  CoverageRow& row) {
  auto found = report.outcome_invocations.find(flow);
  if (found == report.outcome_invocations.end()) return;
  auto cut = report.outcome_invocations_cut.find(flow);
  for (const auto& [outcome, invocations] : found->second) {
    if (!matches(outcome)) continue;
    if (cut != report.outcome_invocations_cut.end() && cut->second.contains(outcome)) {
      row.more = true;
    }
    for (const std::string& invocation : invocations) {
      if (std::find(row.invocations.begin(), row.invocations.end(), invocation) !=
          row.invocations.end()) {
        continue;
      }
      row.invocations.push_back(invocation);
      auto label = report.invocation_labels.find(invocation);
      const std::string& test =
          label == report.invocation_labels.end() ? invocation : label->second;
      if (std::find(row.tests.begin(), row.tests.end(), test) == row.tests.end()) {
        row.tests.push_back(test);
      }
    }
  }
}

}  // namespace

std::string CoverageRow::more_text(std::size_t max_tests) const {
  if (more) return " and more";
  if (tests.size() > max_tests) return " +" + std::to_string(tests.size() - max_tests) + " more";
  return {};
}

std::uint64_t CoverageMatrix::reached() const {
  return static_cast<std::uint64_t>(
      std::count_if(rows.begin(), rows.end(), [](const CoverageRow& row) { return row.reached; }));
}

std::vector<CoverageMatrix> coverage_matrix(const Report& report) {
  std::vector<CoverageMatrix> matrices;
  for (const auto& entry : report.coverage) {
    // Named references, not a structured binding: the lambda below captures `flow`, which
    // C++20 allows for bindings but clang 14 (the fuzz build) does not.
    const std::string& flow = entry.first;
    const FlowCoverage& coverage = entry.second;
    CoverageMatrix matrix;
    matrix.flow = flow;
    static const FlowOutcomes none;
    const FlowOutcomes* found = outcomes_of(report, flow);
    const FlowOutcomes& outcomes = found ? *found : none;

    for (const char* kind : {"completed", "aborted", "failed"}) {
      auto declared = coverage.terminals.find(kind);
      if (declared == coverage.terminals.end()) continue;
      CoverageRow row;
      row.kind = CoverageRow::Kind::terminal;
      row.name = kind;
      row.outcome = kind;
      row.reached = declared->second;
      const std::string name = kind;
      row.count = name == "completed" ? outcomes.completed
                  : name == "aborted" ? sum(outcomes.aborted)
                                      : sum(outcomes.failed);
      add_reachers(
          report, flow,
          [&](const std::string& outcome) {
            return outcome == name || outcome.rfind(name + ":", 0) == 0;
          },
          row);
      if (!row.reached) matrix.unreached.push_back("terminal " + name);
      matrix.rows.push_back(std::move(row));
    }
    // One row per declared reason (of Aborted) or failing step (of Failed), keyed "aborted:R" /
    // "failed:S" in the invocation outcomes.
    const auto add_detail_rows =
        [&](const std::map<std::string, bool>& declared, CoverageRow::Kind kind,
            const std::string& terminal, const std::map<std::string, std::uint64_t>& counts,
            const std::string& outcome_prefix, const std::string& unreached_prefix) {
          for (const auto& [name, seen] : declared) {
            CoverageRow row;
            row.kind = kind;
            row.name = name;
            row.outcome = outcome_prefix + name;
            row.reached = seen;
            // (The outcomes count a missing or non-string detail under "": a declared "" that
            // was never observed has none of its own.)
            auto count = counts.find(name);
            row.count = count == counts.end() || !seen ? 0 : count->second;
            const std::string key = terminal + ":" + name;
            add_reachers(
                report, flow, [&](const std::string& outcome) { return outcome == key; }, row);
            if (!seen) matrix.unreached.push_back(unreached_prefix + name);
            matrix.rows.push_back(std::move(row));
          }
        };
    add_detail_rows(coverage.reasons, CoverageRow::Kind::reason, "aborted", outcomes.aborted,
                    "aborted: ", "reason ");
    add_detail_rows(coverage.failure_steps, CoverageRow::Kind::step, "failed", outcomes.failed,
                    "failed at ", "failure step ");
    matrices.push_back(std::move(matrix));
  }
  return matrices;
}

std::string coverage_markdown(const Report& report, std::size_t max_tests) {
  std::ostringstream out;
  const auto matrices = coverage_matrix(report);
  if (matrices.empty()) return {};
  out << "\n### Coverage matrix\n";
  for (const CoverageMatrix& matrix : matrices) {
    out << "\n#### " << cell(matrix.flow) << " (" << matrix.reached() << "/" << matrix.rows.size()
        << " outcomes reached)\n\n| Outcome | Reached | Count | Tests |\n|---|---|---:|---|\n";
    for (const CoverageRow& row : matrix.rows) {
      std::string tests;
      for (std::size_t i = 0; i < row.tests.size() && i < max_tests; ++i) {
        tests += (i ? ", " : "") + cell(row.tests[i]);
      }
      tests += row.more_text(max_tests);
      out << "| " << cell(row.outcome) << " | " << (row.reached ? "yes" : "**no**") << " | "
          << row.count << " | " << tests << " |\n";
    }
    if (!matrix.unreached.empty()) {
      out << "\nUnreached:";
      for (std::size_t i = 0; i < matrix.unreached.size(); ++i) {
        out << (i ? ", " : " ") << cell(matrix.unreached[i]);
      }
      out << "\n";
    }
  }
  return out.str();
}

}  // namespace flowproof::conformance

// markdown_reporter.cpp — a Markdown summary for a pull-request comment or a CI job summary:
// verdict, rules with violations, outcomes per flow, coverage gaps, the first findings of each
// rule.
#include "reporter_formats.hpp"

#include <flowproof/conformance/coverage.hpp>

#include <ostream>
#include <sstream>
#include <string>

namespace flowproof::conformance {
namespace {

using report_detail::counts_text;
constexpr auto cell = report_detail::markdown_cell;
using report_detail::total;

// GitHub refuses a comment over 65,536 characters (and a job summary over 1 MiB); bytes are never
// fewer than characters, so a report of at most this many bytes always fits.
constexpr std::size_t kCommentLimit = 65'000;
// A finding's input, invocation, message or waiver text is cut to this many bytes in a cell.
constexpr std::size_t kCellLimit = 300;

std::string cut(std::string_view text) { return report_detail::shortened(text, kCellLimit); }

class MarkdownReporter : public Reporter {
 public:
  explicit MarkdownReporter(const ReporterOptions& options) : options_(options) {}

  // Fits a pull-request comment: when the report would be longer than kCommentLimit, fewer
  // findings per rule are shown (halved until it fits, down to none), and the report says so.
  void write(const Report& report, std::ostream& out) const override {
    for (std::size_t shown = options_.max_findings_per_rule;; shown /= 2) {
      std::ostringstream text;
      render(report, shown, text);
      if (text.str().size() <= kCommentLimit || shown == 0) {
        out << text.str();
        return;
      }
    }
  }

 private:
  void render(const Report& report, std::size_t shown, std::ostream& out) const {
    const Summary& s = report.summary;
    out << "## flowproof: " << (report.passed() ? "pass" : "**fail**") << " — plan "
        << cell(report.plan_name) << "\n\n";
    out << report_detail::plural(s.errors, "error") << ", "
        << report_detail::plural(s.warnings, "warning") << ", " << s.waived << " waived · "
        << s.inputs << (s.inputs == 1 ? " input · " : " inputs · ") << s.events << " events · "
        << s.invocations << " invocations · " << s.instances << " flow instances";
    if (!report.coverage.empty()) {
      out << " · coverage " << report_detail::percent(report.coverage_ratio());
    }
    out << "\n";

    if (!report.rules.empty()) {
      out << "\n### Rules with violations\n\n| Rule | Name | Severity | Violations |\n"
          << "|---|---|---|---:|\n";
      for (const RuleCount& rule : report.rules) {
        out << "| " << cell(rule.id) << " | " << cell(rule.name) << " | "
            << to_string(rule.severity) << " | " << rule.violations << " |\n";
      }
    }

    if (!report.flows.empty()) {
      out << "\n### Outcomes per flow\n\n"
          << "| Flow | Instances | Completed | Aborted | Failed | Open |\n"
          << "|---|---:|---:|---|---|---:|\n";
      for (const auto& [flow, o] : report.flows) {
        out << "| " << cell(flow) << " | " << o.instances << " | " << o.completed << " | "
            << cell(counts_text(total(o.aborted), o.aborted)) << " | "
            << cell(counts_text(total(o.failed), o.failed)) << " | " << o.open << " |\n";
      }
    }

    out << coverage_markdown(report);

    bool any_gap = false;
    for (const auto& [flow, coverage] : report.coverage) {
      const auto gaps = report_detail::coverage_gaps(coverage);
      if (gaps.empty()) continue;
      if (!any_gap) out << "\n### Coverage gaps\n\n";
      any_gap = true;
      out << "- " << cell(flow) << ":";
      for (std::size_t i = 0; i < gaps.size(); ++i) out << (i ? ", " : " ") << cell(gaps[i]);
      out << "\n";
    }

    if (!report.rules.empty()) out << "\n### Findings\n";
    if (!report.rules.empty() && shown < options_.max_findings_per_rule) {
      out << "\n*At most " << shown << " findings of each rule are shown, so that this report fits "
          << "a pull-request comment; the other reports list them all.*\n";
    }
    for (const RuleCount& rule : report.rules) {
      out << "\n#### " << cell(rule.id) << " " << cell(rule.name) << " (" << rule.violations
          << ")\n\n| Input | Line | Flow | Invocation | Message |\n|---|---:|---|---|---|\n";
      const std::size_t hidden =
          report_detail::each_shown_finding(report, rule.id, shown, [&](const Violation& v) {
            const Location* at = v.at.empty() ? nullptr : &v.at.front();
            std::string invocation = v.invocation.value_or("");
            if (auto it = report.invocation_labels.find(invocation);
                it != report.invocation_labels.end()) {
              invocation += " (" + it->second + ")";
            }
            out << "| " << (at ? cell(cut(at->input)) : "") << " | "
                << (at ? std::to_string(at->line) : "") << " | " << cell(cut(v.flow.value_or("")))
                << " | " << cell(cut(invocation)) << " | " << cell(cut(v.message))
                << (v.waived ? " *(waived: " + cell(cut(v.waiver_why)) + ")*" : "") << " |\n";
          });
      if (hidden) out << "\n…and " << hidden << " more.\n";
    }

    if (!report.unused_waivers.empty()) {
      out << "\n### Unused waivers\n\n";
      for (const Waiver& waiver : report.unused_waivers) {
        out << "- " << cell(waiver.pointer) << " " << cell(waiver.rule) << ": "
            << cell(cut(waiver.why)) << "\n";
      }
    }
  }

  ReporterOptions options_;
};

}  // namespace

std::unique_ptr<Reporter> make_markdown_reporter(const ReporterOptions& options) {
  return std::make_unique<MarkdownReporter>(options);
}

}  // namespace flowproof::conformance

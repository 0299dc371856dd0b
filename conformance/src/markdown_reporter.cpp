// markdown_reporter.cpp — a Markdown summary for a pull-request comment or a CI job summary:
// verdict, rules with violations, outcomes per flow, coverage gaps, the first findings of each
// rule.
#include "reporter_formats.hpp"

#include <flowproof/conformance/coverage.hpp>

#include <ostream>
#include <string>

namespace flowproof::conformance {
namespace {

using report_detail::counts_text;
constexpr auto cell = report_detail::markdown_cell;
using report_detail::total;

class MarkdownReporter : public Reporter {
 public:
  explicit MarkdownReporter(const ReporterOptions& options) : options_(options) {}

  void write(const Report& report, std::ostream& out) const override {
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
    for (const RuleCount& rule : report.rules) {
      out << "\n#### " << cell(rule.id) << " " << cell(rule.name) << " (" << rule.violations
          << ")\n\n| Input | Line | Flow | Invocation | Message |\n|---|---:|---|---|---|\n";
      const std::size_t hidden = report_detail::each_shown_finding(
          report, rule.id, options_.max_findings_per_rule, [&](const Violation& v) {
            const Location* at = v.at.empty() ? nullptr : &v.at.front();
            std::string invocation = v.invocation.value_or("");
            if (auto it = report.invocation_labels.find(invocation);
                it != report.invocation_labels.end()) {
              invocation += " (" + it->second + ")";
            }
            out << "| " << (at ? cell(at->input) : "") << " | "
                << (at ? std::to_string(at->line) : "") << " | " << cell(v.flow.value_or(""))
                << " | " << cell(invocation) << " | " << cell(v.message)
                << (v.waived ? " *(waived: " + cell(v.waiver_why) + ")*" : "") << " |\n";
          });
      if (hidden) out << "\n…and " << hidden << " more.\n";
    }

    if (!report.unused_waivers.empty()) {
      out << "\n### Unused waivers\n\n";
      for (const Waiver& waiver : report.unused_waivers) {
        out << "- " << cell(waiver.pointer) << " " << cell(waiver.rule) << ": " << cell(waiver.why)
            << "\n";
      }
    }
  }

 private:
  ReporterOptions options_;
};

}  // namespace

std::unique_ptr<Reporter> make_markdown_reporter(const ReporterOptions& options) {
  return std::make_unique<MarkdownReporter>(options);
}

}  // namespace flowproof::conformance

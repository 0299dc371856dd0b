// text_reporter.cpp — the terminal summary `flowproof check` prints when no --report is given:
// verdict, counts, findings grouped by rule with input:line, outcomes per flow, coverage gaps.
#include "reporter_formats.hpp"

#include <ostream>
#include <string>

namespace flowproof::conformance {
namespace {

using report_detail::counts_text;
using report_detail::printable;
using report_detail::total;

class TextReporter : public Reporter {
 public:
  explicit TextReporter(const ReporterOptions& options) : options_(options) {}

  void write(const Report& report, std::ostream& out) const override {
    const Summary& s = report.summary;
    out << paint(report.passed() ? green : red, report.passed() ? "PASS" : "FAIL") << "  plan "
        << printable(report.plan_name) << "  (" << report.tool_name << ' ' << report.tool_version
        << ")\n";
    out << "  " << s.inputs << (s.inputs == 1 ? " input, " : " inputs, ") << s.lines << " lines, "
        << s.events << " events, " << s.skipped << " skipped, " << s.malformed << " malformed, ";
    if (s.blank != 0) out << s.blank << " blank, ";  // so every line read is accounted for
    out << s.invocations << " invocations, " << s.instances << " flow instances\n";
    out << "  " << paint(s.errors ? red : none, report_detail::plural(s.errors, "error")) << ", "
        << paint(s.warnings ? yellow : none, report_detail::plural(s.warnings, "warning")) << ", "
        << s.waived << " waived\n";

    if (!report.rules.empty()) out << "\nFindings\n";
    for (const RuleCount& rule : report.rules) {
      out << "  " << paint(rule.severity == Severity::error ? red : yellow, rule.id) << ' '
          << rule.name << " (" << to_string(rule.severity) << ", " << rule.violations << ")\n";
      const std::size_t hidden = report_detail::each_shown_finding(
          report, rule.id, options_.max_findings_per_rule, [&](const Violation& v) {
            std::string line = report_detail::where(v) + "  " + v.message;
            if (v.waived) line += "  [waived: " + v.waiver_why + "]";
            if (v.invocation) line += "  " + report_detail::invocation_note(report, v);
            out << "    " << printable(line) << '\n';
          });
      if (hidden) out << "    ... and " << hidden << " more\n";
    }

    if (!report.flows.empty()) out << "\nFlows\n";
    for (const auto& [flow, o] : report.flows) {
      out << "  " << printable(flow) << ": " << o.instances << " instances, " << o.completed
          << " completed, aborted " << printable(counts_text(total(o.aborted), o.aborted))
          << ", failed " << printable(counts_text(total(o.failed), o.failed)) << ", " << o.open
          << " open\n";
    }

    bool any_gap = false;
    for (const auto& [flow, coverage] : report.coverage) {
      const auto gaps = report_detail::coverage_gaps(coverage);
      if (gaps.empty()) continue;
      if (!any_gap) {
        out << "\nCoverage " << report_detail::percent(report.coverage_ratio())
            << " of outcomes; not observed\n";
        any_gap = true;
      }
      out << "  " << printable(flow) << ":";
      for (std::size_t i = 0; i < gaps.size(); ++i) out << (i ? ", " : " ") << printable(gaps[i]);
      out << '\n';
    }
    if (!any_gap && !report.coverage.empty()) out << "\nCoverage 100% of outcomes\n";

    for (const Waiver& waiver : report.unused_waivers) {
      out << paint(yellow, "warning") << ": "
          << printable("unused waiver " + waiver.pointer + " (" + waiver.rule +
                       (waiver.flow ? " flow " + *waiver.flow : "") +
                       (waiver.event ? " event " + *waiver.event : "") + "): " + waiver.why)
          << '\n';
    }
  }

 private:
  static constexpr std::string_view none = "";
  static constexpr std::string_view red = "\x1b[31;1m";
  static constexpr std::string_view green = "\x1b[32;1m";
  static constexpr std::string_view yellow = "\x1b[33m";

  std::string paint(std::string_view colour, std::string_view text) const {
    if (!options_.colour || colour.empty()) return std::string(text);
    return std::string(colour) + std::string(text) + "\x1b[0m";
  }

  ReporterOptions options_;
};

}  // namespace

std::unique_ptr<Reporter> make_text_reporter(const ReporterOptions& options) {
  return std::make_unique<TextReporter>(options);
}

}  // namespace flowproof::conformance

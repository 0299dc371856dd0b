// reporter_formats.hpp (internal) — the built-in report formats and the helpers they share.
//
//   std::unique_ptr<Reporter> text = make_text_reporter({.colour = false});
//
// Adding a format: write FORMAT_reporter.cpp defining make_FORMAT_reporter, declare it here and add
// one line to built_in_formats() in reporter.cpp. The registry installs the built-in formats on
// first use, so nothing depends on static initialisation (which a static library would drop).
#pragma once

#include <flowproof/conformance/report.hpp>
#include <flowproof/conformance/reporter.hpp>
#include <flowproof/conformance/rules.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace flowproof::conformance {

std::unique_ptr<Reporter> make_text_reporter(const ReporterOptions& options);
std::unique_ptr<Reporter> make_json_reporter(const ReporterOptions& options);
std::unique_ptr<Reporter> make_junit_reporter(const ReporterOptions& options);
std::unique_ptr<Reporter> make_markdown_reporter(const ReporterOptions& options);
std::unique_ptr<Reporter> make_html_reporter(const ReporterOptions& options);

namespace report_detail {

/// The effective severity of a rule in this report: from its violations, then the report's
/// rule_severities, then the catalogue default.
Severity rule_severity(const Report& report, std::string_view rule_id);
/// True when the report says the rule cannot apply to the flow (or, without that knowledge, when
/// the flow's declared terminals rule it out).
bool rule_inapplicable(const Report& report, const std::string& flow, std::string_view rule_id);
/// "input:line" of a finding's first location ("(no location)" when it has none: coverage
/// findings), plus further lines.
std::string where(const Violation& violation);
/// "(invocation ID, label)" of a finding, the label from the report's invocation_labels; empty
/// when the finding has no invocation.
std::string invocation_note(const Report& report, const Violation& violation);
/// The outcome-space gaps of one flow: "terminal failed", "reason cancelled", "step api_call".
std::vector<std::string> coverage_gaps(const FlowCoverage& coverage);
/// "2 (declined_terms 1, cancelled 1)" for a map of counts.
std::string counts_text(std::uint64_t total, const std::map<std::string, std::uint64_t>& counts);
/// Sum of a map of counts.
std::uint64_t total(const std::map<std::string, std::uint64_t>& counts);
/// Text with control characters (ESC included) shown as \u001B, so an input cannot drive a
/// terminal or break a document.
std::string printable(std::string_view text);
/// The text as a JSON string literal: `"`, `\` and controls escaped, and invisible code points
/// and bytes that are not UTF-8 shown as printable() shows them.
std::string quoted(std::string_view text);
/// A name from a plan (a step, an event, a pointer) for `plan lint` and plan errors: as it is when
/// it cannot be misread, quoted() when it is empty, has a space at either end, a control, an
/// invisible character, a quote or backslash, or one of `,` `:` `{` `}` `(` `)` `->`.
std::string shown(std::string_view text);
/// Text safe in XML 1.0 and HTML content and in quoted attributes: & < > " ' as entities, tab,
/// newline and return as character references, and what XML cannot carry (other controls,
/// U+FFFE/U+FFFF, bytes that are not UTF-8) as visible escapes such as \u0001 or \xFF.
std::string markup(std::string_view text);
/// Text for a Markdown table cell or inline prose: pipes, backticks and backslashes escaped,
/// newlines flattened, angle brackets as entities (no HTML injection), controls as printable().
std::string markdown_cell(std::string_view text);
/// The text cut to at most `max_bytes` bytes on a character boundary, "…" marking a cut.
std::string shortened(std::string_view text, std::size_t max_bytes);
/// "1 warning", "3 warnings".
std::string plural(std::uint64_t count, std::string_view noun);
/// Percentage with no decimals, e.g. "62%".
std::string percent(double ratio);

/// Calls `show(violation)` for the first `max_shown` findings of a rule, in report order, and
/// returns how many more there are (each format says "…and N more").
template <class Show>
std::size_t each_shown_finding(const Report& report, std::string_view rule_id,
                               std::size_t max_shown, Show&& show) {
  std::size_t shown = 0, hidden = 0;
  for (const Violation& v : report.violations) {
    if (v.rule != rule_id) continue;
    if (shown == max_shown) {
      ++hidden;
    } else {
      ++shown;
      show(v);
    }
  }
  return hidden;
}

}  // namespace report_detail
}  // namespace flowproof::conformance

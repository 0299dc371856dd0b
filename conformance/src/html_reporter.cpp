// html_reporter.cpp — the `html` report: ONE self-contained page (inline CSS and SVG, no scripts,
// no external assets) with the verdict, per flow a funnel diagram (Started, then outcomes by
// reason and step) and the coverage matrix, and every finding with the timeline of the
// invocation that produced it and the test that ran it. All text is escaped.
#include <flowproof/conformance/coverage.hpp>

#include "reporter_formats.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <ostream>
#include <string>

namespace flowproof::conformance {
namespace {

using report_detail::percent;
constexpr auto esc = report_detail::markup;
using report_detail::total;

std::string fixed(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f", value);
  return buffer;
}

// Tests (or invocation ids) named per coverage-matrix cell before "+N more".
constexpr std::size_t kMaxTestsPerCell = 6;

constexpr const char* kStyle = R"css(
:root { --pass:#1a7f37; --fail:#cf222e; --warn:#9a6700; --ink:#1f2328; --muted:#57606a;
        --line:#d0d7de; --bg:#f6f8fa; }
* { box-sizing: border-box; }
body { font: 14px/1.45 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: var(--ink);
       margin: 0; background: #fff; }
header { padding: 20px 32px; border-bottom: 1px solid var(--line); background: var(--bg); }
main { padding: 8px 32px 40px; max-width: 1200px; }
h1 { font-size: 22px; margin: 0 0 6px; }
h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
.verdict { display: inline-block; padding: 2px 12px; border-radius: 12px; color: #fff;
           font-weight: 600; letter-spacing: .04em; }
.verdict.pass { background: var(--pass); }
.verdict.fail { background: var(--fail); }
.summary { color: var(--muted); }
table { border-collapse: collapse; margin: 6px 0 12px; }
th, td { border: 1px solid var(--line); padding: 4px 10px; text-align: left; vertical-align: top; }
th { background: var(--bg); }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.yes { color: var(--pass); font-weight: 600; }
.no { color: var(--fail); font-weight: 600; }
.flow { margin-bottom: 18px; }
.funnel text { font: 12px -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; fill: var(--ink); }
.funnel .count { fill: var(--muted); }
.unreached { color: var(--fail); }
.finding { border: 1px solid var(--line); border-left: 4px solid var(--fail); border-radius: 4px;
           padding: 8px 12px; margin: 10px 0; }
.finding.warning { border-left-color: var(--warn); }
.finding.waived { border-left-color: var(--muted); opacity: .8; }
.finding .rule { font-weight: 600; }
.finding .where, .finding .who { color: var(--muted); }
.timeline td { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; }
.timeline tr.hit td { background: #fff1f0; font-weight: 600; }
.timeline tr.hit td:first-child { border-left: 4px solid var(--fail); }
code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; }
svg.funnel { max-width: 100%; height: auto; }
.scroll { overflow-x: auto; max-width: 100%; }
code, .message, .where, .who, .summary { overflow-wrap: anywhere; }
@media (max-width: 600px) { header, main { padding-left: 12px; padding-right: 12px; } }
)css";

// A funnel label cut to what fits left of the bars (the full text is in the bar's <title>).
std::string fit_label(std::string_view label) { return report_detail::shortened(label, 29); }

struct Bar {
  std::string label;
  std::uint64_t count;
  const char* colour;
  int indent;  // 0 for terminal kinds, 1 for reasons and steps
};

// " (40%)": `count` as a share of `of` started instances, whole percent; a share that is not
// nothing but rounds to 0% reads "<1%", and one short of all that rounds to 100% reads ">99%".
std::string share(std::uint64_t count, std::uint64_t of) {
  if (of == 0) return "";
  if (count == 0) return " (0%)";
  if (count >= of) return count == of ? " (100%)" : "";
  const std::uint64_t percent = (count * 100 + of / 2) / of;
  if (percent == 0) return " (<1%)";
  if (percent >= 100) return " (>99%)";
  return " (" + std::to_string(percent) + "%)";
}

// `declared`: the flow's terminal kinds (from the report's coverage); a kind the flow does not
// declare gets no bar unless something reached it. Open always has one.
void write_funnel(std::ostream& out, const std::string& flow, const FlowOutcomes& o,
                  const std::map<std::string, bool>* declared) {
  auto shown = [&](const char* kind, std::uint64_t count) {
    return count > 0 || declared == nullptr || declared->contains(kind);
  };
  std::vector<Bar> bars;
  bars.push_back({"Started", o.instances, "#0969da", 0});
  if (shown("completed", o.completed)) bars.push_back({"Completed", o.completed, "#1a7f37", 0});
  if (shown("aborted", total(o.aborted))) {
    bars.push_back({"Aborted", total(o.aborted), "#bf8700", 0});
    for (const auto& [reason, count] : o.aborted) {
      bars.push_back(
          {"reason: " + (reason.empty() ? std::string("(none)") : reason), count, "#d4a72c", 1});
    }
  }
  if (shown("failed", total(o.failed))) {
    bars.push_back({"Failed", total(o.failed), "#cf222e", 0});
    for (const auto& [step, count] : o.failed) {
      bars.push_back(
          {"at step: " + (step.empty() ? std::string("(none)") : step), count, "#fa4549", 1});
    }
  }
  bars.push_back({"Open (never ended)", o.open, "#8250df", 0});
  // A bar's count, and below Started its share of the instances: "12 (40%)".
  auto count_text = [&](std::size_t i) {
    return std::to_string(bars[i].count) + (i == 0 ? "" : share(bars[i].count, o.instances));
  };
  // What a screen reader says for the chart: every bar, in order.
  std::string description = flow + ":";
  for (std::size_t i = 0; i < bars.size(); ++i) {
    description += (i ? ", " : " ") + bars[i].label + " " + count_text(i);
  }

  constexpr double label_width = 230, bar_width = 520, row = 26, bar_height = 18;
  const double width = label_width + bar_width + 110;
  const double height = row * static_cast<double>(bars.size()) + 8;
  const double scale = std::max<std::uint64_t>(o.instances, 1);
  out << "<svg class=\"funnel\" id=\"funnel-" << esc(flow) << "\" data-flow=\"" << esc(flow)
      << "\" width=\"" << fixed(width) << "\" height=\"" << fixed(height) << "\" viewBox=\"0 0 "
      << fixed(width) << " " << fixed(height) << "\" role=\"img\" aria-labelledby=\"funnel-title-"
      << esc(flow) << "\">\n<title id=\"funnel-title-" << esc(flow) << "\">" << esc(description)
      << "</title>\n";
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const Bar& bar = bars[i];
    const double y = 4 + row * static_cast<double>(i);
    double w = bar_width * static_cast<double>(bar.count) / static_cast<double>(scale);
    if (bar.count > 0 && w < 2) w = 2;
    w = std::min(w, bar_width);
    out << "<g class=\"bar\"><title>" << esc(bar.label) << ": " << count_text(i)
        << "</title><text x=\"" << (bar.indent ? 22 : 4) << "\" y=\"" << fixed(y + bar_height - 5)
        << "\">" << esc(fit_label(bar.label)) << "</text>"
        << "<rect x=\"" << fixed(label_width) << "\" y=\"" << fixed(y) << "\" width=\""
        << fixed(bar_width) << "\" height=\"" << fixed(bar_height)
        << "\" fill=\"#eaeef2\" rx=\"3\"/>"
        << "<rect x=\"" << fixed(label_width) << "\" y=\"" << fixed(y) << "\" width=\"" << fixed(w)
        << "\" height=\"" << fixed(bar_height) << "\" fill=\"" << bar.colour
        << "\" rx=\"3\"/><text class=\"count\" x=\"" << fixed(label_width + bar_width + 8)
        << "\" y=\"" << fixed(y + bar_height - 5) << "\">" << count_text(i) << "</text></g>\n";
  }
  out << "</svg>\n";
}

void write_matrix(std::ostream& out, const CoverageMatrix& matrix, std::size_t max_tests) {
  out << "<div class=\"scroll\"><table class=\"coverage\" data-flow=\"" << esc(matrix.flow)
      << "\"><thead><tr><th>Outcome</th><th>Reached</th><th>Count</th><th>Tests</th></tr>"
         "</thead><tbody>\n";
  for (const CoverageRow& row : matrix.rows) {
    out << "<tr><td>" << esc(row.outcome) << "</td><td class=\""
        << (row.reached ? "yes\">yes" : "no\">no") << "</td><td class=\"num\">" << row.count
        << "</td><td>";
    for (std::size_t i = 0; i < row.tests.size() && i < max_tests; ++i) {
      out << (i ? ", " : "") << "<code>" << esc(row.tests[i]) << "</code>";
    }
    out << row.more_text(max_tests);
    out << "</td></tr>\n";
  }
  out << "</tbody></table></div>\n";
  if (!matrix.unreached.empty()) {
    out << "<p class=\"unreached\">Unreached: ";
    for (std::size_t i = 0; i < matrix.unreached.size(); ++i) {
      out << (i ? ", " : "") << esc(matrix.unreached[i]);
    }
    out << "</p>\n";
  } else {
    out << "<p class=\"yes\">Every declared outcome was reached.</p>\n";
  }
}

std::string location_text(const Location& at) {
  std::string text = at.input + ":" + std::to_string(at.line);
  if (at.sequence) text += " (sequence " + std::to_string(*at.sequence) + ")";
  return text;
}

void write_timeline(std::ostream& out, const std::vector<TimelineEntry>& timeline,
                    const Violation& v) {
  out << "<div class=\"scroll\"><table class=\"timeline\"><thead><tr><th>Where</th><th>Event</th>"
         "<th>Key properties</th></tr></thead><tbody>\n";
  for (const TimelineEntry& entry : timeline) {
    const bool hit = std::any_of(v.at.begin(), v.at.end(), [&](const Location& at) {
      return at.input == entry.at.input && at.line == entry.at.line;
    });
    // The event the finding names is marked in text, not by colour alone.
    out << "<tr" << (hit ? " class=\"hit\"" : "") << "><td>" << (hit ? "▶ " : "")
        << esc(location_text(entry.at)) << (hit ? " <em>(this finding)</em>" : "") << "</td><td>"
        << esc(entry.event) << "</td><td>"
        << (entry.properties.empty() ? std::string() : esc(entry.properties.dump()))
        << "</td></tr>\n";
  }
  out << "</tbody></table></div>\n";
}

class HtmlReporter : public Reporter {
 public:
  explicit HtmlReporter(const ReporterOptions& options) : options_(options) {}

  void write(const Report& report, std::ostream& out) const override {
    const Summary& s = report.summary;
    const std::string verdict(report.verdict());
    out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        << "<title>flowproof " << verdict << " — " << esc(report.plan_name) << "</title>\n"
        << "<style>" << kStyle << "</style>\n</head>\n<body>\n<header>\n"
        << "<h1>flowproof: <span id=\"verdict\" class=\"verdict " << verdict << "\">"
        << (report.passed() ? "PASS" : "FAIL") << "</span> plan <code>" << esc(report.plan_name)
        << "</code></h1>\n<p class=\"summary\">" << s.errors << " errors · " << s.warnings
        << " warnings · " << s.waived << " waived · " << s.inputs
        << (s.inputs == 1 ? " input · " : " inputs · ") << s.events << " events · " << s.invocations
        << " invocations · " << s.instances << " flow instances";
    if (!report.coverage.empty()) {
      out << " · coverage <span id=\"coverage\">" << percent(report.coverage_ratio()) << "</span>";
    }
    out << "</p>\n<p class=\"summary\">" << esc(report.tool_name) << " " << esc(report.tool_version)
        << " · plan sha256 <code>" << esc(report.plan_sha256) << "</code></p>\n</header>\n<main>\n";

    if (!report.rules.empty()) {
      out << "<h2>Rules with violations</h2>\n<div class=\"scroll\"><table class=\"rules\"><thead>"
             "<tr><th>Rule</th>"
             "<th>Name</th><th>Severity</th><th>Violations</th></tr></thead><tbody>\n";
      for (const RuleCount& rule : report.rules) {
        out << "<tr><td>" << esc(rule.id) << "</td><td>" << esc(rule.name) << "</td><td>"
            << to_string(rule.severity) << "</td><td class=\"num\">" << rule.violations
            << "</td></tr>\n";
      }
      out << "</tbody></table></div>\n";
    }

    const auto matrices = coverage_matrix(report);
    out << "<h2>Flows</h2>\n";
    for (const auto& [flow, outcomes] : report.flows) {
      out << "<section class=\"flow\" id=\"flow-" << esc(flow) << "\">\n<h3>" << esc(flow)
          << "</h3>\n";
      const std::map<std::string, bool>* declared = nullptr;
      for (const auto& [id, coverage] : report.coverage) {
        if (id == flow) declared = &coverage.terminals;
      }
      write_funnel(out, flow, outcomes, declared);
      for (const CoverageMatrix& matrix : matrices) {
        if (matrix.flow == flow) write_matrix(out, matrix, kMaxTestsPerCell);
      }
      out << "</section>\n";
    }

    out << "<h2 id=\"findings\">Findings</h2>\n";
    if (report.violations.empty()) out << "<p class=\"yes\">No findings.</p>\n";
    for (const RuleCount& rule : report.rules) {
      out << "<h3 id=\"rule-" << esc(rule.id) << "\">" << esc(rule.id) << " " << esc(rule.name)
          << " (" << rule.violations << ")</h3>\n";
      const std::size_t hidden = report_detail::each_shown_finding(
          report, rule.id, options_.max_findings_per_rule,
          [&](const Violation& v) { write_finding(report, v, out); });
      if (hidden) {
        out << "<p class=\"summary\">…and " << hidden << " more " << esc(rule.id)
            << " findings (see the JSON report).</p>\n";
      }
    }

    if (!report.unused_waivers.empty()) {
      out << "<h2>Unused waivers</h2>\n<ul>\n";
      for (const Waiver& waiver : report.unused_waivers) {
        out << "<li><code>" << esc(waiver.pointer) << "</code> " << esc(waiver.rule) << ": "
            << esc(waiver.why) << "</li>\n";
      }
      out << "</ul>\n";
    }
    out << "</main>\n</body>\n</html>\n";
  }

 private:
  void write_finding(const Report& report, const Violation& v, std::ostream& out) const {
    const char* kind = v.waived ? "waived" : v.severity == Severity::warning ? "warning" : "error";
    out << "<div class=\"finding " << kind << "\" data-rule=\"" << esc(v.rule) << "\">\n"
        << "<div><span class=\"rule\">" << esc(v.rule) << " " << esc(v.name) << "</span> (" << kind
        << ")" << (v.flow ? " · flow " + esc(*v.flow) : std::string()) << "</div>\n"
        << "<div class=\"message\">" << esc(v.message) << "</div>\n";
    if (v.waived) out << "<div class=\"who\">waived: " << esc(v.waiver_why) << "</div>\n";
    if (!v.at.empty()) {
      out << "<div class=\"where\">at ";
      for (std::size_t i = 0; i < v.at.size(); ++i) {
        out << (i ? ", " : "") << esc(location_text(v.at[i]));
      }
      out << "</div>\n";
    }
    if (v.invocation) {
      out << "<div class=\"who\">invocation <code>" << esc(*v.invocation) << "</code>";
      if (auto label = report.invocation_labels.find(*v.invocation);
          label != report.invocation_labels.end()) {
        out << " · test <code class=\"test\">" << esc(label->second) << "</code>";
      }
      out << "</div>\n";
      if (auto timeline = report.timelines.find(*v.invocation);
          timeline != report.timelines.end()) {
        write_timeline(out, timeline->second, v);
      }
    }
    out << "</div>\n";
  }

  ReporterOptions options_;
};

}  // namespace

std::unique_ptr<Reporter> make_html_reporter(const ReporterOptions& options) {
  return std::make_unique<HtmlReporter>(options);
}

}  // namespace flowproof::conformance

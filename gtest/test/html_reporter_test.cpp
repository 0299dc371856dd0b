// html_reporter_test.cpp — the `html` report's content (self-contained, escaped, a funnel SVG per
// flow, the coverage matrix, findings with timelines and test names) and the coverage matrix as
// data and as Markdown.
#include <flowproof/conformance/coverage.hpp>
#include <flowproof/conformance/reporter.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>
#include <string>

namespace flowproof::conformance {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kHostile = "<script>alert(\"x\" & 'y')</script>";

// A failing report with two flows, hostile text everywhere a producer's data can reach.
Report sample_report() {
  Report report;
  report.tool_version = "0.1.0";
  report.plan_name = std::string("plan ") + kHostile;
  report.summary.inputs = 1;
  report.summary.events = 9;
  report.summary.errors = 1;
  report.summary.invocations = 3;
  report.summary.instances = 4;
  report.rules.push_back({"FP103", "missing-terminal", Severity::error, 1});
  FlowOutcomes signup;
  signup.instances = 4;
  signup.completed = 2;
  signup.aborted = {{"cancelled", 1}};
  signup.open = 1;
  report.flows.emplace_back("signup", signup);
  FlowOutcomes hostile;
  hostile.instances = 1;
  hostile.failed = {{kHostile, 1}};
  report.flows.emplace_back(kHostile, hostile);
  FlowCoverage signup_coverage;
  signup_coverage.terminals = {{"completed", true}, {"aborted", true}, {"failed", false}};
  signup_coverage.reasons = {{"cancelled", true}, {"declined", false}};
  signup_coverage.failure_steps = {{"submit", false}};
  report.coverage.emplace_back("signup", signup_coverage);
  report.coverage.emplace_back(kHostile, FlowCoverage{{{"failed", true}}, {}, {}});
  report.outcome_invocations["signup"] = {{"completed", {"inv-1", "inv-2"}},
                                          {"aborted:cancelled", {"inv-2"}}};
  report.invocation_labels = {{"inv-1", "Signup.Completes"},
                              {"inv-2", std::string("Signup.") + kHostile}};
  Violation v;
  v.rule = "FP103";
  v.name = "missing-terminal";
  v.invocation = "inv-3";
  v.flow = "signup";
  v.event = "Signup Started";
  v.at = {Location{"events.jsonl", 7, 1}};
  v.message = std::string("Signup Started never ended ") + kHostile;
  report.violations.push_back(v);
  report.invocation_labels["inv-3"] = "Signup.LeavesItOpen";
  TimelineEntry entry;
  entry.at = Location{"events.jsonl", 7, 1};
  entry.event = "Signup Started";
  entry.properties = {{"step", kHostile}};
  report.timelines["inv-3"] = {entry};
  return report;
}

std::string render(const std::string& format, const Report& report) {
  auto reporter = make_reporter(format);
  EXPECT_NE(reporter, nullptr);
  std::ostringstream out;
  if (reporter) reporter->write(report, out);
  return out.str();
}

TEST(HtmlReporter, IsRegistered) {
  EXPECT_THAT(reporter_names(), Contains("html"));
  EXPECT_NE(make_reporter("html"), nullptr);
}

TEST(HtmlReporter, IsOneSelfContainedPage) {
  const std::string html = render("html", sample_report());
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_THAT(html, HasSubstr("<style>"));
  EXPECT_THAT(html, HasSubstr("</html>"));
  for (const char* remote : {"http://", "https://", "src=", "<link", "@import", "url(", "<script",
                             "//cdn", "<img", "<iframe"}) {
    EXPECT_THAT(html, Not(HasSubstr(remote))) << remote;
  }
}

TEST(HtmlReporter, EscapesEveryProducerText) {
  const std::string html = render("html", sample_report());
  EXPECT_THAT(html, Not(HasSubstr("<script>")));
  EXPECT_THAT(html, Not(HasSubstr("'y'")));
  EXPECT_THAT(html,
              HasSubstr("&lt;script&gt;alert(&quot;x&quot; &amp; &apos;y&apos;)&lt;/script&gt;"));
}

TEST(HtmlReporter, ShowsVerdictFunnelsMatrixAndFindings) {
  const std::string html = render("html", sample_report());
  EXPECT_THAT(html, HasSubstr("id=\"verdict\" class=\"verdict fail\">FAIL"));
  EXPECT_THAT(html, HasSubstr("<svg class=\"funnel\" id=\"funnel-signup\""));
  EXPECT_THAT(html, HasSubstr("<svg class=\"funnel\" id=\"funnel-&lt;script&gt;"));
  EXPECT_THAT(html, HasSubstr(">reason: cancelled</text>"));
  EXPECT_THAT(html, HasSubstr(">Open (never ended)</text>"));
  EXPECT_THAT(html,
              HasSubstr("<div class=\"scroll\"><table class=\"coverage\" data-flow=\"signup\">"));
  EXPECT_THAT(html, HasSubstr("Unreached: terminal failed, reason declined, failure step submit"));
  EXPECT_THAT(html, HasSubstr("<code>Signup.Completes</code>"));
  EXPECT_THAT(html, HasSubstr("<div class=\"finding error\" data-rule=\"FP103\">"));
  EXPECT_THAT(html, HasSubstr("test <code class=\"test\">Signup.LeavesItOpen</code>"));
  EXPECT_THAT(html, HasSubstr("<table class=\"timeline\">"));
  EXPECT_THAT(html, HasSubstr("<tr class=\"hit\"><td>▶ events.jsonl:7 (sequence 1) <em>(this "
                              "finding)</em></td>"));
  EXPECT_THAT(html, HasSubstr("<h3 id=\"rule-FP103\">FP103 missing-terminal"));
}

// Readable on a phone and to a screen reader: the charts scale down (no fixed width wins over the
// screen), wide tables scroll inside their box, a chart's accessible name lists every bar with
// its count, a long label is cut with its full text in the bar's <title>, and the event a
// finding names is marked in text (session-7 review: 852 px wide at 390 px, "funnel of auth").
TEST(HtmlReporter, FitsSmallScreensAndNamesTheChartsNumbers) {
  Report report = sample_report();
  report.flows.begin()->second.aborted["user_declined_the_terms_of_service_twice"] = 1;
  const std::string html = render("html", report);
  EXPECT_THAT(html, HasSubstr("svg.funnel { max-width: 100%; height: auto; }"));
  EXPECT_THAT(html, HasSubstr(".scroll { overflow-x: auto;"));
  EXPECT_THAT(html, HasSubstr("role=\"img\" aria-labelledby=\"funnel-title-signup\""));
  EXPECT_THAT(html, HasSubstr("<title id=\"funnel-title-signup\">signup: Started 4, Completed 2 "
                              "(50%), Aborted"));
  EXPECT_THAT(html, Not(HasSubstr("aria-label=\"funnel of")));
  EXPECT_THAT(
      html, HasSubstr("<title>reason: user_declined_the_terms_of_service_twice: 1 (25%)</title>"));
  EXPECT_THAT(html, HasSubstr(">reason: user_declined_the_ter…</text>"));
}

// A terminal kind the flow does not declare gets no bar unless something reached it; Open always
// has one (before session 7 it was left out at 0, while undeclared kinds showed 0).
TEST(HtmlReporter, FunnelShowsDeclaredKindsAndAlwaysOpen) {
  Report report = sample_report();
  FlowOutcomes only_completed;
  only_completed.instances = 3;
  only_completed.completed = 3;
  report.flows = {{"command", only_completed}};
  FlowCoverage coverage;
  coverage.terminals = {{"completed", true}};
  report.coverage = {{"command", coverage}};
  const std::string html = render("html", report);
  const std::string funnel = html.substr(html.find("id=\"funnel-command\""));
  const std::string chart = funnel.substr(0, funnel.find("</svg>"));
  EXPECT_THAT(chart, HasSubstr(">Completed</text>"));
  EXPECT_THAT(chart, HasSubstr(">Open (never ended)</text>"));
  EXPECT_THAT(chart, Not(HasSubstr(">Aborted</text>")));
  EXPECT_THAT(chart, Not(HasSubstr(">Failed</text>")));
}

TEST(HtmlReporter, PassingReportSaysSo) {
  Report report;
  report.plan_name = "clean";
  const std::string html = render("html", report);
  EXPECT_THAT(html, HasSubstr("class=\"verdict pass\">PASS"));
  EXPECT_THAT(html, HasSubstr("No findings."));
}

TEST(HtmlReporter, BarsAreProportionalToStarted) {
  const std::string html = render("html", sample_report());
  // 4 started over 520 px: 2 completed -> 260 px, 1 aborted -> 130 px.
  EXPECT_THAT(html, HasSubstr("width=\"260.0\" height=\"18.0\" fill=\"#1a7f37\""));
  EXPECT_THAT(html, HasSubstr("width=\"130.0\" height=\"18.0\" fill=\"#bf8700\""));
}

// "Why do users stop?" reads faster as shares: every bar below Started gives its count and its
// share of the instances started, in the chart and in what a screen reader says.
TEST(HtmlReporter, BarsGiveTheirShareOfStarted) {
  Report report = sample_report();
  FlowOutcomes& signup = report.flows.begin()->second;
  signup.instances = 1000;
  signup.completed = 996;  // 99.6%: not all, so not "100%"
  signup.aborted = {{"cancelled", 3}};
  signup.failed = {{"submit", 0}};
  signup.open = 1;  // 0.1%: something, so not "0%"
  const std::string html = render("html", report);
  const std::string funnel = html.substr(html.find("id=\"funnel-signup\""));
  const std::string chart = funnel.substr(0, funnel.find("</svg>"));
  EXPECT_THAT(chart, HasSubstr(">1000</text>"));
  EXPECT_THAT(chart, HasSubstr(">996 (>99%)</text>"));
  EXPECT_THAT(chart, HasSubstr(">3 (<1%)</text>"));
  EXPECT_THAT(chart, HasSubstr(">0 (0%)</text>"));
  EXPECT_THAT(chart, HasSubstr(">1 (<1%)</text>"));
  EXPECT_THAT(chart,
              HasSubstr("signup: Started 1000, Completed 996 (&gt;99%), Aborted 3 (&lt;1%)"));

  signup.instances = 4;
  signup.completed = 4;
  signup.aborted = {{"cancelled", 5}};  // more outcomes than starts: no share is honest
  const std::string over = render("html", report);
  EXPECT_THAT(over, HasSubstr(">4 (100%)</text>"));
  EXPECT_THAT(over, HasSubstr(">5</text>"));
}

TEST(CoverageMatrix, RowsCountsAndTests) {
  const auto matrices = coverage_matrix(sample_report());
  ASSERT_EQ(matrices.size(), 2u);
  const CoverageMatrix& signup = matrices[0];
  EXPECT_EQ(signup.flow, "signup");
  std::vector<std::string> outcomes;
  for (const CoverageRow& row : signup.rows) outcomes.push_back(row.outcome);
  EXPECT_THAT(outcomes, ElementsAre("completed", "aborted", "failed", "aborted: cancelled",
                                    "aborted: declined", "failed at submit"));
  EXPECT_EQ(signup.rows[0].count, 2u);
  EXPECT_THAT(signup.rows[0].tests,
              ElementsAre("Signup.Completes", std::string("Signup.") + kHostile));
  EXPECT_THAT(signup.rows[3].invocations, ElementsAre("inv-2"));
  EXPECT_FALSE(signup.rows[4].reached);
  EXPECT_EQ(signup.rows[4].count, 0u);
  EXPECT_EQ(signup.reached(), 3u);
  EXPECT_THAT(signup.unreached,
              ElementsAre("terminal failed", "reason declined", "failure step submit"));
}

TEST(CoverageMatrix, UnlabelledInvocationsAreNamedByTheirId) {
  Report report = sample_report();
  report.invocation_labels.clear();
  EXPECT_THAT(coverage_matrix(report)[0].rows[0].tests, ElementsAre("inv-1", "inv-2"));
}

TEST(CoverageMatrix, MarkdownTablesNameTestsAndUnreachedPaths) {
  const std::string markdown = render("markdown", sample_report());
  EXPECT_THAT(markdown, HasSubstr("### Coverage matrix"));
  EXPECT_THAT(markdown, HasSubstr("#### signup (3/6 outcomes reached)"));
  EXPECT_THAT(markdown, HasSubstr("| aborted: declined | **no** | 0 |  |"));
  EXPECT_THAT(markdown,
              HasSubstr("| completed | yes | 2 | Signup.Completes, Signup.&lt;script&gt;"));
  EXPECT_THAT(markdown,
              HasSubstr("Unreached: terminal failed, reason declined, failure step submit"));
  EXPECT_THAT(markdown, Not(HasSubstr("<script>")));
}

TEST(CoverageMatrix, MarkdownCapsTheTestsPerCell) {
  Report report = sample_report();
  const std::string markdown = coverage_markdown(report, 1);
  EXPECT_THAT(markdown, HasSubstr("| completed | yes | 2 | Signup.Completes +1 more |"));
}

}  // namespace
}  // namespace flowproof::conformance

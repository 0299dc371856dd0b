// reporter_test.cpp — the built-in report formats over hand-built reports: golden files
// (normalised; FLOWPROOF_UPDATE_GOLDEN=1 rewrites them), JUnit well-formedness and counts,
// escaping, the registry and atomic report files.
#include <flowproof/conformance/plan.hpp>
#include <flowproof/conformance/reporter.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace flowproof::conformance {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const std::filesystem::path data_dir = FLOWPROOF_TEST_DATA_DIR;

Violation finding(std::string rule, std::string name, Severity severity,
                  std::optional<std::string> flow, std::uint64_t line, std::string message) {
  Violation v;
  v.rule = std::move(rule);
  v.name = std::move(name);
  v.severity = severity;
  v.flow = std::move(flow);
  if (v.flow) v.invocation = "6f1c0de9-0000-4000-8000-000000000001";
  v.at = {{"events.jsonl", line, static_cast<std::int64_t>(line)}};
  v.message = std::move(message);
  return v;
}

// A failing run over the example plan's command and application_create flows.
Report sample_report() {
  Report report;
  report.tool_version = "0.1.0";
  report.plan_name = "cloud-cli";
  report.plan_sha256 = std::string(64, 'a');
  report.inputs = {"events.jsonl"};
  report.summary = {.inputs = 1,
                    .lines = 12,
                    .events = 11,
                    .skipped = 0,
                    .malformed = 1,
                    .blank = 0,
                    .invocations = 2,
                    .instances = 4,
                    .errors = 3,
                    .warnings = 1,
                    .waived = 1};
  report.rules = {{"FP001", "malformed-input", Severity::error, 1},
                  {"FP004", "sequence-gap", Severity::warning, 1},
                  {"FP103", "missing-terminal", Severity::error, 2},
                  {"FP107", "invalid-error-class", Severity::error, 1}};
  report.violations.push_back(
      finding("FP001", "malformed-input", Severity::error, std::nullopt, 2, "line is not JSON"));
  report.violations.push_back(finding("FP004", "sequence-gap", Severity::warning, std::nullopt, 5,
                                      "sequence jumps from 3 to 5"));
  report.violations.back().invocation = "6f1c0de9-0000-4000-8000-000000000001";
  report.violations.push_back(finding("FP103", "missing-terminal", Severity::error,
                                      "application_create", 7,
                                      "application_create started at sequence 4 never ended"));
  report.violations.push_back(finding("FP103", "missing-terminal", Severity::error, "command", 8,
                                      "command started at sequence 1 never ended"));
  report.violations.back().waived = true;
  report.violations.back().waiver_why = "the CLI is killed in this test";
  report.violations.push_back(
      finding("FP107", "invalid-error-class", Severity::error, "application_create", 11,
              "error_class \"dial `tcp` | <refused> & \x01gone\" is not a type name"));
  report.invocation_labels["6f1c0de9-0000-4000-8000-000000000001"] = "CreateTest.Declines";

  FlowOutcomes command;
  command.instances = 2;
  command.open = 1;
  command.completed = 1;
  FlowOutcomes create;
  create.instances = 2;
  create.open = 1;
  create.aborted = {{"declined_terms", 1}, {"cancelled", 0}};
  create.failed = {{"api_call", 0}};
  report.flows = {{"command", command}, {"application_create", create}};

  FlowCoverage command_coverage;
  command_coverage.terminals = {{"completed", true}};
  FlowCoverage create_coverage;
  create_coverage.terminals = {{"completed", false}, {"aborted", true}, {"failed", false}};
  create_coverage.reasons = {{"declined_terms", true}, {"cancelled", false}};
  create_coverage.failure_steps = {{"api_call", false}};
  report.coverage = {{"command", command_coverage}, {"application_create", create_coverage}};

  Waiver unused;
  unused.rule = "FP005";
  unused.why = "legacy events";
  unused.pointer = "/waivers/1";
  report.unused_waivers = {unused};
  report.inapplicable_rules = {{"command", {"FP105", "FP106", "FP107", "FP109"}},
                               {"application_create", {}}};
  return report;
}

std::string render(std::string_view format, const Report& report, ReporterOptions options = {}) {
  auto reporter = make_reporter(format, options);
  EXPECT_NE(reporter, nullptr) << format;
  std::ostringstream out;
  if (reporter) reporter->write(report, out);
  return out.str();
}

// Strips what legitimately changes between runs and machines: version, hashes, paths, durations.
std::string normalise(std::string text) {
  text = std::regex_replace(text, std::regex(R"(\b[0-9a-f]{64}\b)"), "<sha256>");
  text = std::regex_replace(text, std::regex(R"(\b\d+\.\d+\.\d+\b)"), "<version>");
  text = std::regex_replace(text, std::regex(R"(time="[0-9.]+")"), "time=\"0\"");
  text = std::regex_replace(text, std::regex(R"((/[A-Za-z0-9_.-]+)+/(events\.jsonl))"), "$2");
  return text;
}

void expect_golden(const std::string& name, const std::string& actual) {
  const std::filesystem::path path = data_dir / "golden" / name;
  const std::string normalised = normalise(actual);
  const char* update = std::getenv("FLOWPROOF_UPDATE_GOLDEN");
  if (update && std::string(update) == "1") {
    std::ofstream(path, std::ios::binary) << normalised;
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << "missing golden file " << path << " (run with FLOWPROOF_UPDATE_GOLDEN=1)";
  std::stringstream expected;
  expected << in.rdbuf();
  EXPECT_EQ(normalised, expected.str()) << "golden file " << path;
}

// A small XML 1.0 well-formedness checker: balanced tags, quoted attributes, known entities, no
// characters XML cannot carry. Returns an empty string when well-formed, else what is wrong.
std::string xml_problem(const std::string& xml) {
  std::vector<std::string> stack;
  std::size_t i = 0;
  const auto entity_ok = [&](std::size_t at) {
    const auto end = xml.find(';', at);
    if (end == std::string::npos) return false;
    const std::string name = xml.substr(at + 1, end - at - 1);
    static const std::regex valid(R"(amp|lt|gt|quot|apos|#[0-9]+|#x[0-9A-Fa-f]+)");
    return std::regex_match(name, valid);
  };
  for (unsigned char c : xml) {
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') return "control character in output";
  }
  if (xml.rfind("<?xml", 0) == 0) i = xml.find("?>") + 2;
  bool root_seen = false;
  while (i < xml.size()) {
    if (xml[i] == '&') {
      if (!entity_ok(i)) return "bad entity at " + std::to_string(i);
      ++i;
    } else if (xml[i] == '<') {
      const auto end = xml.find('>', i);
      if (end == std::string::npos) return "unterminated tag";
      std::string tag = xml.substr(i + 1, end - i - 1);
      i = end + 1;
      if (tag.starts_with("/")) {
        if (stack.empty() || stack.back() != tag.substr(1)) return "mismatched </" + tag + ">";
        stack.pop_back();
        continue;
      }
      const bool empty = tag.ends_with("/");
      if (empty) tag.pop_back();
      static const std::regex element(
          R"(([A-Za-z_][A-Za-z0-9_.-]*)(\s+[A-Za-z_][A-Za-z0-9_.-]*="[^"<]*")*\s*)");
      std::smatch match;
      if (!std::regex_match(tag, match, element)) return "malformed tag <" + tag + ">";
      for (std::size_t k = 0; k < tag.size(); ++k) {
        if (tag[k] == '&' && !entity_ok(i - tag.size() - 1 + k)) return "bad entity in tag";
      }
      if (stack.empty() && root_seen) return "second root element";
      root_seen = true;
      if (!empty) stack.push_back(match[1]);
    } else {
      if (stack.empty() && !std::isspace(static_cast<unsigned char>(xml[i]))) {
        return "text outside the root element";
      }
      ++i;
    }
  }
  if (!stack.empty()) return "unclosed <" + stack.back() + ">";
  return root_seen ? "" : "no root element";
}

std::string attribute(const std::string& tag, const std::string& name) {
  std::smatch match;
  if (std::regex_search(tag, match, std::regex("\\b" + name + "=\"([^\"]*)\""))) return match[1];
  return "";
}

TEST(ReporterRegistry, KnowsTheBuiltInFormats) {
  const auto names = reporter_names();
  for (const char* name : {"json", "junit", "markdown", "text"}) {
    EXPECT_THAT(names, ::testing::Contains(name));
  }
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  EXPECT_EQ(make_reporter("no-such-format"), nullptr);
}

TEST(ReporterRegistry, RegisteredFormatIsFoundByName) {
  struct Count : Reporter {
    void write(const Report& report, std::ostream& out) const override {
      out << report.violations.size();
    }
  };
  register_reporter("count", [](const ReporterOptions&) { return std::make_unique<Count>(); });
  EXPECT_THAT(reporter_names(), ::testing::Contains("count"));
  EXPECT_EQ(render("count", sample_report()), "5");
}

TEST(TextReporter, MatchesGoldenFile) {
  expect_golden("report.txt", render("text", sample_report()));
}

TEST(TextReporter, ColourOnlyWhenAsked) {
  EXPECT_THAT(render("text", sample_report()), Not(HasSubstr("\x1b[")));
  EXPECT_THAT(render("text", sample_report(), {.colour = true}), HasSubstr("\x1b[31;1mFAIL"));
}

TEST(TextReporter, GroupsFindingsByRuleWithInputAndLine) {
  const std::string text = render("text", sample_report());
  EXPECT_THAT(text, HasSubstr("FP103 missing-terminal (error, 2)\n    events.jsonl:7  "));
  EXPECT_THAT(text, HasSubstr("[waived: the CLI is killed in this test]"));
  EXPECT_THAT(text, HasSubstr("CreateTest.Declines"));
}

TEST(TextReporter, CountsBlankLinesOnlyWhenThereAreSome) {
  Report report = sample_report();
  EXPECT_THAT(render("text", report), Not(HasSubstr(" blank, ")));  // the golden file's summary
  report.summary.lines += 2;
  report.summary.blank = 2;
  EXPECT_THAT(render("text", report),
              HasSubstr("14 lines, 11 events, 0 skipped, 1 malformed, 2 blank, 2 invocations"));
}

// A finding without a location (coverage) says so; "-" is the name of standard input.
TEST(TextReporter, AFindingWithoutALocationSaysSo) {
  Report report = sample_report();
  Violation v;
  v.rule = "FP202";
  v.name = "outcome-not-covered";
  v.severity = Severity::error;
  v.message = "signup never ended Failed";
  report.violations.push_back(v);
  report.rules.push_back({"FP202", "outcome-not-covered", Severity::error, 1});
  EXPECT_THAT(render("text", report), HasSubstr("(no location)  signup never ended Failed"));
  EXPECT_THAT(render("junit", report), HasSubstr("(no location): signup never ended Failed"));
}

TEST(TextReporter, LimitsFindingsPerRule) {
  const std::string text = render("text", sample_report(), {.max_findings_per_rule = 1});
  EXPECT_THAT(text, HasSubstr("... and 1 more"));
}

TEST(JsonReporter, MatchesGoldenFile) {
  expect_golden("report.json", render("json", sample_report()));
}

// The reporter writes the findings one at a time, byte for byte as the whole document would be.
TEST(JsonReporter, WritesExactlyWhatToJsonDumps) {
  auto whole = [](const Report& report) {
    return to_json(report).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  };
  Report report = sample_report();
  report.violations[0].message = "bad \xff utf-8";
  EXPECT_EQ(render("json", report), whole(report));
  report.violations.clear();
  EXPECT_EQ(render("json", report), whole(report));
  EXPECT_EQ(render("json", Report()), whole(Report()));
}

TEST(JsonReporter, IsTheJsonReport) {
  const auto json = nlohmann::json::parse(render("json", sample_report()));
  EXPECT_EQ(json, to_json(sample_report()));
}

TEST(JunitReporter, MatchesGoldenFile) {
  expect_golden("report.junit.xml", render("junit", sample_report()));
}

TEST(JunitReporter, IsWellFormedXml) {
  EXPECT_EQ(xml_problem(render("junit", sample_report())), "");
  EXPECT_EQ(xml_problem(render("junit", Report{})), "");
  // And the checker itself notices broken XML.
  EXPECT_NE(xml_problem("<a><b></a></b>"), "");
  EXPECT_NE(xml_problem("<a x=\"1 & 2\"/>"), "");
  EXPECT_NE(xml_problem("<a>\x01</a>"), "");
}

TEST(JunitReporter, CountsAgreeWithTestcases) {
  const std::string xml = render("junit", sample_report());
  std::size_t total_tests = 0, total_failures = 0, total_skipped = 0;
  std::regex suite_pattern(R"(<testsuite [^>]*>([\s\S]*?)</testsuite>)");
  std::vector<std::string> suite_names;
  for (std::sregex_iterator it(xml.begin(), xml.end(), suite_pattern), end; it != end; ++it) {
    const std::string whole = it->str();
    const std::string open_tag = whole.substr(0, whole.find('>'));
    const std::string body = (*it)[1];
    suite_names.push_back(attribute(open_tag, "name"));
    const auto count = [&](const std::string& needle) {
      std::size_t n = 0;
      for (auto at = body.find(needle); at != std::string::npos; at = body.find(needle, at + 1)) {
        ++n;
      }
      return n;
    };
    EXPECT_EQ(attribute(open_tag, "tests"), std::to_string(count("<testcase ")));
    EXPECT_EQ(attribute(open_tag, "failures"), std::to_string(count("<failure ")));
    EXPECT_EQ(attribute(open_tag, "skipped"), std::to_string(count("<skipped ")));
    EXPECT_EQ(attribute(open_tag, "errors"), "0");
    total_tests += count("<testcase ");
    total_failures += count("<failure ");
    total_skipped += count("<skipped ");
  }
  EXPECT_THAT(suite_names, ::testing::ElementsAre("input", "command", "application_create"));
  const std::string root = xml.substr(
      xml.find("<testsuites"), xml.find('>', xml.find("<testsuites")) - xml.find("<testsuites"));
  EXPECT_EQ(attribute(root, "tests"), std::to_string(total_tests));
  EXPECT_EQ(attribute(root, "failures"), std::to_string(total_failures));
  EXPECT_EQ(attribute(root, "skipped"), std::to_string(total_skipped));
  EXPECT_EQ(total_failures, 3u);  // FP001 (input), FP103 and FP107 (application_create)
}

TEST(JunitReporter, FailuresWarningsAndSkips) {
  const std::string xml = render("junit", sample_report());
  EXPECT_THAT(xml, HasSubstr("<testcase name=\"FP103 missing-terminal\" "
                             "classname=\"flowproof.application_create\""));
  EXPECT_THAT(xml, HasSubstr("<failure message=\"1 violation of FP103 missing-terminal\" "
                             "type=\"FP103\">events.jsonl:7: application_create started"));
  // The command flow declares no `failed`: FP107 cannot apply.
  EXPECT_THAT(xml, HasSubstr("<testcase name=\"FP107 invalid-error-class\" "
                             "classname=\"flowproof.command\" time=\"0\">\n      <skipped "));
  // A waived error is not a failure; the warning is output, not a failure.
  EXPECT_THAT(xml,
              HasSubstr("<system-out>waived (the CLI is killed in this test): events.jsonl:8"));
  EXPECT_THAT(xml, HasSubstr("<system-out>warning: events.jsonl:5: sequence jumps"));
  // Coverage rules are off by default: skipped.
  EXPECT_THAT(xml, HasSubstr("<testcase name=\"FP202 outcome-not-covered\" "
                             "classname=\"flowproof.command\" time=\"0\">\n      <skipped "
                             "message=\"rule is off\"/>"));
}

TEST(JunitReporter, EscapesMarkupAndControlCharacters) {
  const std::string xml = render("junit", sample_report());
  EXPECT_THAT(xml, HasSubstr("&quot;dial `tcp` | &lt;refused&gt; &amp; \\u0001gone&quot;"));
  Report report;
  report.plan_name = "bad \xff utf-8 \"name\"";
  const std::string other = render("junit", report);
  EXPECT_THAT(other, HasSubstr("bad \\xFF utf-8 &quot;name&quot;"));
  EXPECT_EQ(xml_problem(other), "");
}

TEST(MarkdownReporter, MatchesGoldenFile) {
  expect_golden("report.md", render("markdown", sample_report()));
}

TEST(MarkdownReporter, EscapesTableCells) {
  const std::string md = render("markdown", sample_report());
  EXPECT_THAT(md, HasSubstr("dial \\`tcp\\` \\| &lt;refused&gt; \\& \\u0001gone"));
  EXPECT_THAT(md, HasSubstr("| application_create | 2 | 0 | 1 (declined_terms 1) | 0 | 1 |"));
}

// Data is shown as written, never rendered: no image, link, autolink, emphasis or entity can come
// from an input (before session 7 `![x](url)` in an event name put an image into the comment).
TEST(MarkdownReporter, DataMakesNoImageLinkEmphasisOrEntity) {
  Report report = sample_report();
  report.violations[0].message =
      "![x](https://e.example/t.png) [click](https://e.example/l) **b** _e_ ~s~ "
      "https://e.example/bare www.e.example a@b.example &amp; # h";
  const std::string md = render("markdown", report);
  EXPECT_THAT(md,
              HasSubstr("!\\[x\\](https\\://e.example/t.png) \\[click\\](https\\://e.example/l) "
                        "\\*\\*b\\*\\* \\_e\\_ \\~s\\~ https\\://e.example/bare www\\.e.example "
                        "a\\@b.example \\&amp; # h"));
  // Inside a word an underscore cannot emphasise, so names stay readable in the raw text.
  EXPECT_THAT(md, HasSubstr("| application_create |"));
}

// What changes how text reads without being seen — C1 controls, bidirectional overrides, line
// separators — and bytes that are not UTF-8 are shown as escapes in every human format.
TEST(Reporters, ShowInvisibleCharactersAndBadBytesAsEscapes) {
  Report report = sample_report();
  report.violations[0].message = "admin\u202Egnp.exe line\u2028break c1\u0085 bad\xFF";
  for (const char* format : {"text", "markdown", "html", "junit"}) {
    const std::string out = render(format, report);
    EXPECT_THAT(out, HasSubstr("\\u202E")) << format;
    EXPECT_THAT(out, HasSubstr("\\u2028")) << format;
    EXPECT_THAT(out, HasSubstr("\\u0085")) << format;
    EXPECT_THAT(out, HasSubstr("\\xFF")) << format;
    EXPECT_THAT(out, Not(HasSubstr("\u202E"))) << format;
  }
}

// Every piece of data in the text report goes through printable(): a reason, a step, a flow or
// plan name or a waiver's why cannot drive the terminal (before session 7 only the findings did).
TEST(TextReporter, NoRawControlFromAnyData) {
  Report report = sample_report();
  report.plan_name = "plan\x1b]0;title\x07";
  report.flows.begin()->second.aborted = {{"\x1b[2Jwiped", 1}};
  report.coverage[1].second.reasons = {{"\x1b[31mred", false}};
  report.unused_waivers[0].why = "why\r\x1b[K";
  const std::string text = render("text", report);
  EXPECT_EQ(text.find('\x1b'), std::string::npos) << text;
  EXPECT_EQ(text.find('\r'), std::string::npos) << text;
  EXPECT_EQ(text.find('\x07'), std::string::npos) << text;
  EXPECT_THAT(text, HasSubstr("plan\\u001B]0;title\\u0007"));
  EXPECT_THAT(text, HasSubstr("\\u001B[2Jwiped 1"));
}

// An empty invocation key (a key like any other) is shown as "", not as nothing.
TEST(TextReporter, AnEmptyInvocationKeyIsShownQuoted) {
  Report report = sample_report();
  report.violations[2].invocation = "";
  EXPECT_THAT(render("text", report), HasSubstr("never ended  (invocation \"\")"));
}

// One finding, one line of the failure text: a newline in an invocation id is \u000A there.
TEST(JunitReporter, ANewlineInDataCannotForgeAFindingLine) {
  Report report = sample_report();
  report.violations[2].invocation = "a)\nevents.jsonl:7: FORGED (invocation b";
  const std::string xml = render("junit", report);
  EXPECT_THAT(xml, HasSubstr("invocation a)\\u000Aevents.jsonl:7: FORGED"));
  EXPECT_EQ(xml_problem(xml), "");
}

TEST(MarkdownReporter, ShowsOnlyTheFirstFindingsOfEachRule) {
  const std::string md = render("markdown", sample_report(), {.max_findings_per_rule = 1});
  EXPECT_THAT(md, HasSubstr("…and 1 more."));
  EXPECT_THAT(md, Not(HasSubstr("command started at sequence 1")));
}

// The Markdown report fits a pull-request comment (GitHub: 65,536 characters): long texts are cut
// in their cells, and when the findings would still not fit, fewer of each rule are shown.
TEST(MarkdownReporter, FitsAPullRequestComment) {
  Report report = sample_report();
  report.rules.clear();
  report.violations.clear();
  for (int r = 0; r < 12; ++r) {
    const std::string id = "FP9" + std::to_string(10 + r);
    report.rules.push_back({id, "synthetic", Severity::error, 25});
    for (int i = 0; i < 25; ++i) {
      report.violations.push_back(finding(id, "synthetic", Severity::error, std::nullopt, i + 1,
                                          std::string(2000, 'x') + "é tail"));
    }
  }
  const std::string md = render("markdown", report);
  EXPECT_LE(md.size(), 65'000u);
  EXPECT_THAT(md, HasSubstr("*At most 10 findings of each rule are shown"));
  EXPECT_THAT(md, HasSubstr(std::string(300, 'x') + "…"));
  EXPECT_THAT(md, Not(HasSubstr("é tail")));
  EXPECT_THAT(md, HasSubstr("…and 15 more."));
  // A report that fits is left as it is.
  EXPECT_THAT(render("markdown", sample_report()), Not(HasSubstr("At most")));
}

TEST(WriteReportFile, ReplacesTheFileAtomically) {
  const auto dir =
      std::filesystem::temp_directory_path() /
      ("flowproof-reporter-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const auto path = dir / "report.json";
  std::ofstream(path) << "old";
  const auto reporter = make_reporter("json");
  write_report_file(*reporter, sample_report(), path.string());
  std::ifstream in(path);
  std::stringstream content;
  content << in.rdbuf();
  EXPECT_EQ(content.str(), render("json", sample_report()));
  // Only the report is left: the temporary file was renamed into place.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir),
                          std::filesystem::directory_iterator()),
            1);
  EXPECT_THROW(write_report_file(*reporter, sample_report(), (dir / "no/such/dir/r.json").string()),
               std::runtime_error);
  std::filesystem::remove_all(dir);
}

TEST(WriteReportFile, DashIsStandardOutput) {
  ::testing::internal::CaptureStdout();
  write_report_file(*make_reporter("text"), sample_report(), "-");
  EXPECT_EQ(::testing::internal::GetCapturedStdout(), render("text", sample_report()));
}

TEST(AnnotateReport, RecordsSeveritiesAndInapplicableRules) {
  const Plan plan = load_plan(data_dir / "examples" / "cli.plan.json");
  Report report;
  CheckOptions options;
  options.require_coverage = true;
  options.severity_overrides["FP004"] = Severity::off;
  annotate_report(report, plan, options);
  EXPECT_EQ(report.rule_severities.at("FP201"), Severity::error);
  EXPECT_EQ(report.rule_severities.at("FP004"), Severity::off);
  EXPECT_EQ(report.rule_severities.at("FP103"), Severity::error);
  EXPECT_THAT(report.inapplicable_rules.at("command"),
              ::testing::UnorderedElementsAre("FP105", "FP106", "FP107", "FP109"));
  EXPECT_THAT(report.inapplicable_rules.at("application_create"), ::testing::IsEmpty());
  EXPECT_THAT(report.inapplicable_rules.at("auth"), ::testing::ElementsAre("FP109"));
}

}  // namespace
}  // namespace flowproof::conformance

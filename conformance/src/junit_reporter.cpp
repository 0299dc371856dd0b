// junit_reporter.cpp — JUnit XML for CI servers: one <testsuite> per flow plus `input` for the
// envelope rules, one <testcase> per rule; error findings fail, warnings go to <system-out>, rules
// that cannot apply (or are off) are <skipped/>. Valid against the Jenkins/GitLab junit.xsd.
#include "reporter_formats.hpp"

#include <cstdint>
#include <map>
#include <ostream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace flowproof::conformance {
namespace {

struct TestCase {
  std::string name;  // "FP103 missing-terminal"
  enum class State { passed, failed, skipped } state = State::passed;
  std::string message;  // failure or skip message
  std::string rule;
  std::string failure_text;
  std::string system_out;
};

struct Suite {
  std::string name;
  std::vector<TestCase> cases;
  std::size_t failures = 0, skipped = 0;
};

// One finding per line: a newline inside its data (an invocation id, an input's name) is shown
// as \u000A, so an input cannot make one finding read as two.
std::string finding_line(const Report& report, const Violation& v) {
  std::string line = report_detail::where(v) + ": " + v.message;
  if (v.invocation) line += " " + report_detail::invocation_note(report, v);
  return report_detail::printable(line) + "\n";
}

// The suite a finding belongs to: its flow for flow and coverage rules, `input` otherwise.
std::string suite_of(const Report& report, const Violation& v) {
  const RuleInfo* info = find_rule(v.rule);
  const bool envelope = info ? info->group == RuleGroup::envelope : v.rule < "FP100";
  if (envelope || !v.flow) return "input";
  for (const auto& [flow, outcomes] : report.flows) {
    if (flow == *v.flow) return flow;
  }
  return "input";
}

using Buckets = std::map<std::pair<std::string, std::string>, std::vector<const Violation*>>;

TestCase make_case(const Report& report, const Buckets& buckets, const std::string& suite,
                   const RuleInfo& rule) {
  TestCase test;
  test.rule = std::string(rule.id);
  test.name = std::string(rule.id) + " " + std::string(rule.name);
  static const std::vector<const Violation*> no_findings;
  auto found = buckets.find({suite, test.rule});
  const auto& findings = found == buckets.end() ? no_findings : found->second;
  std::size_t errors = 0;
  for (const Violation* finding : findings) {
    const Violation& v = *finding;
    if (v.waived) {
      test.system_out += "waived (" + v.waiver_why + "): " + finding_line(report, v);
    } else if (v.severity == Severity::error) {
      ++errors;
      test.failure_text += finding_line(report, v);
    } else if (v.severity == Severity::warning) {
      test.system_out += "warning: " + finding_line(report, v);
    }
  }
  if (errors > 0) {
    test.state = TestCase::State::failed;
    test.message =
        std::to_string(errors) + (errors == 1 ? " violation of " : " violations of ") + test.name;
  } else if (test.system_out.empty() && suite != "input" &&
             report_detail::rule_inapplicable(report, suite, rule.id)) {
    test.state = TestCase::State::skipped;
    test.message = "does not apply to flow " + suite;
  } else if (test.system_out.empty() &&
             report_detail::rule_severity(report, rule.id) == Severity::off) {
    test.state = TestCase::State::skipped;
    test.message = "rule is off";
  }
  return test;
}

class JunitReporter : public Reporter {
 public:
  void write(const Report& report, std::ostream& out) const override {
    std::vector<Suite> suites;
    suites.push_back({"input", {}, 0, 0});
    for (const auto& [flow, outcomes] : report.flows) suites.push_back({flow, {}, 0, 0});
    Buckets buckets;
    for (const Violation& v : report.violations)
      buckets[{suite_of(report, v), v.rule}].push_back(&v);
    for (Suite& suite : suites) {
      for (const RuleInfo& rule : all_rules()) {
        // The input suite holds the envelope rules, and any finding that names no known flow.
        const bool belongs = (rule.group == RuleGroup::envelope) == (suite.name == "input") ||
                             buckets.contains({suite.name, std::string(rule.id)});
        if (!belongs) continue;
        suite.cases.push_back(make_case(report, buckets, suite.name, rule));
        suite.failures += suite.cases.back().state == TestCase::State::failed;
        suite.skipped += suite.cases.back().state == TestCase::State::skipped;
      }
    }
    std::size_t tests = 0, failures = 0, skipped = 0;
    for (const Suite& suite : suites) {
      tests += suite.cases.size();
      failures += suite.failures;
      skipped += suite.skipped;
    }

    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out << "<testsuites name=\"flowproof " << report_detail::markup(report.plan_name)
        << "\" tests=\"" << tests << "\" failures=\"" << failures << "\" errors=\"0\" skipped=\""
        << skipped << "\" time=\"0\">\n";
    for (std::size_t id = 0; id < suites.size(); ++id) {
      const Suite& suite = suites[id];
      const std::string classname = report_detail::markup("flowproof." + suite.name);
      out << "  <testsuite name=\"" << report_detail::markup(suite.name) << "\" id=\"" << id
          << "\" package=\"flowproof\" tests=\"" << suite.cases.size() << "\" failures=\""
          << suite.failures << "\" errors=\"0\" skipped=\"" << suite.skipped << "\" time=\"0\">\n";
      for (const TestCase& test : suite.cases) {
        out << "    <testcase name=\"" << report_detail::markup(test.name) << "\" classname=\""
            << classname << "\" time=\"0\"";
        if (test.state == TestCase::State::passed && test.system_out.empty()) {
          out << "/>\n";
          continue;
        }
        out << ">\n";
        if (test.state == TestCase::State::skipped) {
          out << "      <skipped message=\"" << report_detail::markup(test.message) << "\"/>\n";
        } else if (test.state == TestCase::State::failed) {
          out << "      <failure message=\"" << report_detail::markup(test.message) << "\" type=\""
              << report_detail::markup(test.rule) << "\">"
              << report_detail::markup(test.failure_text) << "</failure>\n";
        }
        if (!test.system_out.empty()) {
          out << "      <system-out>" << report_detail::markup(test.system_out)
              << "</system-out>\n";
        }
        out << "    </testcase>\n";
      }
      out << "  </testsuite>\n";
    }
    out << "</testsuites>\n";
  }
};

}  // namespace

std::unique_ptr<Reporter> make_junit_reporter(const ReporterOptions&) {
  return std::make_unique<JunitReporter>();
}

}  // namespace flowproof::conformance

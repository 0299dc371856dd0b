// flowproof/conformance/matchers.hpp — ConformsTo(plan): a GoogleMock matcher that runs the
// conformance checker over a recording, so every test can prove its events follow the plan.
//
// Header-only; needs GoogleMock from the consumer's test target (flowproof::conformance itself
// never links GoogleTest).
//
//   const Plan plan = load_plan("cli.plan.json");
//   RecordingClient recording(options);
//   run_product(recording);
//   EXPECT_THAT(recording.events(), ConformsTo(plan));
//
// On failure the message lists every finding (rule id, name, severity, message, sequence) and the
// recorded timeline (harness::format_timeline):
//
//   Value of: recording.events()
//   Expected: conforms to the tracking plan "cloud-cli"
//     Actual: { ... }, which breaks the plan: 1 error, 0 warnings
//   findings:
//     FP103 missing-terminal (error) at sequence 2: application_create started ... never ended
//   timeline:
//     #1 Command Invoked
//     #2 CLI Application Create Started
#pragma once

#include <flowproof/conformance/checker.hpp>
#include <flowproof/conformance/plan.hpp>
#include <flowproof/conformance/report.hpp>
#include <flowproof/harness/event.hpp>
#include <flowproof/harness/timeline.hpp>

#include <gmock/gmock.h>

#include <memory>
#include <ostream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace flowproof::conformance {

namespace matchers_internal {

/// One line per non-waived finding: "FP103 missing-terminal (error) at sequence 4: message".
inline std::string format_findings(const Report& report) {
  std::ostringstream out;
  for (const Violation& violation : report.violations) {
    if (violation.waived || violation.severity == Severity::off) continue;
    out << "  " << violation.rule << ' ' << violation.name << " (" << to_string(violation.severity)
        << ')';
    bool first = true;
    for (const Location& location : violation.at) {
      if (!location.sequence) continue;
      out << (first ? " at sequence " : ", ") << *location.sequence;
      first = false;
    }
    if (violation.flow) out << " [flow " << *violation.flow << ']';
    out << ": " << violation.message << '\n';
  }
  return out.str();
}

/// The matcher behind ConformsTo(): checks the events and explains the findings.
class ConformsToMatcher final
    : public ::testing::MatcherInterface<const std::vector<harness::Event>&> {
 public:
  ConformsToMatcher(std::shared_ptr<const Plan> plan, CheckOptions options)
      : plan_(std::move(plan)), options_(std::move(options)) {}

  bool MatchAndExplain(const std::vector<harness::Event>& events,
                       ::testing::MatchResultListener* listener) const override {
    const Report report = check(*plan_, events, options_);
    const Summary& summary = report.summary;
    if (report.passed()) {
      *listener << "which conforms (" << summary.events << " events, " << summary.warnings
                << (summary.warnings == 1 ? " warning)" : " warnings)");
      if (summary.warnings > 0) *listener << "\nfindings:\n" << format_findings(report);
      return true;
    }
    *listener << "which breaks the plan: " << summary.errors
              << (summary.errors == 1 ? " error, " : " errors, ") << summary.warnings
              << (summary.warnings == 1 ? " warning" : " warnings") << "\nfindings:\n"
              << format_findings(report) << "timeline:\n"
              << harness::format_timeline(events);
    return false;
  }

  void DescribeTo(std::ostream* out) const override {
    *out << "conforms to the tracking plan \"" << plan_->name << '"';
  }

  void DescribeNegationTo(std::ostream* out) const override {
    *out << "breaks the tracking plan \"" << plan_->name << '"';
  }

 private:
  std::shared_ptr<const Plan> plan_;
  CheckOptions options_;
};

}  // namespace matchers_internal

/// Matches recorded events that pass the conformance check against the plan (no finding of error
/// severity); the plan is copied, so a temporary is fine.
inline ::testing::Matcher<const std::vector<harness::Event>&> ConformsTo(
    const Plan& plan, CheckOptions options = {}) {
  return ::testing::MakeMatcher(new matchers_internal::ConformsToMatcher(
      std::make_shared<const Plan>(plan), std::move(options)));
}

}  // namespace flowproof::conformance

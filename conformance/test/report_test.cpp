// report_test.cpp — to_json(Report) against the shape of report-format.md, and coverage_ratio().
#include <flowproof/conformance/report.hpp>

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace flowproof::conformance {
namespace {

using nlohmann::json;

std::set<std::string> keys(const json& object) {
  std::set<std::string> out;
  for (const auto& [key, value] : object.items()) out.insert(key);
  return out;
}

Report sample() {
  Report report;
  report.tool_version = "0.1.0";
  report.plan_name = "cloud-cli";
  report.plan_sha256 = "abc";
  report.inputs = {"events.jsonl"};
  report.summary.inputs = 1;
  report.summary.lines = 3;
  report.summary.events = 2;
  report.summary.malformed = 1;
  report.summary.errors = 2;
  Violation malformed;
  malformed.rule = "FP001";
  malformed.name = "malformed-input";
  malformed.at.push_back({"events.jsonl", 1, std::nullopt});
  malformed.message = "line 1: not JSON";
  Violation open;
  open.rule = "FP103";
  open.name = "missing-terminal";
  open.invocation = "6f1c";
  open.flow = "application_create";
  open.event = "CLI Application Create Started";
  open.at.push_back({"events.jsonl", 3, 4});
  open.message = "application_create started at sequence 4 never ended";
  report.violations = {malformed, open};
  report.rules = {{"FP001", "malformed-input", Severity::error, 1},
                  {"FP103", "missing-terminal", Severity::error, 1}};
  FlowOutcomes outcomes;
  outcomes.instances = 1;
  outcomes.open = 1;
  outcomes.aborted["declined_terms"] = 2;
  report.flows.emplace_back("application_create", outcomes);
  FlowCoverage coverage;
  coverage.terminals = {{"completed", true}, {"aborted", true}, {"failed", false}};
  coverage.reasons = {{"declined_terms", true}};
  coverage.failure_steps = {{"api_call", false}, {"terms", false}, {"plan", true}};
  report.coverage.emplace_back("application_create", coverage);
  Waiver waiver;
  waiver.rule = "FP104";
  waiver.why = "known";
  waiver.pointer = "/waivers/0";
  report.unused_waivers.push_back(waiver);
  return report;
}

TEST(ReportJson, HasEveryMemberOfTheContract) {
  json out = to_json(sample());
  for (const char* key : {"flowproof_report", "tool", "plan", "verdict", "summary", "rules",
                          "violations", "flows", "unused_waivers", "coverage"}) {
    EXPECT_TRUE(out.contains(key)) << key;
  }
  EXPECT_EQ(out["flowproof_report"], 1);
  EXPECT_EQ(out["tool"], (json{{"name", "flowproof"}, {"version", "0.1.0"}}));
  EXPECT_EQ(out["plan"], (json{{"name", "cloud-cli"}, {"sha256", "abc"}}));
  EXPECT_EQ(out["verdict"], "fail");
  for (const char* key : {"inputs", "lines", "events", "skipped", "invocations", "instances",
                          "errors", "warnings", "waived", "malformed", "blank"}) {
    EXPECT_TRUE(out["summary"][key].is_number_unsigned()) << key;
  }
  EXPECT_EQ(out["rules"][1], (json{{"id", "FP103"},
                                   {"name", "missing-terminal"},
                                   {"severity", "error"},
                                   {"violations", 1}}));
}

TEST(ReportJson, ViolationsCarryNullsWhereThereIsNothing) {
  json out = to_json(sample());
  const json& malformed = out["violations"][0];
  EXPECT_EQ(keys(malformed),
            (std::set<std::string>{"rule", "name", "severity", "waived", "invocation", "flow",
                                   "event", "at", "message"}));
  EXPECT_TRUE(malformed["invocation"].is_null());
  EXPECT_TRUE(malformed["flow"].is_null());
  EXPECT_TRUE(malformed["event"].is_null());
  EXPECT_TRUE(malformed["at"][0]["sequence"].is_null());
  const json& open = out["violations"][1];
  EXPECT_EQ(open["at"][0], (json{{"input", "events.jsonl"}, {"line", 3}, {"sequence", 4}}));
  EXPECT_EQ(open["waived"], false);
  EXPECT_EQ(open["message"], "application_create started at sequence 4 never ended");
}

TEST(ReportJson, FlowsCoverageAndWaivers) {
  json out = to_json(sample());
  EXPECT_EQ(out["flows"]["application_create"], (json{{"instances", 1},
                                                      {"open", 1},
                                                      {"completed", 0},
                                                      {"aborted", {{"declined_terms", 2}}},
                                                      {"failed", json::object()}}));
  EXPECT_EQ(out["coverage"]["application_create"]["terminals"]["failed"], false);
  EXPECT_EQ(out["coverage"]["application_create"]["failure_steps"]["plan"], true);
  EXPECT_EQ(out["unused_waivers"][0],
            (json{{"rule", "FP104"}, {"why", "known"}, {"pointer", "/waivers/0"}}));
  EXPECT_TRUE(out["invocation_labels"].is_object());
  EXPECT_TRUE(out["timelines"].is_object());
}

TEST(ReportJson, WaivedViolationCarriesWhy) {
  Report report = sample();
  report.violations[1].waived = true;
  report.violations[1].waiver_why = "known issue";
  json out = to_json(report);
  EXPECT_EQ(out["violations"][1]["why"], "known issue");
  EXPECT_FALSE(out["violations"][0].contains("why"));
}

TEST(ReportCoverage, RatioOfObservedOutcomes) {
  Report report = sample();
  // terminals 2/3, reasons 1/1, failure steps 1/3: 4 of 7.
  EXPECT_DOUBLE_EQ(report.coverage_ratio(), 4.0 / 7.0);
  EXPECT_DOUBLE_EQ(to_json(report)["coverage_ratio"].get<double>(), 4.0 / 7.0);
  EXPECT_DOUBLE_EQ(Report{}.coverage_ratio(), 1.0);
}

}  // namespace
}  // namespace flowproof::conformance

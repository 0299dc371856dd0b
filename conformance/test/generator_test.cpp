// generator_test.cpp — generate_stream: exact line counts, determinism, clean streams that check
// clean for the example plan and for a plan using every schema keyword, and one finding per
// injected defect for every supported rule.
#include <flowproof/conformance/checker.hpp>
#include <flowproof/conformance/generator.hpp>
#include <flowproof/conformance/plan.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <sstream>
#include <string>

namespace flowproof::conformance {
namespace {

const std::filesystem::path data_dir = FLOWPROOF_TEST_DATA_DIR;

const Plan& example_plan() {
  static const Plan plan = load_plan(data_dir / "examples" / "cli.plan.json");
  return plan;
}

std::string generate(const Plan& plan, GeneratorOptions options, GeneratorStats* stats = nullptr) {
  std::ostringstream out;
  GeneratorStats result = generate_stream(plan, options, out);
  if (stats) *stats = result;
  return out.str();
}

Report check_text(const Plan& plan, const std::string& text) {
  Checker checker(plan);
  checker.add_text("generated.jsonl", text);
  return checker.finish();
}

std::size_t count_lines(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

std::string rules_found(const Report& report) {
  std::string text;
  for (const RuleCount& rule : report.rules) {
    text += rule.id + "=" + std::to_string(rule.violations) + " ";
  }
  return text;
}

TEST(Generator, WritesExactlyTheRequestedNumberOfLines) {
  for (std::uint64_t events : {1, 2, 3, 7, 100, 1001}) {
    for (std::size_t interleave : {1, 5}) {
      GeneratorStats stats;
      const std::string text =
          generate(example_plan(), {.events = events, .interleave = interleave}, &stats);
      EXPECT_EQ(count_lines(text), events) << events << " events, interleave " << interleave;
      EXPECT_EQ(stats.lines, events);
    }
  }
}

TEST(Generator, SameSeedSameStreamOtherSeedOtherStream) {
  const std::string a = generate(example_plan(), {.events = 500, .seed = 11, .defect_rate = 0.1});
  const std::string b = generate(example_plan(), {.events = 500, .seed = 11, .defect_rate = 0.1});
  const std::string c = generate(example_plan(), {.events = 500, .seed = 12, .defect_rate = 0.1});
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
}

TEST(Generator, CleanStreamChecksCleanAndCoversEveryFlow) {
  GeneratorStats stats;
  const std::string text =
      generate(example_plan(), {.events = 5000, .seed = 3, .interleave = 8}, &stats);
  const Report report = check_text(example_plan(), text);
  EXPECT_TRUE(report.violations.empty()) << rules_found(report);
  EXPECT_EQ(report.summary.events, 5000u);
  EXPECT_EQ(report.summary.invocations, stats.invocations);
  for (const auto& [flow, outcomes] : report.flows) {
    EXPECT_GT(outcomes.instances, 0u) << flow;
    EXPECT_EQ(outcomes.open, 0u) << flow;
  }
  EXPECT_EQ(stats.defective_invocations, 0u);
}

TEST(Generator, EventsLookLikeSegmentTrackCalls) {
  const std::string text = generate(example_plan(), {.events = 2000, .seed = 5});
  std::istringstream lines(text);
  std::string line;
  std::size_t bytes = 0, count = 0;
  while (std::getline(lines, line)) {
    const auto event = nlohmann::json::parse(line);
    ASSERT_EQ(event.at("type"), "track");
    ASSERT_TRUE(event.at("properties").contains("invocation_id"));
    ASSERT_TRUE(event.contains("timestamp") && event.contains("messageId") &&
                event.contains("anonymousId") && event.contains("context"));
    bytes += line.size() + 1;
    ++count;
  }
  // Realistic sizes: a benchmark over generated streams measures what products send.
  EXPECT_GT(bytes / count, 250u);
  EXPECT_LT(bytes / count, 600u);
}

class GeneratorDefect : public ::testing::TestWithParam<std::string> {};

TEST_P(GeneratorDefect, EachInjectedDefectIsFoundOnceUnderItsRule) {
  const std::string rule = GetParam();
  GeneratorStats stats;
  const std::string text =
      generate(example_plan(),
               {.events = 1500, .seed = 21, .defect_rate = 0.2, .defect_rule = rule}, &stats);
  ASSERT_GT(stats.defects[rule], 0u) << "no " << rule << " defect was injected";
  EXPECT_EQ(stats.defects.size(), 1u);
  const Report report = check_text(example_plan(), text);
  ASSERT_EQ(report.rules.size(), 1u) << rules_found(report);
  EXPECT_EQ(report.rules[0].id, rule);
  EXPECT_EQ(report.rules[0].violations, stats.defects[rule]);
}

INSTANTIATE_TEST_SUITE_P(EveryRule, GeneratorDefect, ::testing::ValuesIn(generator_defect_rules()),
                         [](const auto& info) { return info.param; });

TEST(Generator, RandomDefectsAreEachFound) {
  GeneratorStats stats;
  const std::string text =
      generate(example_plan(), {.events = 4000, .seed = 8, .defect_rate = 0.3}, &stats);
  const Report report = check_text(example_plan(), text);
  std::map<std::string, std::uint64_t> found;
  for (const RuleCount& rule : report.rules) found[rule.id] = rule.violations;
  EXPECT_EQ(found, stats.defects);
  EXPECT_GT(stats.defects.size(), 10u);
}

// A plan unlike the example: every schema keyword, $ref, anyOf, custom property names, the
// invocation key outside `properties`, no order, a narrow error-class expression, an implication.
constexpr const char* other_plan = R"({
  "flowproof_plan": 1,
  "name": "shop",
  "invocation": {"key": "/context/session"},
  "base_properties": {
    "properties": {
      "platform": {"$ref": "#/definitions/platform"},
      "build": {"type": "string", "pattern": "^[0-9]+$"},
      "ratio": {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
      "tags": {"type": "array", "items": {"type": "string", "minLength": 3, "maxLength": 5},
               "minItems": 1, "maxItems": 2}
    },
    "required": ["platform", "build", "ratio", "tags"]
  },
  "invocation_constant": ["platform"],
  "definitions": {"platform": {"enum": ["ios", "android"]}},
  "flows": {
    "checkout": {
      "started": {"event": "Checkout Started", "schema": {
        "type": "object",
        "properties": {
          "cart": {"type": "object", "properties": {"items": {"type": "integer", "minimum": 1, "maximum": 9}},
                   "required": ["items"], "additionalProperties": false},
          "coupon": {"anyOf": [{"type": "null"}, {"type": "string", "minLength": 4}]},
          "channel": {"const": "web"}
        },
        "required": ["cart", "coupon", "channel"]}},
      "completed": {"event": "Checkout Completed"},
      "aborted": {"event": "Checkout Abandoned"},
      "failed": {"event": "Checkout Failed"},
      "steps": ["cart", "payment"],
      "reasons": ["closed", "too_expensive"],
      "step_property": "stage",
      "reason_property": "why",
      "error_property": "error_type",
      "error_class": "^(Card|Network)Error$",
      "events": {
        "Payment Declined": {"implies": {"terminal": "failed", "properties": {"stage": "payment"}}}
      },
      "duration": {"property": "took_ms", "on": ["completed"], "tolerance_ms": 0}
    }
  }
})";

TEST(Generator, WorksForAnyValidPlan) {
  const Plan plan = parse_plan(other_plan, "shop.plan.json");
  GeneratorStats stats;
  const std::string text = generate(plan, {.events = 3000, .seed = 2, .interleave = 6}, &stats);
  EXPECT_EQ(count_lines(text), 3000u);
  const Report report = check_text(plan, text);
  EXPECT_TRUE(report.violations.empty()) << rules_found(report);
  const FlowOutcomes& checkout = report.flows.at(0).second;
  EXPECT_GT(checkout.completed, 0u);
  EXPECT_GT(checkout.failed.at("payment"), 0u);
  EXPECT_EQ(checkout.open, 0u);
}

TEST(Generator, DefectsInAnotherPlanAreFound) {
  const Plan plan = parse_plan(other_plan, "shop.plan.json");
  for (const std::string rule : {"FP007", "FP101", "FP103", "FP107", "FP108", "FP109"}) {
    GeneratorStats stats;
    const std::string text =
        generate(plan, {.events = 600, .seed = 4, .defect_rate = 0.3, .defect_rule = rule}, &stats);
    const Report report = check_text(plan, text);
    ASSERT_EQ(report.rules.size(), 1u) << rule << ": " << rules_found(report);
    EXPECT_EQ(report.rules[0].id, rule);
    EXPECT_EQ(report.rules[0].violations, stats.defects[rule]);
  }
}

// tolerance_ms and max_ms may be as large as INT64_MAX ("no limit"): the generator's sums
// saturate instead of overflowing (before the plan review, span + tolerance + 60000 wrapped and
// the "too long" duration was negative). With both at INT64_MAX no duration is too long, and
// none is injected.
TEST(Generator, DurationDefectsUnderLimitsOfInt64Max) {
  for (const bool max_too : {false, true}) {
    Plan plan = example_plan();
    for (Flow& flow : plan.flows) {
      if (!flow.duration) continue;
      flow.duration->tolerance_ms = INT64_MAX;
      if (max_too) flow.duration->max_ms = INT64_MAX;
    }
    GeneratorStats stats;
    const std::string text = generate(
        plan, {.events = 600, .seed = 4, .defect_rate = 0.3, .defect_rule = "FP108"}, &stats);
    const Report report = check_text(plan, text);
    if (max_too) {
      EXPECT_EQ(stats.defects["FP108"], 0u);
      EXPECT_TRUE(report.rules.empty()) << rules_found(report);
      continue;
    }
    ASSERT_GT(stats.defects["FP108"], 0u);
    ASSERT_EQ(report.rules.size(), 1u) << rules_found(report);
    EXPECT_EQ(report.rules[0].id, "FP108");
    EXPECT_EQ(report.rules[0].violations, stats.defects["FP108"]);
  }
}

TEST(Generator, RefusesUnusableOptions) {
  std::ostringstream out;
  EXPECT_THROW(generate_stream(example_plan(), {.defect_rate = 1.5}, out), std::invalid_argument);
  EXPECT_THROW(generate_stream(example_plan(), {.interleave = 0}, out), std::invalid_argument);
  EXPECT_THROW(generate_stream(example_plan(), {.defect_rule = "FP999"}, out),
               std::invalid_argument);
  EXPECT_TRUE(out.str().empty());
}

}  // namespace
}  // namespace flowproof::conformance

// limits_test.cpp — every bound in Limits (checker.hpp) and the plan loader's nesting bound: an
// input that exceeds one is a clear finding (FP001 with its line and the limit) or an error, never
// a crash or a stack overflow. Also the regression inputs the fuzzers found
// (fuzz/corpus/*/crash-*).
#include "regex.hpp"

#include <flowproof/conformance/checker.hpp>
#include <flowproof/conformance/plan.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace flowproof::conformance {
namespace {

using ::testing::HasSubstr;

std::filesystem::path source_dir() {
  const char* dir = std::getenv("FLOWPROOF_SOURCE_DIR");
  return dir ? std::filesystem::path(dir)
             : std::filesystem::path(FLOWPROOF_TEST_DATA_DIR) / "../../..";
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

const Plan& example_plan() {
  static const Plan plan = load_plan(source_dir() / "conformance/test/data/examples/cli.plan.json");
  return plan;
}

// A conforming Command Invoked line of invocation `id` (a 36-character UUID-like key).
std::string invoked(int id, int sequence = 1, std::string extra = "") {
  char key[40];
  std::snprintf(key, sizeof key, "00000000-0000-0000-0000-%012d", id);
  return std::string(R"({"type":"track","event":"Command Invoked","properties":{)") + extra +
         R"("invocation_id":")" + key + R"(","sequence":)" + std::to_string(sequence) +
         R"(,"command":"version","app_id":null,"flags":null},"timestamp":"2026-06-10T11:27:00.001Z"})";
}

Report check_text(const std::string& text, Limits limits = {}) {
  CheckOptions options;
  options.limits = limits;
  Checker checker(example_plan(), options);
  checker.add_text("limits.jsonl", text);
  return checker.finish();
}

// The FP001 findings as "LINE: MESSAGE".
std::vector<std::string> malformed(const Report& report) {
  std::vector<std::string> out;
  for (const Violation& v : report.violations) {
    if (v.rule == "FP001") out.push_back(std::to_string(v.at.at(0).line) + ": " + v.message);
  }
  return out;
}

void expect_accounted(const Summary& summary) {
  EXPECT_EQ(summary.lines, summary.events + summary.skipped + summary.malformed + summary.blank);
}

// ---- the longest line ------------------------------------------------------------------------

TEST(Limits, LineLongerThanTheLimitIsFp001AndReadingGoesOn) {
  Limits limits;
  limits.max_line_bytes = 1000;
  const std::string long_line = invoked(1, 1, R"("pad":")" + std::string(2000, 'x') + R"(",)");
  const Report report =
      check_text(invoked(2) + "\n" + long_line + "\n" + invoked(3) + "\n", limits);
  ASSERT_THAT(malformed(report), ::testing::SizeIs(1));
  EXPECT_THAT(malformed(report)[0], HasSubstr("2: line 2: line is longer than 1000 bytes"));
  EXPECT_EQ(report.summary.lines, 3u);
  EXPECT_EQ(report.summary.events, 2u);
  expect_accounted(report.summary);
}

TEST(Limits, LineLongerThanTheReadBufferAtTheEndOfInput) {
  // No newline after the long line: the reader must still count it and stop.
  Limits limits;
  limits.max_line_bytes = 64;
  const std::string text = invoked(1) + "\n" + std::string(3 << 20, 'y');
  const Report report = check_text(text, limits);
  EXPECT_EQ(report.summary.lines, 2u);
  EXPECT_EQ(report.summary.malformed, 2u);  // the first line is longer than 64 bytes too
  expect_accounted(report.summary);
}

// ---- the deepest nesting ---------------------------------------------------------------------

TEST(Limits, AMillionOpeningBracketsOnTheFirstLineIsOneFinding) {
  // A first line starting with '[' that is not a complete array switches to array reading.
  const Report report = check_text(std::string(1'000'000, '[') + "\n" + invoked(1) + "\n");
  EXPECT_GE(report.summary.malformed, 1u);
  EXPECT_FALSE(report.passed());
  for (const std::string& finding : malformed(report)) EXPECT_THAT(finding, HasSubstr("line 1"));
}

TEST(Limits, AMillionOpeningBracketsOnALaterLineIsFp001ForThatLine) {
  // Unbalanced: simdjson's structural pass refuses it before it counts depth.
  const Report report =
      check_text(invoked(1) + "\n" + std::string(1'000'000, '[') + "\n" + invoked(1, 2) + "\n");
  ASSERT_THAT(malformed(report), ::testing::SizeIs(1));
  EXPECT_THAT(malformed(report)[0], HasSubstr("2: line 2: not JSON"));
  EXPECT_EQ(report.summary.events, 2u);
  expect_accounted(report.summary);
}

TEST(Limits, AMillionBalancedBracketsIsFp001NamingTheDepthLimit) {
  const Report report = check_text(invoked(1) + "\n" + std::string(1'000'000, '[') +
                                   std::string(1'000'000, ']') + "\n" + invoked(1, 2) + "\n");
  ASSERT_THAT(malformed(report), ::testing::SizeIs(1));
  EXPECT_THAT(malformed(report)[0], HasSubstr("2: line 2: JSON nesting is deeper than 256"));
  EXPECT_EQ(report.summary.events, 2u);
  expect_accounted(report.summary);
}

TEST(Limits, NestingWithinTheLimitIsReadBeyondItIsFp001) {
  Limits limits;
  limits.max_depth = 16;
  auto nested = [](int depth) {
    return invoked(1, 1, R"("deep":)" + std::string(depth, '[') + std::string(depth, ']') + ",");
  };
  const Report shallow = check_text(nested(4) + "\n", limits);
  EXPECT_EQ(shallow.summary.events, 1u);
  EXPECT_EQ(shallow.summary.malformed, 0u);
  const Report deep = check_text(nested(40) + "\n", limits);
  ASSERT_THAT(malformed(deep), ::testing::SizeIs(1));
  EXPECT_THAT(malformed(deep)[0], HasSubstr("1: line 1: JSON nesting is deeper than 16"));
}

// ---- the largest number of properties --------------------------------------------------------

TEST(Limits, MorePropertiesThanTheLimitIsFp001) {
  Limits limits;
  limits.max_properties = 20;
  auto with_extra = [](int count) {
    std::string extra;
    for (int i = 0; i < count; ++i)
      extra += "\"p" + std::to_string(i) + "\":" + std::to_string(i) + ",";
    return invoked(1, 1, extra);
  };
  // Five base properties plus 15 extra is exactly the limit.
  EXPECT_EQ(check_text(with_extra(15) + "\n", limits).summary.malformed, 0u);
  const Report over = check_text(with_extra(16) + "\n", limits);
  ASSERT_THAT(malformed(over), ::testing::SizeIs(1));
  EXPECT_THAT(malformed(over)[0],
              HasSubstr(R"(1: line 1: event "Command Invoked" has more than 20 properties)"));
}

// ---- the largest number of open invocations --------------------------------------------------

TEST(Limits, MoreInvocationsThanTheLimitIsAnInputErrorNamingTheLimit) {
  CheckOptions options;
  options.limits.max_open_invocations = 3;
  Checker checker(example_plan(), options);
  std::string text;
  for (int id = 1; id <= 4; ++id) text += invoked(id) + "\n";
  try {
    checker.add_text("many.jsonl", text);
    FAIL() << "expected an InputError";
  } catch (const InputError& error) {
    EXPECT_THAT(error.what(), HasSubstr("Limits::max_open_invocations"));
    EXPECT_THAT(error.what(), HasSubstr("more than 3"));
  }
}

TEST(Limits, InvocationsUpToTheLimitAreChecked) {
  CheckOptions options;
  options.limits.max_open_invocations = 3;
  Checker checker(example_plan(), options);
  std::string text;
  for (int id = 1; id <= 3; ++id) text += invoked(id) + "\n";
  checker.add_text("three.jsonl", text);
  EXPECT_EQ(checker.finish().summary.invocations, 3u);
}

// ---- the plan loader's nesting bound ---------------------------------------------------------

TEST(PlanLimits, OneHundredThousandNestedArraysAreRefusedNotACrash) {
  const std::string text = std::string(100'000, '[') + std::string(100'000, ']');
  try {
    parse_plan(text, "deep.plan.json");
    FAIL() << "expected a PlanError";
  } catch (const PlanError& error) {
    EXPECT_THAT(error.what(), HasSubstr("JSON nesting is deeper than 128 levels at line 1"));
  }
}

// The example plan with its first `{"type": "object"}` schema replaced by `schema`.
std::string example_with_schema(const std::string& schema) {
  std::string text = read_file(source_dir() / "conformance/test/data/examples/cli.plan.json");
  const std::string target = R"("schema": {"type": "object"})";
  const auto at = text.find(target);
  EXPECT_NE(at, std::string::npos);
  return text.replace(at, target.size(), "\"schema\": " + schema);
}

TEST(PlanLimits, DeeplyNestedSchemaEnumAndDescriptionAreRefused) {
  std::string items;
  for (int i = 0; i < 50'000; ++i) items += R"({"items": )";
  items += "{}" + std::string(50'000, '}');
  const std::string arrays = std::string(50'000, '[') + std::string(50'000, ']');
  for (const std::string& schema :
       {items, R"({"enum": [)" + arrays + "]}", R"({"description": )" + arrays + "}"}) {
    EXPECT_THROW(parse_plan(example_with_schema(schema), "deep.plan.json"), PlanError);
  }
}

TEST(PlanLimits, NestingWithinTheBoundIsStillValidated) {
  std::string items;
  for (int i = 0; i < 40; ++i) items += R"({"items": )";
  items += R"({"type": "string"})" + std::string(40, '}');
  EXPECT_NO_THROW(parse_plan(example_with_schema(items), "nested.plan.json"));
}

TEST(PlanLimits, BracketsInsideStringsDoNotCount) {
  const std::string description = R"({"description": ")" + std::string(1000, '[') + R"("})";
  EXPECT_NO_THROW(parse_plan(example_with_schema(description), "strings.plan.json"));
}

TEST(PlanLimits, NumberTooLargeForADoubleIsAPlanErrorNotAnException) {
  // nlohmann reports 1e999 as out_of_range, not parse_error; it must still be a PlanError.
  try {
    parse_plan(example_with_schema(R"({"type": "integer", "maximum": 1e999})"), "huge.plan.json");
    FAIL() << "expected a PlanError";
  } catch (const PlanError& error) {
    EXPECT_THAT(error.what(), HasSubstr("number"));
    EXPECT_THAT(error.what(), HasSubstr("1e999"));
  }
}

TEST(PlanLimits, APlanPathThatIsADirectoryIsNamedAsOne) {
  try {
    load_plan(source_dir() / "conformance/test/data");
    FAIL() << "expected a PlanError";
  } catch (const PlanError& error) {
    EXPECT_THAT(error.what(), HasSubstr("is a directory"));
  }
}

// ---- regression inputs found by the fuzzers --------------------------------------------------

// Every crash-* file kept in a fuzz corpus runs through the same code as its fuzzer.
TEST(FuzzRegressions, EveryKeptCrashInputIsHandled) {
  const auto corpus = source_dir() / "fuzz/corpus";
  ASSERT_TRUE(std::filesystem::is_directory(corpus));
  int seen = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(corpus)) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_regular_file() || name.rfind("crash-", 0) != 0) continue;
    ++seen;
    const std::string text = read_file(entry.path());
    const std::string fuzzer = entry.path().parent_path().filename().string();
    SCOPED_TRACE(entry.path().string());
    if (fuzzer == "plan") {
      try {
        parse_plan(text, name);
      } catch (const PlanError& error) {
        EXPECT_FALSE(error.problems().empty());
      }
    } else if (fuzzer == "regex") {
      const std::size_t nul = text.find('\0');
      const std::string pattern = text.substr(0, nul);
      const std::string subject = nul == std::string::npos ? pattern : text.substr(nul + 1);
      auto regex = Regex::compile(pattern, nullptr);
      ASSERT_NE(regex, nullptr);  // kept inputs are ones RE2 compiles
      EXPECT_EQ(regex->full_match(subject), regex->full_match_with_re2(subject));
      EXPECT_EQ(regex->partial_match(subject), regex->partial_match_with_re2(subject));
    } else {
      const Report report = check_text(text);
      EXPECT_LE(report.summary.lines, report.summary.events + report.summary.skipped +
                                          report.summary.malformed + report.summary.blank);
      EXPECT_FALSE(to_json(report).dump().empty());
    }
  }
  RecordProperty("crash_inputs", seen);
}

}  // namespace
}  // namespace flowproof::conformance

// property_test.cpp — tests of the property runner and FLOWPROOF_PROPERTY: case counts, shrinking
// with notes of the minimal case, flakiness, coverage that fails, reports at the user's line, and
// the stale-reproduce check.
#include <flowproof/properties/property.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>
#include <rapidcheck/detail/Configuration.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

namespace flowproof::properties {
namespace {

using ::testing::HasSubstr;

FLOWPROOF_PROPERTY(PropertyMacro, RunsItsBodyWithDrawnValues, (.cases = 25, .max_size = 10)) {
  const int value = *rc::gen::inRange(0, 100);
  RC_ASSERT(value >= 0);
  RC_ASSERT(value < 100);
}

FLOWPROOF_PROPERTY(PropertyMacro, KeepsDefaults, ()) {
  cover("ran");
  RC_ASSERT(in_property());
}

TEST(RunProperty, RunsTheRequestedNumberOfCases) {
  int calls = 0;
  const PropertyResult result =
      run_property("RunProperty/Count", {.cases = 17, .seed = 1}, [&] { ++calls; });
  EXPECT_TRUE(result.passed()) << result.to_text();
  EXPECT_EQ(result.cases, 17);
  EXPECT_EQ(calls, 17);
  EXPECT_EQ(result.seed, 1u);
}

TEST(RunProperty, ShrinksAndKeepsTheNotesOfTheMinimalCase) {
  const PropertyResult result =
      run_property("RunProperty/Shrink", {.cases = 200, .max_size = 100, .seed = 7}, [] {
        const int value = *rc::gen::inRange(0, 1000);
        note("value", std::to_string(value));
        RC_ASSERT(value < 50);
      });
  ASSERT_EQ(result.verdict, PropertyResult::Verdict::failed);
  ASSERT_EQ(result.notes.size(), 1u);
  EXPECT_EQ(result.notes[0].first, "value");
  EXPECT_EQ(result.notes[0].second, "50");
  EXPECT_EQ(result.note("value"), "50");
  EXPECT_EQ(result.note("absent"), "");
  EXPECT_THAT(result.reproduce, HasSubstr("reproduce="));
  EXPECT_FALSE(result.flaky);
  EXPECT_THAT(result.to_text(), HasSubstr("RC_PARAMS=\"reproduce="));
  EXPECT_THAT(result.to_text(), HasSubstr("value:\n50"));
}

TEST(RunProperty, ReportsAMinimalCaseThatStopsFailingAsFlaky) {
  int failures_left = 1;  // fails once, then passes: the re-run of the minimal case passes
  const PropertyResult result = run_property("RunProperty/Flaky", {.cases = 10, .seed = 3}, [&] {
    if (failures_left > 0) {
      --failures_left;
      RC_FAIL("failed once");
    }
  });
  ASSERT_EQ(result.verdict, PropertyResult::Verdict::failed);
  EXPECT_TRUE(result.flaky);
  EXPECT_THAT(result.to_text(), HasSubstr("FLAKY"));
}

TEST(RunProperty, FailsWhenADeclaredTagIsNeverReached) {
  const PropertyResult result = run_property(
      "RunProperty/Coverage", {.cases = 30, .seed = 5, .must_reach = {"small", "huge"}}, [] {
        const int value = *rc::gen::inRange(0, 10);
        cover(value < 5 ? "small" : "medium");
      });
  EXPECT_EQ(result.verdict, PropertyResult::Verdict::not_covered);
  EXPECT_EQ(result.missing, std::vector<std::string>{"huge"});
  EXPECT_GT(result.reached.at("small"), 0);
  EXPECT_THAT(result.to_text(), HasSubstr("Never reached"));
}

TEST(RunProperty, ARareTagGetsMoreRoundsInsteadOfFailing) {
  int calls = 0;  // the 30th passing case is the first to reach "late": beyond the first round
  const PropertyResult result =
      run_property("RunProperty/Rounds", {.cases = 20, .seed = 5, .must_reach = {"late"}}, [&] {
        ++calls;
        cover(calls == 30 ? "late" : "early");
      });
  EXPECT_TRUE(result.passed()) << result.to_text();
  EXPECT_EQ(result.coverage_rounds, 1);
  EXPECT_EQ(result.cases, 40);
  EXPECT_EQ(result.reached.at("late"), 1);
  EXPECT_THAT(result.to_text(), HasSubstr("1 coverage round(s) beyond the first"));
}

TEST(RunProperty, CoverageRoundsStopAtTheBudget) {
  int calls = 0;
  const PropertyResult result =
      run_property("RunProperty/Budget",
                   {.cases = 20, .seed = 5, .must_reach = {"late"}, .coverage_cases = 25}, [&] {
                     ++calls;
                     cover(calls == 30 ? "late" : "early");
                   });
  EXPECT_EQ(result.verdict, PropertyResult::Verdict::not_covered);
  EXPECT_EQ(result.cases, 25);  // 20, then a last round of the 5 the budget leaves
  EXPECT_EQ(result.coverage_rounds, 1);
  EXPECT_EQ(result.missing, std::vector<std::string>{"late"});
}

TEST(RunProperty, AFailureInACoverageRoundIsReportedAndReproduces) {
  int calls = 0;
  const PropertyResult result = run_property(
      "RunProperty/RoundFailure", {.cases = 10, .seed = 5, .must_reach = {"never"}}, [&] {
        ++calls;
        const int value = *rc::gen::inRange(0, 1000);
        RC_ASSERT(calls <= 15 || value < 0);
      });
  ASSERT_EQ(result.verdict, PropertyResult::Verdict::failed);
  EXPECT_GT(result.cases, 10);  // the first round's 10 and the second round's cases that passed
  EXPECT_EQ(result.coverage_rounds, 1);
  EXPECT_THAT(result.reproduce, HasSubstr("reproduce="));
}

TEST(RunProperty, BodiesCanDeclareWhatMustBeReached) {
  const PropertyResult result = run_property("RunProperty/Require", {.cases = 20, .seed = 5}, [] {
    require_reach({"odd", "even"});
    cover(*rc::gen::inRange(0, 100) % 2 == 0 ? "even" : "odd");
  });
  EXPECT_TRUE(result.passed()) << result.to_text();
  EXPECT_EQ(result.reached.size(), 2u);
}

TEST(RunProperty, NotesOutsideAPropertyAreIgnored) {
  EXPECT_FALSE(in_property());
  note("ignored", "x");
  cover("ignored");
  SUCCEED();
}

TEST(ReportToGtest, FailsAtTheGivenFileAndLineWithTheWholeFinding) {
  PropertyResult result;
  result.id = "Suite/Name";
  result.verdict = PropertyResult::Verdict::failed;
  result.seed = 42;
  result.reproduce = "reproduce=abc";
  result.notes = {{"script", "confirm \"Accept?\" -> no"}};
  ::testing::TestPartResultArray failures;
  {
    ::testing::ScopedFakeTestPartResultReporter reporter(
        ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD, &failures);
    report_to_gtest(result, "user_test.cpp", 123);
  }
  ASSERT_EQ(failures.size(), 1);
  EXPECT_STREQ(failures.GetTestPartResult(0).file_name(), "user_test.cpp");
  EXPECT_EQ(failures.GetTestPartResult(0).line_number(), 123);
  const std::string message = failures.GetTestPartResult(0).message();
  EXPECT_THAT(message, HasSubstr("seed 42"));
  EXPECT_THAT(message, HasSubstr("RC_PARAMS=\"reproduce=abc\""));
  EXPECT_THAT(message, HasSubstr("confirm \"Accept?\" -> no"));
}

TEST(ReportToGtest, APassingResultReportsNoFailure) {
  PropertyResult result;
  result.id = "Suite/Passing";
  ::testing::TestPartResultArray failures;
  {
    ::testing::ScopedFakeTestPartResultReporter reporter(
        ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD, &failures);
    report_to_gtest(result, "user_test.cpp", 1);
  }
  EXPECT_EQ(failures.size(), 0);
}

// Runs this test program again with a reproduce string for a property that does not exist; the
// program must fail and say so.
TEST(StaleReproduce, AReproduceStringForNoPropertyFailsTheProgram) {
  rc::detail::Configuration config;
  config.reproduce["Renamed/GoneProperty"] = rc::detail::Reproduce{rc::Random(), 3, {}};
  const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
  // The child must not inherit the parent's report file or shard settings.
  const std::string command =
      "env -u GTEST_OUTPUT -u GTEST_SHARD_INDEX -u GTEST_TOTAL_SHARDS -u GTEST_SHARD_STATUS_FILE "
      "RC_PARAMS='" +
      rc::detail::configToMinimalString(config) + "' '" + self +
      "' --gtest_filter=PropertyMacro.KeepsDefaults 2>&1";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  ASSERT_NE(pipe, nullptr);
  std::string output;
  std::array<char, 4096> buffer{};
  while (std::fgets(buffer.data(), buffer.size(), pipe.get()) != nullptr) output += buffer.data();
  const int status = pclose(pipe.release());
  EXPECT_NE(status, 0) << output;
  EXPECT_THAT(output, HasSubstr("Renamed/GoneProperty"));
  EXPECT_THAT(output, HasSubstr("no property with that id ran"));
}

}  // namespace
}  // namespace flowproof::properties

// suite_listener_test.cpp — the GoogleTest suite listener end to end: runs the suite_child
// program (passing, failing, skipped and two-invocation tests) and inspects the JSON Lines it
// wrote, the labels sidecar, and the check over both (every finding names its test).
#include <flowproof/conformance/checker.hpp>
#include <flowproof/conformance/coverage.hpp>
#include <flowproof/conformance/suite.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace flowproof::conformance {
namespace {

namespace fs = std::filesystem;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<nlohmann::json> read_lines(const fs::path& path) {
  std::vector<nlohmann::json> lines;
  std::istringstream in(read(path));
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(nlohmann::json::parse(line));
  }
  return lines;
}

// Runs a shell command; returns its exit status (-1 when it did not exit normally).
int run(const std::string& command) {
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

class SuiteListenerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = fs::temp_directory_path() /
          ("flowproof-suite-" +
           std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + "-" +
           std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  void TearDown() override { fs::remove_all(dir); }

  // Runs the child with FLOWPROOF_SUITE_EVENTS=dir/suite.events.jsonl.
  int run_child(const std::string& extra = "") {
    return run("cd '" + dir.string() + "' && FLOWPROOF_SUITE_EVENTS='" + events().string() +
               "' '" SUITE_CHILD "' " + extra + " > child.log 2>&1");
  }
  fs::path events() const { return dir / "suite.events.jsonl"; }
  fs::path labels() const { return dir / "suite.events.jsonl.labels.json"; }
  Report check_file(CheckOptions options) const {
    const Plan plan = load_plan(SUITE_PLAN);  // the checker keeps a reference
    Checker checker(plan, std::move(options));
    checker.add_file(events());
    return checker.finish();
  }

  fs::path dir;
};

TEST_F(SuiteListenerTest, WritesEveryTestsEventsWithItsOwnInvocation) {
  EXPECT_EQ(run_child(), 1) << read(dir / "child.log");  // Child.Fails fails

  const auto lines = read_lines(events());
  ASSERT_EQ(lines.size(), 9u) << read(events());
  std::set<std::string> ids;
  for (const auto& line : lines) {
    const std::string id = line.at("properties").at("invocation_id");
    EXPECT_NE(id, "same-id-in-every-test");
    EXPECT_THAT(id, ::testing::MatchesRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-"
                                            "[0-9a-f]{12}"));
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), 5u);  // one per test, two for Child.RunsTwoInvocations

  const auto labels_by_invocation = read_labels_file(labels());
  ASSERT_EQ(labels_by_invocation.size(), 5u);
  std::multiset<std::string> names;
  for (const auto& [invocation, label] : labels_by_invocation) {
    EXPECT_TRUE(ids.count(invocation)) << invocation;
    names.insert(label);
  }
  EXPECT_THAT(names, UnorderedElementsAre("Child.Passes", "Child.Fails", "Child.IsSkipped",
                                          "Child.RunsTwoInvocations", "Child.RunsTwoInvocations"));
}

TEST_F(SuiteListenerTest, SidecarRecordsPassingFailingAndSkippedTests) {
  run_child();
  const nlohmann::json sidecar = nlohmann::json::parse(read(labels()));
  EXPECT_EQ(sidecar.at("flowproof_labels"), 1);
  std::map<std::string, std::string> status;
  for (const auto& test : sidecar.at("tests")) status[test.at("test")] = test.at("status");
  EXPECT_THAT(status, ElementsAre(Pair("Child.Fails", "failed"), Pair("Child.IsSkipped", "skipped"),
                                  Pair("Child.Passes", "passed"),
                                  Pair("Child.RunsTwoInvocations", "passed")));
}

TEST_F(SuiteListenerTest, SkippedTestsEventsAreKept) {
  EXPECT_EQ(run_child("--gtest_filter=Child.IsSkipped"), 0);
  const auto lines = read_lines(events());
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[1].at("event"), "Signup Aborted");
  EXPECT_THAT(read_labels_file(labels()),
              ElementsAre(Pair(lines[0].at("properties").at("invocation_id"), "Child.IsSkipped")));
}

TEST_F(SuiteListenerTest, EveryFindingNamesTheTestThatProducedIt) {
  run_child();
  CheckOptions options;
  options.invocation_labels = read_labels_file(labels());
  options.keep_timelines = true;
  const Plan plan = load_plan(SUITE_PLAN);
  Checker checker(plan, options);
  checker.add_file(events());
  const Report report = checker.finish();

  EXPECT_FALSE(report.passed());
  ASSERT_FALSE(report.violations.empty());
  for (const Violation& v : report.violations) {
    ASSERT_TRUE(v.invocation) << v.message;
    ASSERT_TRUE(report.invocation_labels.count(*v.invocation)) << *v.invocation;
    EXPECT_EQ(report.invocation_labels.at(*v.invocation), "Child.Fails") << v.message;
    EXPECT_TRUE(report.timelines.count(*v.invocation));
  }
  EXPECT_EQ(report.violations.front().rule, "FP103");  // the flow Child.Fails left open
}

TEST_F(SuiteListenerTest, CoverageMatrixNamesTheTestsBehindEachOutcome) {
  run_child();
  CheckOptions options;
  options.invocation_labels = read_labels_file(labels());
  const Report report = check_file(options);
  const auto matrices = coverage_matrix(report);
  ASSERT_EQ(matrices.size(), 1u);
  std::map<std::string, CoverageRow> rows;
  for (const CoverageRow& row : matrices[0].rows) rows[row.outcome] = row;
  EXPECT_EQ(rows.at("completed").count, 2u);
  EXPECT_THAT(rows.at("completed").tests,
              UnorderedElementsAre("Child.Passes", "Child.RunsTwoInvocations"));
  EXPECT_THAT(rows.at("aborted: cancelled").tests, ElementsAre("Child.IsSkipped"));
  EXPECT_THAT(rows.at("failed at submit").tests, ElementsAre("Child.RunsTwoInvocations"));
  EXPECT_FALSE(rows.at("aborted: declined").reached);
  EXPECT_THAT(matrices[0].unreached, ElementsAre("reason declined", "failure step form"));
}

TEST_F(SuiteListenerTest, SuiteDirGivesEachProcessItsOwnFiles) {
  const std::string env = "cd '" + dir.string() + "' && FLOWPROOF_SUITE_DIR='" +
                          (dir / "out").string() +
                          "' FLOWPROOF_SUITE_PROGRAM=child '" SUITE_CHILD "' --gtest_filter=";
  EXPECT_EQ(run(env + "Child.Passes > /dev/null"), 0);
  EXPECT_EQ(run(env + "Child.RunsTwoInvocations > /dev/null"), 0);
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir / "out")) {
    names.push_back(entry.path().filename().string());
  }
  EXPECT_EQ(names.size(), 4u);
  for (const std::string& name : names) EXPECT_EQ(name.rfind("child-", 0), 0u) << name;
}

TEST_F(SuiteListenerTest, WithoutTheEnvironmentNothingIsWritten) {
  EXPECT_EQ(run("cd '" + dir.string() +
                "' && unset FLOWPROOF_SUITE_EVENTS FLOWPROOF_SUITE_DIR; '" SUITE_CHILD
                "' --gtest_filter=Child.Passes > /dev/null"),
            0);
  EXPECT_TRUE(fs::is_empty(dir));
}

TEST_F(SuiteListenerTest, CommandLineTakesTheLabelsFile) {
  run_child();
  const fs::path json = dir / "report.json";
  const fs::path html = dir / "report.html";
  EXPECT_EQ(run("'" FLOWPROOF_BINARY "' check --no-progress --plan '" SUITE_PLAN "' --labels '" +
                labels().string() + "' --report json='" + json.string() + "' --report html='" +
                html.string() + "' '" + events().string() + "' > /dev/null"),
            1);
  const nlohmann::json report = nlohmann::json::parse(read(json));
  EXPECT_EQ(report.at("verdict"), "fail");
  EXPECT_THAT(read(html), HasSubstr("Child.Fails"));
  EXPECT_THAT(read(html), HasSubstr("class=\"timeline\""));  // html turns timelines on
  EXPECT_EQ(run("'" FLOWPROOF_BINARY "' check --plan '" SUITE_PLAN "' --labels '" +
                (dir / "missing.json").string() + "' '" + events().string() + "' 2> /dev/null"),
            2);
}

}  // namespace
}  // namespace flowproof::conformance

// gtest_output_test.cpp — what a test program built with flowproof::properties writes: the
// GoogleTest XML of a failing and a passing property (RecordProperty), reproducing a failure from
// the RC_PARAMS string it printed, the stale-reproduce check next to RC_GTEST_PROP, and
// register_corpus_tests over a corpus directory. Each test runs this program again as a child
// with FLOWPROOF_PROPERTIES_CHILD_DIR set; only then are the child's extra tests registered.
#include <flowproof/conformance/plan.hpp>
#include <flowproof/harness/flow.hpp>
#include <flowproof/properties/corpus.hpp>
#include <flowproof/properties/funnel.hpp>
#include <flowproof/properties/property.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidcheck/detail/Configuration.h>
#include <rapidcheck/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace flowproof::properties {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

const conformance::Plan& example_plan() {
  static const conformance::Plan plan = conformance::load_plan(FLOWPROOF_PROPERTIES_EXAMPLE_PLAN);
  return plan;
}

// A one-question product: accept the terms or not. The buggy one aborts a declined run with the
// wrong reason.
void terms_only(World& w, bool buggy) {
  harness::FlowOptions options;
  options.clock = &w.clock();
  harness::FlowTracker flow(&w.client(),
                            example_plan().find_flow("application_create")->definition(), options);
  flow.step("terms");
  if (!w.prompter().confirm("Accept the terms?", true)) {
    flow.track("CLI Application Create Declined Terms", {{"plan", "free"}});
    flow.abort(buggy ? "cancelled" : "declined_terms");
    return;
  }
  flow.track("CLI Application Create Accepted Terms", {{"plan", "free"}});
  flow.complete({{"region", "eu-west-1"}, {"plan", "free"}});
}

FunnelExpectations terms_expectations() {
  FunnelExpectations expectations;
  expectations.world.weights.interrupt_probability = 0.0;
  expectations.rules = {{.when = "prompt:confirm",
                         .question = "terms",
                         .drawn = "no",
                         .terminal = conformance::TerminalKind::aborted,
                         .reason = "declined_terms",
                         .step = "terms"}};
  expectations.reachable = std::vector<std::string>{"terminal:completed", "terminal:aborted"};
  return expectations;
}

// --- the child's tests (registered only when this program runs as a child) -------------------

const char* child_dir() { return std::getenv("FLOWPROOF_PROPERTIES_CHILD_DIR"); }

// The line the failing child property reports at (the macro passes __LINE__ the same way).
constexpr int failing_property_line = __LINE__;

class ChildProperty : public ::testing::Test {
 public:
  explicit ChildProperty(bool fail) : fail_(fail) {}
  void TestBody() override {
    const bool fail = fail_;
    detail::run_gtest_property({.cases = 40, .seed = 5}, __FILE__, failing_property_line, [fail] {
      const int value = *rc::gen::inRange(0, 1000);
      note("drawn value", std::to_string(value));
      RC_ASSERT(!fail || value < 10);
    });
  }

 private:
  bool fail_;
};

const std::size_t child_tests = [] {
  if (child_dir() == nullptr) return std::size_t{0};
  for (const bool fail : {true, false}) {
    ::testing::RegisterTest("ChildProperty", fail ? "FailsOnPurpose" : "Passes", nullptr, nullptr,
                            __FILE__, __LINE__,
                            [fail]() -> ::testing::Test* { return new ChildProperty(fail); });
  }
  // Reaches its one required tag only on its 50th case: in the second coverage round.
  ::testing::RegisterTest("ChildProperty", "NeedsACoverageRound", nullptr, nullptr, __FILE__,
                          __LINE__, []() -> ::testing::Test* {
                            struct Rare : ::testing::Test {
                              void TestBody() override {
                                int calls = 0;
                                detail::run_gtest_property(
                                    {.cases = 40, .seed = 5, .must_reach = {"rare"}}, __FILE__,
                                    __LINE__,
                                    [&calls] { cover(++calls == 50 ? "rare" : "common"); });
                              }
                            };
                            return new Rare;
                          });
  // Unset cases and max_size: flowproof's defaults, or RC_PARAMS where it names them. Records the
  // largest generator size the body saw.
  ::testing::RegisterTest(
      "ChildProperty", "UnsetOptions", nullptr, nullptr, __FILE__, __LINE__,
      []() -> ::testing::Test* {
        struct Unset : ::testing::Test {
          void TestBody() override {
            int largest = 0;
            detail::run_gtest_property({.seed = 9}, __FILE__, __LINE__, [&largest] {
              const int size = *rc::gen::withSize([](int s) { return rc::gen::just(s); });
              largest = std::max(largest, size);
            });
            RecordProperty("largest_size", largest);
          }
        };
        return new Unset;
      });
  const auto plan = [] { return example_plan(); };
  return register_corpus_tests(
             "ChildCorpusBuggy", child_dir(), plan, [](World& w) { terms_only(w, true); },
             terms_expectations()) +
         register_corpus_tests(
             "ChildCorpusFixed", child_dir(), plan, [](World& w) { terms_only(w, false); },
             terms_expectations());
}();

// An ordinary rapidcheck property, so a reproduce string for it must not count as stale.
RC_GTEST_PROP(RcGtestProperty, ReversingTwiceGivesTheInput, (std::vector<int> values)) {
  std::vector<int> twice = values;
  std::reverse(twice.begin(), twice.end());
  std::reverse(twice.begin(), twice.end());
  RC_ASSERT(twice == values);
}

// --- the parent's tests ------------------------------------------------------------------------

struct ChildRun {
  int status = 0;
  std::string output;
};

std::string quote(const std::string& text) { return "'" + text + "'"; }

// Runs this program as a child with `environment` ("NAME=value ...", shell-quoted) and arguments.
ChildRun run_child(const std::filesystem::path& dir, const std::string& environment,
                   const std::string& arguments) {
  const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
  // The child must not inherit the parent's report file, shard or rapidcheck settings.
  const std::string command =
      "env -u GTEST_OUTPUT -u GTEST_SHARD_INDEX -u GTEST_TOTAL_SHARDS -u GTEST_SHARD_STATUS_FILE "
      "-u RC_PARAMS FLOWPROOF_PROPERTIES_CHILD_DIR=" +
      quote(dir.string()) + " " + environment + " " + quote(self) + " " + arguments + " 2>&1";
  ChildRun run;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return {-1, "popen failed"};
  std::array<char, 4096> buffer{};
  while (std::fgets(buffer.data(), buffer.size(), pipe) != nullptr) run.output += buffer.data();
  run.status = pclose(pipe);
  return run;
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The value of `<property name="NAME" value="..."/>` in a GoogleTest XML report (still escaped).
std::string xml_property(const std::string& xml, const std::string& name) {
  const std::string start = "<property name=\"" + name + "\" value=\"";
  const auto at = xml.find(start);
  if (at == std::string::npos) return {};
  const auto from = at + start.size();
  return xml.substr(from, xml.find('"', from) - from);
}

// The XML of one <testcase> element, from its start tag to </testcase>.
std::string xml_testcase(const std::string& xml, const std::string& suite,
                         const std::string& name) {
  for (std::size_t at = xml.find("<testcase name=\"" + name + "\""); at != std::string::npos;
       at = xml.find("<testcase name=\"" + name + "\"", at + 1)) {
    const auto end = xml.find("</testcase>", at);
    const std::string element = xml.substr(at, end == std::string::npos ? end : end - at);
    if (element.find("classname=\"" + suite + "\"") != std::string::npos) return element;
  }
  return {};
}

class ChildProgram : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("flowproof-child-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(ChildProgram, AFailingPropertyWritesItsFindingIntoTheXml) {
  const std::filesystem::path xml_path = dir_ / "report.xml";
  const ChildRun run = run_child(dir_, "",
                                 "--gtest_filter=ChildProperty.*:PropertyMacro.KeepsDefaults "
                                 "--gtest_output=xml:" +
                                     quote(xml_path.string()));
  EXPECT_NE(run.status, 0) << run.output;
  EXPECT_THAT(run.output, HasSubstr("[  FAILED  ] ChildProperty.FailsOnPurpose"));
  EXPECT_THAT(run.output, HasSubstr("[       OK ] ChildProperty.Passes"));
  const std::string xml = read_text(xml_path);
  ASSERT_FALSE(xml.empty()) << run.output;

  const std::string failing = xml_testcase(xml, "ChildProperty", "FailsOnPurpose");
  ASSERT_FALSE(failing.empty()) << xml;
  EXPECT_EQ(xml_property(failing, "flowproof_property"), "ChildProperty/FailsOnPurpose");
  EXPECT_EQ(xml_property(failing, "flowproof_seed"), "5");
  EXPECT_EQ(xml_property(failing, "flowproof_verdict"), "failed");
  EXPECT_THAT(xml_property(failing, "flowproof_reproduce"),
              HasSubstr("RC_PARAMS=&quot;reproduce="));
  // The note of the minimal case: the smallest value that fails is 10.
  EXPECT_EQ(xml_property(failing, "flowproof_drawn_value"), "10");
  // The failure is reported at the property's own file and line.
  EXPECT_THAT(failing, HasSubstr("gtest_output_test.cpp:" + std::to_string(failing_property_line)));

  const std::string passing = xml_testcase(xml, "ChildProperty", "Passes");
  ASSERT_FALSE(passing.empty()) << xml;
  EXPECT_EQ(xml_property(passing, "flowproof_cases"), "40");
  EXPECT_EQ(xml_property(passing, "flowproof_verdict"), "");
  EXPECT_EQ(xml_property(passing, "flowproof_coverage_rounds"), "");  // no tag required
  EXPECT_THAT(passing, Not(HasSubstr("<failure")));

  const std::string rare = xml_testcase(xml, "ChildProperty", "NeedsACoverageRound");
  ASSERT_FALSE(rare.empty()) << xml;
  EXPECT_THAT(rare, Not(HasSubstr("<failure")));
  EXPECT_EQ(xml_property(rare, "flowproof_coverage_rounds"), "1");
  EXPECT_EQ(xml_property(rare, "flowproof_cases"), "80");

  const std::string macro = xml_testcase(xml, "PropertyMacro", "KeepsDefaults");
  EXPECT_EQ(xml_property(macro, "flowproof_property"), "PropertyMacro/KeepsDefaults");
  EXPECT_EQ(xml_property(macro, "flowproof_cases"), "100");
}

TEST_F(ChildProgram, ThePrintedReproduceStringReproducesTheMinimalCase) {
  const ChildRun first = run_child(dir_, "", "--gtest_filter=ChildProperty.FailsOnPurpose");
  const std::string marker = "Reproduce with: RC_PARAMS=\"";
  const auto at = first.output.find(marker);
  ASSERT_NE(at, std::string::npos) << first.output;
  const auto from = at + marker.size();
  const std::string params = first.output.substr(from, first.output.find('"', from) - from);

  const ChildRun again =
      run_child(dir_, "RC_PARAMS=" + quote(params), "--gtest_filter=ChildProperty.FailsOnPurpose");
  EXPECT_NE(again.status, 0) << again.output;
  EXPECT_THAT(again.output, HasSubstr("drawn value:\n10\n"));
  EXPECT_THAT(again.output, Not(HasSubstr("no property with that id ran")));
}

TEST_F(ChildProgram, AReproduceStringForAnRcGtestPropIsNotStale) {
  rc::detail::Configuration config;
  config.reproduce["RcGtestProperty/ReversingTwiceGivesTheInput"] =
      rc::detail::Reproduce{rc::Random(), 3, {}};
  const std::string params = rc::detail::configToMinimalString(config);
  const ChildRun ran =
      run_child(dir_, "RC_PARAMS=" + quote(params), "--gtest_filter=RcGtestProperty.*");
  // rapidcheck ran the property from the string (and fails it itself, as the reproduced case
  // passes); the stale check did not add that the property never ran.
  EXPECT_THAT(ran.output, HasSubstr("Reproduced result is not a failure")) << ran.output;
  EXPECT_THAT(ran.output, Not(HasSubstr("no property with that id ran")));

  // Filtered out, the same string is stale.
  const ChildRun filtered =
      run_child(dir_, "RC_PARAMS=" + quote(params), "--gtest_filter=PropertyMacro.KeepsDefaults");
  EXPECT_NE(filtered.status, 0) << filtered.output;
  EXPECT_THAT(filtered.output, HasSubstr("RcGtestProperty/ReversingTwiceGivesTheInput"));
  EXPECT_THAT(filtered.output, HasSubstr("no property with that id ran"));
}

// Options left unset take RC_PARAMS max_success / max_size when it names them, else flowproof's
// defaults (100 cases, size 30); before session 6 RC_PARAMS was ignored for both.
TEST_F(ChildProgram, UnsetCasesAndMaxSizeComeFromRcParams) {
  auto run = [&](const std::string& environment) {
    const std::filesystem::path xml_path = dir_ / "unset.xml";
    const ChildRun ran = run_child(
        dir_, environment,
        "--gtest_filter=ChildProperty.UnsetOptions --gtest_output=xml:" + quote(xml_path.string()));
    EXPECT_EQ(ran.status, 0) << ran.output;
    return xml_testcase(read_text(xml_path), "ChildProperty", "UnsetOptions");
  };
  const std::string defaults = run("");
  EXPECT_EQ(xml_property(defaults, "flowproof_cases"), "100") << defaults;
  EXPECT_LE(std::stoi(xml_property(defaults, "largest_size")), 30) << defaults;
  const std::string from_rc_params = run("RC_PARAMS=" + quote("max_success=7 max_size=100"));
  EXPECT_EQ(xml_property(from_rc_params, "flowproof_cases"), "7") << from_rc_params;
  EXPECT_GT(std::stoi(xml_property(from_rc_params, "largest_size")), 30) << from_rc_params;
}

TEST_F(ChildProgram, EverySavedScriptOfADirectoryRunsAsATest) {
  FunnelPropertyOptions options;
  options.property.seed = 3;
  options.id = "Terms/Declined";
  options.corpus_dir = dir_.string();
  const PropertyResult found = check_funnel_property(
      example_plan(), "application_create", [](World& w) { terms_only(w, true); },
      terms_expectations(), options);
  ASSERT_EQ(found.verdict, PropertyResult::Verdict::failed) << found.to_text();
  const std::filesystem::path saved = found.note("corpus");  // Terms.Declined_<script hash>.json
  EXPECT_THAT(saved.filename().string(), StartsWith("Terms.Declined_"));
  ASSERT_TRUE(std::filesystem::exists(saved)) << found.to_text();
  const std::string test = saved.stem().string();

  const std::filesystem::path xml_path = dir_ / "report.xml";
  const ChildRun run = run_child(
      dir_, "", "--gtest_filter=ChildCorpus* --gtest_output=xml:" + quote(xml_path.string()));
  // The product still has the bug: its replay fails; the fixed product's replay passes.
  EXPECT_NE(run.status, 0) << run.output;
  EXPECT_THAT(run.output, HasSubstr("[  FAILED  ] ChildCorpusBuggy." + test));
  EXPECT_THAT(run.output, HasSubstr("[       OK ] ChildCorpusFixed." + test));
  EXPECT_THAT(run.output, HasSubstr("found by Terms/Declined) still fails"));
  EXPECT_THAT(run.output, HasSubstr("expected reason declined_terms"));
  EXPECT_THAT(run.output, HasSubstr("2 tests from 2 test suites ran"));

  const std::string xml = read_text(xml_path);
  const std::string buggy = xml_testcase(xml, "ChildCorpusBuggy", test);
  ASSERT_FALSE(buggy.empty()) << xml;
  EXPECT_EQ(xml_property(buggy, "flowproof_corpus_file"), saved.string());
  EXPECT_THAT(buggy, HasSubstr("<failure"));
  const std::string fixed = xml_testcase(xml, "ChildCorpusFixed", test);
  ASSERT_FALSE(fixed.empty()) << xml;
  EXPECT_THAT(fixed, Not(HasSubstr("<failure")));
}

TEST(XmlPropertyName, KeepsLettersAndDigitsOnly) {
  EXPECT_EQ(xml_property_name("valid stream"), "flowproof_valid_stream");
  EXPECT_EQ(xml_property_name("script"), "flowproof_script");
  EXPECT_EQ(xml_property_name("a<b>&\"c\""), "flowproof_a_b___c_");
}

}  // namespace
}  // namespace flowproof::properties

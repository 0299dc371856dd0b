// zoo_test.cpp — the bug zoo's test. Compiled once and linked into one program per broken variant
// of the product (cloud_cli_zoo_<defect>_tests, the product built with CLOUD_CLI_DEFECT=<defect>;
// cloud_cli/zoo.hpp) and into cloud_cli_zoo_none_tests (the correct product). It runs the real
// program with the generic funnel property and the same wiring and expectations as
// properties_cloud_cli_test.cpp (cloud_cli_world.hpp), seed 2026:
//   - a variant: the property must FAIL within its default 100 cases, with the specimen's finding
//     among the problems, and not flakily; the cases needed and the shrunk counterexample are
//     printed (`ZOO | name | cases |`) and recorded in the GoogleTest XML;
//   - the correct product: every flow the specimens use must pass all 100 cases with full coverage.
// FLOWPROOF_ZOO_SEED=N measures another seed.
#include "cloud_cli/zoo.hpp"
#include "cloud_cli_world.hpp"

#include <flowproof/properties/funnel.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

namespace cloud_cli::zoo_tests {
namespace {

namespace properties = flowproof::properties;

struct Specimen {
  const char* defect;  ///< the CLOUD_CLI_DEFECT name
  const char* name;    ///< the bug class, as the README's table names it
  const char* command;
  const char* flow;
  const char* finding;            ///< a substring of the problems the property must report
  const char* symptom = nullptr;  ///< another finding of the same bug, also accepted
};

const std::vector<Specimen>& specimens() {
  static const std::vector<Specimen> all = {
      {"no_terminal_on_ctrl_c_outside_prompt", "no terminal when Ctrl-C arrives outside a prompt",
       "app create", "application_create", "FP103 missing-terminal"},
      {"two_terminals_on_billing_wall", "two terminals on a billing wall", "app create",
       "application_create", "FP104"},
      // The cause (the dashboard call inside the funnel) or, with a Ctrl-C drawn at the dashboard
      // prompt, the symptom (Aborted after a successful change_plan).
      {"cancelled_after_success", "a post-success cancellation reported as Aborted", "app upgrade",
       "plan_change", "backend:open_dashboard",
       "expected completed because of `backend change_plan -> success`"},
      {"abort_without_reason", "an abort without a reason", "app create", "application_create",
       "has an undeclared reason: "},
      {"message_as_error_class", "an error message used as the error class", "app create",
       "application_create", "needs a type name as error_class"},
      {"duration_includes_later_wait", "a duration that includes a wait after the flow",
       "app upgrade", "plan_change", "came after backend:open_dashboard"},
      {"call_site_overrides_base_property", "a base property overridden by a call site",
       "app create", "application_create", "FP007"},
      {"nested_auth_funnel", "an auth funnel emitted inside another funnel", "app create",
       "application_create", "FP110"},
      {"tracked_dry_run", "a dry run that is tracked", "app create", "application_create",
       "must not track application_create"},
      {"racing_sequence", "a sequence counter that races", "app create", "application_create",
       "FP003"},
      // The two below break no rule of the plan: only the example's invariants (the fake
      // backend's call log, the product's error types) see them.
      {"wrong_region_after_retry", "a region retry that reports the full region", "app create",
       "application_create", "invariant region_actually_used: "},
      {"generic_error_class", "a generic wrapper as the error class", "app create",
       "application_create", "invariant product_error_class: "},
  };
  return all;
}

properties::PropertyResult run_property(const std::string& command, const std::string& flow,
                                        const std::string& id) {
  properties::FunnelPropertyOptions options;
  // Fixed, so the README's table is reproducible; FLOWPROOF_ZOO_SEED measures other seeds.
  options.property.seed = 2026;
  if (const char* seed = std::getenv("FLOWPROOF_ZOO_SEED"))
    options.property.seed = std::stoull(seed);
  options.id = id;
  options.save_to_corpus = false;  // the variants fail on purpose
  return properties::check_funnel_property(
      world::plan(), flow, [command](properties::World& w) { world::run_cli(w, command); },
      world::expectations(), options);
}

class CatchesTheBug : public ::testing::Test {
 public:
  explicit CatchesTheBug(const Specimen& specimen) : specimen_(&specimen) {}

  void TestBody() override {
    const Specimen& specimen = *specimen_;
    const properties::PropertyResult result =
        run_property(specimen.command, specimen.flow, std::string("Zoo/") + specimen.defect);
    ASSERT_EQ(result.verdict, properties::PropertyResult::Verdict::failed)
        << "the generic property did not catch " << specimen.name << "\n"
        << result.to_text();
    EXPECT_LT(result.cases, 100);  // caught within the default number of cases
    std::vector<::testing::Matcher<std::string>> findings = {
        ::testing::HasSubstr(specimen.finding)};
    if (specimen.symptom != nullptr) findings.push_back(::testing::HasSubstr(specimen.symptom));
    EXPECT_THAT(result.note("problems"), ::testing::AnyOfArray(findings)) << result.to_text();
    EXPECT_FALSE(result.flaky);
    // "Cases to find" counts up to and including the failing case.
    RecordProperty("zoo_cases_to_find", std::to_string(result.cases + 1));
    RecordProperty("zoo_counterexample", result.note("script"));
    RecordProperty("zoo_problems", result.note("problems"));
    std::cout << "ZOO | " << specimen.name << " | " << result.cases + 1 << " |\n"
              << result.note("script") << result.note("problems") << "\n";
  }

 private:
  const Specimen* specimen_;
};

class CorrectProductPasses : public ::testing::Test {
 public:
  CorrectProductPasses(std::string command, std::string flow)
      : command_(std::move(command)), flow_(std::move(flow)) {}

  void TestBody() override {
    const properties::PropertyResult result = run_property(command_, flow_, "Zoo/none/" + flow_);
    EXPECT_TRUE(result.passed()) << result.to_text();
    EXPECT_EQ(result.cases, 100);
  }

 private:
  std::string command_;
  std::string flow_;
};

// The tests are named after the linked build, so every zoo program's tests have names of their own
// in ctest: ZooCatches.<defect>, or ZooCorrect.<flow> for the correct product.
const bool registered = [] {
  const std::string defect = zoo::defect();
  if (defect == "none") {
    for (const auto& [command, flow] :
         {std::pair{"app create", "application_create"}, std::pair{"app upgrade", "plan_change"}}) {
      ::testing::RegisterTest("ZooCorrect", flow, nullptr, nullptr, __FILE__, __LINE__,
                              [command, flow]() -> ::testing::Test* {
                                return new CorrectProductPasses(command, flow);
                              });
    }
    return true;
  }
  for (const Specimen& specimen : specimens()) {
    if (defect != specimen.defect) continue;
    ::testing::RegisterTest(
        "ZooCatches", specimen.defect, nullptr, nullptr, __FILE__, __LINE__,
        [&specimen]() -> ::testing::Test* { return new CatchesTheBug(specimen); });
    return true;
  }
  // A defect without a specimen: fail rather than test nothing.
  ::testing::RegisterTest("ZooCatches", defect.c_str(), nullptr, nullptr, __FILE__, __LINE__,
                          [defect]() -> ::testing::Test* {
                            struct Missing : ::testing::Test {
                              std::string defect;
                              explicit Missing(std::string d) : defect(std::move(d)) {}
                              void TestBody() override {
                                FAIL() << "no specimen for CLOUD_CLI_DEFECT=" << defect
                                       << " in zoo_test.cpp";
                              }
                            };
                            return new Missing(defect);
                          });
  return true;
}();

}  // namespace
}  // namespace cloud_cli::zoo_tests

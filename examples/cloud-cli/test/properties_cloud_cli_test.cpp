// properties_cloud_cli_test.cpp — the generic funnel property applied to the real cloud-cli: every
// funnel (auth, application_create, plan_change) run through random prompts, backend outcomes and
// Ctrl-C points must end exactly once, validly, with exact durations, and reach every outcome the
// plan declares. Failures are saved under test/corpus/<flow>/ and replay as ordinary tests.
#include "cloud_cli_world.hpp"

#include <flowproof/properties/corpus.hpp>
#include <flowproof/properties/funnel.hpp>

#include <gtest/gtest.h>

#include <string>

namespace cloud_cli::property_tests {
namespace {

namespace properties = flowproof::properties;
using world::expectations;
using world::plan;
using world::run_cli;

std::string corpus(const std::string& flow) {
  return std::string(CLOUD_CLI_PROPERTIES_CORPUS_DIR) + "/" + flow;
}

properties::FunnelPropertyOptions options_for(const std::string& flow) {
  properties::FunnelPropertyOptions options;
  options.property.seed = 7;
  options.corpus_dir = corpus(flow);
  return options;
}

// snippet-begin: app-create-property
TEST(CloudCliProperties, AppCreateEndsExactlyOnceOnEveryPath) {
  const properties::PropertyResult result = properties::check_funnel_property(
      plan(), "application_create", [](properties::World& w) { run_cli(w, "app create"); },
      expectations(), options_for("application_create"));
  properties::report_to_gtest(result, __FILE__, __LINE__);
}
// snippet-end: app-create-property

TEST(CloudCliProperties, PlanChangeEndsExactlyOnceOnEveryPath) {
  const properties::PropertyResult result = properties::check_funnel_property(
      plan(), "plan_change", [](properties::World& w) { run_cli(w, "app upgrade"); },
      expectations(), options_for("plan_change"));
  properties::report_to_gtest(result, __FILE__, __LINE__);
}

TEST(CloudCliProperties, AuthEndsExactlyOnceOnEveryPath) {
  properties::FunnelExpectations login = expectations();
  login.flow_expected = nullptr;  // no dry run: every run signs in
  const properties::PropertyResult result = properties::check_funnel_property(
      plan(), "auth", [](properties::World& w) { run_cli(w, "auth login"); }, login,
      options_for("auth"));
  properties::report_to_gtest(result, __FILE__, __LINE__);
}

// Every script saved under test/corpus/<flow>/ replays as a test of its own.
const std::size_t corpus_tests =
    properties::register_corpus_tests(
        "CloudCliCorpusCreate", corpus("application_create"), [] { return plan(); },
        [](properties::World& w) { run_cli(w, "app create"); }, expectations()) +
    properties::register_corpus_tests(
        "CloudCliCorpusPlanChange", corpus("plan_change"), [] { return plan(); },
        [](properties::World& w) { run_cli(w, "app upgrade"); }, expectations()) +
    properties::register_corpus_tests(
        "CloudCliCorpusAuth", corpus("auth"), [] { return plan(); },
        [](properties::World& w) { run_cli(w, "auth login"); }, expectations());

}  // namespace
}  // namespace cloud_cli::property_tests

// cloud_cli_plan.hpp — the example's tracking plan (the copy beside the example: cli.plan.json),
// loaded once per test program; shared by the fixture (cloud_cli_test.hpp) and the property tests'
// wiring (cloud_cli_world.hpp). CLOUD_CLI_PLAN_PATH is defined by the example's CMakeLists.txt.
#pragma once

#include <flowproof/conformance/plan.hpp>

namespace cloud_cli::testing {

inline const flowproof::conformance::Plan& plan() {
  static const flowproof::conformance::Plan loaded =
      flowproof::conformance::load_plan(CLOUD_CLI_PLAN_PATH);
  return loaded;
}

}  // namespace cloud_cli::testing

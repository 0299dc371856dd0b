# conformance.cmake — the cloud-cli suite checked as a whole (docs/suite-reports.md): the tests run
# with the suite listener (test/suite_listener.cpp), then `cloud_cli_tests_conformance` checks every
# event they recorded against cli.plan.json and writes conformance.{json,junit.xml,md,html} under
# <build>/examples/cloud-cli/cloud_cli_tests_conformance/. Included by CMakeLists.txt.
if(TARGET cloud_cli_tests)
  target_sources(cloud_cli_tests PRIVATE "${CMAKE_CURRENT_LIST_DIR}/test/suite_listener.cpp")
  # Left out: tests that record broken telemetry on purpose (a funnel left open to show the
  # matcher's message, a forged call site; the bug zoo's variants are programs of their own,
  # zoo.cmake). The suite reaches every declared outcome of the plan, and must keep doing so.
  flowproof_add_conformance(TARGET cloud_cli_tests PLAN cli.plan.json
                            REPORTS json junit markdown html
                            REQUIRE_COVERAGE MIN_COVERAGE 1.0
                            EXCLUDE_TESTS CommandTest.ThePlanCheckCatchesAFunnelLeftOpen
                                          CommandTest.BasePropertiesCannotBeOverriddenByACallSite)
endif()

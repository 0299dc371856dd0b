// suite_listener.cpp — records the whole cloud-cli suite's telemetry for the suite-level
// conformance check (docs/suite-reports.md): with FLOWPROOF_SUITE_DIR set (ctest does it through
// flowproof_add_conformance in conformance.cmake), each test gets its own invocation, named after
// the test, and the events are written for `flowproof check` when the program ends.
#include <flowproof/conformance/gtest_listener.hpp>

FLOWPROOF_SUITE_LISTENER();

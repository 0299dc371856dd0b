// flowproof/conformance/gtest_listener.hpp — a GoogleTest listener that records a whole suite's
// telemetry for `flowproof check`: each test gets its own invocation (named after the test), and
// at the end of the run every event the suite's RecordingClients recorded is written as JSON Lines
// with a labels sidecar, so every finding names the test that produced it. Header-only: it needs
// GoogleTest from the consumer's test target (flowproof::conformance never links GoogleTest).
//
//   // in any one source file of the test program (works with gtest_main / gmock_main):
//   #include <flowproof/conformance/gtest_listener.hpp>
//   FLOWPROOF_SUITE_LISTENER();
//
//   // then run the suite with FLOWPROOF_SUITE_DIR=out/ (one file pair per test process) or
//   // FLOWPROOF_SUITE_EVENTS=out/suite.events.jsonl (sidecar: out/suite.events.jsonl.labels.json)
//   // flowproof check --plan app.plan.json --labels out/*.labels.json out/*.events.jsonl
//
// flowproof_add_conformance() (cmake/flowproofConformance.cmake) sets FLOWPROOF_SUITE_DIR for the
// suite's ctest tests and runs the check after them.
#pragma once

#include <flowproof/conformance/suite.hpp>

#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <utility>

namespace flowproof::conformance {

/// Where a suite's events and labels go.
struct SuitePaths {
  std::filesystem::path events;
  std::filesystem::path labels;
};

/// Paths from the environment: FLOWPROOF_SUITE_EVENTS (labels: FLOWPROOF_SUITE_LABELS, else the
/// events path + ".labels.json"), else FLOWPROOF_SUITE_DIR (DIR/<program>-<pid>.events.jsonl and
/// .labels.json). Returns false when neither is set.
inline bool suite_paths_from_environment(SuitePaths& paths, std::string_view program = "suite") {
  if (const char* events = std::getenv("FLOWPROOF_SUITE_EVENTS"); events && *events) {
    paths.events = events;
    const char* labels = std::getenv("FLOWPROOF_SUITE_LABELS");
    paths.labels = labels && *labels ? std::filesystem::path(labels)
                                     : std::filesystem::path(std::string(events) + ".labels.json");
    return true;
  }
  if (const char* dir = std::getenv("FLOWPROOF_SUITE_DIR"); dir && *dir) {
    const std::string stem = std::string(program) + "-" + std::to_string(::getpid());
    paths.events = std::filesystem::path(dir) / (stem + ".events.jsonl");
    paths.labels = std::filesystem::path(dir) / (stem + ".labels.json");
    return true;
  }
  return false;
}

/// Gives each test its own invocation and writes the suite's events and labels when the program
/// ends (passing, failing and skipped tests alike).
class SuiteListener : public ::testing::EmptyTestEventListener {
 public:
  SuiteListener(SuitePaths paths, SuiteOptions options = {})
      : paths_(std::move(paths)), recorder_(std::move(options)) {}

  /// The recorder (e.g. to inspect what was recorded so far).
  SuiteRecorder& recorder() { return recorder_; }

  void OnTestProgramStart(const ::testing::UnitTest&) override { recorder_.install(); }

  void OnTestStart(const ::testing::TestInfo& info) override {
    recorder_.begin_test(std::string(info.test_suite_name()) + "." + info.name());
  }

  void OnTestEnd(const ::testing::TestInfo& info) override {
    const ::testing::TestResult* result = info.result();
    recorder_.end_test(result->Skipped()  ? TestStatus::skipped
                       : result->Failed() ? TestStatus::failed
                                          : TestStatus::passed);
  }

  void OnTestProgramEnd(const ::testing::UnitTest&) override {
    recorder_.uninstall();
    try {
      recorder_.write(paths_.events, paths_.labels);
    } catch (const std::exception& error) {
      std::cerr << "flowproof: cannot write the suite's events: " << error.what() << "\n";
    }
  }

 private:
  SuitePaths paths_;
  SuiteRecorder recorder_;
};

/// Appends a SuiteListener to GoogleTest's listeners when the environment names an output
/// (suite_paths_from_environment); FLOWPROOF_SUITE_EXCLUDE (colon-separated patterns) adds to
/// options.exclude. Returns true when it installed the listener. Safe before InitGoogleTest.
inline bool install_suite_listener_from_environment(SuiteOptions options = {}) {
  SuitePaths paths;
  // FLOWPROOF_SUITE_EXCLUDE: colon-separated test patterns whose events are left out.
  if (const char* exclude = std::getenv("FLOWPROOF_SUITE_EXCLUDE"); exclude && *exclude) {
    std::string list = exclude;
    for (std::size_t start = 0; start <= list.size();) {
      const std::size_t end = std::min(list.find(':', start), list.size());
      if (end > start) options.exclude.push_back(list.substr(start, end - start));
      start = end + 1;
    }
  }
  const char* program = std::getenv("FLOWPROOF_SUITE_PROGRAM");
  if (!suite_paths_from_environment(paths, program && *program ? program : "suite")) return false;
  ::testing::UnitTest::GetInstance()->listeners().Append(
      new SuiteListener(std::move(paths), std::move(options)));
  return true;
}

}  // namespace flowproof::conformance

/// Installs the suite listener at static-initialisation time (use in one source file per program).
#define FLOWPROOF_SUITE_LISTENER()                                         \
  [[maybe_unused]] static const bool flowproof_suite_listener_installed_ = \
      ::flowproof::conformance::install_suite_listener_from_environment()

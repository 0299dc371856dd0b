// flowproof/fakes/gtest.hpp — GoogleTest helpers that fail a test whose scripts were not used up.
// Header-only; needs GoogleTest from the consumer's test target (flowproof::fakes never links it).
//
//   ScriptedPrompter prompter(session);
//   ScriptedBackend backend(session);
//   ScriptGuard guard(prompter, backend, session);   // ADD_FAILUREs in its destructor
//   ...
//   EXPECT_SCRIPT_DONE(prompter);                     // or check one fake explicitly
//
// Works with anything that has `std::string verify() const` returning empty when done.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <tuple>
#include <vector>

namespace flowproof::fakes {

/// Predicate-format for EXPECT_PRED_FORMAT1: succeeds when fake.verify() is empty.
template <class Fake>
::testing::AssertionResult ScriptDone(const char* expression, const Fake& fake) {
  const std::string problems = fake.verify();
  if (problems.empty()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << expression << " did not finish its script:\n" << problems;
}

/// Checks every given fake's verify() when destroyed and ADD_FAILUREs for each with leftovers.
template <class... Fakes>
class ScriptGuard {
 public:
  /// [[nodiscard]]: an unnamed ScriptGuard checks at the end of its own statement, not the test.
  [[nodiscard]] explicit ScriptGuard(Fakes&... fakes) : fakes_(fakes...) {}
  ScriptGuard(const ScriptGuard&) = delete;
  ScriptGuard& operator=(const ScriptGuard&) = delete;
  ~ScriptGuard() {
    std::apply([](const auto&... fake) { (report(fake), ...); }, fakes_);
  }

 private:
  template <class Fake>
  static void report(const Fake& fake) {
    const std::string problems = fake.verify();
    if (!problems.empty()) ADD_FAILURE() << "script not finished:\n" << problems;
  }
  std::tuple<Fakes&...> fakes_;
};

}  // namespace flowproof::fakes

/// Expects that a fake (prompter, backend, session) used its whole script.
#define EXPECT_SCRIPT_DONE(fake) EXPECT_PRED_FORMAT1(::flowproof::fakes::ScriptDone, fake)
/// Asserts that a fake (prompter, backend, session) used its whole script.
#define ASSERT_SCRIPT_DONE(fake) ASSERT_PRED_FORMAT1(::flowproof::fakes::ScriptDone, fake)

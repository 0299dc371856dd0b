// fuzz_common.hpp — what the libFuzzer targets share: the example plan, loaded once, and the
// invariants every check must keep whatever the input (nothing lost, nothing crashed).
//
//   const flowproof::conformance::Plan& plan = flowproof::fuzz::example_plan();
//   flowproof::fuzz::check_accounting(report.summary);   // aborts on a broken invariant
#pragma once

#include <flowproof/conformance/checker.hpp>
#include <flowproof/conformance/plan.hpp>
#include <flowproof/conformance/report.hpp>

#include <cstdio>
#include <cstdlib>

#ifndef FLOWPROOF_FUZZ_PLAN
#error "FLOWPROOF_FUZZ_PLAN must name the example plan (fuzz/CMakeLists.txt defines it)"
#endif

namespace flowproof::fuzz {

/// The example plan (conformance/test/data/examples/cli.plan.json), loaded on first use.
inline const conformance::Plan& example_plan() {
  static const conformance::Plan plan = conformance::load_plan(FLOWPROOF_FUZZ_PLAN);
  return plan;
}

/// Small limits so the fuzzer reaches every limit path with short inputs.
inline conformance::Limits small_limits() {
  conformance::Limits limits;
  limits.max_line_bytes = 4096;
  limits.max_depth = 32;
  limits.max_properties = 64;
  return limits;
}

/// Aborts (a finding for libFuzzer) when the summary lost a line: every line read is blank,
/// malformed, or carried at least one event or skipped call.
inline void check_accounting(const conformance::Summary& summary) {
  const auto accounted = summary.events + summary.skipped + summary.malformed + summary.blank;
  if (summary.lines > accounted || summary.blank + summary.malformed > summary.lines) {
    std::fprintf(stderr, "lines %llu, events %llu, skipped %llu, malformed %llu, blank %llu\n",
                 static_cast<unsigned long long>(summary.lines),
                 static_cast<unsigned long long>(summary.events),
                 static_cast<unsigned long long>(summary.skipped),
                 static_cast<unsigned long long>(summary.malformed),
                 static_cast<unsigned long long>(summary.blank));
    std::abort();
  }
}

}  // namespace flowproof::fuzz

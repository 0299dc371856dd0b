// check_fuzzer.cpp — libFuzzer target for a whole check: arbitrary bytes checked against the
// example plan with the default limits and timelines on, then to_json and every registered
// reporter. Nothing may crash, and the JSON report must always serialise.
//
//   build-fuzz/fuzz/check_fuzzer fuzz/corpus/check -max_total_time=60
#include "fuzz_common.hpp"

#include <flowproof/conformance/reporter.hpp>

#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace flowproof;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  conformance::CheckOptions options;
  options.keep_timelines = true;
  options.require_coverage = (size % 2) == 1;  // both coverage paths, decided by the input
  conformance::Checker checker(fuzz::example_plan(), options);
  checker.add_text("fuzz.jsonl", text);
  conformance::Report report = checker.finish();
  fuzz::check_accounting(report.summary);
  conformance::annotate_report(report, fuzz::example_plan(), options);
  // Strict UTF-8: throws (a crash here) when the report holds bytes that are not UTF-8.
  const std::string json = conformance::to_json(report).dump();
  if (json.empty()) __builtin_trap();
  for (const std::string& name : conformance::reporter_names()) {
    std::ostringstream out;
    conformance::make_reporter(name)->write(report, out);
    if (!out) __builtin_trap();
  }
  return 0;
}

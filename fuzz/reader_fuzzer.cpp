// reader_fuzzer.cpp — libFuzzer target for the event reader: arbitrary bytes (JSON Lines, a JSON
// array, Segment batches, Amplitude uploads) fed to Checker::add_text with the example plan and
// small limits. Must never crash, and every line must be accounted for in the summary.
//
//   build-fuzz/fuzz/reader_fuzzer fuzz/corpus/reader -max_total_time=60
#include "fuzz_common.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace flowproof;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  conformance::CheckOptions options;
  options.limits = fuzz::small_limits();
  conformance::Checker checker(fuzz::example_plan(), options);
  checker.add_text("fuzz.jsonl", text);
  const conformance::Report report = checker.finish();
  fuzz::check_accounting(report.summary);
  return 0;
}

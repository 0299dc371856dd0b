// reader_fuzzer.cpp — libFuzzer target for the event reader: arbitrary bytes (JSON Lines, a JSON
// array, Segment batches, Amplitude uploads) fed to Checker::add_text with the example plan and
// small limits. Must never crash, and every line must be accounted for in the summary. Each line
// that is JSON also holds the reader's quick duplicate-key answer (has_duplicate_key, a pass over
// simdjson's tape) to the walk that names the key: "no duplicate" must never hide one.
//
//   build-fuzz/fuzz/reader_fuzzer fuzz/corpus/reader -max_total_time=60
#include "fuzz_common.hpp"
#include "reader.hpp"

#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace {

void check_duplicate_gate(std::string_view text) {
  static simdjson::dom::parser parser;
  static flowproof::conformance::detail::DuplicateKeyScratch scratch;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    const std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    simdjson::dom::element root;
    if (parser.parse(line.data(), line.size()).get(root) != simdjson::SUCCESS) continue;
    if (!flowproof::conformance::detail::has_duplicate_key(parser.doc) &&
        !flowproof::conformance::detail::duplicate_key(root, scratch).empty()) {
      std::fprintf(stderr, "has_duplicate_key said no, but the walk found %s\n",
                   flowproof::conformance::detail::duplicate_key(root, scratch).c_str());
      std::abort();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace flowproof;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  conformance::CheckOptions options;
  options.limits = fuzz::small_limits();
  conformance::Checker checker(fuzz::example_plan(), options);
  checker.add_text("fuzz.jsonl", text);
  const conformance::Report report = checker.finish();
  fuzz::check_accounting(report.summary);
  check_duplicate_gate(text);
  return 0;
}

// regex_fuzzer.cpp — libFuzzer target for Regex: the bytes up to the first NUL are an expression,
// the rest a text (the expression itself when there is no NUL). When RE2 compiles the expression,
// full_match and partial_match must give exactly RE2's own answers, whichever path (the one-pass
// SimplePattern check or RE2) answers them — for any bytes, valid UTF-8 or not; and a text
// without what match_needs(expression) names must never match.
//
//   build-fuzz/fuzz/regex_fuzzer fuzz/corpus/regex -max_total_time=60
#include "regex.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t nul = input.find('\0');
  const std::string_view pattern = input.substr(0, nul);
  const std::string_view text = nul == std::string_view::npos ? pattern : input.substr(nul + 1);
  auto regex = flowproof::conformance::Regex::compile(pattern, nullptr);
  if (!regex) return 0;
  if (regex->full_match(text) != regex->full_match_with_re2(text)) __builtin_trap();
  if (regex->partial_match(text) != regex->partial_match_with_re2(text)) __builtin_trap();
  // No text without what match_needs() names (its size, its bytes) may hold a match.
  if (!flowproof::conformance::match_needs(pattern).allows(text) &&
      regex->partial_match_with_re2(text)) {
    __builtin_trap();
  }
  return 0;
}

// saturating.hpp (internal) — int64 arithmetic that stops at the ends of the range instead of
// overflowing, for comparisons of durations and times against limits a plan may set as high as
// INT64_MAX (`"tolerance_ms": 9223372036854775807` reads as "no limit").
//
//   if (duration > saturating_add(span, tolerance)) ...   // never wraps to a negative bound
#pragma once

#include <cstdint>
#include <limits>

namespace flowproof::conformance::detail {

/// a + b, or the nearest end of the int64 range when the sum does not fit.
inline std::int64_t saturating_add(std::int64_t a, std::int64_t b) {
  std::int64_t sum = 0;
  if (__builtin_add_overflow(a, b, &sum)) {
    return b > 0 ? std::numeric_limits<std::int64_t>::max()
                 : std::numeric_limits<std::int64_t>::min();
  }
  return sum;
}

/// a - b, or the nearest end of the int64 range when the difference does not fit.
inline std::int64_t saturating_sub(std::int64_t a, std::int64_t b) {
  std::int64_t difference = 0;
  if (__builtin_sub_overflow(a, b, &difference)) {
    return b < 0 ? std::numeric_limits<std::int64_t>::max()
                 : std::numeric_limits<std::int64_t>::min();
  }
  return difference;
}

}  // namespace flowproof::conformance::detail

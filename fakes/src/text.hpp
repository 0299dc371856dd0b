// Internal text helpers shared by the fakes' sources (not installed).
//
//   quote("Accept?") == "\"Accept?\"";  format_duration(1500ms) == "1500ms"
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace flowproof::fakes::detail {

/// The text in double quotes, with quotes, backslashes and newlines escaped.
std::string quote(std::string_view text);
/// "1500ms" for whole milliseconds, "1500001ns" otherwise.
std::string format_duration(std::chrono::nanoseconds duration);

}  // namespace flowproof::fakes::detail

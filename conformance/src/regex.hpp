// regex.hpp (internal) — RE2-backed regular expressions: linear time, so no plan or input can make
// a check run away.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace re2 {
class RE2;
}

namespace flowproof::conformance {

class Regex {
 public:
  /// Compiles an RE2 expression; returns null and sets *error when it is invalid.
  static std::shared_ptr<const Regex> compile(std::string_view pattern, std::string* error);
  ~Regex();
  /// The whole text matches.
  bool full_match(std::string_view text) const;
  /// Some part of the text matches (JSON Schema `pattern` semantics).
  bool partial_match(std::string_view text) const;
  const std::string& pattern() const { return pattern_; }

 private:
  Regex() = default;
  std::string pattern_;
  std::unique_ptr<re2::RE2> re_;
};

}  // namespace flowproof::conformance

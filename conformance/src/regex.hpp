// regex.hpp (internal) — RE2-backed regular expressions: linear time, so no plan or input can make
// a check run away.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace re2 {
class RE2;
}

namespace flowproof::conformance {

/// An expression simple enough to match without RE2: optional `^`, a sequence of atoms (an ASCII
/// literal, an escaped punctuation character, `\d`, `\w`, `\s`, or a positive class of those and
/// ASCII ranges) each with an optional greedy quantifier, at most one of them of variable count,
/// and optional `$`. Such an expression matches a text exactly when the text's size fits and each
/// byte is in its atom's set, so a match is one pass with no backtracking. Anything else
/// (alternation, groups, `.`, negated classes, lazy quantifiers, other escapes) is left to RE2.
struct SimplePattern {
  /// Up to this many ranges of bytes make an atom's set for the 16-bytes-at-a-time test.
  static constexpr std::size_t kMaxRanges = 4;
  struct Atom {
    std::array<std::uint64_t, 2> set{};  ///< ASCII bytes, bit per byte
    std::uint32_t min = 1, max = 1;      ///< max is UINT32_MAX when unbounded
    /// The set as ranges [low, low + width], when it is kMaxRanges or fewer (else range_count is
    /// 0); each byte repeated 16 times, ready for a 16-byte load.
    std::array<std::array<std::uint8_t, 16>, kMaxRanges> low{}, width{};
    std::uint8_t range_count = 0;
  };
  std::vector<Atom> atoms;
  int variable = -1;             ///< the atom of variable count, or -1
  std::size_t fixed_size = 0;    ///< bytes taken by the other atoms
  bool starts_anchored = false;  ///< began with `^`
  bool ends_anchored = false;    ///< ended with `$`

  /// The simple form of a valid RE2 expression, or nullopt when it is not one.
  static std::optional<SimplePattern> parse(std::string_view pattern);
  /// Whether the whole text matches (the anchors are not consulted).
  bool matches(std::string_view text) const;
  /// Whether `count` bytes from `text` are all in the atom's set (a run of 16 or more bytes is
  /// tested 16 at a time when the set is a few ranges); public for the tests.
  static bool run_matches(const Atom& atom, const char* text, std::size_t count);
};

/// What any text in which an RE2 expression finds a match (even partly) must have, read from the
/// expression's syntax: at least `shortest` bytes (each character takes one byte or more, an
/// assertion such as `^`, `$` or `\b` none), and every ASCII byte in `bytes` (the literals of the
/// top level that occur at least once, when it has no alternatives and no `(?i)`). What the reading
/// does not take apart (`\Q...\E`, octal escapes, a `{` RE2 may read as a literal, a repetition
/// right after a flag group) claims nothing. Never more than the truth, which the tests and
/// regex_fuzzer hold against RE2.
struct MatchNeeds {
  std::size_t shortest = 0;
  std::array<std::uint64_t, 2> bytes{};  ///< bit per ASCII byte
  /// Whether `text` has what a match needs (false: RE2 would find no match in it).
  bool allows(std::string_view text) const;
};
MatchNeeds match_needs(std::string_view pattern);
inline std::size_t shortest_match(std::string_view pattern) {
  return match_needs(pattern).shortest;
}

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
  /// Whether full_match / partial_match are answered without RE2 (see SimplePattern).
  /// (A full match ignores the anchors; a partial match is a full one only when both are there.)
  bool simple_full() const { return simple_.has_value(); }
  bool simple_partial() const {
    return simple_ && simple_->starts_anchored && simple_->ends_anchored;
  }
  /// RE2's own answers, for tests that hold the simple form to them.
  bool full_match_with_re2(std::string_view text) const;
  bool partial_match_with_re2(std::string_view text) const;

 private:
  Regex() = default;
  std::string pattern_;
  std::unique_ptr<re2::RE2> re_;
  std::optional<SimplePattern> simple_;  ///< set when the expression is simple
};

}  // namespace flowproof::conformance

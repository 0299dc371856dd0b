// pii.hpp (internal) — the event-side personal-data check (FP008): denied keys anywhere inside
// `properties`, and every string value tested against the deny patterns in one pass (an RE2::Set
// over all of them; the patterns one by one only when the set cannot be built or runs out of
// memory). The first matching pattern, in plan order, names the finding. Answers are memoised per
// text (MatchMemo): values repeat across events, and a look-up is much cheaper than the automaton.
//
//   PiiScanner scanner(plan.pii);
//   std::vector<PiiFinding> findings;
//   scanner.scan(properties_element, findings);   // each finding names a path, never the value
#pragma once

#include "memo.hpp"
#include "regex.hpp"

#include <flowproof/conformance/plan.hpp>

#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace flowproof::conformance {
class Regex;
}
namespace re2 {
class RE2;
}

namespace flowproof::conformance::detail {

/// One personal-data finding inside an event's properties.
struct PiiFinding {
  std::string path;     ///< JSON pointer inside `properties`, e.g. /contact/email
  std::string pattern;  ///< the deny pattern's name; empty when the key itself is denied
};

class PiiScanner {
 public:
  /// Uses the plan's rules, or the built-in default when the plan has no `pii`.
  /// `cache_limit`: slots of the match memo (0: 4,096); it never changes an answer.
  explicit PiiScanner(const PiiRules& rules, std::size_t cache_limit = 0);
  /// The match memo's size in slots (docs/checker.md's memory table).
  std::size_t memo_slots() const { return memo_.slots(); }
  ~PiiScanner();
  /// Appends every finding inside `properties` (an object).
  void scan(simdjson::dom::element properties, std::vector<PiiFinding>& out);
  /// What the rules say about a member's key: report it (a denied key, whatever else), look only
  /// for denied keys inside its value (an allowed key), or scan its value.
  enum class KeyRule : unsigned char { scan, allowed, denied };
  KeyRule key_rule(std::string_view key) const;
  /// The same for one member of `properties`, for a caller that walks them itself: calling it for
  /// every member in order appends exactly what scan() appends. `rule` is key_rule(key), which a
  /// caller may have worked out once and kept.
  void scan_member(KeyRule rule, std::string_view key, simdjson::dom::element value,
                   std::vector<PiiFinding>& out);
  /// Index of the first deny pattern the text matches, or -1.
  int match(std::string_view text);
  /// The built-in default patterns (name, RE2 expression).
  static std::vector<std::pair<std::string, std::string>> default_patterns();

 private:
  int match_uncached(std::string_view text);
  bool key_denied(std::string_view key) const;
  bool key_allowed(std::string_view key) const;
  struct Step;
  static void render(const Step* step, std::string& out);
  /// `keys_only`: inside an allowed key, where only denied keys are looked for.
  /// A string value at `at`: a finding when a deny pattern matches it.
  void scan_text(std::string_view text, const Step* at, std::vector<PiiFinding>& out);
  void walk(simdjson::dom::element value, const Step* at, std::vector<PiiFinding>& out,
            bool keys_only);
  void member(KeyRule rule, std::string_view key, simdjson::dom::element value, const Step* at,
              std::vector<PiiFinding>& out, bool keys_only);

  std::vector<std::string> deny_keys_;  ///< lower case
  std::vector<std::string> allow_keys_;
  std::vector<std::string> pattern_names_;
  std::vector<std::shared_ptr<const Regex>> patterns_;
  struct PatternSet;
  std::vector<MatchNeeds> needs_;    ///< what a text needs to match each pattern (match_needs())
  std::unique_ptr<PatternSet> set_;  ///< all patterns in one automaton; null when unavailable
  std::vector<int> matched_;         ///< scratch for the set's answer
  /// text -> match()'s answer; 4,096 slots (256 KB, set by the constructor; its tag array keeps
  /// a first-seen text from touching a cold slot)
  MatchMemo memo_;
  std::uint64_t deny_lengths_ = 0;   ///< length_bit() of each deny key
  std::uint64_t allow_lengths_ = 0;  ///< the same for allow keys
};

}  // namespace flowproof::conformance::detail

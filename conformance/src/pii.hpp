// pii.hpp (internal) — the event-side personal-data check (FP008): denied keys anywhere inside
// `properties`, and every string value tested against the deny patterns, with a bounded cache of
// the values already tested (analytics streams repeat the same values over and over).
//
//   PiiScanner scanner(plan.pii);
//   std::vector<PiiFinding> findings;
//   scanner.scan(properties_element, findings);   // each finding names a path, never the value
#pragma once

#include <flowproof/conformance/plan.hpp>

#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace flowproof::conformance {
class Regex;
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
  explicit PiiScanner(const PiiRules& rules, std::size_t cache_limit = 1 << 16);
  /// Appends every finding inside `properties` (an object).
  void scan(simdjson::dom::element properties, std::vector<PiiFinding>& out);
  /// Index of the first deny pattern the text matches, or -1 (cached).
  int match(std::string_view text);
  /// The built-in default patterns (name, RE2 expression).
  static std::vector<std::pair<std::string, std::string>> default_patterns();

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const noexcept {
      return std::hash<std::string_view>{}(text);
    }
  };
  bool key_denied(std::string_view key) const;
  bool key_allowed(std::string_view key) const;
  void walk(simdjson::dom::element value, std::string& path, std::vector<PiiFinding>& out);

  std::vector<std::string> deny_keys_;  ///< lower case
  std::vector<std::string> allow_keys_;
  std::vector<std::string> pattern_names_;
  std::vector<std::shared_ptr<const Regex>> patterns_;
  std::unordered_map<std::string, int, Hash, std::equal_to<>> cache_;
  std::size_t cache_limit_;
};

}  // namespace flowproof::conformance::detail

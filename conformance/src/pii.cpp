// pii.cpp — personal-data scanning of event properties (see pii.hpp).
#include "pii.hpp"

#include "json_pointer.hpp"
#include "regex.hpp"

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace flowproof::conformance::detail {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != static_cast<unsigned char>(b[i])) {
      return false;
    }
  }
  return true;
}

}  // namespace

struct PiiScanner::PatternSet {
  explicit PatternSet(const RE2::Options& options) : set(options, RE2::UNANCHORED) {}
  RE2::Set set;
};

PiiScanner::~PiiScanner() = default;

std::vector<std::pair<std::string, std::string>> PiiScanner::default_patterns() {
  return {{"email", R"([^@\s]+@[^@\s]+\.[A-Za-z]{2,})"},
          {"bearer_token", R"((?i)\bbearer\s+[A-Za-z0-9._~+/=-]{8,})"},
          {"hex_secret", R"(\b[0-9a-fA-F]{32,}\b)"},
          {"base64_secret", R"([A-Za-z0-9+/]{32,}={0,2})"}};
}

PiiScanner::PiiScanner(const PiiRules& rules, std::size_t cache_limit)
    : memo_(cache_limit == 0 ? 4096 : cache_limit) {
  for (const auto& key : rules.deny_keys) deny_keys_.push_back(lower(key));
  allow_keys_ = rules.allow_keys;
  auto patterns = rules.deny_patterns;
  bool use_compiled = rules.compiled_patterns.size() == rules.deny_patterns.size();
  if (rules.built_in && patterns.empty()) {
    patterns = default_patterns();
    use_compiled = false;
  }
  for (std::size_t i = 0; i < patterns.size(); ++i) {
    std::shared_ptr<const Regex> regex;
    if (use_compiled) regex = rules.compiled_patterns[i];
    if (!regex) {
      std::string error;
      regex = Regex::compile(patterns[i].second, &error);
      if (!regex) throw std::invalid_argument("pii pattern " + patterns[i].first + ": " + error);
    }
    pattern_names_.push_back(patterns[i].first);
    patterns_.push_back(std::move(regex));
  }
  // The same options as Regex::compile, so the set matches exactly what the patterns match.
  RE2::Options options;
  options.set_encoding(RE2::Options::EncodingUTF8);
  options.set_log_errors(false);
  options.set_max_mem(8 << 20);
  auto set = std::make_unique<PatternSet>(options);
  bool ok = !patterns_.empty();
  for (std::size_t i = 0; ok && i < patterns_.size(); ++i) {
    const std::string& expression = patterns_[i]->pattern();
    ok = set->set.Add(re2::StringPiece(expression.data(), expression.size()), nullptr) ==
         static_cast<int>(i);
  }
  if (ok && set->set.Compile()) set_ = std::move(set);
  for (const auto& regex : patterns_) needs_.push_back(match_needs(regex->pattern()));
  for (const auto& key : deny_keys_) deny_lengths_ |= length_bit(key.size());
  for (const auto& key : allow_keys_) allow_lengths_ |= length_bit(key.size());
}

bool PiiScanner::key_denied(std::string_view key) const {
  return std::any_of(deny_keys_.begin(), deny_keys_.end(),
                     [&](const std::string& denied) { return equal_ignoring_case(key, denied); });
}

bool PiiScanner::key_allowed(std::string_view key) const {
  return std::find(allow_keys_.begin(), allow_keys_.end(), key) != allow_keys_.end();
}

int PiiScanner::match(std::string_view text) {
  // A text without what any pattern needs (most property values are short words without an '@'):
  // no memo, no automaton.
  if (std::none_of(needs_.begin(), needs_.end(),
                   [&](const MatchNeeds& needs) { return needs.allows(text); })) {
    return -1;
  }
  const std::uint64_t hash = text_hash(text);
  if (const int* known = memo_.find(text, hash)) return *known;
  int result = match_uncached(text);
  memo_.remember(text, hash, result);
  return result;
}

int PiiScanner::match_uncached(std::string_view text) {
  if (set_) {
    // Most texts match nothing: ask first without collecting which patterns matched, which lets
    // RE2 skip allocating its match set, and ask again for the indices only on a match.
    const re2::StringPiece piece(text.data(), text.size());
    RE2::Set::ErrorInfo error{};
    bool any = set_->set.Match(piece, nullptr, &error);
    if (error.kind == RE2::Set::kNoError && any) {
      matched_.clear();
      any = set_->set.Match(piece, &matched_, &error);
    }
    if (error.kind == RE2::Set::kNoError) {
      if (!any || matched_.empty()) return -1;
      return *std::min_element(matched_.begin(), matched_.end());
    }
    // The set's automaton ran out of memory on this text: test the patterns one by one.
  }
  for (std::size_t i = 0; i < patterns_.size(); ++i) {
    if (patterns_[i]->partial_match(text)) return static_cast<int>(i);
  }
  return -1;
}

// Where the walk is: a chain on the stack, rendered as a JSON pointer only for a finding.
struct PiiScanner::Step {
  const Step* parent;
  std::string_view key;
  std::size_t index;
  bool is_index;
};

void PiiScanner::render(const Step* step, std::string& out) {
  if (step == nullptr) return;
  render(step->parent, out);
  if (step->is_index) {
    out.push_back('/');
    out += std::to_string(step->index);
  } else {
    json_pointer::append_token(out, step->key);
  }
}

void PiiScanner::scan_text(std::string_view text, const Step* at, std::vector<PiiFinding>& out) {
  const int index = match(text);
  if (index < 0) return;
  std::string path;
  render(at, path);
  out.push_back({std::move(path), pattern_names_[static_cast<std::size_t>(index)]});
}

void PiiScanner::walk(simdjson::dom::element value, const Step* at, std::vector<PiiFinding>& out,
                      bool keys_only) {
  switch (value.type()) {
    case simdjson::dom::element_type::STRING:
      if (!keys_only) scan_text(value.get_string().value_unsafe(), at, out);
      return;
    case simdjson::dom::element_type::OBJECT:
      for (auto field : simdjson::dom::object(value.get_object().value_unsafe())) {
        member(key_rule(field.key), field.key, field.value, at, out, keys_only);
      }
      return;
    case simdjson::dom::element_type::ARRAY: {
      std::size_t index = 0;
      for (simdjson::dom::element item : simdjson::dom::array(value.get_array().value_unsafe())) {
        const Step step{at, {}, index++, true};
        walk(item, &step, out, keys_only);
      }
      return;
    }
    default:
      return;
  }
}

PiiScanner::KeyRule PiiScanner::key_rule(std::string_view key) const {
  const std::uint64_t bit = length_bit(key.size());
  // Denied first: a denied key is a violation whatever its value (plan-format.md), and a plan
  // that both denies and allows a key is refused when it loads.
  if ((deny_lengths_ & bit) && key_denied(key)) return KeyRule::denied;
  if ((allow_lengths_ & bit) && key_allowed(key)) return KeyRule::allowed;
  return KeyRule::scan;
}

void PiiScanner::member(KeyRule rule, std::string_view key, simdjson::dom::element value,
                        const Step* at, std::vector<PiiFinding>& out, bool keys_only) {
  // An allowed key exempts its value from the deny patterns only: a denied key inside it is
  // still reported.
  if (rule == KeyRule::allowed) {
    if (deny_keys_.empty()) return;
    keys_only = true;
  }
  const Step step{at, key, 0, false};
  if (rule == KeyRule::denied) {
    std::string path;
    render(&step, path);
    out.push_back({std::move(path), std::string()});
    return;
  }
  switch (value.type()) {
    case simdjson::dom::element_type::STRING:
      if (!keys_only) walk(value, &step, out, false);
      break;
    case simdjson::dom::element_type::OBJECT:
    case simdjson::dom::element_type::ARRAY:
      walk(value, &step, out, keys_only);
      break;
    default:
      break;  // numbers, booleans and null carry no personal data
  }
}

void PiiScanner::scan(simdjson::dom::element properties, std::vector<PiiFinding>& out) {
  walk(properties, nullptr, out, false);
}

void PiiScanner::scan_member(KeyRule rule, std::string_view key, simdjson::dom::element value,
                             std::vector<PiiFinding>& out) {
  std::string_view text;
  if (rule == KeyRule::scan && value.get(text) == simdjson::SUCCESS) {
    // Most members: a string under a key with no rule of its own, what member() and walk() would
    // come to through two more calls.
    const Step step{nullptr, key, 0, false};
    scan_text(text, &step, out);
    return;
  }
  member(rule, key, value, nullptr, out, false);
}

}  // namespace flowproof::conformance::detail

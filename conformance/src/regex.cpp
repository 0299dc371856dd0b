// regex.cpp — Regex over RE2: UTF-8, quiet on errors, bounded memory, linear-time matching; the
// simplest expressions, those a byte-class automaton decides exactly, skip RE2 when matching.
#include "regex.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <bit>
#include <cctype>
#include <cstring>
#include <limits>
#include <string>

namespace flowproof::conformance {

namespace {

constexpr std::uint32_t kUnbounded = std::numeric_limits<std::uint32_t>::max();

void add(SimplePattern::Atom& atom, unsigned char c) { atom.set[c >> 6] |= 1ull << (c & 63); }
void add_range(SimplePattern::Atom& atom, unsigned char from, unsigned char to) {
  for (unsigned c = from; c <= to; ++c) add(atom, static_cast<unsigned char>(c));
}

bool is_meta(char c) {
  switch (c) {
    case '\\':
    case '.':
    case '^':
    case '$':
    case '|':
    case '?':
    case '*':
    case '+':
    case '(':
    case ')':
    case '[':
    case ']':
    case '{':
    case '}':
      return true;
    default:
      return false;
  }
}

bool printable(char c) { return c >= 0x20 && c < 0x7f; }

bool in_set(const SimplePattern::Atom& atom, unsigned char byte) {
  return byte < 128 && (atom.set[byte >> 6] & (1ull << (byte & 63))) != 0;
}

// The atom's set as ranges, when there are few enough of them.
void find_ranges(SimplePattern::Atom& atom) {
  atom.range_count = 0;
  std::size_t count = 0;
  for (unsigned c = 0; c < 128;) {
    if (!in_set(atom, static_cast<unsigned char>(c))) {
      ++c;
      continue;
    }
    unsigned end = c;
    while (end + 1 < 128 && in_set(atom, static_cast<unsigned char>(end + 1))) ++end;
    if (count == SimplePattern::kMaxRanges) return;  // too many: the byte-at-a-time test
    atom.low[count].fill(static_cast<std::uint8_t>(c));
    atom.width[count].fill(static_cast<std::uint8_t>(end - c));
    ++count;
    c = end + 1;
  }
  atom.range_count = static_cast<std::uint8_t>(count);
}

#if defined(__GNUC__)
// GCC's and Clang's portable vectors: SSE2 on x86-64, NEON on ARM, plain code elsewhere.
using Bytes16 = std::uint8_t __attribute__((vector_size(16)));

// Whether the 16 bytes at `text` are all in the atom's ranges. A byte is in [low, low + width]
// exactly when byte - low (wrapping) is at most width; a byte >= 128 is in none, as every range
// ends below 128.
bool sixteen_in_ranges(const SimplePattern::Atom& atom, const char* text) {
  Bytes16 bytes, low, width;
  std::memcpy(&bytes, text, sizeof bytes);
  Bytes16 inside = {};
  for (std::size_t r = 0; r < atom.range_count; ++r) {
    std::memcpy(&low, atom.low[r].data(), sizeof low);
    std::memcpy(&width, atom.width[r].data(), sizeof width);
    inside |= reinterpret_cast<Bytes16>((bytes - low) <= width);
  }
  std::uint64_t halves[2];
  std::memcpy(halves, &inside, sizeof halves);
  return (halves[0] & halves[1]) == ~std::uint64_t{0};
}
#endif

// An escape at text[pos] ('\\' already consumed): \d, \w, \s or escaped punctuation into `atom`.
bool read_escape(std::string_view text, std::size_t& pos, SimplePattern::Atom& atom) {
  if (pos >= text.size()) return false;
  char c = text[pos++];
  switch (c) {
    case 'd':
      add_range(atom, '0', '9');
      return true;
    case 'w':
      add_range(atom, '0', '9');
      add_range(atom, 'A', 'Z');
      add_range(atom, 'a', 'z');
      add(atom, '_');
      return true;
    case 's':  // RE2's \s is [\t\n\f\r ] (no \v)
      for (char s : {'\t', '\n', '\f', '\r', ' '}) add(atom, static_cast<unsigned char>(s));
      return true;
    default:
      // Punctuation stands for itself; letters and digits are other escapes (\b, \x, \p, ...).
      if (!printable(c) || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
          (c >= 'a' && c <= 'z') || c == ' ') {
        return false;
      }
      add(atom, static_cast<unsigned char>(c));
      return true;
  }
}

// A positive class of ASCII bytes, "[" already consumed: literals, ranges, \d \w \s, escapes.
bool read_class(std::string_view text, std::size_t& pos, SimplePattern::Atom& atom) {
  if (pos >= text.size() || text[pos] == '^' || text[pos] == ']') return false;
  while (pos < text.size() && text[pos] != ']') {
    char c = text[pos++];
    if (c == '[' || !printable(c)) return false;  // [[:alpha:]] and friends are left to RE2
    if (c == '\\') {
      SimplePattern::Atom escaped;
      if (!read_escape(text, pos, escaped)) return false;
      atom.set[0] |= escaped.set[0];
      atom.set[1] |= escaped.set[1];
      // An escaped character may start a range in RE2 ("[\\-z]"): left to RE2.
      if (pos + 1 < text.size() && text[pos] == '-' && text[pos + 1] != ']') return false;
      continue;
    }
    if (pos + 1 < text.size() && text[pos] == '-' && text[pos + 1] != ']') {
      char to = text[pos + 1];
      if (to == '\\' || to == '[' || !printable(to) || to < c) return false;
      add_range(atom, static_cast<unsigned char>(c), static_cast<unsigned char>(to));
      pos += 2;
      continue;
    }
    add(atom, static_cast<unsigned char>(c));
  }
  if (pos >= text.size()) return false;
  ++pos;  // ']'
  return true;
}

bool read_count(std::string_view text, std::size_t& pos, std::uint32_t& out) {
  std::size_t start = pos;
  std::uint64_t value = 0;
  while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9' && pos - start < 6) {
    value = value * 10 + static_cast<std::uint64_t>(text[pos++] - '0');
  }
  if (pos == start) return false;
  // RE2 reads "{027}" as literal text, not a count: leading zeros are left to RE2.
  if (text[start] == '0' && pos - start > 1) return false;
  out = static_cast<std::uint32_t>(value);
  return true;
}

// ?, *, +, {n}, {n,}, {n,m} after an atom; a lazy `?` after it is left to RE2.
bool read_quantifier(std::string_view text, std::size_t& pos, SimplePattern::Atom& atom) {
  atom.min = atom.max = 1;
  if (pos >= text.size()) return true;
  switch (text[pos]) {
    case '?':
      atom.min = 0;
      ++pos;
      break;
    case '*':
      atom.min = 0;
      atom.max = kUnbounded;
      ++pos;
      break;
    case '+':
      atom.max = kUnbounded;
      ++pos;
      break;
    case '{': {
      ++pos;
      if (!read_count(text, pos, atom.min)) return false;
      atom.max = atom.min;
      if (pos < text.size() && text[pos] == ',') {
        ++pos;
        atom.max = kUnbounded;
        if (pos < text.size() && text[pos] != '}' && !read_count(text, pos, atom.max)) return false;
      }
      if (pos >= text.size() || text[pos] != '}' || atom.max < atom.min) return false;
      ++pos;
      break;
    }
    default:
      return true;
  }
  return pos >= text.size() ||
         (text[pos] != '?' && text[pos] != '*' && text[pos] != '+' && text[pos] != '{');
}

}  // namespace

std::optional<SimplePattern> SimplePattern::parse(std::string_view text) {
  SimplePattern pattern;
  std::size_t pos = 0;
  if (pos < text.size() && text[pos] == '^') {
    pattern.starts_anchored = true;
    ++pos;
  }
  std::size_t end = text.size();
  if (end > pos && text[end - 1] == '$') {
    // A '$' preceded by an odd number of backslashes is a literal dollar.
    std::size_t slashes = 0;
    while (end - 1 - slashes > pos && text[end - 2 - slashes] == '\\') ++slashes;
    if (slashes % 2 == 0) {
      pattern.ends_anchored = true;
      --end;
    }
  }
  const std::string_view body = text.substr(0, end);
  while (pos < body.size()) {
    Atom atom;
    char c = body[pos++];
    if (c == '[') {
      if (!read_class(body, pos, atom)) return std::nullopt;
    } else if (c == '\\') {
      if (!read_escape(body, pos, atom)) return std::nullopt;
    } else if (printable(c) && !is_meta(c)) {
      add(atom, static_cast<unsigned char>(c));
    } else {
      return std::nullopt;
    }
    if (!read_quantifier(body, pos, atom)) return std::nullopt;
    if (atom.min != atom.max) {
      if (pattern.variable >= 0) return std::nullopt;  // two variable atoms: left to RE2
      pattern.variable = static_cast<int>(pattern.atoms.size());
    } else {
      pattern.fixed_size += atom.min;
    }
    find_ranges(atom);
    pattern.atoms.push_back(atom);
  }
  return pattern;
}

bool SimplePattern::run_matches(const Atom& atom, const char* text, std::size_t count) {
#if defined(__GNUC__)
  if (count >= 16 && atom.range_count > 0) {
    // 16 bytes at a time; the last 16 overlap those before them, all in the run.
    for (std::size_t at = 0; at + 16 < count; at += 16) {
      if (!sixteen_in_ranges(atom, text + at)) return false;
    }
    return sixteen_in_ranges(atom, text + count - 16);
  }
#endif
  for (std::size_t k = 0; k < count; ++k) {
    if (!in_set(atom, static_cast<unsigned char>(text[k]))) return false;
  }
  return true;
}

bool SimplePattern::matches(std::string_view text) const {
  // Every atom is a set of ASCII bytes, so a byte >= 0x80 (part of a multi-byte character)
  // matches none, as the character matches none in RE2.
  const std::size_t size = text.size();
  std::size_t variable_size = 0;
  if (variable < 0) {
    if (size != fixed_size) return false;
  } else {
    if (size < fixed_size) return false;
    variable_size = size - fixed_size;
    const Atom& v = atoms[static_cast<std::size_t>(variable)];
    if (variable_size < v.min || variable_size > v.max) return false;
  }
  std::size_t pos = 0;
  for (std::size_t i = 0; i < atoms.size(); ++i) {
    const Atom& atom = atoms[i];
    const std::size_t count = static_cast<int>(i) == variable ? variable_size : atom.min;
    if (!run_matches(atom, text.data() + pos, count)) return false;
    pos += count;
  }
  return true;
}

namespace {

// The reading behind match_needs(): a recursive descent over RE2's syntax that yields, for each
// part, the fewest bytes a match of it takes, or nullopt where it gives up, and collects the
// top level's literals.
class NeedsReader {
 public:
  explicit NeedsReader(std::string_view pattern) : p_(pattern) {}

  MatchNeeds run() {
    auto size = alternation();
    if (!size || pos_ != p_.size()) return {};
    MatchNeeds needs;
    needs.shortest = *size;
    // Literals of the top level are needed only when it has no alternatives and no case folding.
    if (top_branches_ == 1 && !case_folding_) needs.bytes = required_;
    return needs;
  }

 private:
  // Sizes are capped, so no pattern can overflow them (RE2 bounds repetitions at 1000).
  static constexpr std::size_t kCap = std::size_t{1} << 30;

  bool at(char c) const { return pos_ < p_.size() && p_[pos_] == c; }
  bool at_repetition() const { return at('*') || at('+') || at('?') || at('{'); }

  std::optional<std::size_t> alternation() {
    if (depth_ == 0) ++top_branches_;
    auto best = concatenation();
    while (best && at('|')) {
      ++pos_;
      if (depth_ == 0) ++top_branches_;
      auto next = concatenation();
      if (!next) return std::nullopt;
      best = std::min(*best, *next);
    }
    return best;
  }

  std::optional<std::size_t> concatenation() {
    std::size_t total = 0;
    while (pos_ < p_.size() && !at('|') && !at(')')) {
      literal_ = -1;
      auto size = atom();
      if (!size) return std::nullopt;
      const int literal = literal_;
      std::size_t least = 1;  // the fewest times the atom occurs
      if (at_repetition()) {
        auto times = quantifier();
        // RE2 refuses a repetition of a repetition, but for one after a flag group, which
        // group() gives up on: a second one here is never read.
        if (!times || at_repetition()) return std::nullopt;
        least = *times;
      }
      total = std::min(total + std::min(*size * least, kCap), kCap);
      // An ASCII literal that occurs at least once on the top level: every match holds it.
      if (depth_ == 0 && literal >= 0 && least > 0) {
        required_[static_cast<unsigned>(literal) >> 6] |= 1ull << (literal & 63);
      }
    }
    return total;
  }

  // The fewest repetitions a quantifier allows; nullopt for a '{' that is not exactly {n}, {n,}
  // or {n,m} (RE2 reads some such as literal text, e.g. a count with a leading zero).
  std::optional<std::size_t> quantifier() {
    std::size_t times = 0;
    const char c = p_[pos_++];
    if (c == '+') {
      times = 1;
    } else if (c == '{') {
      auto count = [&]() -> std::optional<std::size_t> {
        const std::size_t start = pos_;
        while (pos_ < p_.size() && p_[pos_] >= '0' && p_[pos_] <= '9') ++pos_;
        const std::size_t digits = pos_ - start;
        if (digits == 0 || digits > 4 || (digits > 1 && p_[start] == '0')) return std::nullopt;
        return static_cast<std::size_t>(std::stoul(std::string(p_.substr(start, digits))));
      };
      auto low = count();
      if (!low) return std::nullopt;
      if (at(',')) {
        ++pos_;
        if (!at('}') && !count()) return std::nullopt;
      }
      if (!at('}')) return std::nullopt;
      ++pos_;
      times = *low;
    }                     // '*' and '?': none
    if (at('?')) ++pos_;  // lazy: the same fewest
    return times;
  }

  std::optional<std::size_t> atom() {
    const auto c = static_cast<unsigned char>(p_[pos_]);
    switch (c) {
      case '(':
        return group();
      case '[':
        return character_class();
      case '\\':
        return escape();
      case '^':
      case '$':
        ++pos_;
        return 0;
      case '.':
        ++pos_;
        return 1;
      case '*':
      case '+':
      case '?':
      case '{':
        return std::nullopt;  // RE2 refuses most of these, and reads some as literals: no bound
      default:
        // One character: its lead byte and any continuation bytes (under (?i) a character may
        // match a shorter one, so it counts as one byte whatever its own size).
        if (c < 0x80) literal_ = c;
        ++pos_;
        while (pos_ < p_.size() && (static_cast<unsigned char>(p_[pos_]) & 0xC0) == 0x80) ++pos_;
        return 1;
    }
  }

  std::optional<std::size_t> group() {
    ++pos_;  // '('
    if (at('?')) {
      ++pos_;
      if (at('P') || at('<')) {  // a named group: (?P<name>...) or (?<name>...)
        const std::size_t close = p_.find('>', pos_);
        if (close == std::string_view::npos) return std::nullopt;
        pos_ = close + 1;
      } else {
        // Flags: (?flags) sets them and matches nothing; (?flags:...) is a group.
        while (pos_ < p_.size() &&
               std::string_view("imsU-").find(p_[pos_]) != std::string_view::npos) {
          case_folding_ = case_folding_ || p_[pos_] == 'i';
          ++pos_;
        }
        if (at(')')) {
          ++pos_;
          // A flag group is no atom: a repetition after it repeats the atom before it
          // ("a(?s)?" is "a?"), which this reading does not track, so it claims nothing.
          if (at_repetition()) return std::nullopt;
          return 0;
        }
        if (!at(':')) return std::nullopt;
        ++pos_;
      }
    }
    ++depth_;
    auto inner = alternation();
    --depth_;
    literal_ = -1;  // a group is no literal, whatever its last atom was
    if (!inner || !at(')')) return std::nullopt;
    ++pos_;
    return inner;
  }

  std::optional<std::size_t> character_class() {
    ++pos_;  // '['
    if (at('^')) ++pos_;
    if (at(']')) ++pos_;  // a ']' first is a member
    while (pos_ < p_.size() && !at(']')) {
      if (at('\\')) {
        pos_ += 2;
      } else if (at('[') && pos_ + 1 < p_.size() && p_[pos_ + 1] == ':') {
        const std::size_t close = p_.find(":]", pos_ + 2);
        if (close == std::string_view::npos) return std::nullopt;
        pos_ = close + 2;
      } else {
        ++pos_;
      }
    }
    if (!at(']')) return std::nullopt;
    ++pos_;
    return 1;  // any class matches one character
  }

  std::optional<std::size_t> escape() {
    ++pos_;  // '\\'
    if (pos_ >= p_.size()) return std::nullopt;
    const char c = p_[pos_++];
    switch (c) {
      case 'b':
      case 'B':
      case 'A':
      case 'z':
        return 0;
      case 'd':
      case 'D':
      case 'w':
      case 'W':
      case 's':
      case 'S':
      case 'C':
      case 'a':
      case 'f':
      case 't':
      case 'n':
      case 'r':
      case 'v':
        return 1;
      case 'p':
      case 'P':
      case 'x':
        if (at('{')) {
          const std::size_t close = p_.find('}', pos_);
          if (close == std::string_view::npos) return std::nullopt;
          pos_ = close + 1;
        } else {
          pos_ += c == 'x' ? 2 : 1;
        }
        return 1;
      default:
        // Escaped punctuation is that character; anything else (\Q, octal, ...) gives up.
        if (static_cast<unsigned char>(c) < 0x80 && std::ispunct(static_cast<unsigned char>(c))) {
          literal_ = static_cast<unsigned char>(c);
          return 1;
        }
        return std::nullopt;
    }
  }

  std::string_view p_;
  std::size_t pos_ = 0;
  int depth_ = 0;              // groups open around the position
  int top_branches_ = 0;       // alternatives of the top level
  bool case_folding_ = false;  // a flag group turns on (?i) somewhere
  int literal_ = -1;           // the ASCII literal the last atom was, or -1
  std::array<std::uint64_t, 2> required_{};
};

}  // namespace

MatchNeeds match_needs(std::string_view pattern) {
  // \Q...\E quotes any bytes, ']' and '|' among them: not taken apart.
  if (pattern.find("\\Q") != std::string_view::npos) return {};
  return NeedsReader(pattern).run();
}

bool MatchNeeds::allows(std::string_view text) const {
  if (text.size() < shortest) return false;
  for (unsigned word = 0; word < 2; ++word) {
    for (std::uint64_t bits = bytes[word]; bits != 0; bits &= bits - 1) {
      const auto byte =
          static_cast<char>(word * 64 + static_cast<unsigned>(std::countr_zero(bits)));
      if (text.find(byte) == std::string_view::npos) return false;
    }
  }
  return true;
}

std::shared_ptr<const Regex> Regex::compile(std::string_view pattern, std::string* error) {
  RE2::Options options;
  options.set_encoding(RE2::Options::EncodingUTF8);
  options.set_log_errors(false);
  options.set_max_mem(8 << 20);  // 8 MiB: generous for plan expressions, bounded for hostile ones
  auto re = std::make_unique<re2::RE2>(re2::StringPiece(pattern.data(), pattern.size()), options);
  if (!re->ok()) {
    if (error != nullptr) *error = re->error();
    return nullptr;
  }
  // Regex's constructor is private, so make_shared cannot reach it.
  std::shared_ptr<Regex> regex(new Regex());
  regex->pattern_ = std::string(pattern);
  regex->re_ = std::move(re);
  // Only once RE2 accepted it: the simple form never has to judge an invalid expression.
  regex->simple_ = SimplePattern::parse(pattern);
  return regex;
}

Regex::~Regex() = default;

bool Regex::full_match(std::string_view text) const {
  return simple_full() ? simple_->matches(text) : full_match_with_re2(text);
}

bool Regex::partial_match(std::string_view text) const {
  return simple_partial() ? simple_->matches(text) : partial_match_with_re2(text);
}

bool Regex::full_match_with_re2(std::string_view text) const {
  return RE2::FullMatch(re2::StringPiece(text.data(), text.size()), *re_);
}

bool Regex::partial_match_with_re2(std::string_view text) const {
  return RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *re_);
}

}  // namespace flowproof::conformance

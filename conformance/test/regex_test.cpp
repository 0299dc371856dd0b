// regex_test.cpp — Regex: full versus partial matching, invalid expressions, UTF-8.
#include "regex.hpp"

#include "pii.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>
#include <random>
#include <string>
#include <vector>

namespace flowproof::conformance {
namespace {

// Seeded draws for the tests that generate expressions and texts.
struct Draw {
  explicit Draw(unsigned seed) : random(seed) {}
  const std::string& pick(const std::vector<std::string>& from) {
    return from[std::uniform_int_distribution<std::size_t>(0, from.size() - 1)(random)];
  }
  int between(int low, int high) { return std::uniform_int_distribution<int>(low, high)(random); }
  std::mt19937 random;
};

TEST(Regex, FullMatchNeedsTheWholeText) {
  auto regex = Regex::compile("[a-z]+", nullptr);
  ASSERT_NE(regex, nullptr);
  EXPECT_TRUE(regex->full_match("terms"));
  EXPECT_FALSE(regex->full_match("terms1"));
  EXPECT_FALSE(regex->full_match(""));
}

TEST(Regex, PartialMatchFindsAnywhere) {
  auto regex = Regex::compile("[0-9]{3}", nullptr);
  ASSERT_NE(regex, nullptr);
  EXPECT_TRUE(regex->partial_match("abc123def"));
  EXPECT_FALSE(regex->partial_match("abc12def"));
  EXPECT_FALSE(regex->full_match("abc123def"));
}

TEST(Regex, AnchorsWorkInPartialMatch) {
  auto regex = Regex::compile("^ab", nullptr);
  ASSERT_NE(regex, nullptr);
  EXPECT_TRUE(regex->partial_match("abc"));
  EXPECT_FALSE(regex->partial_match("cab"));
}

TEST(Regex, InvalidExpressionReportsRe2Error) {
  std::string error;
  EXPECT_EQ(Regex::compile("(unclosed", &error), nullptr);
  EXPECT_NE(error.find("missing )"), std::string::npos) << error;
  // Backreferences are not RE2 syntax.
  error.clear();
  EXPECT_EQ(Regex::compile(R"((a)\1)", &error), nullptr);
  EXPECT_FALSE(error.empty());
}

TEST(Regex, NullErrorPointerIsAllowed) { EXPECT_EQ(Regex::compile("[", nullptr), nullptr); }

TEST(Regex, KeepsThePatternAsWritten) {
  auto regex = Regex::compile("^x+$", nullptr);
  ASSERT_NE(regex, nullptr);
  EXPECT_EQ(regex->pattern(), "^x+$");
}

TEST(Regex, MatchesUtf8CodePoints) {
  auto regex = Regex::compile("^.{3}$", nullptr);
  ASSERT_NE(regex, nullptr);
  EXPECT_TRUE(regex->full_match("h\xC3\xA9\xE2\x82\xAC"));  // h, e-acute, euro sign
}

TEST(Regex, TheDefaultErrorClassExpressionCompiles) {
  std::string error;
  auto regex = Regex::compile(R"(^[A-Za-z_*][A-Za-z0-9_.:*<>\[\]/-]{0,127}$)", &error);
  ASSERT_NE(regex, nullptr) << error;
  EXPECT_TRUE(regex->full_match("std::runtime_error"));
  EXPECT_TRUE(regex->full_match("http/Timeout"));
  EXPECT_FALSE(regex->full_match("connection refused by host"));
}

TEST(SimplePattern, CommonIdentifierShapesSkipRe2) {
  for (const char* pattern : {"^[0-9a-f-]{36}$", "^[a-z_]+$", "^v\\d\\.\\d+$", "^[A-Z][a-zA-Z]*$",
                              "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"}) {
    auto regex = Regex::compile(pattern, nullptr);
    ASSERT_NE(regex, nullptr) << pattern;
    EXPECT_TRUE(regex->simple_partial()) << pattern;
    EXPECT_TRUE(regex->simple_full()) << pattern;
  }
  auto uuid = Regex::compile("^[0-9a-f-]{36}$", nullptr);
  EXPECT_TRUE(uuid->partial_match("2a9b9b3f-fa36-475f-bd8c-290c3f6f2c82"));
  EXPECT_FALSE(uuid->partial_match("2a9b9b3f-fa36-475f-bd8c-290c3f6f2c8"));
  EXPECT_FALSE(uuid->partial_match("2a9b9b3f-fa36-475f-bd8c-290c3f6f2c82\n"));
  EXPECT_FALSE(uuid->partial_match("2A9B9B3F-FA36-475F-BD8C-290C3F6F2C82"));
  // Unanchored, alternation, groups, any character, negated classes: RE2 answers.
  for (const char* pattern : {"[a-z]+", "^[a-z]+", "^a|b$", "^(ab)+$", "^.+$", "^[^a]+$", "^a+?$",
                              "^a*b*$", "^\\bx$", "^[[:alpha:]]+$"}) {
    auto regex = Regex::compile(pattern, nullptr);
    ASSERT_NE(regex, nullptr) << pattern;
    EXPECT_FALSE(regex->simple_partial()) << pattern;
  }
  EXPECT_TRUE(Regex::compile("[a-z]+", nullptr)->simple_full());  // a full match is anchored
}

// Found by regex_fuzzer: RE2 reads a count with a leading zero ("{0,027}") as literal text.
TEST(SimplePattern, ACountWithALeadingZeroIsLiteralText) {
  auto regex = Regex::compile("^[r]{0,027}$", nullptr);
  ASSERT_NE(regex, nullptr);
  EXPECT_FALSE(regex->simple_partial());
  EXPECT_FALSE(regex->partial_match("rrr"));
  EXPECT_TRUE(regex->partial_match("r{0,027}"));
  EXPECT_TRUE(Regex::compile("^r{0,27}$", nullptr)->simple_partial());
  EXPECT_TRUE(Regex::compile("^r{0}$", nullptr)->simple_partial());  // a lone 0 is a count
}

// Found by regex_fuzzer: in RE2 an escaped character may start a range ("[\\-z]" is '\\'..'z').
TEST(SimplePattern, AnEscapedCharacterMayStartARange) {
  auto regex = Regex::compile(R"(^[\\-z]$)", nullptr);
  ASSERT_NE(regex, nullptr);
  EXPECT_FALSE(regex->simple_full());
  EXPECT_TRUE(regex->full_match("d"));
  EXPECT_FALSE(regex->full_match("-"));
}

// The simple form must give exactly RE2's answer. Expressions are drawn from the pieces the simple
// form knows and some it must refuse; texts from the bytes those expressions use, a multi-byte
// character and a newline.
TEST(SimplePattern, AgreesWithRe2OnGeneratedExpressionsAndTexts) {
  const std::vector<std::string> atoms = {
      "a",     "b",    "-",    "_",     ".",    "\\.",  "\\-",    "\\$",         "\\d",
      "\\w",   "\\s",  "[ab]", "[a-c]", "[a-]", "[-b]", "[\\d_]", "[\\]a]",      "[.$^]",
      "[%--]", "[^a]", "(a)",  "a|b",   " ",    "\\\\", "$",      "[a-cx-z0-3]", "[\\s]"};
  const std::vector<std::string> quantifiers = {"",    "",    "",      "?",    "*",  "+",
                                                "{2}", "{0}", "{1,3}", "{2,}", "+?", "{3}{2}"};
  const std::vector<std::string> pieces = {"a", "b",  "c",        "-",  "_",  ".", "$",
                                           "1", "5",  " ",        "\n", "\t", "x", "%",
                                           "]", "\\", "\xC3\xA9", "ab", "0"};
  Draw draw(2026);
  int compiled = 0, simple = 0, compared = 0, simple_matches = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string pattern;
    const int anchors = draw.between(0, 3);
    if (anchors != 0) pattern += "^";
    const int count = draw.between(0, 4);
    for (int i = 0; i < count; ++i) pattern += draw.pick(atoms) + draw.pick(quantifiers);
    if (anchors != 1) pattern += "$";
    auto regex = Regex::compile(pattern, nullptr);
    if (!regex) continue;
    ++compiled;
    simple += regex->simple_full();
    for (int t = 0; t < 40; ++t) {
      std::string text;
      const int size = draw.between(0, 7);
      for (int i = 0; i < size; ++i) text += draw.pick(pieces);
      ASSERT_EQ(regex->full_match(text), regex->full_match_with_re2(text))
          << "full match of /" << pattern << "/ on \"" << text << "\"";
      ASSERT_EQ(regex->partial_match(text), regex->partial_match_with_re2(text))
          << "partial match of /" << pattern << "/ on \"" << text << "\"";
      ++compared;
      simple_matches += regex->simple_full() && regex->full_match(text);
    }
  }
  std::cout << compiled << " expressions compiled, " << simple << " simple, " << compared
            << " comparisons, " << simple_matches << " matches of simple ones\n";
  // The draw exercises both paths.
  EXPECT_GT(compiled, 2000);
  EXPECT_GT(simple, compiled / 4);
  EXPECT_LT(simple, compiled);
  EXPECT_GT(compared, 80000);
  EXPECT_GT(simple_matches, 1000);  // not only refusals
}

// Runs of 16 bytes and more are tested 16 at a time (the last 16 overlapping); a byte outside the
// set must be found at every position of every block, for sets of ranges and for sets of too many
// ranges for that test.
TEST(SimplePattern, LongRunsFindABadByteAtEveryPosition) {
  struct Case {
    const char* pattern;
    const char* good;  // bytes in the set
    bool ranges;       // whether the set is few enough ranges for the 16-byte test
  };
  for (const Case& c : {Case{"^[0-9a-f-]+$", "0a9f-", true}, Case{"^[a-z_]+$", "az_q", true},
                        Case{"^\\d+$", "0123456789", true}, Case{"^[\\s]+$", " \t\r\n", true},
                        Case{"^[A-Za-z0-9_.:<>-]+$", "Az9_.:<>-", false}}) {
    const std::string pattern = c.pattern;
    auto simple = SimplePattern::parse(pattern);
    ASSERT_TRUE(simple.has_value()) << pattern;
    ASSERT_EQ(simple->atoms[0].range_count > 0, c.ranges) << pattern;
    auto regex = Regex::compile(pattern, nullptr);
    ASSERT_NE(regex, nullptr) << pattern;
    ASSERT_TRUE(regex->simple_full()) << pattern;
    const std::string good = c.good;
    for (std::size_t size = 1; size <= 70; ++size) {
      std::string text;
      for (std::size_t i = 0; i < size; ++i) text += good[i % good.size()];
      ASSERT_TRUE(regex->full_match(text)) << pattern << " on " << size << " bytes";
      for (std::size_t at = 0; at < size; ++at) {
        for (const char bad : {'\x80', '\xC3', '~', '!', '\0'}) {
          std::string broken = text;
          broken[at] = bad;
          ASSERT_EQ(regex->full_match(broken), regex->full_match_with_re2(broken))
              << pattern << " with a bad byte at " << at << " of " << size;
          ASSERT_FALSE(regex->full_match(broken)) << pattern << " at " << at << " of " << size;
        }
      }
    }
  }
}

// Long texts against RE2, for expressions whose atoms take long runs.
TEST(SimplePattern, AgreesWithRe2OnLongTexts) {
  const std::vector<std::string> patterns = {
      "^[0-9a-f-]{36}$", "^x[a-c]{20,}y$", "^[a-c]{16}$",           "^\\d{3}[a-z_]*\\.\\w{17}$",
      "^[%--]{16,40}$",  "^[\\s]+$",       "^[a-cx-z0-3A-C_]{18,}$"};
  const std::vector<std::string> pieces = {"a", "b", "c", "x", "y", "0", "3",  "9",        "f",
                                           "-", "_", ".", " ", "%", "A", "\t", "\xC3\xA9", "\x7f"};
  Draw draw(7);
  int matches = 0;
  for (const std::string& pattern : patterns) {
    auto regex = Regex::compile(pattern, nullptr);
    ASSERT_NE(regex, nullptr) << pattern;
    ASSERT_TRUE(regex->simple_full()) << pattern;
    for (int t = 0; t < 4000; ++t) {
      // Mostly texts of one piece repeated (long runs that may match), some of mixed pieces.
      std::string text;
      const int size = draw.between(0, 60);
      const std::string one = draw.pick(pieces);
      const bool mixed = t % 4 == 0;
      for (int i = 0; i < size; ++i) text += mixed ? draw.pick(pieces) : one;
      if (t % 3 == 0 && !text.empty()) text[0] = 'x';
      if (t % 5 == 0 && !text.empty()) text.back() = 'y';
      ASSERT_EQ(regex->full_match(text), regex->full_match_with_re2(text))
          << "/" << pattern << "/ on \"" << text << "\"";
      matches += regex->full_match(text);
    }
  }
  EXPECT_GT(matches, 500);  // not only refusals
}

TEST(ShortestMatch, CountsCharactersAndRepetitionsNotAssertions) {
  // The default personal-data patterns: no shorter text can hold a match.
  for (const auto& [name, pattern] : detail::PiiScanner::default_patterns()) {
    const std::size_t expected = name == "email" ? 6 : name == "bearer_token" ? 15 : 32;
    EXPECT_EQ(shortest_match(pattern), expected) << name;
  }
  EXPECT_EQ(shortest_match("a|bc"), 1u);
  EXPECT_EQ(shortest_match("(ab)+c?"), 2u);
  EXPECT_EQ(shortest_match("x*"), 0u);
  EXPECT_EQ(shortest_match("^$"), 0u);
  EXPECT_EQ(shortest_match("\\bword\\b"), 4u);
  EXPECT_EQ(shortest_match("\xC3\xA9t\xC3\xA9"), 3u);  // characters, not bytes (case folding)
  EXPECT_EQ(shortest_match("(?:a{3}){2}"), 6u);
  EXPECT_EQ(shortest_match("a{2,}b{0,4}c{1}"), 3u);
  EXPECT_EQ(shortest_match("(?P<n>abc)(?i:ab)(?s)c"), 6u);
  EXPECT_EQ(shortest_match("[]a]b[[:alpha:]]\\p{Greek}\\pN\\x{41}\\x41"), 7u);
  EXPECT_EQ(shortest_match("(?:a|(b|cd)e)f"), 2u);
  // What it does not take apart claims no bound.
  EXPECT_EQ(shortest_match("\\Qabc\\E"), 0u);
  EXPECT_EQ(shortest_match("a{0,027}"), 0u);  // RE2 reads it as literal text
  EXPECT_EQ(shortest_match("\\0"), 0u);
  // A repetition after a flag group repeats the atom before it (found by a review: "a(?s)?" is
  // "a?", which matches ""): no bound, no bytes.
  for (const char* pattern :
       {"a(?s)?", "ab(?i)*", "a{2}(?m){0}", "\\d{3}(?i)?-\\d{4}", "(x(?s)*y)"}) {
    const MatchNeeds needs = match_needs(pattern);
    EXPECT_EQ(needs.shortest, 0u) << pattern;
    EXPECT_TRUE(needs.allows("")) << pattern;
  }
  EXPECT_EQ(shortest_match("a(?s)b"), 2u);  // without a repetition after it, it is nothing
}

std::string needed_bytes(std::string_view pattern) {
  const MatchNeeds needs = match_needs(pattern);
  std::string out;
  for (unsigned c = 0; c < 128; ++c) {
    if (needs.bytes[c / 64] >> (c % 64) & 1) out += static_cast<char>(c);
  }
  return out;
}

TEST(MatchNeeds, TheTopLevelsLiteralsAreNeeded) {
  EXPECT_EQ(needed_bytes(R"([^@\s]+@[^@\s]+\.[A-Za-z]{2,})"), ".@");  // the default email pattern
  EXPECT_EQ(needed_bytes("ab?c*d+e{0}f{2}"), "adf");
  EXPECT_EQ(needed_bytes("a(b|c)(de)+"), "a");  // a group is no literal
  EXPECT_EQ(needed_bytes("a|b"), "");           // alternatives on the top level
  EXPECT_EQ(needed_bytes("(?i)abc"), "");       // case folding: 'A' matches 'a'
  EXPECT_EQ(needed_bytes("x(?i:y)"), "");
  EXPECT_EQ(needed_bytes("[a]\\d\\x41\xC3\xA9"), "");  // classes, escapes, non-ASCII
  EXPECT_EQ(needed_bytes("\\Qa@\\E"), "");
  const MatchNeeds email = match_needs(R"([^@\s]+@[^@\s]+\.[A-Za-z]{2,})");
  EXPECT_TRUE(email.allows("a@b.cd"));
  EXPECT_FALSE(email.allows("a@b.c"));    // too short
  EXPECT_FALSE(email.allows("ab.cdef"));  // no '@'
  EXPECT_FALSE(email.allows("a@bcdef"));  // no '.'
}

// The bound must never exceed the true shortest match, and a text that holds a match must have
// every byte the expression needs. Expressions are drawn from pieces of RE2's
// syntax; every text of up to four symbols is tried, which finds the true shortest match of most.
TEST(ShortestMatch, NeverExceedsTheShortestTextRe2Matches) {
  const std::vector<std::string> atoms = {
      "a",           "b",    "-",     ".",        "\\.",    "\\d",    "\\w",   "\\s", "\\b",
      "^",           "$",    "[ab]",  "[^a]",     "(a|bc)", "(?:ab)", "(?i)A", "a|",  "\xC3\xA9",
      "[[:digit:]]", "\\pL", "\\x61", "(?P<n>b)", "(b|)",   "[]a]",   "(?s)",  "(?m)"};
  const std::vector<std::string> quantifiers = {"",    "",      "",     "*",      "+",  "?",
                                                "{2}", "{0,1}", "{1,}", "{2}{1}", "??", "+?"};
  const std::vector<std::string> symbols = {"a", "b", "c", "-", "1", " ", "\xC3\xA9", "."};
  std::vector<std::string> texts = {""};
  for (std::size_t size = 1, from = 0; size <= 4; ++size) {
    const std::size_t to = texts.size();
    for (std::size_t i = from; i < to; ++i) {
      for (const std::string& symbol : symbols) texts.push_back(texts[i] + symbol);
    }
    from = to;
  }
  Draw draw(11);
  int bounded = 0, tight = 0, checked = 0, needed = 0;
  for (int round = 0; round < 600; ++round) {
    std::string pattern;
    const int count = draw.between(1, 3);
    for (int i = 0; i < count; ++i) pattern += draw.pick(atoms) + draw.pick(quantifiers);
    auto regex = Regex::compile(pattern, nullptr);
    if (!regex) continue;
    const MatchNeeds needs = match_needs(pattern);
    const std::size_t bound = needs.shortest;
    std::size_t shortest = std::string::npos;
    for (const std::string& text : texts) {
      if (!regex->partial_match_with_re2(text)) continue;
      shortest = std::min(shortest, text.size());
      // Every text that holds a match has what the expression needs.
      ASSERT_TRUE(needs.allows(text)) << "/" << pattern << "/ on \"" << text << "\"";
      needed += needs.bytes[0] != 0 || needs.bytes[1] != 0;
    }
    if (shortest == std::string::npos) continue;
    ++checked;
    ASSERT_LE(bound, shortest) << "/" << pattern << "/";
    bounded += bound > 0;
    tight += bound > 0 && bound == shortest;
  }
  std::cout << checked << " expressions checked, " << bounded << " with a bound, " << tight
            << " of those exact\n";
  EXPECT_GT(checked, 400);
  EXPECT_GT(bounded, checked / 3);  // the bound is not vacuous
  EXPECT_GT(tight, bounded / 2);
  EXPECT_GT(needed, 1000);  // matches of expressions that need some bytes
}

}  // namespace
}  // namespace flowproof::conformance

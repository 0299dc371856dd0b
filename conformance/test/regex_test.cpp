// regex_test.cpp — Regex: full versus partial matching, invalid expressions, UTF-8.
#include "regex.hpp"

#include <gtest/gtest.h>

namespace flowproof::conformance {
namespace {

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

}  // namespace
}  // namespace flowproof::conformance

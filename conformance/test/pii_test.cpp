// pii_test.cpp — the event-side personal-data scanner and the value normalisation it relies on.
#include "pii.hpp"
#include "memo.hpp"
#include "normalize.hpp"
#include "regex.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <optional>
#include <string>
#include <vector>

namespace flowproof::conformance::detail {
namespace {

simdjson::dom::element parse(simdjson::dom::parser& parser, const std::string& text) {
  return parser.parse(text).value();
}

PiiRules rules() {
  PiiRules out;
  out.deny_keys = {"email"};
  out.deny_patterns = {{"email", R"([^@\s]+@[^@\s]+\.[A-Za-z]{2,})"}};
  out.allow_keys = {"invocation_id"};
  return out;
}

TEST(Pii, DeniedKeyAtAnyDepthCaseInsensitive) {
  PiiScanner scanner(rules());
  simdjson::dom::parser parser;
  std::vector<PiiFinding> found;
  scanner.scan(parse(parser, R"({"a":{"Email":"x"},"b":[{"c":"ok"}]})"), found);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].path, "/a/Email");
  EXPECT_TRUE(found[0].pattern.empty());
}

TEST(Pii, PatternsAreUnanchoredAndAllowedKeysSkipped) {
  PiiScanner scanner(rules());
  simdjson::dom::parser parser;
  std::vector<PiiFinding> found;
  scanner.scan(parse(parser, R"({"note":["write to a@b.example"],"invocation_id":"c@d.example"})"),
               found);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].path, "/note/0");
  EXPECT_EQ(found[0].pattern, "email");
}

// An allowed key exempts its value from the deny patterns only: a denied key inside it is still
// a finding (plan-format.md: "a property whose key is denied is a violation whatever its value").
// Before the plan review nothing under an allowed key was looked at.
TEST(Pii, ADeniedKeyUnderAnAllowedKeyIsStillFound) {
  PiiScanner scanner(rules());
  simdjson::dom::parser parser;
  const std::string text =
      R"({"invocation_id":{"Email":"x","note":"a@b.example","list":[{"email":1}]}})";
  std::vector<PiiFinding> found;
  scanner.scan(parse(parser, text), found);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].path, "/invocation_id/Email");
  EXPECT_EQ(found[1].path, "/invocation_id/list/0/email");
  EXPECT_TRUE(found[0].pattern.empty() && found[1].pattern.empty());
  // Member by member, the same.
  std::vector<PiiFinding> walked;
  // The object is held in a variable: a range-for over `....get_object().value()` would iterate
  // a reference into a destroyed simdjson_result (ASan: stack-use-after-scope).
  const simdjson::dom::object members = parse(parser, text).get_object().value();
  for (auto field : members) {
    scanner.scan_member(scanner.key_rule(field.key), field.key, field.value, walked);
  }
  ASSERT_EQ(walked.size(), 2u);
  EXPECT_EQ(walked[1].path, "/invocation_id/list/0/email");
  // A key given both ways (only a hand-built PiiRules can: the loader refuses it) is denied.
  PiiRules both = rules();
  both.allow_keys.push_back("email");
  EXPECT_EQ(PiiScanner(both).key_rule("email"), PiiScanner::KeyRule::denied);
}

TEST(Pii, CacheNeverChangesTheAnswer) {
  PiiScanner scanner(rules(), 2);  // a tiny cache that starts over often
  for (int round = 0; round < 3; ++round) {
    EXPECT_EQ(scanner.match("a@b.example"), 0);
    EXPECT_EQ(scanner.match("free"), -1);
    EXPECT_EQ(scanner.match("grow"), -1);
    EXPECT_EQ(scanner.match("x@y.example"), 0);
  }
}

TEST(Pii, TheMemoHasTheSizeTheDocsGive) {
  // docs/checker.md's memory table: 4,096 slots unless a size is asked for (a power of two).
  EXPECT_EQ(PiiScanner(rules()).memo_slots(), 4096u);
  EXPECT_EQ(PiiScanner(rules(), 100).memo_slots(), 128u);
}

TEST(Pii, TextsShorterThanEveryPatternAreAnsweredWithoutMatching) {
  // The email pattern needs 6 bytes at least, so "a@b.cd" is the shortest text it finds.
  PiiScanner scanner(rules());
  EXPECT_EQ(scanner.match("a@b.cd"), 0);
  EXPECT_EQ(scanner.match("a@b.c"), -1);
  EXPECT_EQ(scanner.match("\xC3\xA9@b.cd"), 0);  // the bound counts bytes of the text
  // The shortest pattern sets the bound: "@" alone matches with a one-byte pattern among them.
  PiiRules several = rules();
  several.deny_patterns.push_back({"at", "@"});
  PiiScanner both(several);
  EXPECT_EQ(both.match("@"), 1);
  EXPECT_EQ(both.match("x"), -1);
}

TEST(Pii, FirstMatchingPatternInPlanOrderNamesTheFinding) {
  PiiRules several;
  several.deny_patterns = {
      {"digits", "[0-9]{4}"}, {"email", R"([^@\s]+@[^@\s]+\.[a-z]{2,})"}, {"at", "@"}};
  PiiScanner scanner(several);
  for (int round = 0; round < 2; ++round) {  // the second round answers from the memo
    EXPECT_EQ(scanner.match("a@b.example"), 1) << "email and at match; email comes first";
    EXPECT_EQ(scanner.match("a1234@b.example"), 0) << "all three match";
    EXPECT_EQ(scanner.match("@"), 2);
    EXPECT_EQ(scanner.match("nothing here"), -1);
  }
}

TEST(Pii, MemberByMemberFindsWhatScanFinds) {
  PiiScanner scanner(rules());
  simdjson::dom::parser parser;
  const std::string text =
      R"({"EMAIL":"x","invocation_id":"a@b.example","note":{"to":"c@d.example","email":1},)"
      R"("list":["e@f.example",{"Email":null}],"n":3,"plain":"ok"})";
  simdjson::dom::element properties = parse(parser, text);
  std::vector<PiiFinding> whole, walked;
  scanner.scan(properties, whole);
  const simdjson::dom::object members = properties.get_object().value();  // not a temporary
  for (auto field : members) {
    scanner.scan_member(scanner.key_rule(field.key), field.key, field.value, walked);
  }
  ASSERT_EQ(whole.size(), 5u);
  ASSERT_EQ(walked.size(), whole.size());
  for (std::size_t i = 0; i < whole.size(); ++i) {
    EXPECT_EQ(walked[i].path, whole[i].path);
    EXPECT_EQ(walked[i].pattern, whole[i].pattern);
  }
  EXPECT_EQ(scanner.key_rule("invocation_id"), PiiScanner::KeyRule::allowed);
  EXPECT_EQ(scanner.key_rule("eMail"), PiiScanner::KeyRule::denied);
  EXPECT_EQ(scanner.key_rule("emails"), PiiScanner::KeyRule::scan);
}

TEST(Pii, BuiltInDefaults) {
  PiiRules none;
  none.built_in = true;
  PiiScanner scanner(none);
  EXPECT_GE(scanner.match("me@example.com"), 0);
  EXPECT_GE(scanner.match("Authorization: Bearer abcdefgh12345678"), 0);
  EXPECT_GE(scanner.match("0123456789abcdef0123456789abcdef"), 0);
  EXPECT_EQ(scanner.match("application create"), -1);
}

TEST(Memo, SameBytesAgreesWithMemcmpAtEverySize) {
  const std::string a = "abcdefghijklmnopqrstuvwxyz0123456789";
  for (std::size_t size = 0; size <= a.size(); ++size) {
    std::string b = a.substr(0, size);
    EXPECT_TRUE(same_bytes(a.data(), b.data(), size)) << size;
    for (std::size_t at = 0; at < size; ++at) {
      std::string c = b;
      c[at] = '#';
      EXPECT_FALSE(same_bytes(b.data(), c.data(), size)) << size << " " << at;
    }
  }
  EXPECT_TRUE(same_text("invocation_id", "invocation_id"));
  EXPECT_FALSE(same_text("step", "steps"));
}

TEST(Memo, RemembersOnlyWhatItWasToldAndOverwritesOnCollision) {
  MatchMemo memo(1);  // one slot: every text collides
  EXPECT_EQ(memo.find("free", text_hash("free")), nullptr);
  memo.remember("free", text_hash("free"), -1);
  ASSERT_NE(memo.find("free", text_hash("free")), nullptr);
  EXPECT_EQ(*memo.find("free", text_hash("free")), -1);
  memo.remember("a@b.example", text_hash("a@b.example"), 0);
  EXPECT_EQ(memo.find("free", text_hash("free")), nullptr);
  EXPECT_EQ(*memo.find("a@b.example", text_hash("a@b.example")), 0);
  const std::string long_text(MatchMemo::kMaxText + 1, 'x');
  memo.remember(long_text, text_hash(long_text), 0);
  EXPECT_EQ(memo.find(long_text, text_hash(long_text)), nullptr);  // never remembered
}

TEST(Normalize, Iso8601AndEpochMilliseconds) {
  EXPECT_EQ(parse_iso8601_ms("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(parse_iso8601_ms("1970-01-01T00:00:01.5Z"), 1500);
  EXPECT_EQ(parse_iso8601_ms("1970-01-01T01:00:00+01:00"), 0);
  EXPECT_EQ(parse_iso8601_ms("1970-01-01T00:00:00-0030"), 1'800'000);
  EXPECT_EQ(parse_iso8601_ms("2026-06-10T11:27:00.001Z"), 1781090820001);
  EXPECT_FALSE(parse_iso8601_ms("2026-06-10T11:27:00"));  // no zone
  EXPECT_FALSE(parse_iso8601_ms("yesterday"));
  simdjson::dom::parser parser;
  EXPECT_EQ(TimestampReader().read(parse(parser, "1781090820001")), 1781090820001);
}

// The reader remembers the date and hour of the last timestamp; whatever came before, it must
// give exactly parse_iso8601_ms()'s answer.
TEST(Normalize, TimestampReaderAgreesWithParseWhateverCameBefore) {
  std::vector<std::string> texts = {
      "2026-06-10T11:27:00.001Z",
      "2026-06-10T11:59:59.999Z",
      "2026-06-10T11:00:00Z",
      "2026-06-10T11:27:00+02:00",
      "2026-06-10T11:27:00-0030",
      "2026-06-10t11:27:00,5z",
      "2026-06-10T11:60:00Z",  // minute out of range: same hour, invalid rest
      "2026-06-10T11:27:61Z",
      "2026-06-10T11:27:00",
      "2026-06-10T11:27:00.Z",
      "2026-06-10T11:27:00Zx",
      "2026-06-10T11:27",
      "2026-06-10T11",
      "2026-06-10T12:00:00Z",
      "2026-06-11T11:27:00Z",
      "2026-02-30T11:27:00Z",
      "2026-13-10T11:27:00Z",
      "2026-06-10T24:00:00Z",
      "2026-06-10X11:27:00Z",
      "1970-01-01T00:00:00Z",
      "0000-03-01T00:00:00Z",
      "yesterday",
      "",
      "2026-06-10T11:27:00.123456789+05:30"};
  // Mutants of a valid text: each byte replaced by each of a few others.
  const std::string base = "2026-06-10T11:27:00.001Z";
  for (std::size_t i = 0; i < base.size(); ++i) {
    for (char c : std::string("09-:TZ.+x")) {
      std::string mutant = base;
      mutant[i] = c;
      texts.push_back(mutant);
    }
  }
  std::vector<std::string> sequence;
  for (const std::string& a : texts) {
    for (const std::string& b : texts) {  // every text after every other
      sequence.push_back(a);
      sequence.push_back(b);
    }
  }
  TimestampReader reader;
  std::size_t valid = 0;
  for (const std::string& text : sequence) {
    std::optional<std::int64_t> expected = parse_iso8601_ms(text);
    ASSERT_EQ(reader.parse(text), expected) << text;
    valid += expected.has_value();
  }
  EXPECT_GT(valid, sequence.size() / 10);  // valid texts follow valid ones of the same hour
  simdjson::dom::parser parser;
  EXPECT_EQ(reader.read(parse(parser, "1781090820001")), 1781090820001);
  EXPECT_EQ(reader.read(parse(parser, R"("2026-06-10T11:27:00.001Z")")), 1781090820001);
  EXPECT_FALSE(reader.read(parse(parser, "true")));
}

TEST(Normalize, CanonicalValuesCompareJsonNotText) {
  simdjson::dom::parser parser;
  std::string a, b;
  append_canonical(parse(parser, R"({"b":1.0,"a":["x"]})"), a);
  EXPECT_EQ(a, canonical(nlohmann::json::parse(R"({"a":["x"],"b":1})")));
  append_canonical(parse(parser, R"("\u00e9")"), b);
  EXPECT_EQ(b, canonical(nlohmann::json("\xC3\xA9")));
  EXPECT_EQ(integer_value(parse(parser, "120.0")), 120);
  EXPECT_FALSE(integer_value(parse(parser, "120.5")));
}

TEST(Normalize, JsonStringsEscapeQuotesBackslashesAndControlsOnly) {
  const std::string text = std::string(
                               "a\"b\\c\x01"
                               "d\ne\x1f") +
                           "\xC3\xA9/\x7f" + std::string(1, '\0');
  std::string out = "x";
  append_json_string(text, out);
  EXPECT_EQ(out, "x\"a\\\"b\\\\c\\u0001d\\u000ae\\u001f\xC3\xA9/\x7f\\u0000\"");
  // What it writes reads back as the text, and so does canonical()'s writing of it.
  EXPECT_EQ(nlohmann::json::parse(out.substr(1)).get<std::string>(), text);
  std::string empty;
  append_json_string("", empty);
  EXPECT_EQ(empty, "\"\"");
  std::string plain;
  append_json_string("no escapes at all", plain);
  EXPECT_EQ(plain, "\"no escapes at all\"");
}

TEST(Normalize, AmplitudePointersMapToSegmentNames) {
  simdjson::dom::parser parser;
  auto element = parse(parser, R"({"event_type":"X","event_properties":{"id":"7"},"time":5})");
  EventView view;
  ASSERT_EQ(make_event_view(element, view), ViewResult::event);
  EXPECT_EQ(view.name, "X");
  simdjson::dom::element value;
  ASSERT_TRUE(CompiledPointer("/properties/id").resolve(view, value));
  EXPECT_EQ(std::string_view(value.get_string().value()), "7");
  ASSERT_TRUE(CompiledPointer("/timestamp").resolve(view, value));
  EXPECT_EQ(TimestampReader().read(value), 5);
  EXPECT_FALSE(CompiledPointer("/properties/missing").resolve(view, value));
}

// `/timestamp` is found with the view's other top-level members (Amplitude: `time`); it resolves
// exactly as a look-up by name would.
TEST(Normalize, TheTimestampMemberComesWithTheView) {
  simdjson::dom::parser parser;
  const CompiledPointer timestamp("/timestamp");
  simdjson::dom::element value;
  EventView view;
  auto segment = parse(parser, R"({"type":"track","time":1,"event":"X","timestamp":"t"})");
  ASSERT_EQ(make_event_view(segment, view), ViewResult::event);
  ASSERT_TRUE(timestamp.resolve(view, value));
  EXPECT_EQ(std::string_view(value.get_string().value()), "t");
  EXPECT_TRUE(CompiledPointer("/time").resolve(view, value));  // any other member by name
  EXPECT_EQ(value.get_int64().value(), 1);
  auto amplitude = parse(parser, R"({"event_type":"X","timestamp":"t","time":5})");
  ASSERT_EQ(make_event_view(amplitude, view), ViewResult::event);
  ASSERT_TRUE(timestamp.resolve(view, value));
  EXPECT_EQ(value.get_int64().value(), 5);
  auto none = parse(parser, R"({"event":"X","type":"track","properties":{"timestamp":1}})");
  ASSERT_EQ(make_event_view(none, view), ViewResult::event);
  EXPECT_FALSE(timestamp.resolve(view, value));
  EXPECT_FALSE(CompiledPointer("/timestamp/x").resolve(view, value));
}

}  // namespace
}  // namespace flowproof::conformance::detail

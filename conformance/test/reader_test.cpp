// reader_test.cpp — the streaming reader on its own: line numbers across input shapes (JSON Lines,
// batches, one pretty-printed array), CRLF line ends, and lines that straddle or outgrow the
// 1 MiB read window.
#include "reader.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <utility>
#include <vector>

namespace flowproof::conformance::detail {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;

constexpr std::size_t kWindow = 1 << 20;  // the reader's read window (reader.cpp kChunk)

struct Recorder final : ReaderSink {
  std::vector<std::pair<std::string, std::uint64_t>> events;  // name, line
  std::vector<std::pair<std::uint64_t, std::string>> malformed;
  void on_event(const EventView& event, std::uint64_t line) override {
    events.emplace_back(std::string(event.name), line);
  }
  void on_malformed(std::uint64_t line, std::string message) override {
    malformed.emplace_back(line, std::move(message));
  }
  void on_progress(const ReaderCounters&) override {}
};

// A source that hands out at most `step` bytes per read, so that lines straddle reads.
class TrickleSource final : public ByteSource {
 public:
  TrickleSource(std::string text, std::size_t step) : text_(std::move(text)), step_(step) {}
  std::size_t read(char* buffer, std::size_t size) override {
    std::size_t n = std::min({size, step_, text_.size() - at_});
    std::memcpy(buffer, text_.data() + at_, n);
    at_ += n;
    return n;
  }

 private:
  std::string text_;
  std::size_t step_;
  std::size_t at_ = 0;
};

std::string event(const std::string& name, const std::string& padding = "") {
  std::string line = R"({"type":"track","event":")" + name + R"(","properties":{"i":"x"})";
  if (!padding.empty()) line += R"(,"pad":")" + padding + "\"";
  return line + "}";
}

Recorder read_text(const std::string& text, Limits limits = {}) {
  Recorder sink;
  Reader reader(limits, sink);
  reader.read_text(text);
  return sink;
}

TEST(Reader, JsonLinesCountBlankLinesAndCrlf) {
  Recorder sink = read_text(event("A") + "\r\n\r\n" + event("B") + "\r\n  \n" + event("C"));
  EXPECT_THAT(sink.events, ElementsAre(Pair("A", 1u), Pair("B", 3u), Pair("C", 5u)));
  EXPECT_THAT(sink.malformed, IsEmpty());
}

TEST(Reader, MalformedLinesKeepTheirLineNumbers) {
  Recorder sink = read_text(event("A") + "\n{not json\r\n" + event("B") + "\n[1]\n");
  EXPECT_THAT(sink.events, ElementsAre(Pair("A", 1u), Pair("B", 3u)));
  ASSERT_EQ(sink.malformed.size(), 2u);
  EXPECT_EQ(sink.malformed[0].first, 2u);
  EXPECT_THAT(sink.malformed[0].second, HasSubstr("not JSON"));
  EXPECT_EQ(sink.malformed[1].first, 4u);
}

TEST(Reader, BatchEventsShareTheirLine) {
  Recorder sink = read_text(event("A") + "\n{\"batch\":[" + event("B") + "," + event("C") + "]}\n" +
                            event("D") + "\n");
  EXPECT_THAT(sink.events, ElementsAre(Pair("A", 1u), Pair("B", 2u), Pair("C", 2u), Pair("D", 3u)));
}

TEST(Reader, PrettyPrintedArrayReportsTheLineWhereEachElementStarts) {
  std::string text = "[\n  " + event("A") +
                     ",\r\n\n  {\"type\": \"track\",\n   \"event\": \"B\"}\n, " + event("C") +
                     "\n]\n";
  Recorder sink = read_text(text);
  EXPECT_THAT(sink.events, ElementsAre(Pair("A", 2u), Pair("B", 4u), Pair("C", 6u)));
  EXPECT_THAT(sink.malformed, IsEmpty());
}

TEST(Reader, LinesStraddlingReadsKeepTheirNumbers) {
  std::string text;
  for (int i = 0; i < 50; ++i) text += event("E" + std::to_string(i)) + (i % 2 ? "\r\n" : "\n");
  for (std::size_t step : {1u, 7u, 64u}) {
    Recorder sink;
    Reader reader(Limits{}, sink);
    TrickleSource source(text, step);
    reader.read(source);
    ASSERT_EQ(sink.events.size(), 50u) << "step " << step;
    for (std::size_t i = 0; i < 50; ++i) {
      EXPECT_EQ(sink.events[i], std::make_pair("E" + std::to_string(i), std::uint64_t{i + 1}));
    }
  }
}

TEST(Reader, LineLongerThanTheReadWindowIsReadWhole) {
  std::string long_line = event("Long", std::string(kWindow + kWindow / 2, 'a'));
  Recorder sink = read_text(event("A") + "\n" + long_line + "\r\n" + event("B") + "\n");
  EXPECT_THAT(sink.events, ElementsAre(Pair("A", 1u), Pair("Long", 2u), Pair("B", 3u)));
  EXPECT_THAT(sink.malformed, IsEmpty());
}

TEST(Reader, LineOverTheLimitIsOneFindingAndReadingGoesOn) {
  Limits limits;
  limits.max_line_bytes = kWindow / 2;
  // Over the limit but inside one window, and over the limit across several windows.
  std::string text = event("A") + "\n" + event("Big", std::string(kWindow / 2 + 10, 'b')) + "\n" +
                     event("B") + "\n" + event("Huge", std::string(3 * kWindow, 'c')) + "\n" +
                     event("C") + "\n";
  Recorder sink = read_text(text, limits);
  EXPECT_THAT(sink.events, ElementsAre(Pair("A", 1u), Pair("B", 3u), Pair("C", 5u)));
  ASSERT_EQ(sink.malformed.size(), 2u);
  EXPECT_EQ(sink.malformed[0].first, 2u);
  EXPECT_THAT(sink.malformed[0].second, HasSubstr("longer than"));
  EXPECT_EQ(sink.malformed[1].first, 4u);
}

TEST(Reader, LastLineWithoutNewlineAndCountersAddUp) {
  Recorder sink;
  Reader reader(Limits{}, sink);
  std::string text = event("A") + "\n\n" + "{\"type\":\"identify\"}\n" + event("B");
  reader.read_text(text);
  EXPECT_THAT(sink.events, ElementsAre(Pair("A", 1u), Pair("B", 4u)));
  const ReaderCounters& counters = reader.counters();
  EXPECT_EQ(counters.bytes, text.size());
  EXPECT_EQ(counters.lines, 4u);
  EXPECT_EQ(counters.blank, 1u);
  EXPECT_EQ(counters.skipped, 1u);
  EXPECT_EQ(counters.events, 2u);
}

TEST(Reader, DuplicateKeyNamesTheSmallestDuplicatedKey) {
  Recorder sink =
      read_text(R"({"type":"track","event":"A","properties":{"b":1,"a":1,"b":2,"a":2}})"
                "\n"
                R"({"type":"track","event":"B","properties":{"x":[{"k":1},{"k":1,"k":2}]}})"
                "\n");
  EXPECT_THAT(sink.events, IsEmpty());
  ASSERT_EQ(sink.malformed.size(), 2u);
  EXPECT_THAT(sink.malformed[0].second, HasSubstr("duplicate key at /properties/a"));
  EXPECT_THAT(sink.malformed[1].second, HasSubstr("duplicate key at /properties/x/1/k"));
}

std::string duplicate_in(const std::string& json) {
  simdjson::dom::parser parser;
  const simdjson::dom::element root = parser.parse(json).value();
  DuplicateKeyScratch scratch;
  return duplicate_key(root, scratch);
}

TEST(DuplicateKey, KeysThatShareTheirHeadsAreStillDifferent) {
  // Same size, same first and last four bytes: the quick test of heads agrees, the exact one not.
  EXPECT_EQ(duplicate_in(R"({"abcdXXefgh":1,"abcdYYefgh":2})"), "");
  EXPECT_EQ(duplicate_in(R"({"abcdXXefgh":1,"abcdYYefgh":2,"abcdXXefgh":3})"), "/abcdXXefgh");
  // Short keys (under four bytes) and keys that differ only in size.
  EXPECT_EQ(duplicate_in(R"({"a":1,"ab":2,"abc":3,"":4,"abcabc":5})"), "");
  EXPECT_EQ(duplicate_in(R"({"":1,"a":2,"":3})"), "/");
  EXPECT_EQ(duplicate_in(R"({"x~y/z":1,"x~y/z":2})"), "/x~0y~1z");
}

TEST(DuplicateKey, FirstObjectInDocumentOrderThenSmallestKey) {
  EXPECT_EQ(duplicate_in(R"({"z":{"b":1,"b":2},"a":[{"c":1,"c":2}]})"), "/z/b");
  EXPECT_EQ(duplicate_in(R"({"a":[1,{"q":1},{"c":1,"d":1,"d":2,"c":2}]})"), "/a/2/c");
  EXPECT_EQ(duplicate_in(R"([{"k":1},[{"k":1,"k":2}]])"), "/1/0/k");
  EXPECT_EQ(duplicate_in(R"({"a":{"b":{"c":{}}},"d":[[]]})"), "");
}

std::string wrapper_duplicate_in(const std::string& json, std::string_view list) {
  simdjson::dom::parser parser;
  const simdjson::dom::element root = parser.parse(json).value();
  DuplicateKeyScratch scratch;
  return duplicate_key(root, scratch, list);
}

TEST(DuplicateKey, AWrapperIsCheckedButForItsListOfEvents) {
  EXPECT_EQ(wrapper_duplicate_in(R"({"batch":[],"batch":[]})", "batch"), "/batch");
  EXPECT_EQ(wrapper_duplicate_in(R"({"events":[],"ctx":{"a":{"b":1,"b":2}}})", "events"),
            "/ctx/a/b");
  // The list's elements are left to the per-event check; other arrays are not.
  EXPECT_EQ(wrapper_duplicate_in(R"({"batch":[{"e":1,"e":2}],"sentAt":"x"})", "batch"), "");
  EXPECT_EQ(wrapper_duplicate_in(R"({"batch":[],"extra":[{"e":1,"e":2}]})", "batch"), "/extra/0/e");
}

TEST(DuplicateKey, ObjectsWithManyKeysAreSortedInstead) {
  std::string many = "{";
  for (int i = 0; i < 40; ++i)
    many += "\"key" + std::to_string(i) + "\":" + std::to_string(i) + ",";
  std::string distinct = many;
  distinct.back() = '}';
  EXPECT_EQ(duplicate_in(distinct), "");
  EXPECT_EQ(duplicate_in(many + "\"key7\":0,\"key12\":0}"), "/key12");  // the smallest of two
}

// has_duplicate_key() reads simdjson's tape to let the reader skip duplicate_key()'s walks; it
// must say "maybe" wherever duplicate_key() would find one (a miss would pass a bad event).
bool tape_says_duplicate(const std::string& json) {
  simdjson::dom::parser parser;
  (void)parser.parse(json).value();  // throws on bad JSON: every case here is valid
  return has_duplicate_key(parser.doc);
}

TEST(TapeDuplicateKey, AgreesWithTheWalkOnEveryShape) {
  const std::vector<std::string> documents = {
      R"({})",
      R"([])",
      R"({"a":1})",
      R"({"a":1,"a":2})",
      R"({"a":1,"b":2,"a":3})",
      R"({"":1,"":2})",
      R"({"a":1,"ab":2,"abc":3,"":4,"abcabc":5})",
      R"({"abcdXXefgh":1,"abcdYYefgh":2})",
      R"({"abcdXXefgh":1,"abcdYYefgh":2,"abcdXXefgh":3})",
      // numbers take two tape words, literals one, containers are jumped over
      R"({"i":-1,"u":18446744073709551615,"d":1.5,"t":true,"f":false,"n":null,"i":0})",
      R"({"i":-1,"u":18446744073709551615,"d":1.5,"t":true,"f":false,"n":null,"s":"i"})",
      // a string value equal to a key is not a key
      R"({"a":"a","b":"a"})",
      R"({"a":["a","a"],"b":{"a":"a"}})",
      // nested: in objects, in arrays, after containers, at the end
      R"({"z":{"b":1,"b":2},"a":[{"c":1,"c":2}]})",
      R"({"x":[1,{"q":1},{"c":1,"d":1,"d":2}]})",
      R"([{"k":1},[{"k":1,"k":2}]])",
      R"({"a":{"b":{"c":{}}},"d":[[]]})",
      R"({"a":{"b":{"c":{"e":1,"e":2}}}})",
      R"({"a":[],"b":{},"a":0})",
      R"({"a":{"x":1},"b":{"x":1}})",
      R"([{"a":1},{"a":1}])",
      R"({"e\u0041":1,"eA":2})",
      R"({"e\"":1,"e\\":2})",
  };
  for (const std::string& json : documents) {
    EXPECT_EQ(tape_says_duplicate(json), !duplicate_in(json).empty()) << json;
  }
}

TEST(TapeDuplicateKey, LeavesManyKeysAndDeepNestingToTheWalk) {
  std::string many = "{";
  for (int i = 0; i < 40; ++i)
    many += "\"key" + std::to_string(i) + "\":" + std::to_string(i) + ",";
  many.back() = '}';
  EXPECT_TRUE(tape_says_duplicate(many));  // "maybe": duplicate_key() sorts and decides
  EXPECT_EQ(duplicate_in(many), "");
  std::string deep;
  for (int i = 0; i < 20; ++i) deep += R"({"a":)";
  deep += "1" + std::string(20, '}');
  EXPECT_TRUE(tape_says_duplicate(deep));
  EXPECT_EQ(duplicate_in(deep), "");
  std::string shallow;
  for (int i = 0; i < 10; ++i) shallow += R"({"a":)";
  shallow += "1" + std::string(10, '}');
  EXPECT_FALSE(tape_says_duplicate(shallow));
}

TEST(TapeDuplicateKey, ALineWithADuplicateStillNamesItThroughTheReader) {
  // The fast answer only gates the walk: a line whose duplicate sits deep in an array of objects
  // still gets the walk's pointer, and the clean line after it is read.
  Recorder sink =
      read_text(R"({"type":"track","event":"A","properties":{"x":[1,2.5,{"k":[{"m":1,"m":2}]}]}})"
                "\n"
                R"({"type":"track","event":"B","properties":{"x":[1,2.5,{"k":[{"m":1,"n":2}]}]}})"
                "\n");
  ASSERT_EQ(sink.malformed.size(), 1u);
  EXPECT_THAT(sink.malformed[0].second, HasSubstr("duplicate key at /properties/x/2/k/0/m"));
  EXPECT_THAT(sink.events, ElementsAre(Pair("B", 2u)));
}

}  // namespace
}  // namespace flowproof::conformance::detail

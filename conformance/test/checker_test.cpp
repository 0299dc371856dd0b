// checker_test.cpp — the Checker end to end: every rule violated and conformed, the edges of each,
// severities, waivers, coverage, and the contract's conformance vectors run in process.
#include <flowproof/conformance/checker.hpp>
#include <flowproof/conformance/coverage.hpp>
#include <flowproof/conformance/plan.hpp>

#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

namespace flowproof::conformance {
namespace {

using ::testing::HasSubstr;

using nlohmann::json;

std::filesystem::path source_dir() {
  const char* dir = std::getenv("FLOWPROOF_SOURCE_DIR");
  return dir ? std::filesystem::path(dir)
             : std::filesystem::path(FLOWPROOF_TEST_DATA_DIR) / "../../..";
}

std::filesystem::path data_dir() { return source_dir() / "conformance/test/data"; }

const Plan& example_plan() {
  static const Plan plan = load_plan(data_dir() / "streams/cli.plan.json");
  return plan;
}

Plan plan_with(const std::function<void(json&)>& edit) {
  std::ifstream in(data_dir() / "streams/cli.plan.json");
  json document = json::parse(in);
  edit(document);
  return parse_plan(document.dump(), "edited.plan.json");
}

constexpr const char* kInvocation = "d7ec5d61-8fd5-4fc1-a018-d089bf1d11a0";

// One event of the example plan's invocation, with base properties and a timestamp `ms` after
// 2026-06-10T11:27:00.000Z.
json event(const std::string& name, int sequence, json properties = json::object(), int ms = 0) {
  properties["invocation_id"] = kInvocation;
  properties["sequence"] = sequence;
  properties["command"] = "application create";
  properties["app_id"] = nullptr;
  properties["flags"] = nullptr;
  char timestamp[64];
  std::snprintf(timestamp, sizeof timestamp, "2026-06-10T11:27:%02d.%03dZ", ms / 1000, ms % 1000);
  return {{"type", "track"}, {"event", name}, {"properties", properties}, {"timestamp", timestamp}};
}

std::string lines(const std::vector<json>& events) {
  std::string text;
  for (const auto& e : events) text += (e.is_string() ? e.get<std::string>() : e.dump()) + "\n";
  return text;
}

Report run(const Plan& plan, const std::vector<json>& events, CheckOptions options = {}) {
  Checker checker(plan, std::move(options));
  checker.add_text("events.jsonl", lines(events));
  return checker.finish();
}

std::set<std::string> rules(const Report& report) {
  std::set<std::string> out;
  for (const auto& v : report.violations) {
    if (!v.waived) out.insert(v.rule);
  }
  return out;
}

const Violation* first(const Report& report, const std::string& rule) {
  for (const auto& v : report.violations) {
    if (v.rule == rule) return &v;
  }
  return nullptr;
}

// A conforming create funnel inside its command: the base case every test varies.
std::vector<json> create_completed() {
  return {event("Command Invoked", 1, {}, 1), event("CLI Application Create Started", 2, {}, 6),
          event("CLI Application Create Accepted Terms", 3, {{"plan", "free"}}, 706),
          event("CLI Application Create Completed", 4,
                {{"region", "us"}, {"plan", "free"}, {"duration_ms", 2200}}, 2206),
          event("Command Completed", 5,
                {{"succeeded", true}, {"exit_code", 0}, {"duration_ms", 2215}}, 2216)};
}

json with(json e, const std::string& key, json value) {
  e["properties"][key] = std::move(value);
  return e;
}

json without(json e, const std::string& key) {
  e["properties"].erase(key);
  return e;
}

// ---- FP001 and reading -----------------------------------------------------------------------

TEST(Reading, MalformedLineInTheMiddleIsOneFindingAndReadingGoesOn) {
  auto events = create_completed();
  events.insert(events.begin() + 2, json("{not json"));
  Report report = run(example_plan(), events);
  EXPECT_EQ(rules(report), std::set<std::string>{"FP001"});
  const Violation* v = first(report, "FP001");
  ASSERT_NE(v, nullptr);
  ASSERT_EQ(v->at.size(), 1u);
  EXPECT_EQ(v->at[0].line, 3u);
  EXPECT_FALSE(v->invocation.has_value());
  EXPECT_EQ(report.summary.events, 5u);
  EXPECT_EQ(report.summary.malformed, 1u);
  EXPECT_EQ(report.summary.lines, 6u);
}

TEST(Reading, BlankLinesAreCountedNotMalformed) {
  Checker checker(example_plan());
  checker.add_text("a", "\n" + lines(create_completed()) + "   \n\n");
  Report report = checker.finish();
  EXPECT_TRUE(report.violations.empty());
  EXPECT_EQ(report.summary.blank, 3u);
  EXPECT_EQ(report.summary.lines, 8u);
  EXPECT_EQ(report.summary.lines,
            report.summary.blank + report.summary.malformed + report.summary.events);
}

TEST(Reading, EventWithoutNameAndNonObjectsAreMalformed) {
  Report report = run(example_plan(), {json("[1, 2]"), json("42"), json(R"({"type":"track"})"),
                                       json(R"({"type":"track","event":""})")});
  EXPECT_EQ(report.summary.malformed, 4u);
  ASSERT_EQ(report.violations.size(), 4u);
  for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ(report.violations[i].at[0].line, i + 1);
}

TEST(Reading, OtherSegmentCallsAreSkipped) {
  auto events = create_completed();
  events.push_back(json{{"type", "identify"}, {"traits", {{"email", "a@b.example"}}}});
  Report report = run(example_plan(), events);
  EXPECT_TRUE(report.passed());
  EXPECT_EQ(report.summary.skipped, 1u);
  EXPECT_EQ(report.summary.events, 5u);
}

TEST(Reading, BatchElementsAreEventsOfTheirLine) {
  auto events = create_completed();
  json batch = {{"batch", json::array()}};
  for (std::size_t i = 1; i < events.size(); ++i) batch["batch"].push_back(events[i]);
  Report report = run(example_plan(), {events[0], batch, json("oops")});
  EXPECT_EQ(report.summary.events, 5u);
  EXPECT_EQ(rules(report), std::set<std::string>{"FP001"});
  EXPECT_EQ(report.violations[0].at[0].line, 3u);
}

json amplitude(const json& segment, long long time_ms) {
  json out = {{"event_type", segment["event"]},
              {"event_properties", segment["properties"]},
              {"time", time_ms},
              {"device_id", "a3f1c0de9b"},
              {"insert_id", "x"}};
  return out;
}

TEST(Reading, AmplitudeEventsAndUploadsAreNormalised) {
  auto events = create_completed();
  const long long base = 1781090820000;  // 2026-06-10T11:27:00.000Z
  std::vector<int> offsets = {1, 6, 706, 2206, 2216};
  json upload = {{"api_key", "k"}, {"events", json::array()}};
  for (std::size_t i = 2; i < events.size(); ++i) {
    upload["events"].push_back(amplitude(events[i], base + offsets[i]));
  }
  Report report =
      run(example_plan(), {amplitude(events[0], base + 1), amplitude(events[1], base + 6), upload});
  EXPECT_TRUE(report.violations.empty()) << to_json(report)["violations"].dump(1);
  EXPECT_EQ(report.summary.events, 5u);
  EXPECT_EQ(report.summary.instances, 2u);
}

TEST(Reading, AmplitudeTimeFeedsTheDurationSpan) {
  auto events = create_completed();
  events[3]["properties"]["duration_ms"] = 5000;  // span is 2200 ms
  const long long base = 1781090820000;
  std::vector<int> offsets = {1, 6, 706, 2206, 2216};
  std::vector<json> amp;
  for (std::size_t i = 0; i < events.size(); ++i)
    amp.push_back(amplitude(events[i], base + offsets[i]));
  EXPECT_EQ(rules(run(example_plan(), amp)), std::set<std::string>{"FP108"});
}

TEST(Reading, ArrayOfObjectsOnOneLine) {
  auto events = create_completed();
  json array = json::array();
  for (const auto& e : events) array.push_back(e);
  Report report = run(example_plan(), {array});
  EXPECT_TRUE(report.violations.empty());
  EXPECT_EQ(report.summary.events, 5u);
  EXPECT_EQ(report.summary.lines, 1u);
}

TEST(Reading, PrettyPrintedArrayFileReportsTheLineWhereEachElementStarts) {
  auto events = create_completed();
  events[3] = without(events[3], "region");  // FP006 on the fourth element
  json array = json::array();
  for (const auto& e : events) array.push_back(e);
  std::string text = array.dump(2);
  Checker checker(example_plan());
  checker.add_text("pretty.json", text);
  Report report = checker.finish();
  EXPECT_EQ(report.summary.events, 5u);
  ASSERT_EQ(rules(report), std::set<std::string>{"FP006"});
  // Find the line of the fourth element's opening brace.
  std::uint64_t line = 1;
  int seen = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') ++line;
    if (text[i] == '{' && i >= 2 && text.compare(i - 2, 2, "  ") == 0 && text[i - 3] == '\n') {
      if (++seen == 4) break;
    }
  }
  EXPECT_EQ(first(report, "FP006")->at[0].line, line);
}

// The directory the reading tests write their files to: one per process, since ctest runs each
// test as a process of its own, in parallel, and the tests reuse file names.
std::filesystem::path reading_dir() {
  auto dir = std::filesystem::temp_directory_path() /
             ("flowproof_checker_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir;
}

// Writes `text` gzip-compressed (an empty text gives an empty but complete gzip stream).
void write_gzip(const std::filesystem::path& path, const std::string& text) {
  gzFile file = gzopen(path.string().c_str(), "wb");
  ASSERT_NE(file, nullptr);
  if (!text.empty()) gzwrite(file, text.data(), static_cast<unsigned>(text.size()));
  gzclose(file);
}

std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void write_bytes(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary)
      .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// `text` gzip-compressed, as one gzip member.
std::string gzip_bytes(const std::string& text) {
  const auto path = reading_dir() / "member.gz";
  write_gzip(path, text);
  return read_bytes(path);
}

const char* const kIdentifyLine = "{\"type\":\"identify\",\"userId\":\"u\"}\n";

// A .gz file cut short (a copy interrupted, a disk full) loses the events after the cut; when the
// cut falls between lines nothing else would show it, so it is an input that cannot be read.
TEST(Reading, TruncatedGzipFileIsAnInputError) {
  const auto dir = reading_dir();
  const std::string bytes = gzip_bytes(lines(create_completed()));
  // Without the 8-byte trailer every line decompresses, yet the stream never ended; cut further,
  // the last line is cut too.
  for (std::size_t cut : {std::size_t{8}, bytes.size() / 2}) {
    SCOPED_TRACE("cut " + std::to_string(cut));
    auto path = dir / "cut.jsonl.gz";
    write_bytes(path, bytes.substr(0, bytes.size() - cut));
    Checker checker(example_plan());
    try {
      checker.add_file(path);
      FAIL() << "a truncated gzip file was read without an error";
    } catch (const InputError& error) {
      EXPECT_NE(
          std::string(error.what()).find("cut.jsonl.gz: cannot decompress: unexpected end of file"),
          std::string::npos)
          << error.what();
    }
  }
  // Corrupt data inside the stream: the file is named once, then zlib's reason.
  {
    std::string corrupt = bytes;
    corrupt[corrupt.size() - 6] = static_cast<char>(corrupt[corrupt.size() - 6] ^ 0x5a);  // CRC
    auto path = dir / "corrupt.jsonl.gz";
    write_bytes(path, corrupt);
    Checker checker(example_plan());
    try {
      checker.add_file(path);
      FAIL() << "a corrupt gzip file was read without an error";
    } catch (const InputError& error) {
      EXPECT_EQ(std::string(error.what()),
                path.string() + ": cannot decompress: incorrect data check");
    }
  }
  // An empty but complete gzip stream is fine.
  auto empty = dir / "empty.jsonl.gz";
  write_gzip(empty, "");
  Checker checker(example_plan());
  checker.add_file(empty);
  EXPECT_EQ(checker.finish().summary.lines, 0u);
}

// Whatever follows the last gzip member is read or refused, never ignored: a second member (a
// concatenation of gzip files is one gzip file) is read, a damaged one or stray bytes are an input
// error, and so is a file that is not gzip at all.
TEST(Reading, GzipMembersAndTrailingData) {
  const auto dir = reading_dir();
  const std::string first = lines(create_completed());
  const std::string one = gzip_bytes(first);
  const std::string two = gzip_bytes(kIdentifyLine);
  auto check = [&](const std::string& name, const std::string& bytes) {
    const auto path = dir / name;
    write_bytes(path, bytes);
    Checker checker(example_plan());
    checker.add_file(path);
    return checker.finish();
  };
  const Report both = check("both.jsonl.gz", one + two);  // first: 5 events
  EXPECT_EQ(both.summary.events, 5u);
  EXPECT_EQ(both.summary.skipped, 1u);  // the second member's line was read
  auto refused = [&](const std::string& name, const std::string& bytes) {
    try {
      check(name, bytes);
      ADD_FAILURE() << name << " was read without an error";
      return std::string();
    } catch (const InputError& error) {
      return std::string(error.what());
    }
  };
  std::string damaged = one + two;
  damaged[one.size()] =
      static_cast<char>(damaged[one.size()] ^ 0x01);  // the second member's first magic byte
  EXPECT_THAT(refused("damaged.jsonl.gz", damaged),
              HasSubstr("damaged.jsonl.gz: cannot decompress: the data after the end of the gzip "
                        "stream (at byte " +
                        std::to_string(one.size()) + ") is not gzip"));
  EXPECT_THAT(refused("garbage.jsonl.gz", one + "garbage"),
              HasSubstr("garbage.jsonl.gz: cannot decompress: the data after the end of the gzip "
                        "stream"));
  EXPECT_THAT(refused("plain.jsonl.gz", first),
              HasSubstr("plain.jsonl.gz: cannot decompress: not gzip data"));
  EXPECT_THAT(refused("empty.jsonl.gz", ""),
              HasSubstr("empty.jsonl.gz: cannot decompress: the file is empty (not even a gzip "
                        "header)"));
  EXPECT_EQ(check("nothing.jsonl.gz", gzip_bytes("")).summary.lines, 0u);  // gzip of no lines
  // Zero padding after the last member is accepted, as gzip -t accepts it; a non-zero byte in
  // it is not (session-8 review).
  const std::string padded = one + std::string(512, '\0');
  EXPECT_EQ(check("padded.jsonl.gz", padded).summary.events, 5u);
  EXPECT_THAT(refused("padded-then-x.jsonl.gz", padded + "x"), HasSubstr("is not gzip"));
  // gzip data is recognised by its first byte whatever the name.
  EXPECT_EQ(check("unnamed.jsonl", one).summary.events, 5u);
}

// Any damage to a .gz input is read or refused, never a crash and never a silent partial read:
// every single-bit flip of a two-member file either raises InputError or reads lines that are all
// accounted for (a flip inside stored data that still decompresses, e.g. in the header's name or
// time fields, may pass; the CRC catches flips in the data).
TEST(Reading, EveryByteFlipOfAGzipFileIsReadOrRefused) {
  const auto dir = reading_dir();
  const std::string whole = gzip_bytes(lines(create_completed())) + gzip_bytes(kIdentifyLine);
  const auto path = dir / "flipped.jsonl.gz";
  std::size_t refused = 0;
  for (std::size_t i = 0; i < whole.size(); ++i) {
    std::string flipped = whole;
    flipped[i] = static_cast<char>(flipped[i] ^ 0x10);
    write_bytes(path, flipped);
    Checker checker(example_plan());
    try {
      checker.add_file(path);
    } catch (const InputError& error) {
      ++refused;
      EXPECT_NE(std::string(error.what()).find("flipped.jsonl.gz: cannot decompress"),
                std::string::npos)
          << "byte " << i << ": " << error.what();
      continue;
    }
    const Summary summary = checker.finish().summary;
    EXPECT_EQ(summary.lines, 6u) << "byte " << i << " was read as a different file";
  }
  EXPECT_GT(refused, whole.size() / 2);  // most flips hit compressed data, a CRC or a length
}

TEST(Reading, GzipFileAndIstreamAndMissingFile) {
  std::string text = lines(create_completed());
  const auto dir = reading_dir();
  auto path = dir / "events.jsonl.gz";
  write_gzip(path, text);
  {
    Checker checker(example_plan());
    checker.add_file(path);
    Report report = checker.finish();
    EXPECT_EQ(report.summary.events, 5u);
    EXPECT_TRUE(report.passed());
    EXPECT_EQ(report.inputs, std::vector<std::string>{path.string()});
  }
  {
    std::istringstream in(text + "{broken\n");
    Checker checker(example_plan());
    checker.add_stream("-", in);
    Report report = checker.finish();
    EXPECT_EQ(report.summary.events, 5u);
    ASSERT_EQ(rules(report), std::set<std::string>{"FP001"});
    EXPECT_EQ(report.violations[0].at[0].input, "-");
    EXPECT_EQ(report.violations[0].at[0].line, 6u);
  }
  Checker checker(example_plan());
  EXPECT_THROW(checker.add_file(dir / "missing.jsonl"), InputError);
  EXPECT_THROW(checker.add_file(dir), InputError);
  try {
    checker.add_file(dir / "missing.jsonl");
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("missing.jsonl"), std::string::npos);
  }
  std::filesystem::remove_all(dir);
}

TEST(Reading, LimitsMakeFindingsNotCrashes) {
  CheckOptions options;
  options.limits.max_line_bytes = 100;
  options.limits.max_depth = 8;
  std::string deep = R"({"type":"track","event":"x","properties":{"a":[[[[[[[[[[1]]]]]]]]]]}})";
  Checker checker(example_plan(), options);
  checker.add_text("in", std::string(300, ' ') + "{}\n" + deep + "\n" + std::string(500, 'x') +
                             "\n" + lines({create_completed()[0]}));
  Report report = checker.finish();
  // "{}" (no event name), too deep, too long, and the event line, longer than 100 bytes too.
  EXPECT_EQ(report.summary.malformed, 4u);
  EXPECT_EQ(report.summary.lines, 4u);
  EXPECT_EQ(report.summary.events, 0u);  // the last line is longer than 100 bytes too
}

TEST(Reading, RecordedEventsGoThroughTheSamePath) {
  std::vector<harness::Event> recorded;
  for (const auto& e : create_completed()) {
    harness::Event event;
    event.name = e["event"];
    event.properties = e["properties"];
    event.timestamp = e["timestamp"];
    recorded.push_back(event);
  }
  EXPECT_TRUE(check(example_plan(), recorded).passed());
  recorded.erase(recorded.begin() + 3);  // the Completed
  Report report = check(example_plan(), recorded);
  EXPECT_FALSE(report.passed());
  EXPECT_TRUE(rules(report).count("FP103"));
}

// ---- FP002-FP008
// ---------------------------------------------------------------------------------

// The checker keeps a reference to its plan: a temporary plan would dangle (session-8 review: it
// compiled, then aborted with "pure virtual method called").
static_assert(std::is_constructible_v<Checker, const Plan&>);
static_assert(!std::is_constructible_v<Checker, Plan&&>);
static_assert(!std::is_constructible_v<Checker, Plan>);

TEST(Envelope, MissingKeyIsReportedOnceAndLeavesAGap) {
  auto events = create_completed();
  events[2] = without(events[2], "invocation_id");
  Report report = run(example_plan(), events);
  EXPECT_EQ(rules(report), (std::set<std::string>{"FP002", "FP004"}));
  EXPECT_FALSE(first(report, "FP002")->invocation.has_value());
}

// A key that is there but of the wrong type is named as such, not as missing (session-8 review).
TEST(Envelope, AKeyOfTheWrongTypeIsNotCalledMissing) {
  auto events = create_completed();
  events[2] = with(events[2], "invocation_id", json{{"id", 1}});
  const Report report = run(example_plan(), events);
  ASSERT_NE(first(report, "FP002"), nullptr);
  EXPECT_THAT(first(report, "FP002")->message,
              HasSubstr("has an invocation key {\"id\":1} at /properties/invocation_id that is "
                        "not a string or a number"));
  events[2] = without(events[2], "invocation_id");
  EXPECT_THAT(first(run(example_plan(), events), "FP002")->message,
              HasSubstr("has no invocation key /properties/invocation_id"));
}

TEST(Envelope, OrderValueMustBeAnInteger) {
  auto events = create_completed();
  events[4] = with(events[4], "sequence", "5");
  EXPECT_TRUE(rules(run(example_plan(), events)).count("FP002"));
  events[4] = with(events[4], "sequence", 5.0);  // integer-valued float is an integer
  EXPECT_TRUE(run(example_plan(), events).violations.empty());
  // An integer beyond int64 is FP002 too, and the message says why.
  events[4] = with(events[4], "sequence", 9223372036854775808ULL);
  const Report huge = run(example_plan(), events);
  ASSERT_NE(first(huge, "FP002"), nullptr);
  EXPECT_THAT(first(huge, "FP002")->message,
              HasSubstr("9223372036854775808 at /properties/sequence that is out of range"));
  events[4] = with(events[4], "sequence", 5.5);
  EXPECT_THAT(first(run(example_plan(), events), "FP002")->message,
              HasSubstr("that is not an integer"));
}

TEST(Envelope, NumericInvocationKeysAreStringified) {
  Plan plan = plan_with([](json& p) { p.erase("base_properties"); });
  auto events = create_completed();
  for (auto& e : events) e["properties"]["invocation_id"] = 42;
  Report report = run(plan, events);
  EXPECT_TRUE(report.violations.empty()) << to_json(report)["violations"].dump(1);
  EXPECT_EQ(report.summary.invocations, 1u);
}

// The shortest text that reads back as the same double: a producer that sends 0.1 as a number
// on one event and "0.1" on the next means one invocation (before session 7 the number was
// "0.10000000000000001", two invocations).
TEST(Envelope, FractionalInvocationKeysAreStringifiedInTheirShortestForm) {
  Plan plan = plan_with([](json& p) {
    p.erase("base_properties");
    p.erase("invocation_constant");  // (0.1 and "0.1" are different values: FP007)
  });
  auto events = create_completed();
  for (std::size_t i = 0; i < events.size(); ++i) {
    events[i]["properties"]["invocation_id"] = i % 2 == 0 ? json(0.1) : json("0.1");
  }
  Report report = run(plan, events);
  EXPECT_TRUE(report.violations.empty()) << to_json(report)["violations"].dump(1);
  EXPECT_EQ(report.summary.invocations, 1u);
}

// An empty key is present, so it is a key like any other (a plan can refuse it with a base schema
// `minLength`). Before session 7 an empty key on the first event crashed the check.
TEST(Envelope, AnEmptyInvocationKeyIsAKeyLikeAnyOther) {
  Plan plan = plan_with([](json& p) { p.erase("base_properties"); });
  auto events = create_completed();
  for (auto& e : events) e["properties"]["invocation_id"] = "";
  Report report = run(plan, events);
  EXPECT_TRUE(report.violations.empty()) << to_json(report)["violations"].dump(1);
  EXPECT_EQ(report.summary.invocations, 1u);
  events.push_back(events.front());  // a second Command Invoked, sequence 1 again
  EXPECT_TRUE(rules(run(plan, events)).count("FP003"));
}

TEST(Envelope, OutOfOrderArrivalIsRestored) {
  auto events = create_completed();
  std::swap(events[1], events[3]);  // Completed arrives before Started
  Report report = run(example_plan(), events);
  EXPECT_TRUE(report.violations.empty()) << to_json(report)["violations"].dump(1);
}

TEST(Envelope, DuplicateSequenceTakesPartInFlowChecks) {
  auto events = create_completed();
  // Sequence 4 twice: a second Completed with the same number is also a second terminal.
  events.insert(events.begin() + 4, events[3]);
  Report report = run(example_plan(), events);
  EXPECT_EQ(rules(report), (std::set<std::string>{"FP003", "FP104"}));
  // Arriving in order, the first of the two is known: `at` names both (lines 4 and 5).
  const Violation* twice = first(report, "FP003");
  ASSERT_EQ(twice->at.size(), 2u);
  EXPECT_EQ(twice->at[0].line, 4u);
  EXPECT_EQ(twice->at[1].line, 5u);
}

TEST(Envelope, GapAtTheStartVersusInTheMiddle) {
  auto events = create_completed();
  auto start = events;
  start.erase(start.begin());  // sequence 1 lost
  start[3] = with(start[3], "sequence", 5);
  Report report = run(example_plan(), {start[0]});
  ASSERT_NE(first(report, "FP004"), nullptr);
  EXPECT_NE(first(report, "FP004")->message.find("begins at sequence 2"), std::string::npos)
      << first(report, "FP004")->message;
  auto middle = events;
  middle.erase(middle.begin() + 2);  // sequence 3 lost
  report = run(example_plan(), middle);
  EXPECT_EQ(rules(report), std::set<std::string>{"FP004"});
  EXPECT_TRUE(report.passed());  // a warning
  EXPECT_NE(first(report, "FP004")->message.find("sequence 3 never arrived"), std::string::npos);
  EXPECT_EQ(first(report, "FP004")->severity, Severity::warning);
}

TEST(Envelope, UnknownEventIsStillCheckedForBaseAndPersonalData) {
  auto events = create_completed();
  events.push_back(with(event("Mystery Happened", 6), "note", "mail me at a@b.example"));
  events.back() = without(events.back(), "command");
  Report report = run(example_plan(), events);
  EXPECT_EQ(rules(report), (std::set<std::string>{"FP005", "FP006", "FP008"}));
}

// The checker finds an event's role by a hash of its name's size and ends: names alike there
// must still be told apart, and an undeclared one among them is still unknown.
TEST(Envelope, EventNamesAlikeAtBothEndsAreToldApart) {
  Plan plan = plan_with([](json& p) {
    for (const char* name : {"Stand-Alone A Event Here", "Stand-Alone B Event Here"}) {
      p["events"][name] = {{"schema", {{"type", "object"}, {"required", {"marker"}}}}};
    }
  });
  auto events = create_completed();
  events.push_back(with(event("Stand-Alone B Event Here", 6), "marker", 1));
  events.push_back(event("Stand-Alone A Event Here", 7));  // no marker: its own schema fails
  events.push_back(event("Stand-Alone C Event Here", 8));  // declared by no one
  Report report = run(plan, events);
  EXPECT_EQ(rules(report), (std::set<std::string>{"FP005", "FP006"}));
  std::vector<std::string> named;
  for (const auto& v : report.violations) named.push_back(v.rule + " " + v.event.value_or(""));
  EXPECT_EQ(named, (std::vector<std::string>{"FP006 Stand-Alone A Event Here",
                                             "FP005 Stand-Alone C Event Here"}));
}

TEST(Envelope, SchemaBothBaseAndEvent) {
  auto events = create_completed();
  events[2] = with(events[2], "plan", "build");
  Report report = run(example_plan(), events);
  EXPECT_EQ(rules(report), std::set<std::string>{"FP006"});
  EXPECT_EQ(first(report, "FP006")->flow, "application_create");
  events = create_completed();
  events[0] = with(events[0], "app_id", 5);
  EXPECT_EQ(rules(run(example_plan(), events)), std::set<std::string>{"FP006"});
}

TEST(Envelope, ConstantPropertyComparedCanonically) {
  auto events = create_completed();
  events[1] = with(events[1], "flags", json::array({"--yes"}));
  events[0] = with(events[0], "flags", json::array({"--yes"}));
  Plan plan = plan_with([](json& p) {
    p["invocation_constant"].push_back("exit_code_like");
    p["base_properties"]["properties"]["exit_code_like"] = {{"type", "number"}};
  });
  for (auto& e : events) e["properties"]["exit_code_like"] = 1;
  events[4]["properties"]["exit_code_like"] = 1.0;  // the same JSON value
  Report report = run(plan, events);
  EXPECT_TRUE(rules(report).count("FP007"));  // flags changed from ["--yes"] to null
  const Violation* v = first(report, "FP007");
  ASSERT_EQ(v->at.size(), 2u);
  // Both events are named, in input order, with their sequences: where the first value was seen
  // and the change (before session 7 the first had no sequence).
  EXPECT_EQ(v->at[0].sequence, std::optional<std::int64_t>(1));
  EXPECT_EQ(v->at[1].sequence, std::optional<std::int64_t>(3));
  EXPECT_NE(v->message.find("flags changed from [\"--yes\"] to null"), std::string::npos)
      << v->message;
  for (const auto& violation : report.violations) {
    EXPECT_EQ(violation.message.find("exit_code_like"), std::string::npos) << violation.message;
  }
}

TEST(Envelope, PersonalDataDeniedKeyAndPatternAndAllowedKey) {
  auto events = create_completed();
  events[0] = with(events[0], "email", "x");
  events[1] = with(events[1], "nested", {{"deep", {"token 0123456789abcdef0123456789abcdef"}}});
  Report report = run(example_plan(), events);
  EXPECT_EQ(rules(report), (std::set<std::string>{"FP008"}));
  EXPECT_EQ(report.violations.size(), 2u);
  EXPECT_EQ(report.violations[1].message.find("0123456789"), std::string::npos);  // no value
  // The invocation id is an allowed key even when it looks like a secret.
  Plan plan = plan_with([](json& p) { p.erase("base_properties"); });
  events = create_completed();
  for (auto& e : events) e["properties"]["invocation_id"] = "0123456789abcdef0123456789abcdef";
  EXPECT_TRUE(run(plan, events).violations.empty());
}

TEST(Envelope, BuiltInPersonalDataDefaults) {
  Plan plan = plan_with([](json& p) { p.erase("pii"); });
  auto events = create_completed();
  events[0] = with(events[0], "header", "Bearer abcdefghijklmnop");
  events[1] = with(events[1], "contact", "someone@example.com");
  Report report = run(plan, events);
  EXPECT_EQ(report.violations.size(), 2u);
  EXPECT_EQ(rules(report), std::set<std::string>{"FP008"});
}

// ---- FP101-FP110
// ---------------------------------------------------------------------------------

TEST(Flows, OrphanTerminalIsFp101SecondTerminalIsFp104) {
  auto events = create_completed();
  events.erase(events.begin() + 1);  // no Started
  for (std::size_t i = 0; i < events.size(); ++i) events[i] = with(events[i], "sequence", i + 1);
  EXPECT_EQ(rules(run(example_plan(), events)), std::set<std::string>{"FP101"});
  events = create_completed();
  events.insert(events.begin() + 4, with(events[3], "sequence", 5));
  events[5] = with(events[5], "sequence", 6);
  Report report = run(example_plan(), events);
  EXPECT_EQ(rules(report), std::set<std::string>{"FP104"});
  EXPECT_EQ(first(report, "FP104")->at[0].sequence, 5);
}

TEST(Flows, OrphanIntermediateIsFp101) {
  auto events = create_completed();
  events.insert(events.begin() + 1, with(events[2], "sequence", 2));
  for (std::size_t i = 2; i < events.size(); ++i) events[i] = with(events[i], "sequence", i + 1);
  EXPECT_EQ(rules(run(example_plan(), events)), std::set<std::string>{"FP101"});
}

TEST(Flows, DuplicateStart) {
  auto events = create_completed();
  events.insert(events.begin() + 2, with(events[1], "sequence", 3));
  for (std::size_t i = 3; i < events.size(); ++i) events[i] = with(events[i], "sequence", i + 1);
  Report report = run(example_plan(), events);
  EXPECT_EQ(rules(report), std::set<std::string>{"FP102"});
  EXPECT_EQ(first(report, "FP102")->at.size(), 2u);
}

TEST(Flows, MissingTerminalAtEndAndAtContainerTerminal) {
  auto events = create_completed();
  events.erase(events.begin() + 3);  // the create Completed
  events[3] = with(events[3], "sequence", 4);
  Report report = run(example_plan(), events);
  EXPECT_EQ(rules(report), std::set<std::string>{"FP103"});
  const Violation* v = first(report, "FP103");
  EXPECT_EQ(v->event, "CLI Application Create Started");
  EXPECT_EQ(v->at[0].sequence, 2);
  EXPECT_NE(v->message.find("application_create started at sequence 2 never ended"),
            std::string::npos);
  EXPECT_EQ(report.flows[2].second.open, 1u);
  // Truncated stream: both instances stay open.
  events.pop_back();
  report = run(example_plan(), events);
  EXPECT_EQ(report.violations.size(), 2u);
}

TEST(Flows, StepsReasonsAndErrorClasses) {
  auto base = create_completed();
  auto aborted = [&](json properties) {
    auto events = base;
    properties["duration_ms"] = 100;
    events[3] = event("CLI Application Create Aborted", 4, properties, 106);
    events[2] = with(events[2], "plan", "free");
    return run(example_plan(), events);
  };
  EXPECT_TRUE(aborted({{"step", "terms"}, {"reason", "cancelled"}}).violations.empty());
  EXPECT_EQ(rules(aborted({{"reason", "cancelled"}})), std::set<std::string>{"FP105"});
  EXPECT_EQ(rules(aborted({{"step", ""}, {"reason", "cancelled"}})),
            std::set<std::string>{"FP105"});
  EXPECT_EQ(rules(aborted({{"step", "terms"}})), std::set<std::string>{"FP106"});
  EXPECT_EQ(rules(aborted({{"step", "terms"}, {"reason", "bored"}})),
            std::set<std::string>{"FP106"});
  // The empty step is valid when the plan lists it.
  Plan listed = plan_with([](json& p) { p["flows"]["application_create"]["steps"].push_back(""); });
  auto events = base;
  events[3] = event("CLI Application Create Aborted", 4,
                    {{"step", ""}, {"reason", "cancelled"}, {"duration_ms", 100}}, 106);
  EXPECT_TRUE(run(listed, events).violations.empty());
  // reason_required false: no reason is fine.
  Plan optional =
      plan_with([](json& p) { p["flows"]["application_create"]["reason_required"] = false; });
  events[3] =
      event("CLI Application Create Aborted", 4, {{"step", "terms"}, {"duration_ms", 100}}, 106);
  EXPECT_TRUE(run(optional, events).violations.empty());
  // A Completed with a reason.
  events = base;
  events[3] = with(events[3], "reason", "cancelled");
  EXPECT_EQ(rules(run(example_plan(), events)), std::set<std::string>{"FP106"});
  // Failed: error class in full.
  auto failed = [&](json properties) {
    auto evs = base;
    properties["duration_ms"] = 100;
    properties["step"] = "api_call";
    evs[3] = event("CLI Application Create Failed", 4, properties, 106);
    return run(example_plan(), evs);
  };
  EXPECT_TRUE(failed({{"error_class", "*url.Error"}}).violations.empty());
  EXPECT_EQ(rules(failed({})), std::set<std::string>{"FP107"});
  EXPECT_EQ(rules(failed({{"error_class", "connection refused: dial tcp"}})),
            std::set<std::string>{"FP107"});
  EXPECT_EQ(rules(failed({{"error_class", "*url.Error"}, {"reason", "cancelled"}})),
            std::set<std::string>{"FP106"});
}

TEST(Flows, DurationToleranceBoundary) {
  auto with_duration = [](json duration) {
    auto events = create_completed();  // Started at 6 ms, Completed at 2206 ms: span 2200
    events[3] = with(events[3], "duration_ms", duration);
    return run(example_plan(), events);
  };
  EXPECT_TRUE(with_duration(3200).violations.empty());  // exactly span + tolerance
  EXPECT_EQ(rules(with_duration(3201)), std::set<std::string>{"FP108"});
  EXPECT_TRUE(with_duration(2200.0).violations.empty());  // integer-valued float
  EXPECT_EQ(rules(with_duration(2200.5)), std::set<std::string>{"FP108"});
  EXPECT_EQ(rules(with_duration(-1)), std::set<std::string>{"FP108"});
  EXPECT_EQ(rules(with_duration("2200")), std::set<std::string>{"FP108"});
  EXPECT_EQ(rules(with_duration(86'400'001)), std::set<std::string>{"FP108"});
  // An integer past int64 is an integer that exceeds max_ms, not "not an integer".
  const Report huge = with_duration(1e20);
  ASSERT_EQ(rules(huge), std::set<std::string>{"FP108"});
  EXPECT_THAT(first(huge, "FP108")->message,
              HasSubstr("duration_ms 1e+20 exceeds max_ms 86400000"));
  EXPECT_THAT(first(with_duration(-1e20), "FP108")->message,
              HasSubstr("is not a non-negative integer"));
  // Unparseable timestamps: no span comparison.
  auto events = create_completed();
  events[3] = with(events[3], "duration_ms", 9000);
  events[1]["timestamp"] = "yesterday";
  EXPECT_TRUE(run(example_plan(), events).violations.empty());
  // Integer epoch milliseconds and offsets are timestamps too.
  events = create_completed();
  events[1]["timestamp"] = 1781090820006LL;
  events[3]["timestamp"] = "2026-06-10T13:27:02.206+02:00";
  EXPECT_TRUE(run(example_plan(), events).violations.empty());
  events[3] = with(events[3], "duration_ms", 3201);
  EXPECT_EQ(rules(run(example_plan(), events)), std::set<std::string>{"FP108"});
}

// A tolerance or max_ms as large as INT64_MAX reads as "no limit": span + tolerance saturates
// instead of wrapping to a negative bound (before the plan review every duration was FP108
// "exceeds ... by more than 9223372036854775807 ms").
TEST(Flows, DurationLimitsUpToInt64MaxDoNotOverflow) {
  for (const std::int64_t limit : {INT64_MAX, INT64_MAX - 999, INT64_MAX - 1000}) {
    Plan plan = plan_with([limit](json& p) {
      p["flows"]["application_create"]["duration"]["tolerance_ms"] = limit;
      p["flows"]["application_create"]["duration"]["max_ms"] = INT64_MAX;
    });
    for (const json& duration : {json(2200), json(3201), json(INT64_MAX)}) {
      auto events = create_completed();
      events[3] = with(events[3], "duration_ms", duration);
      const Report report = run(plan, events);
      EXPECT_TRUE(report.violations.empty())
          << "tolerance " << limit << ", duration " << duration << ": " << to_json(report).dump(1);
    }
  }
  // A huge max_ms still refuses a duration past it.
  Plan plan = plan_with([](json& p) {
    p["flows"]["application_create"]["duration"]["tolerance_ms"] = INT64_MAX;
    p["flows"]["application_create"]["duration"]["max_ms"] = INT64_MAX - 1;
  });
  auto events = create_completed();
  events[3] = with(events[3], "duration_ms", INT64_MAX);
  EXPECT_EQ(rules(run(plan, events)), std::set<std::string>{"FP108"});
}

// `additionalProperties: false` counts what the plan itself defines for the event as declared:
// base properties and the invocation key and order on every event, and on a terminal the step,
// reason, error-class and duration properties and what an intermediate event implies for it.
// plan-format.md: the checker adds those checks and "the schema need not repeat them". Before the
// plan review each was FP006 "property ... is not allowed".
TEST(Flows, AdditionalPropertiesFalseAllowsWhatThePlanDefines) {
  Plan plan = plan_with([](json& p) {
    json& create = p["flows"]["application_create"];
    create["started"]["schema"] = {{"type", "object"}, {"additionalProperties", false}};
    create["aborted"]["schema"] = {{"properties", {{"plan", json::object()}}},
                                   {"additionalProperties", false}};
    create["events"]["CLI Application Create Declined Terms"]["implies"]["properties"]["why"] =
        "terms";
    create["completed"]["schema"]["additionalProperties"] = false;
  });
  auto events = create_completed();
  events[2] = event("CLI Application Create Declined Terms", 3, {{"plan", "grow"}}, 906);
  events[3] = event("CLI Application Create Aborted", 4,
                    {{"step", "terms"},
                     {"reason", "declined_terms"},
                     {"why", "terms"},
                     {"plan", "grow"},
                     {"duration_ms", 1000}},
                    1006);
  events[4] = with(events[4], "duration_ms", 1015);
  Report report = run(plan, events);
  EXPECT_TRUE(report.violations.empty()) << to_json(report).dump(1);
  // Anything else is still not allowed, on a terminal and on a Started.
  events[3] = with(events[3], "extra", 1);
  events[1] = with(events[1], "error_class", "X");  // a terminal's property, not a Started's
  report = run(plan, events);
  ASSERT_EQ(rules(report), std::set<std::string>{"FP006"});
  EXPECT_EQ(report.violations.size(), 2u) << to_json(report).dump(1);
  EXPECT_THAT(to_json(report).dump(), HasSubstr(R"(property \"extra\" is not allowed)"));
  EXPECT_THAT(to_json(report).dump(), HasSubstr(R"(property \"error_class\" is not allowed)"));
}

// `"on": []`: no terminal must carry the duration, and a value that is there is still checked
// (before session 7 an empty list was read as "every terminal").
TEST(Flows, DurationOnNoTerminalIsNotRequiredButStillChecked) {
  Plan plan = plan_with(
      [](json& p) { p["flows"]["application_create"]["duration"]["on"] = json::array(); });
  ASSERT_TRUE(plan.find_flow("application_create")->duration);
  EXPECT_FALSE(
      plan.find_flow("application_create")->duration->required_on(TerminalKind::completed));
  auto events = create_completed();
  events[3] = without(events[3], "duration_ms");
  EXPECT_TRUE(run(plan, events).violations.empty()) << to_json(run(plan, events)).dump(1);
  events[3] = with(events[3], "duration_ms", -1);
  EXPECT_EQ(rules(run(plan, events)), std::set<std::string>{"FP108"});
  // Left out, `on` is every declared terminal.
  events[3] = without(events[3], "duration_ms");
  EXPECT_EQ(rules(run(example_plan(), events)), std::set<std::string>{"FP108"});
}

TEST(Flows, ImplicationHoldsOrNot) {
  auto events = create_completed();
  events[2] = event("CLI Application Create Declined Terms", 3, {{"plan", "grow"}}, 906);
  events[3] = event("CLI Application Create Aborted", 4,
                    {{"step", "terms"}, {"reason", "declined_terms"}, {"duration_ms", 1000}}, 1006);
  EXPECT_TRUE(run(example_plan(), events).violations.empty());
  events[3] = with(events[3], "reason", "cancelled");
  Report report = run(example_plan(), events);
  EXPECT_EQ(rules(report), std::set<std::string>{"FP109"});
  EXPECT_EQ(first(report, "FP109")->at.size(), 2u);
  // The wrong terminal kind breaks it too; no terminal at all is only FP103.
  events[3] = event("CLI Application Create Completed", 4,
                    {{"region", "us"}, {"plan", "free"}, {"duration_ms", 1000}}, 1006);
  EXPECT_EQ(rules(run(example_plan(), events)), std::set<std::string>{"FP109"});
  events.erase(events.begin() + 3);
  events[3] = with(events[3], "sequence", 4);
  EXPECT_EQ(rules(run(example_plan(), events)), std::set<std::string>{"FP103"});
}

TEST(Flows, NestingComparesWithTheInnermostOpenInstance) {
  auto events = create_completed();
  // auth inside create: command contains auth, but the innermost open instance is create.
  events.insert(events.begin() + 2, event("CLI Auth Started", 3, {{"flow", "login"}}, 10));
  events.insert(events.begin() + 3,
                event("CLI Auth Completed", 4, {{"flow", "login"}, {"duration_ms", 5}}, 15));
  for (std::size_t i = 4; i < events.size(); ++i) events[i] = with(events[i], "sequence", i + 1);
  EXPECT_EQ(rules(run(example_plan(), events)), std::set<std::string>{"FP110"});
  // Directly inside the command it is allowed.
  events = create_completed();
  events.insert(events.begin() + 1, event("CLI Auth Started", 2, {{"flow", "login"}}, 2));
  events.insert(events.begin() + 2,
                event("CLI Auth Completed", 3, {{"flow", "login"}, {"duration_ms", 1}}, 3));
  for (std::size_t i = 3; i < events.size(); ++i) events[i] = with(events[i], "sequence", i + 1);
  EXPECT_TRUE(run(example_plan(), events).violations.empty());
}

// ---- Severities, waivers, coverage -----------------------------------------------------------

TEST(Policy, SeverityFromPlanThenOptions) {
  auto events = create_completed();
  events.push_back(event("Mystery Happened", 6));
  Plan plan = plan_with([](json& p) { p["rules"] = {{"FP005", "error"}}; });
  Report report = run(plan, events);
  EXPECT_FALSE(report.passed());
  EXPECT_EQ(first(report, "FP005")->severity, Severity::error);
  CheckOptions options;
  options.severity_overrides["FP005"] = Severity::off;
  report = run(plan, events, options);
  EXPECT_TRUE(report.violations.empty());
  EXPECT_TRUE(report.passed());
}

TEST(Policy, WaiversUsedAndUnused) {
  auto events = create_completed();
  events[3] = without(events[3], "duration_ms");
  Plan plan = plan_with([](json& p) {
    p["waivers"] =
        json::array({{{"rule", "FP108"}, {"flow", "application_create"}, {"why", "known"}},
                     {{"rule", "FP104"}, {"why", "never happens"}}});
  });
  Report report = run(plan, events);
  EXPECT_TRUE(report.passed());
  ASSERT_EQ(report.violations.size(), 1u);
  EXPECT_TRUE(report.violations[0].waived);
  EXPECT_EQ(report.violations[0].waiver_why, "known");
  EXPECT_EQ(report.summary.waived, 1u);
  EXPECT_EQ(report.summary.errors, 0u);
  ASSERT_EQ(report.unused_waivers.size(), 1u);
  EXPECT_EQ(report.unused_waivers[0].rule, "FP104");
  // A waiver behind a broader one that matches first still matches: the first gives the `why`,
  // and neither is unused (before session 7 the second was warned about as matching nothing).
  plan = plan_with([](json& p) {
    p["waivers"] =
        json::array({{{"rule", "FP108"}, {"why", "any flow"}},
                     {{"rule", "FP108"}, {"flow", "application_create"}, {"why", "this flow"}}});
  });
  report = run(plan, events);
  ASSERT_EQ(report.violations.size(), 1u);
  EXPECT_EQ(report.violations[0].waiver_why, "any flow");
  EXPECT_TRUE(report.unused_waivers.empty());
  // A waiver for another flow does not apply.
  plan = plan_with([](json& p) {
    p["waivers"] = json::array({{{"rule", "FP108"}, {"flow", "auth"}, {"why", "other"}}});
  });
  EXPECT_FALSE(run(plan, events).passed());
}

TEST(Policy, CoverageOffByDefaultOnWhenRequired) {
  Report report = run(example_plan(), create_completed());
  EXPECT_TRUE(report.passed());
  EXPECT_GT(report.coverage_ratio(), 0.0);
  EXPECT_LT(report.coverage_ratio(), 1.0);
  EXPECT_TRUE(report.coverage[2].second.terminals.at("completed"));
  EXPECT_FALSE(report.coverage[2].second.terminals.at("aborted"));
  EXPECT_FALSE(report.coverage[2].second.failure_steps.at("api_call"));
  CheckOptions options;
  options.require_coverage = true;
  report = run(example_plan(), create_completed(), options);
  EXPECT_FALSE(report.passed());
  EXPECT_EQ(rules(report), (std::set<std::string>{"FP201", "FP202"}));
  EXPECT_EQ(first(report, "FP201")->flow, "auth");
  Plan plan = plan_with([](json& p) { p["rules"] = {{"FP201", "warning"}}; });
  report = run(plan, create_completed());
  EXPECT_TRUE(report.passed());
  EXPECT_EQ(rules(report), std::set<std::string>{"FP201"});
}

// The engine remembers where the tallies of the first 32 outcomes of a flow are; outcomes beyond
// those are counted through the maps. Every one must be tallied alike.
TEST(Policy, ManyDistinctOutcomesAreAllTallied) {
  std::vector<json> events;
  int invocation = 0;
  auto abort_with = [&](const std::string& reason) {
    const std::string id = "inv-" + std::to_string(invocation++);
    auto started = with(event("CLI Application Create Started", 1, {}, 0), "invocation_id", id);
    auto aborted = with(event("CLI Application Create Aborted", 2,
                              {{"step", "terms"}, {"reason", reason}, {"duration_ms", 10}}, 10),
                        "invocation_id", id);
    events.push_back(started);
    events.push_back(aborted);
  };
  for (int round = 0; round < 2; ++round) {
    for (int r = 0; r < 40; ++r) abort_with("r" + std::to_string(r));
    for (int r = 0; r < 5; ++r) abort_with("cancelled");
  }
  const Report report = run(example_plan(), events);
  const FlowOutcomes* outcomes = nullptr;
  for (const auto& [flow, tally] : report.flows) {
    if (flow == "application_create") outcomes = &tally;
  }
  ASSERT_NE(outcomes, nullptr);
  EXPECT_EQ(outcomes->instances, 90u);
  ASSERT_EQ(outcomes->aborted.size(), 41u);
  EXPECT_EQ(outcomes->aborted.at("cancelled"), 10u);
  for (int r = 0; r < 40; ++r) EXPECT_EQ(outcomes->aborted.at("r" + std::to_string(r)), 2u) << r;
  for (const auto& [flow, coverage] : report.coverage) {
    if (flow == "application_create") {
      EXPECT_TRUE(coverage.reasons.at("cancelled"));
    }
  }
  const auto& reached = report.outcome_invocations.at("application_create");
  EXPECT_EQ(reached.at("aborted:r39"), (std::vector<std::string>{"inv-39", "inv-84"}));
  EXPECT_EQ(reached.at("aborted:r0"), (std::vector<std::string>{"inv-0", "inv-45"}));
}

// A declared empty step is observed only by the string "": a missing or non-string
// value is counted under "" in the outcomes but covers nothing (before session 7 `"step": 5`
// marked a declared "" as covered, while the same terminal was FP105).
TEST(Policy, OnlyTheEmptyStringCoversADeclaredEmptyStep) {
  Plan plan = plan_with([](json& p) {
    p["flows"]["application_create"]["steps"].push_back("");  // (a reason cannot be empty)
  });
  auto ended_with = [&](const char* name, json detail) {
    auto events = create_completed();
    events[3] = event(name, 4, {{"duration_ms", 100}, {"error_class", "*url.Error"}}, 106);
    for (auto& [key, value] : detail.items()) events[3]["properties"][key] = value;
    if (std::string(name).find("Aborted") != std::string::npos) {
      events[3]["properties"].erase("error_class");
    }
    for (auto& [flow, coverage] : run(plan, events).coverage) {
      if (flow == "application_create") return coverage;
    }
    ADD_FAILURE() << "no coverage of application_create";
    return FlowCoverage();
  };
  const char* failed = "CLI Application Create Failed";
  const char* aborted = "CLI Application Create Aborted";
  EXPECT_TRUE(ended_with(failed, {{"step", ""}}).failure_steps.at(""));
  EXPECT_FALSE(ended_with(failed, {{"step", 5}}).failure_steps.at(""));
  EXPECT_FALSE(ended_with(failed, {{"step", nullptr}}).failure_steps.at(""));
  EXPECT_FALSE(ended_with(failed, json::object()).failure_steps.at(""));
  EXPECT_TRUE(
      ended_with(aborted, {{"step", "terms"}, {"reason", "cancelled"}}).reasons.at("cancelled"));
  EXPECT_FALSE(ended_with(aborted, {{"step", "terms"}, {"reason", true}}).reasons.at("cancelled"));
  // The coverage matrix agrees: the declared "" row is unreached, with no count and no tests.
  auto events = create_completed();
  events[3] = event(failed, 4, {{"duration_ms", 100}, {"error_class", "*url.Error"}}, 106);
  const Report report = run(plan, events);
  std::size_t rows = 0;
  for (const CoverageMatrix& matrix : coverage_matrix(report)) {
    if (matrix.flow != "application_create") continue;
    for (const CoverageRow& row : matrix.rows) {
      if (row.kind != CoverageRow::Kind::step || !row.name.empty()) continue;
      ++rows;
      EXPECT_FALSE(row.reached);
      EXPECT_EQ(row.count, 0u);
      EXPECT_TRUE(row.invocations.empty());
    }
  }
  EXPECT_EQ(rows, 1u);
}

TEST(Policy, MinCoverageThreshold) {
  CheckOptions options;
  options.min_coverage = 0.9;
  Report report = run(example_plan(), create_completed(), options);
  EXPECT_FALSE(report.passed());
  ASSERT_EQ(report.violations.size(), 1u);
  EXPECT_EQ(report.violations[0].rule, "FP202");
  EXPECT_NE(report.violations[0].message.find("below the required minimum 0.9"), std::string::npos);
  // Just above the ratio: both numbers are shown precisely enough to tell them apart.
  options.min_coverage = report.coverage_ratio() + 1e-9;
  const std::string close = run(example_plan(), create_completed(), options).violations[0].message;
  const std::string ratio_text = close.substr(9, close.find(' ', 9) - 9);  // "coverage R is ..."
  const std::string minimum_text = close.substr(close.rfind(' ') + 1);
  EXPECT_LT(std::stod(ratio_text), std::stod(minimum_text)) << close;
  EXPECT_EQ(std::stod(minimum_text), *options.min_coverage) << close;
  options.min_coverage = 0.01;
  EXPECT_TRUE(run(example_plan(), create_completed(), options).passed());
}

TEST(Report, OutcomesTimelinesLabelsAndProgress) {
  auto events = create_completed();
  events[3] = without(events[3], "duration_ms");
  CheckOptions options;
  options.keep_timelines = true;
  options.invocation_labels[kInvocation] = "Suite.Test";
  int calls = 0;
  options.progress = [&](const Progress& progress) {
    ++calls;
    EXPECT_EQ(progress.events, 5u);
  };
  Report report = run(example_plan(), events, options);
  EXPECT_EQ(calls, 1);  // once at the end of the input; more only on long inputs
  ASSERT_EQ(report.timelines.count(kInvocation), 1u);
  EXPECT_EQ(report.timelines[kInvocation].size(), 5u);
  EXPECT_EQ(report.timelines[kInvocation][3].event, "CLI Application Create Completed");
  EXPECT_EQ(report.invocation_labels.at(kInvocation), "Suite.Test");
  EXPECT_EQ(report.flows[0].first, "command");
  EXPECT_EQ(report.flows[2].second.completed, 1u);
  EXPECT_TRUE(run(example_plan(), events).timelines.empty());  // opt-in
}

TEST(Report, ViolationsOrderedByInputThenLine) {
  Checker checker(example_plan());
  auto events = create_completed();
  events.push_back(event("Mystery Happened", 6));
  checker.add_text("b.jsonl", lines(events));
  checker.add_text("a.jsonl", "oops\n" + lines({event("Other Mystery", 1)}));
  Report report = checker.finish();
  ASSERT_GE(report.violations.size(), 3u);
  EXPECT_EQ(report.violations[0].at[0].input, "b.jsonl");
  EXPECT_EQ(report.violations[1].at[0].input, "a.jsonl");
  EXPECT_EQ(report.violations[1].at[0].line, 1u);
  EXPECT_EQ(report.summary.inputs, 2u);
}

TEST(Vectors, EveryContractCaseHoldsInProcess) {
  int cases = 0;
  for (const char* file : {"envelope.json", "flows.json"}) {
    std::ifstream in(data_dir() / "vectors" / file);
    ASSERT_TRUE(in) << file;
    json document = json::parse(in);
    Plan plan = load_plan(data_dir() / "vectors" / document["plan"].get<std::string>());
    for (const auto& c : document["cases"]) {
      std::vector<json> events(c["events"].begin(), c["events"].end());
      Report report = run(plan, events);
      std::set<std::string> want(c["expect"]["rules"].begin(), c["expect"]["rules"].end());
      EXPECT_EQ(std::string(report.verdict()), c["expect"]["verdict"].get<std::string>())
          << file << ": " << c["description"];
      EXPECT_EQ(rules(report), want) << file << ": " << c["description"] << "\n"
                                     << to_json(report)["violations"].dump(1);
      ++cases;
    }
  }
  EXPECT_GE(cases, 20);
}

TEST(Checker, ConformingFunnelPasses) {
  Report report = run(example_plan(), create_completed());
  EXPECT_TRUE(report.passed());
  EXPECT_TRUE(report.violations.empty()) << to_json(report)["violations"].dump(1);
  EXPECT_EQ(report.summary.events, 5u);
  EXPECT_EQ(report.summary.invocations, 1u);
  EXPECT_EQ(report.summary.instances, 2u);
}

// The coverage matrix names the tests behind an outcome from the first 20 invocations the report
// keeps; past that it says "and more" rather than a count taken from the cut list (which said
// "+15 more" for 616 invocations).
TEST(Coverage, TestsBehindAnOutcomeAreCountedOnlyWhenAllAreKnown) {
  auto invocations = [](int n) {
    std::string text;
    for (int i = 0; i < n; ++i) {
      for (json e : create_completed()) {
        e["properties"]["invocation_id"] = "inv-" + std::to_string(i);
        text += e.dump() + "\n";
      }
    }
    return text;
  };
  auto completed_row = [](const Report& report) {
    for (const CoverageMatrix& matrix : coverage_matrix(report)) {
      if (matrix.flow != "application_create") continue;
      for (const CoverageRow& row : matrix.rows) {
        if (row.outcome == "completed") return row;
      }
    }
    ADD_FAILURE() << "no completed row";
    return CoverageRow();
  };
  Checker few(example_plan());
  few.add_text("few.jsonl", invocations(7));
  const Report few_report = few.finish();
  const CoverageRow seven = completed_row(few_report);
  EXPECT_FALSE(seven.more);
  EXPECT_EQ(seven.tests.size(), 7u);
  EXPECT_EQ(seven.more_text(5), " +2 more");
  EXPECT_EQ(seven.more_text(7), "");

  Checker many(example_plan());
  many.add_text("many.jsonl", invocations(30));
  const Report many_report = many.finish();
  const CoverageRow thirty = completed_row(many_report);
  EXPECT_EQ(thirty.count, 30u);
  EXPECT_EQ(thirty.invocations.size(), 20u);  // the report keeps the first 20
  EXPECT_TRUE(thirty.more);
  EXPECT_EQ(thirty.more_text(5), " and more");
  const std::string markdown = coverage_markdown(many_report);
  EXPECT_NE(markdown.find("inv-4 and more |"), std::string::npos) << markdown;
  EXPECT_EQ(markdown.find("+15 more"), std::string::npos) << markdown;
}

TEST(Reading, RecordedEventWithInvalidUtf8IsFP001InProcessAsFromAFile) {
  // check() on recorded events used to throw nlohmann's type_error.316 where `flowproof check`
  // reports the same bytes in a file as FP001.
  std::vector<harness::Event> events;
  for (const json& line : create_completed()) events.push_back(harness::event_from_json(line));
  events[1].properties["app_name"] = "caf\xe9";
  Report report;
  ASSERT_NO_THROW(report = check(example_plan(), events));
  // The event is malformed (FP001 at its line) and left out, as `flowproof check` leaves it out
  // of a file; what its absence causes (a sequence gap, ...) is reported as from a file too.
  const Violation* v = first(report, "FP001");
  ASSERT_NE(v, nullptr);
  ASSERT_EQ(v->at.size(), 1u);
  EXPECT_EQ(v->at[0].line, 2u);
  EXPECT_EQ(report.summary.malformed, 1u);
  EXPECT_EQ(report.summary.events, events.size() - 1);
}

}  // namespace
}  // namespace flowproof::conformance

// malformed_test.cpp — the malformed-input corpus (conformance/test/data/malformed/): each file's
// summary and FP001 lines, nothing lost (every line accounted for), inputs that cannot be read
// (exit 3 naming them), closed standard input, and reports written atomically.
#include <flowproof/conformance/checker.hpp>
#include <flowproof/conformance/plan.hpp>
#include <flowproof/conformance/reporter.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace flowproof::conformance {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

fs::path source_dir() {
  const char* dir = std::getenv("FLOWPROOF_SOURCE_DIR");
  return dir ? fs::path(dir) : fs::path(FLOWPROOF_TEST_DATA_DIR) / "../../..";
}

fs::path corpus_dir() { return source_dir() / "conformance/test/data/malformed"; }
fs::path plan_path() { return source_dir() / "conformance/test/data/examples/cli.plan.json"; }

const Plan& example_plan() {
  static const Plan plan = load_plan(plan_path());
  return plan;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

struct Expected {
  std::uint64_t lines, events, skipped, malformed, blank;
  std::vector<std::uint64_t> fp001_lines;  ///< the line of every FP001, in order
  bool passes;                             ///< no error at all
};

// What each corpus file must give. Every file in the folder (but README.md) must be listed here.
const std::map<std::string, Expected>& expectations() {
  static const std::map<std::string, Expected> table = {
      {"last_line_without_newline.jsonl", {5, 5, 0, 0, 0, {}, true}},
      {"truncated_mid_object.jsonl", {5, 4, 0, 1, 0, {5}, false}},
      {"nul_bytes.jsonl", {7, 5, 0, 2, 0, {3, 4}, false}},
      {"invalid_utf8.jsonl", {6, 4, 0, 2, 0, {3, 4}, false}},
      {"byte_order_mark.jsonl", {5, 5, 0, 0, 0, {}, true}},
      {"byte_order_mark_on_second_line.jsonl", {5, 4, 0, 1, 0, {2}, false}},
      {"crlf_line_endings.jsonl", {5, 5, 0, 0, 0, {}, true}},
      {"huge_and_non_finite_numbers.jsonl", {8, 4, 0, 4, 0, {4, 5, 6, 7}, false}},
      {"duplicate_keys.jsonl", {5, 3, 0, 2, 0, {2, 3}, false}},
      // A batch with a second `batch` and an upload with a duplicate key of its own: refused whole.
      {"duplicate_keys_in_wrappers.jsonl", {4, 2, 0, 2, 0, {2, 3}, false}},
      {"empty.jsonl", {0, 0, 0, 0, 0, {}, true}},
      {"only_blank_lines.jsonl", {4, 0, 0, 0, 4, {}, true}},
      {"not_objects.jsonl", {11, 5, 0, 6, 0, {2, 3, 4, 5, 6, 7}, false}},
      {"deep_nesting.jsonl", {7, 5, 0, 2, 0, {2, 3}, false}},
      {"array_truncated.json", {4, 3, 0, 1, 0, {5}, false}},
      // `cat a.json b.json`: the second array is read too (session-8 review: it went unread).
      {"two_arrays_concatenated.json", {5, 5, 0, 0, 0, {}, true}},
      // `[` and `]` on lines of their own carry no event, as `[]` on one line (not_objects).
      {"empty_array_pretty.json", {1, 0, 0, 1, 0, {1}, false}},
      {"array_with_trailing_garbage.json", {6, 5, 0, 1, 0, {8}, false}},
      // One batch line: an event, a non-object element (FP001) and an identify call (skipped).
      {"batch_with_bad_elements.jsonl", {5, 5, 1, 1, 0, {1}, false}},
      // A missing, a doubled and a trailing comma: three findings of their own, every element read.
      {"array_commas.json", {6, 3, 0, 3, 0, {3, 3, 5}, false}},
      // A JSON Lines file whose first line starts with `[` and breaks inside a string.
      {"first_line_cut_after_bracket.jsonl", {4, 3, 0, 1, 0, {1}, false}},
      // A batch with an `events` list too; an event with both `event_type` and `event`.
      {"two_shapes_at_once.jsonl", {2, 2, 0, 2, 0, {1, 2}, false}},
  };
  return table;
}

Report check_file(const fs::path& path) {
  Checker checker(example_plan());
  checker.add_file(path);
  return checker.finish();
}

std::vector<std::string> fp001_messages(const Report& report) {
  std::vector<std::string> messages;
  for (const Violation& v : report.violations) {
    if (v.rule == "FP001") messages.push_back(v.message);
  }
  return messages;
}

std::vector<std::uint64_t> fp001_lines(const Report& report) {
  std::vector<std::uint64_t> lines;
  for (const Violation& v : report.violations) {
    if (v.rule == "FP001") lines.push_back(v.at.at(0).line);
  }
  return lines;
}

TEST(MalformedCorpus, EveryFileIsListedWithItsExpectations) {
  std::set<std::string> files;
  for (const auto& entry : fs::directory_iterator(corpus_dir())) {
    if (entry.path().filename() != "README.md") files.insert(entry.path().filename().string());
  }
  std::set<std::string> listed;
  for (const auto& [name, expected] : expectations()) listed.insert(name);
  EXPECT_EQ(files, listed);
}

TEST(MalformedCorpus, EachFileGivesItsSummaryAndFindings) {
  for (const auto& [name, expected] : expectations()) {
    SCOPED_TRACE(name);
    const Report report = check_file(corpus_dir() / name);
    const Summary& s = report.summary;
    EXPECT_EQ(s.lines, expected.lines);
    EXPECT_EQ(s.events, expected.events);
    EXPECT_EQ(s.skipped, expected.skipped);
    EXPECT_EQ(s.malformed, expected.malformed);
    EXPECT_EQ(s.blank, expected.blank);
    EXPECT_EQ(fp001_lines(report), expected.fp001_lines);
    EXPECT_EQ(report.passed(), expected.passes);
    // Every finding of FP001 says which line it is about.
    for (const Violation& v : report.violations) {
      if (v.rule == "FP001") {
        EXPECT_THAT(v.message, HasSubstr("line " + std::to_string(v.at[0].line)));
      }
    }
  }
}

TEST(MalformedCorpus, NothingIsLostEveryLineIsAccountedFor) {
  for (const auto& [name, expected] : expectations()) {
    SCOPED_TRACE(name);
    const Summary s = check_file(corpus_dir() / name).summary;
    if (name == "batch_with_bad_elements.jsonl" || name == "two_shapes_at_once.jsonl") {
      // A line carries several units (events, a finding about what is not read); each is
      // counted, so the sum is larger.
      EXPECT_LE(s.lines, s.events + s.skipped + s.malformed + s.blank);
    } else {
      EXPECT_EQ(s.lines, s.events + s.skipped + s.malformed + s.blank);
    }
  }
}

TEST(MalformedCorpus, SameSummaryFromMemoryAStreamAndAFile) {
  for (const auto& [name, expected] : expectations()) {
    SCOPED_TRACE(name);
    const std::string text = read_file(corpus_dir() / name);
    Checker from_text(example_plan());
    from_text.add_text(name, text);
    std::istringstream in(text);
    Checker from_stream(example_plan());
    from_stream.add_stream(name, in);
    const Summary a = from_text.finish().summary, b = from_stream.finish().summary;
    EXPECT_EQ(a.lines, expected.lines);
    EXPECT_EQ(b.lines, expected.lines);
    EXPECT_EQ(a.malformed, expected.malformed);
    EXPECT_EQ(b.malformed, expected.malformed);
  }
}

TEST(MalformedDecisions, ByteOrderMarkOnlyOnTheFirstLine) {
  const Report report = check_file(corpus_dir() / "byte_order_mark_on_second_line.jsonl");
  ASSERT_EQ(fp001_lines(report), std::vector<std::uint64_t>{2});
  EXPECT_THAT(report.violations.front().message, HasSubstr("not JSON"));
}

TEST(MalformedDecisions, DuplicateKeysAreFp001NamingThePointer) {
  const Report report = check_file(corpus_dir() / "duplicate_keys.jsonl");
  const std::vector<std::string> messages = fp001_messages(report);
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_THAT(messages[0], HasSubstr("duplicate key at /event"));
  EXPECT_THAT(messages[1], HasSubstr("duplicate key at /properties/plan"));
}

TEST(MalformedDecisions, DuplicateKeyInOneBatchElementLeavesTheOthers) {
  Checker checker(example_plan());
  checker.add_text("batch.jsonl",
                   R"({"batch":[{"type":"identify","userId":"u"},{"event":"A","event":"B"}]})"
                   "\n");
  const Report report = checker.finish();
  EXPECT_EQ(report.summary.skipped, 1u);
  EXPECT_EQ(report.summary.malformed, 1u);
  ASSERT_EQ(fp001_lines(report), std::vector<std::uint64_t>{1});
  EXPECT_THAT(report.violations.front().message,
              HasSubstr("event 1 has a duplicate key at /event"));
}

// A wrapper's duplicate key would drop events unread (simdjson finds the first `batch`), so the
// whole line is refused, naming the pointer; the wrapper's list itself is checked per element.
TEST(MalformedDecisions, DuplicateKeyInABatchOrUploadWrapperRefusesTheLine) {
  const Report report = check_file(corpus_dir() / "duplicate_keys_in_wrappers.jsonl");
  for (const Violation& v : report.violations) {
    EXPECT_NE(v.event, "Undeclared Event");  // the second batch is never read
  }
  const std::vector<std::string> messages = fp001_messages(report);
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_THAT(messages[0], HasSubstr("the `batch` wrapper has a duplicate key at /batch"));
  EXPECT_THAT(messages[1],
              HasSubstr("the `events` wrapper has a duplicate key at /options/min_id_length"));
}

// A well-formed event, for the tests of wrappers around it.
constexpr const char* kInvoked =
    R"({"type":"track","event":"Command Invoked","properties":{"invocation_id":"i","sequence":1,"command":"c"}})";

// An object that is both a wrapper and an event: what can be read is read, what cannot is FP001
// on that line, never dropped without a word.
TEST(MalformedDecisions, AWrapperThatIsAlsoAnEventSaysWhatIsNotRead) {
  const std::string event = kInvoked;
  Checker checker(example_plan());
  checker.add_text("both.jsonl",
                   R"({"batch":[)" + event + R"(],"event":"Shadowed"})" + "\n" +  //
                       R"({"event_type":"Command Invoked","event_properties":{},"events":[)" +
                       event + "]}\n" +  //
                       R"({"event_type":"Command Invoked","events":"not a list"})" + "\n");
  const Report report = checker.finish();
  EXPECT_EQ(report.summary.lines, 3u);
  EXPECT_EQ(report.summary.events, 3u);  // the batch's element and both Amplitude events
  EXPECT_EQ(report.summary.malformed, 2u);
  ASSERT_EQ(fp001_lines(report), (std::vector<std::uint64_t>{1, 2}));
  const std::vector<std::string> messages = fp001_messages(report);
  EXPECT_THAT(messages[0],
              HasSubstr("the `batch` wrapper also names an event of its own (`event`), which is "
                        "not read"));
  EXPECT_THAT(messages[1],
              HasSubstr("an event (`event_type`) also has an `events` list, which is not read"));
}

// A Segment batch and an Amplitude upload at once: `batch` is read, `events` is not, and the line
// says so (before session 6 the `events` list was dropped without a word).
TEST(MalformedDecisions, ABatchWithAnEventsListSaysWhatIsNotRead) {
  const std::string event = kInvoked;
  Checker checker(example_plan());
  checker.add_text("lists.jsonl", R"({"batch":[)" + event + R"(],"events":[)" + event + "]}\n" +
                                      R"({"api_key":"k","events":[)" + event + R"(],"batch":[)" +
                                      event + "]}\n");
  const Report report = checker.finish();
  EXPECT_EQ(report.summary.events, 2u);  // each line's batch
  ASSERT_EQ(fp001_lines(report), (std::vector<std::uint64_t>{1, 2}));
  for (const std::string& message : fp001_messages(report)) {
    EXPECT_THAT(message,
                HasSubstr("the `batch` wrapper also has an `events` list, which is not read"));
  }
}

// A wrapper that looks like three shapes at once names both that it does not read, in one finding.
TEST(MalformedDecisions, AWrapperWithSeveralOtherShapesNamesEach) {
  const std::string event = kInvoked;
  Checker checker(example_plan());
  checker.add_text("three.jsonl", R"({"batch":[)" + event + R"(],"events":[)" + event +
                                      R"(],"event":"Command Invoked"})" + "\n");
  const Report report = checker.finish();
  EXPECT_EQ(report.summary.events, 1u);  // the batch's element
  ASSERT_EQ(fp001_lines(report), (std::vector<std::uint64_t>{1}));
  EXPECT_THAT(fp001_messages(report)[0],
              HasSubstr("the `batch` wrapper also has an `events` list and names an event of its "
                        "own (`event`), which are not read"));
}

// An object with both an Amplitude `event_type` and a Segment `event`: read as Amplitude, and the
// line says the Segment members are not read (before session 6 they were ignored silently).
TEST(MalformedDecisions, AnEventWithBothNamesSaysWhatIsNotRead) {
  Checker checker(example_plan());
  checker.add_text(
      "both.jsonl",
      R"({"event":"Command Completed","properties":{"succeeded":true},"event_type":"Command Invoked","event_properties":{"invocation_id":"i","sequence":1,"command":"c"}})"
      "\n");
  const Report report = checker.finish();
  EXPECT_EQ(report.summary.events, 1u);
  ASSERT_EQ(fp001_lines(report), std::vector<std::uint64_t>{1});
  EXPECT_THAT(fp001_messages(report)[0],
              HasSubstr("event \"Command Invoked\" has both `event_type` (Amplitude) and `event` "
                        "(Segment): it is read as an Amplitude event, and its Segment members "
                        "(`event`, `properties`) are not read"));
}

// An Amplitude event with Segment's `properties` instead of `event_properties`: the event is read
// (with no properties) and the line says that member is not read (before session 7 silently).
TEST(MalformedDecisions, AnAmplitudeEventWithSegmentPropertiesSaysWhatIsNotRead) {
  Checker checker(example_plan());
  checker.add_text(
      "mixed.jsonl",
      R"({"event_type":"Command Invoked","properties":{"invocation_id":"i","sequence":1,"command":"c"}})"
      "\n"
      R"({"event_type":"Command Invoked","event_properties":{"invocation_id":"j","sequence":1,"command":"c"}})"
      "\n");
  const Report report = checker.finish();
  EXPECT_EQ(report.summary.events, 2u);
  ASSERT_EQ(fp001_lines(report), std::vector<std::uint64_t>{1});
  EXPECT_THAT(fp001_messages(report)[0],
              HasSubstr("event \"Command Invoked\" (Amplitude, `event_type`) has a Segment "
                        "`properties` member, which is not read: an Amplitude event's properties "
                        "are `event_properties`"));
}

// The message names the member that is wrong: a `type` that is not a string is not "no name", and
// `properties: null` is not an object (it is not taken as absent).
TEST(MalformedDecisions, TypeAndPropertiesOfTheWrongKindAreNamed) {
  Checker checker(example_plan());
  checker.add_text("kinds.jsonl", R"({"type":5,"event":"Command Invoked"})"
                                  "\n"
                                  R"({"event":"Command Invoked","properties":null})"
                                  "\n"
                                  R"({"event_type":"Command Invoked","event_properties":null})"
                                  "\n"
                                  R"({"batch":[{"type":"identify"},{"type":null,"event":"A"}]})"
                                  "\n");
  const Report report = checker.finish();
  ASSERT_EQ(fp001_lines(report), (std::vector<std::uint64_t>{1, 2, 3, 4}));
  const std::vector<std::string> messages = fp001_messages(report);
  EXPECT_THAT(messages[0], HasSubstr("an event's `type` is not a string"));
  EXPECT_THAT(messages[1], HasSubstr("`properties` of event \"Command Invoked\" is not an object"));
  EXPECT_THAT(messages[2],
              HasSubstr("`event_properties` of event \"Command Invoked\" is not an object"));
  EXPECT_THAT(messages[3], HasSubstr("the `type` of event 1 is not a string"));
}

// A pretty-printed JSON array is held to JSON's commas: each syntax error between elements is a
// finding at its line, and every element is still read.
TEST(MalformedDecisions, ArrayCommasAreCheckedAndReadingGoesOn) {
  const std::string a = R"({"type":"identify","userId":"a"})";
  Checker checker(example_plan());
  checker.add_text("array.json", "[\n" + a + "\n" + a + ",\n" + a + ",,\n" + a + ",\n]\n");
  const Report report = checker.finish();
  EXPECT_EQ(report.summary.skipped, 4u);  // every element read
  ASSERT_EQ(fp001_lines(report), (std::vector<std::uint64_t>{3, 4, 6}));
  const std::vector<std::string> messages = fp001_messages(report);
  EXPECT_THAT(messages[0], HasSubstr("a comma is missing between two elements of the JSON array"));
  EXPECT_THAT(messages[1], HasSubstr("two commas in a row in the JSON array"));
  EXPECT_THAT(messages[2], HasSubstr("a comma before the `]` closing the JSON array"));

  Checker leading(example_plan());
  leading.add_text("leading.json", "[,\n" + a + "\n]\n");
  const Report leading_report = leading.finish();
  EXPECT_EQ(leading_report.summary.skipped, 1u);
  ASSERT_EQ(fp001_messages(leading_report).size(), 1u);
  EXPECT_THAT(fp001_messages(leading_report)[0],
              HasSubstr("a comma before the first element of the JSON array"));
}

// A JSON Lines file whose first line starts with `[` and breaks inside a string is not the start
// of a pretty-printed array (a JSON string never spans lines): it is one bad line, and the lines
// after it are read (before session 6 the whole file became one broken array element).
TEST(MalformedDecisions, ABrokenFirstLineStartingWithABracketIsOneBadLine) {
  const std::string a = R"({"type":"identify","userId":"a"})";
  Checker checker(example_plan());
  checker.add_text("cut.jsonl", R"([{"type": "track", "event": "Command Inv)"
                                "\n" +
                                    a + "\n" + a + "\n");
  const Report report = checker.finish();
  EXPECT_EQ(report.summary.lines, 3u);
  EXPECT_EQ(report.summary.skipped, 2u);
  ASSERT_EQ(fp001_lines(report), std::vector<std::uint64_t>{1});
  EXPECT_THAT(fp001_messages(report)[0], HasSubstr("not JSON"));

  // Inside a real array, an element whose string breaks at the end of its line is one finding,
  // and reading goes on at the next line.
  Checker array(example_plan());
  array.add_text("array.json", "[\n" + a + ",\n{\"type\": \"ident\n" + a + "\n]\n");
  const Report array_report = array.finish();
  EXPECT_EQ(array_report.summary.skipped, 2u);
  ASSERT_EQ(fp001_lines(array_report), std::vector<std::uint64_t>{3});
  EXPECT_THAT(fp001_messages(array_report)[0],
              HasSubstr("array element has a string that is not closed on its line"));
}

// A first line that starts an array which never closes — most likely a broken first line of
// JSON Lines — is one finding; the lines the unclosed element swallowed are read again as JSON
// Lines, so every line is accounted for (before session 10 they went unread and uncounted).
TEST(MalformedDecisions, AnArrayThatNeverClosesGivesBackTheLinesItSwallowed) {
  const std::string a = R"({"type":"identify","userId":"a"})";
  auto accounted = [](const Summary& s) {
    EXPECT_EQ(s.lines, s.events + s.skipped + s.malformed + s.blank);
  };
  Checker checker(example_plan());
  checker.add_text("cut.jsonl", R"([{"type":"track","event":"Command Invoked")"
                                "\n" +
                                    a + "\n" + a + "\n");
  Report report = checker.finish();
  EXPECT_EQ(report.summary.lines, 3u);
  EXPECT_EQ(report.summary.skipped, 2u);
  ASSERT_EQ(fp001_lines(report), std::vector<std::uint64_t>{1});
  EXPECT_THAT(fp001_messages(report)[0], HasSubstr("the JSON array ends inside an element"));
  accounted(report.summary);

  // An unclosed element that outgrows the line limit over several lines: its first line is the
  // finding, and its other lines (the one it stopped in, too) and the rest are read as lines.
  CheckOptions small;
  small.limits.max_line_bytes = 64;
  std::string text = R"([{"type":"track","event":"X","properties":{)"
                     "\n";
  for (int i = 0; i < 10; ++i) text += "\"key" + std::to_string(i) + "\": 1,\n";
  text += a + "\n";
  Checker over(example_plan(), small);
  over.add_text("over.jsonl", text);
  report = over.finish();
  EXPECT_EQ(report.summary.lines, 12u);
  EXPECT_EQ(report.summary.skipped, 1u);  // the identify call on line 12
  std::vector<std::uint64_t> expected{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
  EXPECT_EQ(fp001_lines(report), expected);
  EXPECT_THAT(fp001_messages(report)[0], HasSubstr("array element is longer than 64 bytes"));
  EXPECT_THAT(fp001_messages(report)[1], HasSubstr("line 2: not JSON"));
  accounted(report.summary);

  // The same on one line: the rest of that line belongs to the finding.
  std::string long_line = R"([{"a":[)";
  for (int i = 0; i < 100; ++i) long_line += "1,";
  Checker one(example_plan(), small);
  one.add_text("one.jsonl", long_line + "\n" + a + "\n");
  report = one.finish();
  EXPECT_EQ(report.summary.lines, 2u);
  EXPECT_EQ(report.summary.skipped, 1u);
  ASSERT_EQ(fp001_lines(report), std::vector<std::uint64_t>{1});
  accounted(report.summary);
}

TEST(MalformedDecisions, KeysWithSlashesAreEscapedInThePointer) {
  Checker checker(example_plan());
  checker.add_text("slash.jsonl", R"({"event":"A","properties":{"a/b~":1,"a/b~":2}})"
                                  "\n");
  const Report report = checker.finish();
  ASSERT_EQ(report.summary.malformed, 1u);
  EXPECT_THAT(report.violations.front().message, HasSubstr("/properties/a~1b~0"));
}

// ---- inputs that cannot be read: the command exits 3 and names them ----------------------------

struct CommandRun {
  int status;
  std::string output;  ///< standard output and standard error together
};

CommandRun run_flowproof(const std::string& arguments) {
  const fs::path log =
      fs::temp_directory_path() / ("flowproof_malformed_" + std::to_string(::getpid()) + ".log");
  const std::string command =
      std::string("'") + FLOWPROOF_BINARY + "' " + arguments + " >'" + log.string() + "' 2>&1";
  const int raw = std::system(command.c_str());
  CommandRun run{WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, read_file(log)};
  fs::remove(log);
  return run;
}

std::string check_arguments(const std::string& input) {
  return "check --plan '" + plan_path().string() + "' --no-progress " + input;
}

TEST(UnreadableInput, ADirectoryIsExit3NamingIt) {
  const CommandRun run = run_flowproof(check_arguments("'" + corpus_dir().string() + "'"));
  EXPECT_EQ(run.status, 3);
  EXPECT_THAT(run.output, HasSubstr(corpus_dir().string() + ": cannot read: is a directory"));
}

TEST(UnreadableInput, AMissingPathIsExit3NamingIt) {
  const CommandRun run = run_flowproof(check_arguments("/nonexistent/flowproof/events.jsonl"));
  EXPECT_EQ(run.status, 3);
  EXPECT_THAT(run.output, HasSubstr("/nonexistent/flowproof/events.jsonl: cannot read"));
}

TEST(UnreadableInput, AReadErrorMidFileIsExit3NamingIt) {
  // Tests run as root, for whom chmod 000 changes nothing. /proc/self/mem opens for anyone but
  // reading its first page fails (EIO): a real read error after a successful open.
  const CommandRun run = run_flowproof(check_arguments("/proc/self/mem"));
  EXPECT_EQ(run.status, 3);
  EXPECT_THAT(run.output, HasSubstr("/proc/self/mem: cannot read"));
}

TEST(UnreadableInput, ClosedStandardInputIsExit3) {
  const CommandRun run = run_flowproof(check_arguments("- <&-"));
  EXPECT_EQ(run.status, 3);
  EXPECT_THAT(run.output, HasSubstr("-: cannot read"));
}

TEST(UnreadableInput, AnEmptyFileIsReadAsNoLines) {
  const CommandRun run =
      run_flowproof(check_arguments("'" + (corpus_dir() / "empty.jsonl").string() + "'"));
  EXPECT_EQ(run.status, 0);
  EXPECT_THAT(run.output, HasSubstr("0 lines"));
}

TEST(UnreadableInput, AGoodInputAfterAnUnreadableOneStillFails) {
  // Reading stops at the first unreadable input: the run can never pass on partial data.
  const CommandRun run = run_flowproof(check_arguments(
      "'" + (corpus_dir() / "crlf_line_endings.jsonl").string() + "' /nonexistent.jsonl"));
  EXPECT_EQ(run.status, 3);
}

// ---- reports are written atomically -----------------------------------------------------------

// A reporter that writes half a report and then fails, like a process killed mid-write.
class FailingReporter final : public Reporter {
 public:
  void write(const Report&, std::ostream& out) const override {
    out << "{\"flowproof_report\": 1, \"half\": ";
    throw std::runtime_error("injected failure while writing");
  }
};

// A reporter that writes half a report and then leaves the stream failed (a full disk).
class BadStreamReporter final : public Reporter {
 public:
  void write(const Report&, std::ostream& out) const override {
    out << "partial";
    out.setstate(std::ios::badbit);
  }
};

class AtomicReport : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = fs::temp_directory_path() /
                 ("flowproof_atomic_" + std::to_string(::getpid()) + "_" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(directory_);
    fs::create_directories(directory_);
    target_ = directory_ / "report.json";
    std::ofstream(target_) << "the old report\n";
  }
  void TearDown() override { fs::remove_all(directory_); }

  std::vector<std::string> files() const {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(directory_)) {
      names.push_back(entry.path().filename().string());
    }
    return names;
  }

  fs::path directory_, target_;
};

TEST_F(AtomicReport, AFailureMidWriteLeavesTheOldReportAndNoTemporaryFile) {
  EXPECT_THROW(write_report_file(FailingReporter(), Report(), target_.string()),
               std::runtime_error);
  EXPECT_EQ(read_file(target_), "the old report\n");
  EXPECT_THAT(files(), ::testing::ElementsAre("report.json"));
}

TEST_F(AtomicReport, AFailedStreamLeavesTheOldReportAndNoTemporaryFile) {
  EXPECT_THROW(write_report_file(BadStreamReporter(), Report(), target_.string()),
               std::runtime_error);
  EXPECT_EQ(read_file(target_), "the old report\n");
  EXPECT_THAT(files(), ::testing::ElementsAre("report.json"));
}

TEST_F(AtomicReport, ASuccessReplacesTheOldReportWhole) {
  const auto reporter = make_reporter("json");
  ASSERT_NE(reporter, nullptr);
  Checker checker(example_plan());
  checker.add_file(corpus_dir() / "crlf_line_endings.jsonl");
  const Report report = checker.finish();
  write_report_file(*reporter, report, target_.string());
  const auto written = nlohmann::json::parse(read_file(target_));
  EXPECT_EQ(written["summary"]["lines"], 5);
  EXPECT_THAT(files(), ::testing::ElementsAre("report.json"));
}

TEST_F(AtomicReport, AMissingDirectoryIsAnErrorNamingTheReport) {
  const std::string path = (directory_ / "missing" / "report.json").string();
  try {
    write_report_file(*make_reporter("json"), Report(), path);
    FAIL() << "expected an error";
  } catch (const std::runtime_error& error) {
    EXPECT_THAT(error.what(), HasSubstr(path));
  }
}

}  // namespace
}  // namespace flowproof::conformance
